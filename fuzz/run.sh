#!/usr/bin/env bash
# fuzz/run.sh [SECONDS] [TARGET...]: runs each fuzz target (all of them by default) for SECONDS
# (default 60), one after the other, one process each at low priority, and prints per target
# the executions, the seconds and what was found. Corpora grow in fuzz/corpus/<target> (not
# committed), seeded from the committed fuzz/seeds/<target> (the guide's own files and a few
# written for the purpose); a finding is saved in fuzz/artifacts/<target>/ and the script
# goes on with the next target, then exits 1.
#
# SANITIZER=address (or any `cargo fuzz --sanitizer`) for a slower run that also catches memory
# errors; the default, none, gives the most executions for the time (senda has no unsafe code
# of its own). Needs the nightly toolchain and cargo-fuzz (cargo install cargo-fuzz).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=("$@")
if ((${#targets[@]} == 0)); then
    targets=(site_toml facts ftl front_matter markdown pipeline)
fi
sanitizer=${SANITIZER:-none}
nice -n 10 cargo +nightly fuzz build -O --sanitizer "$sanitizer" >&2
failed=0
total=0
for target in "${targets[@]}"; do
    mkdir -p "fuzz/corpus/$target" "fuzz/artifacts/$target"
    log="fuzz/corpus/$target.log"
    start=$EPOCHSECONDS
    status=0
    nice -n 10 cargo +nightly fuzz run -O --sanitizer "$sanitizer" "$target" \
        "fuzz/corpus/$target" "fuzz/seeds/$target" -- \
        -max_total_time="$seconds" -timeout=10 -print_final_stats=1 \
        >"$log" 2>&1 || status=$?
    took=$((EPOCHSECONDS - start))
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -n 1 || true)
    if [[ -z $runs ]]; then
        # libFuzzer prints no final stats when it stops on a finding: take its last status line.
        runs=$(grep -o '^#[0-9]*' "$log" | tail -n 1 | tr -d '#' || true)
    fi
    total=$((total + ${runs:-0}))
    if ((status == 0)); then
        echo "$target: ${runs:-?} executions in $took s, no finding"
    else
        echo "$target: ${runs:-?} executions in $took s, FINDING (exit $status): see $log and fuzz/artifacts/$target/"
        failed=1
    fi
done
echo "total: $total executions"
exit "$failed"
