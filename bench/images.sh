#!/usr/bin/env bash
# Pictures benchmark: the shared corpus built as it is, then with generated photos added (one
# per page, described in both languages), cold (empty picture cache) and warm (cache filled).
# See bench/README.md.
#
#   bench/images.sh [--pages 1000] [--photos 200] [--runs 5] [--senda PATH]
#
# Prints the median of --runs builds of each kind, and the photos' bytes in and out.
set -euo pipefail
export LC_ALL=C

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
GEN="$ROOT/../shared/bench/gen_corpus.py"
PAGES=1000
PHOTOS=200
RUNS=5
SENDA=""
while (($#)); do
    case "$1" in
        --pages) PAGES=${2:?}; shift 2 ;;
        --photos) PHOTOS=${2:?}; shift 2 ;;
        --runs) RUNS=${2:?}; shift 2 ;;
        --senda) SENDA=${2:?}; shift 2 ;;
        *) sed -n '2,8s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2; exit 2 ;;
    esac
done
[[ -f $GEN ]] || { echo "images.sh: no corpus generator at $GEN" >&2; exit 2; }
if [[ -z $SENDA ]]; then
    (cd "$ROOT" && cargo build --release --quiet --bin senda --example photos)
    SENDA="$ROOT/target/release/senda"
fi
PHOTOS_BIN="$ROOT/target/release/examples/photos"
[[ -x $PHOTOS_BIN ]] || (cd "$ROOT" && cargo build --release --quiet --example photos)

# In memory where there is room, as run.sh does: on disk, write-back of earlier builds' output
# makes later builds slower and the comparison says more about the disk than about senda.
if [[ -d /dev/shm ]] && (($(df -Pk /dev/shm | awk 'NR==2 {print $4}') > 2000000)); then
    WORK=$(mktemp -d /dev/shm/senda-images.XXXXXX)
else
    WORK=$(mktemp -d)
fi
trap 'rm -rf "$WORK"' EXIT
python3 "$GEN" --flavor plain --pages "$PAGES" --seed 42 --out "$WORK/plain" >/dev/null
python3 "$SCRIPT_DIR/helper.py" glossary "$WORK/plain/glossary.json" "$WORK/plain/content" >/dev/null
cp -r "$WORK/plain" "$WORK/pictures"
"$PHOTOS_BIN" "$WORK/photos" "$PHOTOS"

# Photo n goes beside the n-th page (in file-name order), described in English and Spanish.
mapfile -t pages < <(cd "$WORK/pictures/content" && find . -name 'page-*.md' ! -name '*.es.md' | sort | head -n "$PHOTOS")
n=0
for page in "${pages[@]}"; do
    name=$(printf 'photo-%03d.jpg' "$n")
    dir=$(dirname "$WORK/pictures/content/$page")
    cp "$WORK/photos/$name" "$dir/"
    printf '\n![Photo %d: the office seen from the street](%s)\n' "$n" "$name" >>"$WORK/pictures/content/$page"
    es="${page%.md}.es.md"
    if [[ -f $WORK/pictures/content/$es ]]; then
        printf '\n![Foto %d: la oficina vista desde la calle](%s)\n' "$n" "$name" >>"$WORK/pictures/content/$es"
    fi
    n=$((n + 1))
done

# Seconds one build takes.
build() {
    local start=$EPOCHREALTIME
    "$SENDA" -C "$1" build --out "$WORK/out" >/dev/null 2>"$WORK/log" || { cat "$WORK/log" >&2; exit 1; }
    awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f\n", b - a }'
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

build "$WORK/plain" >/dev/null  # warm the disk cache
cold=$(for _ in $(seq "$RUNS"); do rm -rf "$WORK/pictures/.senda-cache"; build "$WORK/pictures"; done | median)
# Without and warm alternate, so that a machine growing busier or quieter weighs on both alike.
: >"$WORK/plain.times" && : >"$WORK/warm.times"
for _ in $(seq "$RUNS"); do
    build "$WORK/plain" >>"$WORK/plain.times"
    build "$WORK/pictures" >>"$WORK/warm.times"
done
plain=$(median <"$WORK/plain.times")
warm=$(median <"$WORK/warm.times")
bytes_in=$(cat "$WORK"/photos/*.jpg | wc -c)
bytes_out=$(find "$WORK/out" -name 'photo-*' -type f -print0 | xargs -0 cat | wc -c)
phone=$(find "$WORK/out" -name 'photo-*.360.*.webp' -type f -print0 | xargs -0 cat | wc -c)

echo "corpus: $PAGES pages per language, $PHOTOS photos ($(nproc) cores; median of $RUNS)"
echo "build without photos:        ${plain} s"
echo "build with photos, cold:     ${cold} s (empty cache: every photo decoded and encoded)"
echo "build with photos, warm:     ${warm} s (cache filled)"
awk -v w="$warm" -v p="$plain" 'BEGIN { printf "warm / without:              %.2f (target: at most 1.20)\n", w / p }'
echo "photos in:                   $((bytes_in / 1000)) KB"
echo "photo files out (all sizes): $((bytes_out / 1000)) KB"
echo "what a phone loads (360 px): $((phone / 1000)) KB, $((phone / PHOTOS)) bytes a photo"
