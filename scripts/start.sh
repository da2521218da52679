#!/usr/bin/env bash
# Runs the product (`npm start`): on a fresh clone, with nothing done first, it installs the
# dependencies, installs code-server (VS Code 1.100, cached in ~/.cache/citelens) and its Debian
# prerequisites, packages the VSIX, installs it into a profile kept between runs, and serves the
# demo workspace at a printed http://127.0.0.1:PORT address until Ctrl-C.
#   PORT=8080 npm start             a fixed port (default: a free one)
#   npm start -- /path/to/folder    open your own folder instead of the demo workspace
#   CITELENS_PROFILE=dir npm start  keep the profile (settings, installed VSIX) in dir (default ~/.cache/citelens/demo-profile)
# The demo workspace is demo-workspace/ in the clone (ignored by git): a copy of demo/ made on the
# first start and kept, so edits survive a restart. Delete it to start again from demo/.
# Each long step prints one line; the tools' own output goes to logs under ~/.cache/citelens/logs,
# shown only when a step fails.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
CACHE="${CITELENS_CACHE:-$HOME/.cache/citelens}"
LOGS="$CACHE/logs"
mkdir -p "$LOGS"

say() { echo "start: $*" >&2; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.0f s", b - a }'; }
# step LOG WHAT COMMAND...: runs COMMAND with its output in LOG; on failure shows the log's end.
step() {
  local log="$1" what="$2"; shift 2
  if ! "$@" >"$log" 2>&1; then
    say "$what failed; the last lines of $log:"
    tail -n 40 "$log" >&2
    exit 1
  fi
}
T0="$(now)"

# The port first: a taken port should not cost a build before it is reported.
if [ -n "${PORT:-}" ]; then
  if ! [[ "$PORT" =~ ^[0-9]+$ ]] || [ "$PORT" -lt 1 ] || [ "$PORT" -gt 65535 ]; then
    say "PORT=$PORT is not a port number (1-65535)"; exit 2
  fi
  if ! node -e "const s=require('net').createServer();s.on('error',()=>process.exit(1));s.listen(+process.argv[1],'127.0.0.1',()=>s.close())" "$PORT"; then
    say "port $PORT is already in use on 127.0.0.1; choose another (PORT=$((PORT + 1)) npm start) or leave PORT unset for a free one"
    exit 2
  fi
fi

# Whatever this started ends with it (a failed step, Ctrl-C).
CI_PID=""
CS_PID=""
cleanup() {
  for pid in $CI_PID $CS_PID; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# npm ci and the VS Code set-up (apt, code-server) meanwhile: one waits on the network, the other
# on the disk.
if [ ! -d node_modules ] || [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm dependencies (npm ci), under a minute… (log: $LOGS/npm-ci.log)"
  npm ci --no-audit --no-fund >"$LOGS/npm-ci.log" 2>&1 &
  CI_PID=$!
fi
BIN="$(bash scripts/setupCodeServer.sh | tail -n 1)"
if [ -n "$CI_PID" ]; then
  if ! wait "$CI_PID"; then
    CI_PID=""
    say "npm ci failed; the last lines of $LOGS/npm-ci.log:"; tail -n 40 "$LOGS/npm-ci.log" >&2; exit 1
  fi
  CI_PID=""
fi

# The VSIX: rebuilt only when something it is made of changed since the last one. Unlike
# `npm run package` (the release build), no type check (half a minute on 2 busy cores): esbuild
# bundles the TypeScript as it is, and `npm test` is where types are checked.
VERSION="$(node -p "require('./package.json').version")"
VSIX="$ROOT/citelens-$VERSION.vsix"
if [ -f "$VSIX" ] && [ -z "$(find src corpus media package.json package.nls.json package-lock.json esbuild.mjs .vscodeignore README.md CHANGELOG.md LICENSE -newer "$VSIX" -print -quit 2>/dev/null)" ]; then
  say "$(basename "$VSIX") is up to date"
else
  say "packaging the extension ($(basename "$VSIX")), about 15 s… (log: $LOGS/package.log)"
  step "$LOGS/package.log" "packaging" bash -c 'node esbuild.mjs --production && npx --no-install vsce package --no-dependencies --out "$1"' _ "$VSIX"
fi

PROFILE="${CITELENS_PROFILE:-$CACHE/demo-profile}"
if [ $# -gt 0 ]; then
  FOLDER="$(cd "$1" && pwd)"
  FOLDER_NOTE="your own folder"
else
  FOLDER="$ROOT/demo-workspace"
  if [ -d "$FOLDER" ]; then
    FOLDER_NOTE="kept from an earlier start with your edits; delete it to start again from demo/"
  else
    cp -r "$ROOT/demo" "$FOLDER"
    FOLDER_NOTE="a copy of demo/, ignored by git and kept between starts"
  fi
fi

# The profile keeps quiet settings (no welcome page, telemetry, update checks) and the user's
# own changes between starts; the VSIX is installed the way a user installs one.
node --input-type=module -e "
  import { makeProfile } from '$ROOT/scripts/codeServer.mjs';
  import { existsSync } from 'node:fs';
  if (!existsSync('$PROFILE/user-data/User/settings.json')) makeProfile('$PROFILE');
"
# Installed again only when this VSIX differs from the one installed last time.
SUM="$(sha256sum "$VSIX" | cut -d' ' -f1)"
if [ "$(cat "$PROFILE/installed-vsix.sha256" 2>/dev/null)" != "$SUM" ] || ! ls -d "$PROFILE/extensions/citelens.citelens-"* >/dev/null 2>&1; then
  say "installing $(basename "$VSIX") into code-server…"
  step "$LOGS/install-extension.log" "code-server --install-extension" \
    "$BIN" --config "$PROFILE/code-server.yaml" --user-data-dir "$PROFILE/user-data" --extensions-dir "$PROFILE/extensions" --install-extension "$VSIX" --force
  echo "$SUM" >"$PROFILE/installed-vsix.sha256"
fi

PORT="${PORT:-$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")}"
SERVER_LOG="$LOGS/code-server.log"

# Offline: no marketplace lookups (set EXTENSIONS_GALLERY yourself to use one).
if [ -z "${EXTENSIONS_GALLERY:-}" ]; then export EXTENSIONS_GALLERY='{}'; fi
"$BIN" --config "$PROFILE/code-server.yaml" --auth none --bind-addr "127.0.0.1:$PORT" \
  --user-data-dir "$PROFILE/user-data" --extensions-dir "$PROFILE/extensions" \
  --disable-telemetry --disable-update-check --disable-workspace-trust --disable-getting-started-override \
  --ignore-last-opened "$FOLDER" >"$SERVER_LOG" 2>&1 &
CS_PID=$!

up=0
for _ in $(seq 1 240); do
  if node -e "fetch('http://127.0.0.1:$PORT/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))" 2>/dev/null; then up=1; break; fi
  if ! kill -0 "$CS_PID" 2>/dev/null; then
    say "code-server exited; its output ($SERVER_LOG):"; tail -n 40 "$SERVER_LOG" >&2
    if grep -q EADDRINUSE "$SERVER_LOG"; then say "port $PORT is in use; choose another with PORT=… npm start"; fi
    exit 1
  fi
  sleep 0.25
done
if [ "$up" = 0 ]; then say "code-server did not answer on port $PORT within 60 s; see $SERVER_LOG"; exit 1; fi

FOLDER_Q="$(node -p "encodeURIComponent(process.argv[1])" "$FOLDER")"
VSCODE_VERSION="$(node -p "require(process.argv[1]).version" "$(dirname "$BIN")/../code-server/lib/vscode/package.json" 2>/dev/null || echo 1.100)"
echo
echo "Citelens demo: http://127.0.0.1:$PORT/?folder=$FOLDER_Q"
echo "  VS Code $VSCODE_VERSION (code-server), citelens $VERSION installed from $(basename "$VSIX"); ready in $(since "$T0")"
echo "  Workspace: $FOLDER: $FOLDER_NOTE"
echo "  Open paper.tex, press Ctrl+Alt+C to search and cite, or click the Citelens icon in the activity bar."
echo "  Server log: $SERVER_LOG. Press Ctrl-C to stop."
wait "$CS_PID"
