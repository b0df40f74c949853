#!/usr/bin/env bash
# Runs every test project (unit, integration, network namespaces) on an already built tree and
# prints one closing line "N passed, N failed". Exits non-zero on any failure or if nothing ran.
set -uo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" -ne 0 ]; then
  echo "the network-namespace tier (tests/Raven.Network.Tests) needs root; run as root" >&2
  exit 1
fi

passed=0; failed=0; status=0
for project in tests/*/*.Tests.csproj; do
  log=$(mktemp)
  echo "== $project"
  timeout 1800 dotnet test "$project" -c Release --no-build --nologo 2>&1 | tee "$log" | grep -E "^\s+Failed |Passed!|Failed!|error" || true
  rc=${PIPESTATUS[0]}
  line=$(grep -E "(Passed|Failed)! +- Failed: +[0-9]+, Passed: +[0-9]+" "$log" | tail -n 1)
  f=0
  if [ -n "$line" ]; then
    f=$(sed -E 's/.*Failed: +([0-9]+),.*/\1/' <<<"$line"); p=$(sed -E 's/.*Passed: +([0-9]+),.*/\1/' <<<"$line")
    passed=$((passed + p)); failed=$((failed + f))
  elif [ "$rc" -ne 0 ]; then
    tail -n 40 "$log"
  fi
  if [ "$rc" -ne 0 ] || [ "$f" -gt 0 ]; then
    status=1
    # The failing tests' messages, which the summary lines above leave out (the full log is deleted below).
    grep -A 15 -E "^\s+Error Message:" "$log" | grep -v "WARN  informer" | head -n 120 || true
  fi
  [ "$rc" -eq 0 ] || status=1
  rm -f "$log"
done

echo "${passed} passed, ${failed} failed"
[ "$passed" -gt 0 ] || status=1
exit "$status"
