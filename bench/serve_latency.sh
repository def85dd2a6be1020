#!/usr/bin/env bash
# Edit-to-reload latency of `lectern serve` (a benchmark, not a test): from writing a step file
# to the reload event reaching a connected client, p50/p95 over 50 edits, on the seed site
# (content/ of this repository) and on a generated site of 1,000 lessons × 7 steps.
# Results and the machine they were measured on: bench/SERVE_RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
edits="${EDITS:-50}"
cargo build --release --locked --bins --examples
bin=target/release/examples/serve_latency
if [ -n "${CARGO_TARGET_DIR:-}" ]; then bin="$CARGO_TARGET_DIR/release/examples/serve_latency"; fi
echo "== seed site (content/)"
"$bin" --seed content --edits "$edits"
echo "== generated site: 1,000 lessons x 7 steps"
"$bin" --generate 1000 --edits "$edits"
