#!/usr/bin/env bash
# fuzz/run.sh [SECONDS]: runs every fuzz target for SECONDS each (default 60) and prints the
# executions of each. Corpora grow in fuzz/corpus/<target> (not committed), seeded from the
# committed fuzz/seeds/<target> (the guide's own files); a crash is saved in
# fuzz/artifacts/<target>/ and stops the script with its target's name.
# Needs the nightly toolchain and cargo-fuzz (cargo install cargo-fuzz).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
targets=(site_toml facts front_matter markdown ftl pipeline)
cargo +nightly fuzz build -O
for target in "${targets[@]}"; do
    mkdir -p "fuzz/corpus/$target"
    log="fuzz/corpus/$target.log"
    if ! cargo +nightly fuzz run -O "$target" "fuzz/corpus/$target" "fuzz/seeds/$target" -- \
        -max_total_time="$seconds" -max_len=65536 -print_final_stats=1 >"$log" 2>&1; then
        echo "$target: FAILED (see $log and fuzz/artifacts/$target/)"
        exit 1
    fi
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
    echo "$target: $runs executions in ${seconds} s, no crash"
done
