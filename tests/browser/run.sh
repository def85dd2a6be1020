#!/usr/bin/env bash
# lectern's browser suite: proof of the built pages in real tools. `.ci/run` calls it after
# `cargo test`; run it by hand with `bash tests/browser/run.sh` (as root, or with sudo, when it has
# something to install).
#
# It installs what is missing (nothing is downloaded from anywhere but Debian's, npm's and PyPI's
# registries, and no tool downloads a browser of its own):
#   - Debian `chromium` (/usr/bin/chromium), Java (`openjdk-17-jre-headless`), Node.js and npm;
#   - the npm packages pinned in tests/browser/package-lock.json (`npm ci`): vnu-jar, axe-core,
#     playwright-core (PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1, install scripts off);
#   - numpy (pinned in tests/browser/requirements.txt) into a venv at TARGET/browser-venv.
# Then it builds, with the release binary, into a temporary folder:
#   - the seed site as committed (content/, templates/),
#   - the seed site with `base_url: /lessons/`, to be served under /lessons/,
#   - the fixture tests/browser/fixture (base_url /fixture/), which always has a choice quiz, a
#     numeric quiz and a product whose operands share its page,
#   - the fixture tests/fixtures/attention, which uses every operation of the expression language
#     (slices, stacks, the causal mask, broadcasting, activations, reductions, layer norm),
# and runs these stages, each printing one PASS or FAIL line per check:
#   vnu      W3C Nu HTML checker, every page of both sites: zero errors       (vnu.js)
#   axe      axe-core in headless Chromium, every page, light and dark: no serious or critical
#            violation of wcag2a, wcag2aa, best-practice; others printed as "info" (axe.js)
#   browser  pages served from 127.0.0.1 under /lessons/ and /fixture/: quizzes give feedback on
#            click; focusing a computed cell shows its derivation and lights its operands; without
#            JavaScript every value, derivation and quiz answer is there; 404.html; dark mode;
#            no sideways scroll at 375 and 360 px; no request leaves 127.0.0.1; screenshots
#            (browser.js)
#   weight   every step page's HTML + CSS + JS, minus the matrix figures, ≤ 60 KB; all its
#            JavaScript (try.js included where "Try it" can load it) ≤ 12 KB gzipped (weight.js)
#   try      every page's expression graph, evaluated by assets/try.js in Node, gives every
#            computed cell, inline value, quiz answer and product derivation as the build wrote
#            it (text equal, value within 1e-12 relative) (try_check.js)
#   tryit    "Try it" in Chromium: X and W_Q become labelled inputs, a typed X entry recomputes
#            Q as NumPy does, the fragment survives a reload, Reset and off give the build's
#            page, axe-clean light and dark, file://, every page of the attention fixture
#            (tryit.js)
#   vnu-tryit the Nu checker on that page's DOM with "Try it" on, and off again
#   numpy    every NumPy "Reproduce" snippet of the seed site and of the attention fixture, run,
#            equals the table's data-value within 1e-12 relative (numpy_check.py)
# Screenshots (the CI artifact) go to TARGET/screenshots/*.png. TARGET is $CARGO_TARGET_DIR, else
# ./target. The last line is "N passed, M failed"; the exit code is non-zero if any check failed.
#
# Environment: CHROMIUM (default /usr/bin/chromium), STAGE_TIMEOUT (seconds per stage, default 600).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
HERE="$ROOT/tests/browser"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
SHOTS="$TARGET/screenshots"
VENV="$TARGET/browser-venv"
export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
export PLAYWRIGHT_BROWSERS_PATH=0
export DEBIAN_FRONTEND=noninteractive
trap 'echo "browser suite: setup failed at line $LINENO" >&2' ERR

