# Issue 14, item 10: what a bundle's owner asks for is judged (devices the
# policy does not grant, sysctls of namespaces it does not own), what it
# exposes is reported (palisade check), and a container its own filter kills
# leaves nothing behind. Container IDs start with "jd-".

load helpers

setup_file() {
        palisade_setup_file
}

teardown() {
        for rt in runc crun; do
                "$rt" list -q 2>/dev/null | grep '^jd-' | while read -r id; do "$rt" delete -f "$id" >/dev/null 2>&1 || true; done
        done
}

teardown_file() {
        palisade_teardown_file
}

# kill_filter NAME: the bundle's own seccomp filter kills its first call.
kill_filter() {
        jq '.linux.seccomp = { defaultAction: "SCMP_ACT_KILL_PROCESS" }' "$T/$1/config.json" >"$T/$1/c.new"
        mv "$T/$1/c.new" "$T/$1/config.json"
}

@test "edges: a container its own filter kills at once (Seccomp: 3) gets its stop line, and ps and gc read its entry (runc and crun)" {
        for rt in runc crun; do
                id=jd-kill-$rt
                plain_bundle "$id" true
                kill_filter "$id"
                run env PALISADE_RUNTIME=$rt "$SHIM" run --bundle "$T/$id" "$id" </dev/null
                [ "$status" -ne 0 ]
                [ "$(journal_lines "$id" start | wc -l)" -eq 1 ]
                [ "$(journal_lines "$id" stop | wc -l)" -eq 1 ]
                [ "$(journal_lines "$id" stop | jq -r .reason)" = exit ]
                [ ! -e "$STATE/containers/$id" ]
                "$rt" delete -f "$id" >/dev/null 2>&1 || true
        done
}

@test "edges: a container its filter killed before its poststop is listed by ps --all and released by gc" {
        id=jd-killgc
        plain_bundle "$id" true
        kill_filter "$id"
        (cd "$T/$id" && PALISADE_RUNTIME=runc "$SHIM" create "$id" </dev/null >"$T/$id.log" 2>&1)
        PALISADE_RUNTIME=runc "$SHIM" start "$id" </dev/null >>"$T/$id.log" 2>&1 || true
        for _ in $(seq 50); do
                runc state "$id" 2>/dev/null | grep -q '"status": *"stopped"' && break
                sleep 0.1
        done
        [ "$(jq -r .seccomp.mode "$STATE/containers/$id/entry.json")" = 3 ]
        run "$PALISADE" ps --all
        [ "$status" -eq 0 ]
        [[ "$output" == *"$id "*" gone "* ]]
        run "$PALISADE" gc
        [ "$status" -eq 0 ]
        [ "$output" = "released 1 dead container, removed 0 orphan claims and 0 orphan leases" ]
        [ ! -e "$STATE/containers/$id" ]
        [ "$(journal_lines "$id" stop | jq -r .reason)" = gone ]
        runc delete -f "$id" >/dev/null 2>&1 || true
}
