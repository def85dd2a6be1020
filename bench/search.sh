#!/usr/bin/env bash
# bench/search.sh: what the search index costs at scale (issue 17), on the generated corpus.
#
# Usage: bench/search.sh [--lessons 1500] [--work /dev/shm/lectern-search-bench] [--baseline BIN]
#                        [--runs 3]
#
#   1. builds lectern, the corpus generator and examples/search_cost.rs (release), and generates
#      N lessons × 7 steps (examples/gen_corpus.rs);
#   2. builds the site --runs times, printing wall and CPU time (GNU time); with --baseline BIN
#      (a lectern without search, e.g. built from the commit before it) the same for BIN,
#      alternating, so that both see the same machine load;
#   3. prints the index's size: files, bytes, the largest shard;
#   4. times, on one thread, what the index does (reading the words of every page, making the
#      files) with examples/search_cost.rs;
#   5. runs bench/search_transfer.js (Chromium, needs tests/browser's npm packages): the bytes a
#      step page loads when it never searches (against the baseline site, if any) and the bytes
#      of first queries.
# Prints Markdown on stdout; needs /usr/bin/time (Debian `time`) and Debian chromium for step 5.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
N=1500
WORK=/dev/shm/lectern-search-bench
BASELINE=
RUNS=3
while [[ $# -gt 0 ]]; do
  case "$1" in
    --lessons) N="$2"; shift 2 ;;
    --work) WORK="$2"; shift 2 ;;
    --baseline) BASELINE="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    *) sed -n '2,20p' "$0"; exit 2 ;;
  esac
done
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
(cd "$ROOT" && cargo build --locked --release -q --bin lectern --example gen_corpus --example search_cost)
LECTERN="$TARGET/release/lectern"
rm -rf "$WORK" && mkdir -p "$WORK"
"$TARGET/release/examples/gen_corpus" --lessons "$N" --out "$WORK/corpus" >&2
PROJECT="$WORK/corpus/lectern"

echo "### Search at $N lessons: run of $(date -u '+%Y-%m-%d %H:%M UTC') (lectern $(git -C "$ROOT" rev-parse --short HEAD))"
echo
echo "| build | run | wall s | CPU s (user+sys) |"
echo "|---|---:|---:|---:|"
for run in $(seq 1 "$RUNS"); do
  for bin in "$LECTERN" ${BASELINE:+"$BASELINE"}; do
    name=$([ "$bin" = "$LECTERN" ] && echo "with search" || echo "baseline")
    out=$([ "$bin" = "$LECTERN" ] && echo "$WORK/site" || echo "$WORK/base-site")
    /usr/bin/time -f "%e %U %S" -o "$WORK/time" "$bin" build -q --root "$PROJECT" --out "$out"
    read -r wall user sys < "$WORK/time"
    echo "| $name | $run | $wall | $(echo "$user + $sys" | bc) |"
  done
done
echo
SEARCH="$WORK/site/assets/search"
largest=$(ls -S "$SEARCH/t" | head -n 1)
echo "Index: $(find "$SEARCH" -type f | wc -l) files, $(du -sb "$SEARCH" | cut -f1) bytes" \
  "($(find "$SEARCH/t" -type f | wc -l) term shards, $(du -sb "$SEARCH/t" | cut -f1) bytes, largest $largest $(stat -c %s "$SEARCH/t/$largest") bytes;" \
  "$(find "$SEARCH/p" -type f | wc -l) page files, $(du -sb "$SEARCH/p" | cut -f1) bytes)."
echo
echo '```text'
"$TARGET/release/examples/search_cost" "$WORK/site"
echo '```'
echo
LESSON="$(cd "$WORK/site" && ls -d l*/ | sed -n "$((N / 2 + 1))p")"
PAGE="$LESSON$(ls "$WORK/site/$LESSON" | sed -n 4p)"
node "$ROOT/bench/search_transfer.js" "$WORK/site" ${BASELINE:+"$WORK/base-site"} --page "$PAGE"
