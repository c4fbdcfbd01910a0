# palisade — see README.md. `make`, `make check`, `make demo`, `make install`.
VERSION    := 0.1.0
PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
DATADIR    ?= $(PREFIX)/share
DESTDIR    ?=
CC         ?= cc
CLANG      ?= clang
BUILD      ?= build
FUZZ_SECONDS ?= 60

PKGS       := yajl libseccomp libcap uuid audit
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
# The hook and the shim run on every container start: linking yajl, libuuid,
# libaudit and libcap statically saves the dynamic loader ~0.2 ms per exec
# (bench/overhead.sh). STATIC_DEPS=0 links them dynamically.
STATIC_DEPS ?= 1
ifeq ($(STATIC_DEPS),1)
BIN_LIBS   := -Wl,-Bstatic -lyajl_s -luuid -laudit -lcap-ng -lcap -lseccomp -Wl,-Bdynamic
else
BIN_LIBS   := $(PKG_LIBS)
endif

WARN       := -Wall -Wextra -Wshadow -Wformat=2 -Wvla -Wmissing-prototypes -Wno-unused-parameter
ifneq ($(WERROR),)
WARN       += -Werror
endif
HARDEN     ?= -D_FORTIFY_SOURCE=3 -fstack-protector-strong -fstack-clash-protection -fPIE
CFLAGS     ?= -O2 -g
ALL_CFLAGS := -std=gnu11 -D_GNU_SOURCE $(WARN) $(HARDEN) -I. -I$(BUILD) -DPALISADE_VERSION=\"$(VERSION)\" \
              $(PKG_CFLAGS) $(CFLAGS) -MMD -MP
LDFLAGS    ?=
ALL_LDFLAGS := -pie -Wl,-z,relro,-z,now -Wl,--as-needed $(LDFLAGS)

