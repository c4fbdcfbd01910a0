/* SPDX-License-Identifier: GPL-2.0-or-later */
/* palisade's subcommands (cmd/palisade_*.c) and what they share (cmd/palisade.c). */
#pragma once

#include <stdio.h>

#include "lib/json.h"

#define PROG "palisade"

void usage(FILE *out);
/* Print v (freed here) as indented JSON on stdout: 0, or 1 when it cannot (v NULL: out of memory). */
int print_json(struct json *v);
/* A path as the operator typed it, "-" as standard input's name. */
const char *operator_name(const char *path);

int cmd_ps(int argc, char **argv);
int cmd_audit_id(int argc, char **argv);
int cmd_inspect(int argc, char **argv);
int cmd_gc(int argc, char **argv);
int cmd_agent(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_seccomp(int argc, char **argv);
