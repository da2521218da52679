#!/usr/bin/env bash
# Installs what the extension-host and UI tests need to run a real VS Code offline:
# Debian's chromium, ripgrep and krb5 headers, and code-server 4.100.3 (VS Code 1.100.3),
# cached under ~/.cache/citelens so that fresh clones and later runs reuse it.
# Follows ../shared/docs/vscode-host-offline.md. Prints the code-server binary path on its last line.
set -euo pipefail
VERSION=4.100.3
CACHE="${CITELENS_CACHE:-$HOME/.cache/citelens}"
PREFIX="$CACHE/code-server-$VERSION"
BIN="$PREFIX/node_modules/.bin/code-server"

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v rg >/dev/null 2>&1 || need_apt+=(ripgrep)
[ -e /usr/include/gssapi/gssapi.h ] || need_apt+=(libkrb5-dev)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setupCodeServer: installing Debian packages: ${need_apt[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq >&2
  $SUDO apt-get install -y -qq "${need_apt[@]}" >&2
fi

if [ ! -x "$BIN" ] || [ ! -f "$PREFIX/.complete" ]; then
  echo "setupCodeServer: installing code-server $VERSION into $PREFIX (about 4 minutes, once)" >&2
  # @vscode/ripgrep's postinstall would download rg from GitHub; give it a cached archive of Debian's rg.
  T="$(node -p "require('os').tmpdir()")/vscode-ripgrep-cache-1.15.11"
  mkdir -p "$T"
  tar czf "$T/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$(dirname "$(command -v rg)")" rg
  mkdir -p "$PREFIX"
  npm_config_yes=true npm_config_unsafe_perm=true npm install --no-audit --no-fund --prefix "$PREFIX" "code-server@$VERSION" >&2
  touch "$PREFIX/.complete"
fi
echo "$BIN"
