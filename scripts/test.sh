#!/usr/bin/env bash
# The project's one test command: installs what the tests need from the registries, runs every
# test tier, and ends with a plain "N passed, N failed[, N skipped]" line.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -f package-lock.json ]; then
  echo "== npm ci (Azurite and the browser driver for the engine, HTTP and browser tests)"
  npm ci --no-audit --no-fund --loglevel=error
fi

results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT

echo "== dotnet test"
set +e
dotnet test QueueFunctions.sln --logger trx --results-directory "$results" "$@"
status=$?
set -e

passed=0; failed=0; skipped=0
shopt -s nullglob
for trx in "$results"/*.trx; do
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)"
  attr() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$counters"; }
  passed=$((passed + $(attr passed)))
  failed=$((failed + $(attr failed) + $(attr error) + $(attr timeout) + $(attr aborted)))
  skipped=$((skipped + $(attr notExecuted)))
done

# A build failure runs no test at all: count it as a failure so it cannot read as green.
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1
fi

if [ "$skipped" -gt 0 ]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
exit "$status"