# --- install what is missing ---------------------------------------------------------------------

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo -E "$@"
  else echo "browser suite: need root to run: $*" >&2; return 1
  fi
}
APT_UPDATED=
apt_install() {
  echo "installing from Debian: $*"
  if [ -z "$APT_UPDATED" ]; then as_root apt-get update -qq; APT_UPDATED=1; fi
  as_root apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

echo "== browser suite: tools"
if [ ! -x "$CHROMIUM" ]; then apt_install chromium; CHROMIUM=/usr/bin/chromium; fi
java -version >/dev/null 2>&1 || apt_install openjdk-17-jre-headless || apt_install default-jre-headless
{ command -v node && command -v npm; } >/dev/null || apt_install nodejs npm
"$CHROMIUM" --version 2>/dev/null
java -version 2>&1 | head -n 1
echo "node $(node --version), npm $(npm --version)"

echo "== browser suite: npm ci (vnu-jar, axe-core, playwright-core)"
(cd "$HERE" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)

echo "== browser suite: numpy in $VENV"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV" || { rm -rf "$VENV"; apt_install python3-venv; python3 -m venv "$VENV"; }
fi
"$VENV/bin/pip" install -q --disable-pip-version-check -r "$HERE/requirements.txt"
"$VENV/bin/python" -c 'import numpy; print("numpy", numpy.__version__)'

# --- build the sites -----------------------------------------------------------------------------

echo "== browser suite: build"
(cd "$ROOT" && cargo build --locked --release -q)
LECTERN="$TARGET/release/lectern"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/lectern-browser.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
"$LECTERN" build --root "$ROOT" --out "$WORK/site"
# The same content, for hosting under /lessons/ (only 404.html and canonical links use base_url).
mkdir "$WORK/lessons-project"
cp -R "$ROOT/content" "$WORK/lessons-project/content"
if [ -d "$ROOT/templates" ]; then cp -R "$ROOT/templates" "$WORK/lessons-project/templates"; fi
sed -i '/^base_url:/d' "$WORK/lessons-project/content/site.yaml"
printf '\nbase_url: /lessons/\n' >> "$WORK/lessons-project/content/site.yaml"
"$LECTERN" build -q --root "$WORK/lessons-project" --out "$WORK/lessons"
"$LECTERN" build -q --root "$HERE/fixture" --out "$WORK/fixture"
"$LECTERN" build -q --root "$ROOT/tests/fixtures/attention" --out "$WORK/attention"
mkdir -p "$SHOTS"
rm -f "$SHOTS"/*.png

# --- run the checks ------------------------------------------------------------------------------

trap - ERR
PASSED=0
FAILED=0
# stage NAME COMMAND...: runs COMMAND (bounded by STAGE_TIMEOUT), shows its output and counts its
# PASS and FAIL lines. A stage that exits non-zero without a FAIL line, or that checks nothing,
# counts as one failure.
stage() {
  local name=$1 rc=0 p f
  shift
  echo "== $name"
  (cd "$HERE" && timeout --kill-after=10 "${STAGE_TIMEOUT:-600}" "$@") > "$WORK/$name.log" 2>&1 || rc=$?
  cat "$WORK/$name.log"
  p=$(grep -c '^PASS ' "$WORK/$name.log" || true)
  f=$(grep -c '^FAIL ' "$WORK/$name.log" || true)
  if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
    echo "FAIL $name exited with status $rc$([ "$rc" = 124 ] && echo ' (timed out)')" | tee -a "$WORK/$name.log"
    f=1
  elif [ "$p" = 0 ] && [ "$f" = 0 ]; then
    echo "FAIL $name ran no check" | tee -a "$WORK/$name.log"
    f=1
  fi
  PASSED=$((PASSED + p))
  FAILED=$((FAILED + f))
}

stage vnu node vnu.js "$WORK/site" "$WORK/fixture"
# Each site at its own base_url, so that 404.html (which links from the base path) is styled.
stage axe node axe.js "/=$WORK/site" "/fixture/=$WORK/fixture"
stage browser node browser.js --seed "/lessons/=$WORK/lessons" --fixture "/fixture/=$WORK/fixture" --screenshots "$SHOTS"
stage weight node weight.js "$WORK/site"
stage try node try_check.js "$WORK/site" "$WORK/attention"
stage tryit node tryit.js "/lessons/=$WORK/lessons" "$WORK/attention" "$VENV/bin/python" "$WORK/tryit-dom"
stage vnu-tryit node vnu.js "$WORK/tryit-dom"
stage numpy "$VENV/bin/python" numpy_check.py "$WORK/site"
stage numpy-attention "$VENV/bin/python" numpy_check.py "$WORK/attention"

echo "== browser suite: summary"
if [ "$FAILED" != 0 ]; then
  echo "failed checks:"
  cat "$WORK"/*.log | grep '^FAIL ' | sed 's/^/  /'
fi
echo "screenshots: $SHOTS"
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
