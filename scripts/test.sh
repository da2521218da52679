#!/usr/bin/env bash
# The one test command (`npm test`, also .ci/run). On a fresh clone it does all set-up itself:
#   1. npm ci when node_modules is missing or older than package-lock.json
#   2. build (node esbuild.mjs --tests), typecheck (tsc --noEmit) and lint (eslint, layers included)
#   3. unit tier: mocha in plain Node over out/test/unit/**/*.test.js
#   4. server tier: the language server driven over stdio as an editor would (out/test/server)
#   5. neovim tier: a headless Neovim attaches the server to a .tex file (Debian's neovim package,
#      installed here with apt-get when missing; its output goes to a log shown only on failure)
#   6. extension-host tier: scripts/runHostTests.mjs (code-server + Chromium, offline; it installs
#      code-server into ~/.cache/citelens once) or, with CITELENS_HOST=electron, @vscode/test-electron
#   7. restricted tier: scripts/runHostTests.mjs again with CITELENS_HOST_TRUST=restricted: workspace
#      trust enabled and the fixture folder untrusted (Restricted Mode); runs test/host/restrictedMode.test.ts only
#   8. UI tier: scripts/runUiTests.mjs (packages the VSIX, installs it into code-server, drives Chromium)
# Prints each tier's counts and time; the LAST line is the total over all tiers, exactly
# `N passed, M failed, K skipped`. Exits non-zero when anything failed or a tier ran zero tests.
# CITELENS_TIERS="unit server neovim host restricted ui" selects tiers for a quicker local loop (a skipped tier is reported).
set -uo pipefail
cd "$(dirname "$0")/.."

TIERS=" ${CITELENS_TIERS:-unit server neovim host restricted ui} "
LOGDIR="$(mktemp -d "${TMPDIR:-/tmp}/citelens-test.XXXXXX")"
trap 'rm -rf "$LOGDIR"' EXIT
total_passed=0
total_failed=0
total_skipped=0
zero_tier=0
summary=()
t_all=$(date +%s)

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f s", b - a }'; }
finish() {
  echo
  echo "== summary =="
  printf '%s\n' "${summary[@]}"
  echo "total time: $(( $(date +%s) - t_all )) s"
  echo "$total_passed passed, $total_failed failed, $total_skipped skipped"
  if [ "$total_failed" -gt 0 ] || [ "$zero_tier" -gt 0 ]; then exit 1; fi
  exit 0
}
# run_tier NAME COMMAND...: runs a tier, shows its output, adds the counts of its last
# `NAME: N passed, M failed, K skipped` line to the total.
run_tier() {
  local name="$1"; shift
  echo
  echo "== $name tests =="
  local t; t=$(now)
  "$@" 2>&1 | tee "$LOGDIR/$name.log"
  local rc=${PIPESTATUS[0]}
  local line; line=$(grep -E "^$name: [0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?\$" "$LOGDIR/$name.log" | tail -n 1)
  local p=0 f=0 k=0
  if [ -n "$line" ]; then
    p=$(sed -E 's/^[a-z]+: ([0-9]+) passed, ([0-9]+) failed.*$/\1/' <<<"$line")
    f=$(sed -E 's/^[a-z]+: ([0-9]+) passed, ([0-9]+) failed.*$/\2/' <<<"$line")
    if [[ "$line" == *skipped ]]; then k=$(sed -E 's/^.*, ([0-9]+) skipped$/\1/' <<<"$line"); fi
  fi
  if [ -n "$line" ] && [ $((p + f)) -eq 0 ]; then
    zero_tier=1
    echo "$name tier ran zero tests" >&2
  fi
  if [ -z "$line" ] || { [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; }; then
    f=$((f + 1)) # crashed or reported no counts: count the tier itself as one failure
    echo "$name tier: exit code $rc$([ -z "$line" ] && echo ', no counts reported')" >&2
  fi
  total_passed=$((total_passed + p))
  total_failed=$((total_failed + f))
  total_skipped=$((total_skipped + k))
  summary+=("$name: $p passed, $f failed, $k skipped ($(since "$t"))")
}

# 1. dependencies
if [ ! -d node_modules ] || [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "== npm ci =="
  t=$(now)
  if ! npm ci --no-audit --no-fund; then
    summary+=("npm ci: FAILED"); total_failed=$((total_failed + 1)); finish
  fi
  summary+=("npm ci: ok ($(since "$t"))")
fi

# 2. build and typecheck
echo "== build =="
t=$(now)
if ! node esbuild.mjs --tests; then
  summary+=("build: FAILED ($(since "$t"))"); total_failed=$((total_failed + 1)); finish
fi
summary+=("build: ok ($(since "$t"))")
echo "== typecheck =="
t=$(now)
if npx --no-install tsc --noEmit -p .; then
  summary+=("typecheck: ok ($(since "$t"))")
else
  summary+=("typecheck: FAILED ($(since "$t"))"); total_failed=$((total_failed + 1))
fi

echo "== lint =="
t=$(now)
if npx --no-install eslint --max-warnings 0 src test bench scripts; then
  summary+=("lint: ok ($(since "$t"))")
else
  summary+=("lint: FAILED ($(since "$t"))"); total_failed=$((total_failed + 1))
fi

# Neovim for the neovim tier (Debian's package); the apt output is kept in a log, shown on failure
ensure_neovim() {
  command -v nvim >/dev/null 2>&1 && return 0
  command -v apt-get >/dev/null 2>&1 || { echo "neovim tier: nvim is missing and there is no apt-get here"; return 0; }
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo -n"
  echo "neovim tier: installing Debian's neovim package (about 20 s)…"
  if ! { $sudo apt-get install -y -q neovim || { $sudo apt-get update -q && $sudo apt-get install -y -q neovim; }; } >"$LOGDIR/apt-neovim.log" 2>&1; then
    echo "neovim tier: installing neovim failed:"; tail -n 30 "$LOGDIR/apt-neovim.log"
  fi
}

# 3-8. tiers
for tier in unit server neovim host restricted ui; do
  if [[ "$TIERS" != *" $tier "* ]]; then summary+=("$tier: skipped (CITELENS_TIERS)"); continue; fi
  case "$tier" in
    unit) run_tier unit npx --no-install mocha --reporter ./test/countingReporter.cjs --reporter-option label=unit 'out/test/unit/**/*.test.js' ;;
    server) run_tier server npx --no-install mocha --timeout 60000 --reporter ./test/countingReporter.cjs --reporter-option label=server 'out/test/server/**/*.test.js' ;;
    neovim) ensure_neovim; run_tier neovim npx --no-install mocha --timeout 90000 --reporter ./test/countingReporter.cjs --reporter-option label=neovim 'out/test/neovim/**/*.test.js' ;;
    host) run_tier host node scripts/runHostTests.mjs ;;
    restricted) run_tier restricted env CITELENS_HOST_TRUST=restricted node scripts/runHostTests.mjs ;;
    ui) run_tier ui node scripts/runUiTests.mjs ;;
  esac
done
finish
