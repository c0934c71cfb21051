#!/usr/bin/env bash
# Does pre-minifying the templates (src/render/premin.rs) earn its 1,700 lines? Builds the
# shared corpus (5,000 pages per language, with the glossary) alternately as it is and with
# premin refused (one extra template it cannot pre-minify, so every page is minified after
# rendering instead), and prints wall time and HTML bytes of each build.
#
#   bench/premin.sh [RUNS]     (SENDA=path/to/senda to time another binary; default 4 runs)
#
# Run 0 of each is a warm-up. Works in /dev/shm (WORK=dir to choose another folder).
set -euo pipefail
export LC_ALL=C

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RUNS=${1:-4}
WORK=${WORK:-/dev/shm/senda-premin}
SENDA=$(realpath "${SENDA:-$HERE/../target/release/senda}")
[[ -x $SENDA ]] || { echo "premin.sh: build senda first: cargo build --release" >&2; exit 2; }

corpus="$WORK/corpus"
if [[ ! -d $corpus ]]; then
    python3 "$HERE/../../shared/bench/gen_corpus.py" --flavor plain --pages 5000 --seed 42 \
        --out "$corpus" >/dev/null
    python3 "$HERE/helper.py" glossary "$corpus/glossary.json" "$corpus/content" >/dev/null
fi
cd "$corpus"
for ((run = 0; run < RUNS; run++)); do
    for mode in premin per-page; do
        rm -rf themes "$WORK/out"
        if [[ $mode == per-page ]]; then
            mkdir -p themes/default/templates
            # An HTML comment holding a Tera value: premin refuses the whole theme.
            printf '<p>a<!-- {{ x }} --></p>\n' >themes/default/templates/refused.html
        fi
        start=$EPOCHREALTIME
        "$SENDA" build --out "$WORK/out" >/dev/null 2>&1
        end=$EPOCHREALTIME
        bytes=$(find "$WORK/out" -name '*.html' -printf '%s\n' | awk '{s += $1} END {print s}')
        printf 'run %d  %-8s %6.2f s  %d bytes of HTML\n' "$run" "$mode" \
            "$(echo "$end - $start" | bc)" "$bytes"
    done
done
rm -rf themes "$WORK/out"