# One archive, the layers in order (docs/ARCHITECTURE.md; test/layers.sh
# checks that no include points up).
LIB_SRC    := $(wildcard lib/*.c oci/*.c seccomp/*.c check/*.c guards/*.c agent/*.c)
LIB_OBJ    := $(LIB_SRC:%.c=$(BUILD)/%.o)
BINS       := palisade-hook palisade-runtime palisade
UNIT_SRC   := $(wildcard test/unit/test_*.c)
UNIT_BINS  := $(UNIT_SRC:test/unit/%.c=$(BUILD)/unit/%)
FUZZ_SRC   := $(wildcard test/fuzz/fuzz_*.c)

.PHONY: all asan unit layers fuzz-build fuzz fuzz-long check demo deps install uninstall clean bench bench-mknod bench-shift stress
.DEFAULT_GOAL := all

all: $(addprefix $(BUILD)/,$(BINS))

$(BUILD)/default_policy.inc: config.example.json
	@mkdir -p $(@D)
	sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $< > $@

$(BUILD)/oci/policy.o: $(BUILD)/default_policy.inc

$(BUILD)/default_seccomp.inc: seccomp/default.json
	@mkdir -p $(@D)
	sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $< > $@

$(BUILD)/seccomp/profile.o: $(BUILD)/default_seccomp.inc

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/libpalisade.a: $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/%: $(BUILD)/cmd/%.o $(BUILD)/libpalisade.a
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) $^ $(BIN_LIBS) -o $@

# palisade also links its subcommands, one object each (cmd/palisade_*.c); the other binaries do not.
PALISADE_CMD_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(wildcard cmd/palisade_*.c))
$(BUILD)/palisade: $(BUILD)/cmd/palisade.o $(PALISADE_CMD_OBJ) $(BUILD)/libpalisade.a
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) $^ $(BIN_LIBS) -o $@

# Unit tests (cmocka).
unit: $(UNIT_BINS)
$(BUILD)/unit/%: test/unit/%.c $(BUILD)/libpalisade.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) $< $(BUILD)/libpalisade.a $(PKG_LIBS) -lcmocka -o $@

# The layering rule (lib < oci < seccomp < check < guards < agent < cmd):
# no #include points up. Also a suite of `make check`.
layers:
	test/layers.sh

# ASan + UBSan build of everything, in build-asan/.
asan:
	$(MAKE) BUILD=build-asan HARDEN=-fPIE \
	  CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
	  LDFLAGS="-fsanitize=address,undefined" all unit

# libFuzzer targets (clang), in build-fuzz/.
fuzz-build:
	@mkdir -p build-fuzz
	$(MAKE) BUILD=build-fuzz CC=$(CLANG) HARDEN= \
	  CFLAGS="-O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer" \
	  build-fuzz/libpalisade.a
	for f in $(FUZZ_SRC); do \
	  n=$$(basename $$f .c); \
	  $(CLANG) -std=gnu11 -D_GNU_SOURCE -I. -Ibuild-fuzz $(PKG_CFLAGS) -O1 -g -fsanitize=fuzzer,address,undefined \
	    $$f build-fuzz/libpalisade.a $(PKG_LIBS) -o build-fuzz/$$n || exit 1; \
	done

fuzz: fuzz-build
	FUZZ_SECONDS=$(FUZZ_SECONDS) test/fuzz/run.sh

# An hour a target, for a machine with the time.
fuzz-long: fuzz-build
	FUZZ_SECONDS=$${FUZZ_SECONDS:-3600} test/fuzz/run.sh

deps:
	contrib/install-deps.sh

check:
	test/check.sh

demo:
	contrib/demo.sh

# The reliability suite at full size (CI runs it with 24 containers a runtime).
stress: all
	PALISADE_STRESS_N=$${PALISADE_STRESS_N:-500} bats -t test/bats/reliability.bats

bench: all
	bench/overhead.sh

# The agent: latency of an intercepted mknod and throughput with 8 containers.
bench-mknod: all
	bench/mknod.sh
# Rootfs shifting: idmapped mount against recursive chown, by rootfs size.
bench-shift: all
	bench/shift.sh

install: all
	install -D -m 0755 $(BUILD)/palisade-hook $(DESTDIR)$(BINDIR)/palisade-hook
	install -D -m 0755 $(BUILD)/palisade $(DESTDIR)$(BINDIR)/palisade
	install -D -m 0755 $(BUILD)/palisade-runtime $(DESTDIR)$(BINDIR)/palisade-runtime
	install -D -m 0644 config.example.json $(DESTDIR)$(DATADIR)/palisade/config.example.json
	install -D -m 0644 contrib/systemd/palisade-gc.service $(DESTDIR)$(DATADIR)/palisade/systemd/palisade-gc.service
	install -D -m 0644 contrib/systemd/palisade-gc.timer $(DESTDIR)$(DATADIR)/palisade/systemd/palisade-gc.timer
	install -D -m 0644 contrib/systemd/palisade-agent.socket $(DESTDIR)$(DATADIR)/palisade/systemd/palisade-agent.socket
	install -D -m 0644 contrib/systemd/palisade-agent.service $(DESTDIR)$(DATADIR)/palisade/systemd/palisade-agent.service
	sed 's|@BINDIR@|$(BINDIR)|g' contrib/palisade-hook.json.in > contrib/palisade-hook.json.tmp
	install -D -m 0644 contrib/palisade-hook.json.tmp $(DESTDIR)$(DATADIR)/containers/oci/hooks.d/palisade-hook.json
	rm -f contrib/palisade-hook.json.tmp

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/palisade-hook $(DESTDIR)$(BINDIR)/palisade $(DESTDIR)$(BINDIR)/palisade-runtime \
	  $(DESTDIR)$(DATADIR)/containers/oci/hooks.d/palisade-hook.json
	rm -rf $(DESTDIR)$(DATADIR)/palisade

clean:
	rm -rf build build-asan build-fuzz

-include $(LIB_OBJ:.o=.d) $(BINS:%=$(BUILD)/cmd/%.d) $(UNIT_BINS:=.d)
.SECONDARY:
