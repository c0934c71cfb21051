#!/usr/bin/env bash
# Benchmark senda against Hugo on the shared synthetic corpus. See bench/README.md.
#
#   bench/run.sh [--pages 1000,5000] [--runs 3] [--senda PATH] [--gen PATH] [--keep]
#
#   --senda PATH  benchmark this binary instead of building target/release/senda
#   --gen PATH    the corpus generator (default: ../shared/bench/gen_corpus.py beside the repo)
#   --keep        keep the work folder (corpora, logs) for a look afterwards
#
# Exit status: 0 when every build succeeded (targets are informational), 1 when a build failed
# or senda could not be built, 2 on bad usage or missing prerequisites.
set -euo pipefail
export LC_ALL=C  # EPOCHREALTIME with a '.', stable sorting

usage() { sed -n '2,12s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
GEN="$ROOT/../shared/bench/gen_corpus.py"
HELPER="$SCRIPT_DIR/helper.py"

PAGES="1000,5000"
RUNS=3
SENDA=""
KEEP=0
SERVE_REPEATS=5
SEED=42

while (($#)); do
    case "$1" in
        --pages) PAGES=${2:?--pages needs a value}; shift 2 ;;
        --pages=*) PAGES=${1#*=}; shift ;;
        --runs) RUNS=${2:?--runs needs a value}; shift 2 ;;
        --runs=*) RUNS=${1#*=}; shift ;;
        --senda) SENDA=${2:?--senda needs a path}; shift 2 ;;
        --senda=*) SENDA=${1#*=}; shift ;;
        --gen) GEN=${2:?--gen needs a path}; shift 2 ;;
        --keep) KEEP=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "run.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
done
[[ $PAGES =~ ^[0-9]+(,[0-9]+)*$ ]] || { echo "run.sh: --pages wants numbers separated by commas" >&2; exit 2; }
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: --runs wants a positive integer" >&2; exit 2; }
IFS=, read -r -a SIZES <<<"$PAGES"

log() { printf '[bench %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die() { log "error: $*"; exit 2; }

# ------------------------------------------------------------------ cleanup
WORK=""
SERVE_PID=""  # senda serve, a process group of its own (setsid)
CHILD_PID=""  # the command being waited for (a process group of its own when timed)
# shellcheck disable=SC2317  # invoked by the EXIT trap
cleanup() {
    local rc=$? pid
    for pid in $CHILD_PID $SERVE_PID; do
        kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in $CHILD_PID $SERVE_PID; do wait "$pid" 2>/dev/null || true; done
    if [[ -n $WORK && -d $WORK ]]; then
        if ((KEEP)); then log "kept $WORK"; else rm -rf "$WORK"; fi
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ------------------------------------------------------------------ 1. prerequisites
if [[ ! -f $GEN ]]; then  # a git worktree elsewhere: look beside the main checkout
    common=$(git -C "$ROOT" rev-parse --path-format=absolute --git-common-dir 2>/dev/null || true)
    if [[ -n $common && -f $(dirname "$common")/../shared/bench/gen_corpus.py ]]; then
        GEN=$(cd "$(dirname "$common")/../shared/bench" && pwd)/gen_corpus.py
    fi
fi
[[ -f $GEN ]] || die "shared corpus generator not found at $GEN (expected ../shared beside the repo)"
command -v python3 >/dev/null || die "python3 is needed"

missing=()
command -v hugo >/dev/null || missing+=(hugo)
[[ -x /usr/bin/time ]] || missing+=(time)
if ((${#missing[@]})); then
    log "installing ${missing[*]} from Debian"
    if ((EUID == 0)); then SUDO=(); elif command -v sudo >/dev/null; then SUDO=(sudo); else
        die "need root (or sudo) to install: ${missing[*]}"
    fi
    "${SUDO[@]}" apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq "${missing[@]}" >&2
fi
HUGO_VERSION=$(hugo version 2>/dev/null | head -n1)

FAILED=0
if [[ -z $SENDA ]]; then
    command -v cargo >/dev/null || die "cargo is needed to build senda"
    log "cargo build --release in $ROOT"
    build_start=$EPOCHSECONDS
    if (cd "$ROOT" && cargo build --release); then
        log "cargo build took $((EPOCHSECONDS - build_start)) s"
        target_dir=${CARGO_TARGET_DIR:-target}
        [[ $target_dir == /* ]] || target_dir="$ROOT/$target_dir"
        SENDA="$target_dir/release/senda"
    else
        log "senda: cargo build --release FAILED; benchmarking Hugo only"
        FAILED=1
    fi
fi
if [[ -n $SENDA ]]; then
    if [[ -x $SENDA ]]; then
        SENDA=$(cd "$(dirname "$SENDA")" && pwd)/$(basename "$SENDA")
        log "senda binary: $SENDA"
    else
        log "senda: binary not found or not executable: $SENDA; benchmarking Hugo only"
        SENDA=""
        FAILED=1
    fi
fi

# How to name the output folder: --out unless `senda build --help` only offers another spelling.
SENDA_OUT_FLAG=--out
if [[ -n $SENDA ]]; then
    build_help=$("$SENDA" build --help 2>&1 || true)
    if ! grep -q -- '--out\b' <<<"$build_help"; then
        if grep -q -- '--output\b' <<<"$build_help"; then SENDA_OUT_FLAG=--output
        elif [[ -n $build_help ]]; then log "senda build --help names no --out flag; trying --out anyway"
        else log "senda build --help printed nothing; trying --out anyway"; fi
    fi
fi

# ------------------------------------------------------------------ work folder
max_pages=0
for n in "${SIZES[@]}"; do
    if ((n > max_pages)); then max_pages=$n; fi
done
# corpora ~16 MB per 1000 pages each, outputs ~60 MB per 1000 pages each; keep a margin
need_kb=$((max_pages * 300 + 500000))
shm_free_kb=$(df -Pk /dev/shm 2>/dev/null | awk 'NR==2 {print $4}' || true)
if [[ -n $shm_free_kb ]] && ((shm_free_kb > need_kb)); then
    WORK=$(mktemp -d /dev/shm/senda-bench.XXXXXX)
else
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/senda-bench.XXXXXX")
    log "/dev/shm lacks room ($((need_kb / 1024)) MB wanted): working in $WORK"
fi
RESULTS="$WORK/results.tsv"
SERVE_RESULTS="$WORK/serve.tsv"
COLD_RESULTS="$WORK/cold.txt"
: >"$RESULTS"

# timed TOOL PAGES RUN DIR OUT LOG CMD... : runs CMD in DIR, appends a line to $RESULTS
timed() {
    local tool=$1 pages=$2 run=$3 dir=$4 out=$5 logf=$6
    shift 6
    local tfile="$WORK/time.$tool" t0 t1 rc=0 rss links=()
    if ((run == RUNS)); then links=(--links); fi
    rm -rf "$out"
    t0=$EPOCHREALTIME
    # in the background so that a signal to this script is handled at once (see cleanup)
    (cd "$dir" && exec setsid /usr/bin/time -v -o "$tfile" "$@") >"$logf" 2>&1 &
    CHILD_PID=$!
    wait "$CHILD_PID" || rc=$?
    t1=$EPOCHREALTIME
    CHILD_PID=""
    rss=$(awk -F': *' '/Maximum resident set size/ {print $2}' "$tfile" 2>/dev/null || true)
    if ((rc == 0)) && ! python3 "$HELPER" check-output "${links[@]}" "$dir/content" "$out" >"$WORK/check.$tool" 2>&1; then
        rc=99  # "succeeded" without writing a site
    fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$pages" "$tool" "$run" "$(( ${t1/./} - ${t0/./} ))" "${rss:-0}" "$rc" >>"$RESULTS"
    if ((rc != 0)); then
        if ((rc == 99)); then log "$tool ($pages pages/lang): exit 0 but $(cat "$WORK/check.$tool")"
        else log "$tool ($pages pages/lang) FAILED with exit $rc; last lines of its output:"; tail -n 15 "$logf" >&2; fi
        FAILED=1
        return 1
    fi
    log "$tool run $run: $(awk -v us="$(( ${t1/./} - ${t0/./} ))" 'BEGIN {printf "%.3f", us / 1e6}') s, $(( ${rss:-0} / 1024 )) MB"
}

# ------------------------------------------------------------------ 5. senda serve
serve_bench() {
    local pages=$1 dir=$2 port rc=0
    port=$(python3 "$HELPER" freeport)
    (cd "$dir" && exec setsid "$SENDA" serve --port "$port") >"$WORK/serve.log" 2>&1 &
    SERVE_PID=$!
    log "senda serve --port $port (pid $SERVE_PID) at $pages pages/lang"
    python3 "$HELPER" serve-bench --port "$port" --pid "$SERVE_PID" --repeats "$SERVE_REPEATS" \
        --file "$dir/content/guide-0/page-1.md" --record "$SERVE_RESULTS" --label "$pages" &
    CHILD_PID=$!
    wait "$CHILD_PID" || rc=$?
    CHILD_PID=""
    kill -TERM -- "-$SERVE_PID" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$SERVE_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$SERVE_PID" 2>/dev/null || true
    wait "$SERVE_PID" 2>/dev/null || true
    SERVE_PID=""
    if ((rc != 0)) && [[ -s $WORK/serve.log ]]; then
        log "senda serve output (last lines):"; tail -n 5 "$WORK/serve.log" >&2
    fi
    return 0  # serve is informational
}

# ------------------------------------------------------------------ 2-4. per size
START=$EPOCHSECONDS
for pages in "${SIZES[@]}"; do
    plain="$WORK/corpus-plain-$pages"
    hugo_dir="$WORK/corpus-hugo-$pages"
    log "generating corpora: $pages pages per language (seed $SEED)"
    python3 "$GEN" --flavor plain --pages "$pages" --seed "$SEED" --out "$plain" >&2
    python3 "$GEN" --flavor hugo --pages "$pages" --seed "$SEED" --out "$hugo_dir" >&2
    python3 "$HELPER" glossary "$plain/glossary.json" "$plain/content" >&2

    senda_ok=0
    if [[ -n $SENDA ]]; then senda_ok=1; fi
    # run 0 is a warm-up (not counted); the order alternates between runs
    for ((run = 0; run <= RUNS; run++)); do
        if ((run % 2)); then order=(hugo senda); else order=(senda hugo); fi
        for tool in "${order[@]}"; do
            if [[ $tool == senda ]]; then
                ((senda_ok)) || continue
                timed senda "$pages" "$run" "$plain" "$WORK/out-senda" "$WORK/senda.log" \
                    "$SENDA" build "$SENDA_OUT_FLAG" "$WORK/out-senda" || senda_ok=0
            else
                timed hugo "$pages" "$run" "$hugo_dir" "$WORK/out-hugo" "$WORK/hugo.log" \
                    hugo --minify -d "$WORK/out-hugo" --cacheDir "$WORK/hugo-cache" || break 2
            fi
        done
    done
    for tool in senda hugo; do
        if [[ -f $WORK/check.$tool ]]; then log "$tool output check: $(cat "$WORK/check.$tool")"; fi
        rm -f "$WORK/check.$tool"
    done
    rm -rf "$WORK/out-senda" "$WORK/out-hugo"

    if ((senda_ok)); then
        serve_bench "$pages" "$plain"
    elif [[ -n $SENDA ]]; then
        printf '%s\t-\t%s\n' "$pages" "not measured (senda build failed)" >>"$SERVE_RESULTS"
    fi
    rm -rf "$plain" "$hugo_dir"
done

# ------------------------------------------------------------------ 6. cold start on the bundled guide
if [[ -n $SENDA && -f $ROOT/site.toml ]]; then
    log "cold start: senda build on the repository's own site, 5 runs"
    : >"$WORK/cold.us"
    cold_ok=1
    for _ in 1 2 3 4 5; do
        rm -rf "$WORK/out-cold"
        t0=$EPOCHREALTIME
        if ! (cd "$ROOT" && exec "$SENDA" build "$SENDA_OUT_FLAG" "$WORK/out-cold") >"$WORK/cold.log" 2>&1; then
            log "cold start: senda build FAILED on the repository's site:"; tail -n 15 "$WORK/cold.log" >&2
            FAILED=1; cold_ok=0; break
        fi
        t1=$EPOCHREALTIME
        if [[ ! -f $WORK/out-cold/index.html ]]; then
            log "cold start: senda build exited 0 but wrote no index.html"
            echo "cold start: FAILED (no index.html)" >"$COLD_RESULTS"
            FAILED=1; cold_ok=0; break
        fi
        echo "$(( ${t1/./} - ${t0/./} ))" >>"$WORK/cold.us"
    done
    if ((cold_ok)); then
        IFS=$'\t' read -r med all < <(python3 "$HELPER" median-ms "$WORK/cold.us")
        echo "cold start (repository's guide): median $med ms (runs $all ms)" >"$COLD_RESULTS"
    fi
elif [[ -n $SENDA ]]; then
    echo "cold start: skipped (no site.toml in $ROOT)" >"$COLD_RESULTS"
fi

# ------------------------------------------------------------------ report
echo
echo "senda benchmark: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, runs=$RUNS (+1 warm-up), output in $(dirname "$WORK")"
echo "hugo: $HUGO_VERSION"
if [[ -n $SENDA ]]; then echo "senda: $SENDA ($(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'))"; fi
python3 "$HELPER" report "$RESULTS" --serve "$SERVE_RESULTS" --cold "$COLD_RESULTS"
if [[ -z $SENDA ]]; then echo "senda: not measured (no binary)"; fi
echo "total time: $((EPOCHSECONDS - START)) s (after the build)"
exit "$FAILED"
