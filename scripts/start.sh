#!/usr/bin/env bash
# Runs the product (`npm start`): on a fresh clone, with nothing done first, it installs the
# dependencies, packages the VSIX, installs code-server (VS Code 1.100, cached in ~/.cache/citelens)
# and its Debian prerequisites, installs the VSIX into a fresh profile, and serves a copy of demo/
# at a printed http://127.0.0.1:PORT address until Ctrl-C.
#   PORT=8080 npm start             a fixed port (default: a free one)
#   npm start -- /path/to/folder    open your own folder instead of a copy of demo/
#   CITELENS_PROFILE=dir npm start  keep the profile (settings, installed VSIX) in dir between runs
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"

if [ ! -d node_modules ] || [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "start: npm ci" >&2
  npm ci --no-audit --no-fund >&2
fi

echo "start: npm run package" >&2
npm run --silent package >&2
VERSION="$(node -p "require('./package.json').version")"
VSIX="$ROOT/citelens-$VERSION.vsix"
[ -f "$VSIX" ] || { echo "start: $VSIX was not produced" >&2; exit 1; }

BIN="$(bash scripts/setupCodeServer.sh | tail -n 1)"

TMP="$(mktemp -d "${TMPDIR:-/tmp}/citelens-demo.XXXXXX")"
PROFILE="${CITELENS_PROFILE:-$TMP/profile}"
CS_PID=""
cleanup() {
  if [ -n "$CS_PID" ]; then kill "$CS_PID" 2>/dev/null || true; wait "$CS_PID" 2>/dev/null || true; fi
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ $# -gt 0 ]; then
  FOLDER="$(cd "$1" && pwd)"
else
  FOLDER="$TMP/demo"
  cp -r "$ROOT/demo" "$FOLDER"
fi

# A fresh profile with quiet settings (no welcome page, telemetry, update checks), then the VSIX,
# installed the way a user installs one.
node --input-type=module -e "
  import { makeProfile } from '$ROOT/scripts/codeServer.mjs';
  import { existsSync } from 'node:fs';
  if (!existsSync('$PROFILE/user-data/User/settings.json')) makeProfile('$PROFILE');
"
"$BIN" --config "$PROFILE/code-server.yaml" --user-data-dir "$PROFILE/user-data" --extensions-dir "$PROFILE/extensions" --install-extension "$VSIX" --force >&2

PORT="${PORT:-$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")}"
# Offline: no marketplace lookups (set EXTENSIONS_GALLERY yourself to use one).
if [ -z "${EXTENSIONS_GALLERY:-}" ]; then export EXTENSIONS_GALLERY='{}'; fi
"$BIN" --config "$PROFILE/code-server.yaml" --auth none --bind-addr "127.0.0.1:$PORT" \
  --user-data-dir "$PROFILE/user-data" --extensions-dir "$PROFILE/extensions" \
  --disable-telemetry --disable-update-check --disable-workspace-trust --disable-getting-started-override \
  --ignore-last-opened "$FOLDER" >"$TMP/code-server.log" 2>&1 &
CS_PID=$!

for _ in $(seq 1 240); do
  if node -e "fetch('http://127.0.0.1:$PORT/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))" 2>/dev/null; then break; fi
  if ! kill -0 "$CS_PID" 2>/dev/null; then
    echo "start: code-server exited; its output:" >&2; cat "$TMP/code-server.log" >&2; exit 1
  fi
  sleep 0.25
done

FOLDER_Q="$(node -p "encodeURIComponent(process.argv[1])" "$FOLDER")"
echo
echo "Citelens demo: http://127.0.0.1:$PORT/?folder=$FOLDER_Q"
VSCODE_VERSION="$(node -p "require(process.argv[1]).version" "$(dirname "$BIN")/../code-server/lib/vscode/package.json" 2>/dev/null || echo 1.100)"
echo "  VS Code $VSCODE_VERSION (code-server), citelens $VERSION installed from $(basename "$VSIX"); workspace $FOLDER"
echo "  Open paper.tex, press Ctrl+Alt+C to search and cite, or click the Citelens icon in the activity bar."
echo "  Server log: $TMP/code-server.log. Press Ctrl-C to stop."
wait "$CS_PID"
