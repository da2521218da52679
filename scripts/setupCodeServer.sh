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

# apt_install LOG PACKAGES...: Debian packages without their recommendations (chromium's would
# add ~90 packages: samba, cups, avahi, perl modules; none needed to run it headless).
apt_install() {
  local log="$1"; shift
  local sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  local apt=($sudo env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -y -q --no-install-recommends)
  # Without `apt-get update` first: when the package lists are current that saves half a minute.
  { "${apt[@]}" install "$@" || { "${apt[@]}" update && "${apt[@]}" install "$@"; }; } >"$log" 2>&1 ||
    fail "$log" "apt-get install $*"
}

# Debian packages, only those missing: a machine that has them never runs apt.
need_tools=()   # what installing code-server needs
command -v rg >/dev/null 2>&1 || need_tools+=(ripgrep)
[ -e /usr/include/gssapi/gssapi.h ] || need_tools+=(libkrb5-dev)
need_browser=() # what running it needs
# (CITELENS_CHROMIUM names another Chromium, as scripts/codeServer.mjs reads it.)
if [ -n "${CITELENS_CHROMIUM:-}" ]; then
  [ -x "$CITELENS_CHROMIUM" ] || { say "CITELENS_CHROMIUM=$CITELENS_CHROMIUM is not an executable file"; exit 1; }
elif [ ! -x /usr/bin/chromium ]; then
  need_browser+=(chromium fonts-liberation)
fi
need_code_server=0
{ [ -x "$BIN" ] && [ -f "$PREFIX/.complete" ]; } || need_code_server=1

if [ ${#need_tools[@]} -gt 0 ]; then
  if [ "$need_code_server" = 1 ]; then
    say "installing Debian packages ${need_tools[*]}, about 20 s… (log: $LOGS/apt-tools.log)"
    apt_install "$LOGS/apt-tools.log" "${need_tools[@]}"
  else
    need_browser+=("${need_tools[@]}")
  fi
fi

install_code_server() {
  # @vscode/ripgrep's postinstall would download rg from GitHub; give it a cached archive of Debian's rg.
  local t; t="$(node -p "require('os').tmpdir()")/vscode-ripgrep-cache-1.15.11"
  mkdir -p "$t"
  tar czf "$t/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$(dirname "$(command -v rg)")" rg
  rm -rf "$PREFIX"
  mkdir -p "$PREFIX"
  # code-server's postinstall refuses to run as root unless npm_config_unsafe_perm is "true". npm 11
  # no longer knows that setting and warns when it sees it in its own environment, so the variable is
  # given only to the scripts, through a script shell that sets it (npm_config_script_shell is a
  # setting npm knows). npm_config_yes: a nested `npx node-gyp` would otherwise stop at a prompt.
  local wrapper="$CACHE/unsafe-perm-sh"
  printf '#!/bin/sh\nnpm_config_unsafe_perm=true exec /bin/sh "$@"\n' >"$wrapper"
  chmod +x "$wrapper"
  npm_config_yes=true npm_config_script_shell="$wrapper" \
    npm install --no-audit --no-fund --loglevel=error --prefix "$PREFIX" "code-server@$VERSION" &&
    [ -x "$BIN" ]
}

cs_pid=""
if [ "$need_code_server" = 1 ]; then
  say "installing code-server $VERSION (VS Code 1.100.3) into $PREFIX, about 3 minutes, once… (log: $LOGS/code-server-install.log)"
  install_code_server >"$LOGS/code-server-install.log" 2>&1 &
  cs_pid=$!
fi
# Chromium meanwhile: apt works the disk while npm downloads and compiles.
if [ ${#need_browser[@]} -gt 0 ]; then
  say "installing Debian packages ${need_browser[*]}$([ -n "$cs_pid" ] && echo ' meanwhile'), about 1 minute… (log: $LOGS/apt.log)"
  apt_install "$LOGS/apt.log" "${need_browser[@]}"
fi
if [ -n "$cs_pid" ]; then
  wait "$cs_pid" || fail "$LOGS/code-server-install.log" "npm install code-server@$VERSION"
  touch "$PREFIX/.complete"
  say "code-server $VERSION installed"
fi
echo "$BIN"
