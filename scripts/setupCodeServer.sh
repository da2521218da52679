#!/usr/bin/env bash
# Installs what `npm start` and the extension-host and UI tests need to run a real VS Code offline:
# Debian's chromium, ripgrep and krb5 headers, and code-server 4.100.3 (VS Code 1.100.3),
# cached under ~/.cache/citelens so that fresh clones and later runs reuse it.
# Follows ../shared/docs/vscode-host-offline.md. Prints the code-server binary path on its last line
# (stdout); progress goes to stderr, one line per long step. The installers' own output goes to log
# files under the cache and is shown only when a step fails.
set -euo pipefail
VERSION=4.100.3
CACHE="${CITELENS_CACHE:-$HOME/.cache/citelens}"
PREFIX="$CACHE/code-server-$VERSION"
BIN="$PREFIX/node_modules/.bin/code-server"
LOGS="$CACHE/logs"
mkdir -p "$LOGS"

say() { echo "setupCodeServer: $*" >&2; }
# fail LOG WHAT: the step failed; show the end of its log.
fail() {
  say "$2 failed; the last lines of $1:"
  tail -n 40 "$1" >&2
  exit 1
}

# Two starts at once (npm start beside a test run) must not install into the same folder together.
exec 9>"$CACHE/.install.lock"
flock 9

# Debian packages, only those missing: a machine that has them never runs apt.
need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v rg >/dev/null 2>&1 || need_apt+=(ripgrep)
[ -e /usr/include/gssapi/gssapi.h ] || need_apt+=(libkrb5-dev)
if [ ${#need_apt[@]} -gt 0 ]; then
  say "installing Debian packages ${need_apt[*]} with apt-get, about 1 minute… (log: $LOGS/apt.log)"
  export DEBIAN_FRONTEND=noninteractive
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  # Try without `apt-get update` first: when the package lists are current it saves half a minute.
  if ! { $SUDO apt-get install -y -q "${need_apt[@]}" ||
         { $SUDO apt-get update -q && $SUDO apt-get install -y -q "${need_apt[@]}"; }; } >"$LOGS/apt.log" 2>&1; then
    fail "$LOGS/apt.log" "apt-get install ${need_apt[*]}"
  fi
fi

if [ ! -x "$BIN" ] || [ ! -f "$PREFIX/.complete" ]; then
  say "installing code-server $VERSION (VS Code 1.100.3) into $PREFIX, about 2 minutes, once… (log: $LOGS/code-server-install.log)"
  # @vscode/ripgrep's postinstall would download rg from GitHub; give it a cached archive of Debian's rg.
  T="$(node -p "require('os').tmpdir()")/vscode-ripgrep-cache-1.15.11"
  mkdir -p "$T"
  tar czf "$T/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$(dirname "$(command -v rg)")" rg
  rm -rf "$PREFIX"
  mkdir -p "$PREFIX"
  # code-server's postinstall refuses to run as root unless npm_config_unsafe_perm is "true". npm 11
  # no longer knows that setting and warns when it sees it in its own environment, so the variable is
  # given only to the scripts, through a script shell that sets it (npm_config_script_shell is a
  # setting npm knows). npm_config_yes: a nested `npx node-gyp` would otherwise stop at a prompt.
  SHELL_WRAPPER="$CACHE/unsafe-perm-sh"
  printf '#!/bin/sh\nnpm_config_unsafe_perm=true exec /bin/sh "$@"\n' >"$SHELL_WRAPPER"
  chmod +x "$SHELL_WRAPPER"
  if ! npm_config_yes=true npm_config_script_shell="$SHELL_WRAPPER" \
       npm install --no-audit --no-fund --loglevel=error --prefix "$PREFIX" "code-server@$VERSION" >"$LOGS/code-server-install.log" 2>&1; then
    fail "$LOGS/code-server-install.log" "npm install code-server@$VERSION"
  fi
  [ -x "$BIN" ] || fail "$LOGS/code-server-install.log" "npm install code-server@$VERSION (no $BIN afterwards)"
  touch "$PREFIX/.complete"
  say "code-server $VERSION installed"
fi
echo "$BIN"
