#!/usr/bin/env bash
# The one test command (README, "Building and testing"); CI runs it too, through .ci/run.
#  1. Installs the real parts the tests use (.ci/apt-packages: redis-server, Chromium, PostgreSQL, Mono, clang, ...),
#     those that are missing, with apt-get as root or through sudo. Where it cannot (not Debian or Ubuntu, no root or
#     sudo), it says what is missing and how to get it, and goes on: the tests that need a missing part are skipped,
#     each with that reason. Under CI=true a missing part is a failure instead, never a skip.
#  2. Runs every test: dotnet test AlipayHk.Pay.sln -c Release (TRX results in artifacts/test-results/).
#  3. Runs every check of .ci/checks/ (Native AOT, packages, the .NET tool, Mono, .NET Framework apps), each counted as
#     one test, or as its tests when it ends with dotnet test's summary line (the core's tests under Mono); a check
#     exits 77 to be skipped (a missing part, outside CI).
#  4. Lists the skipped tests' reasons, and ends with the line "N passed, N failed". Exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
ci=false
case "${CI:-}" in true|TRUE|True|1) ci=true ;; esac
started=$(date +%s)
results=artifacts/test-results
log=$(mktemp)
trap 'rm -f "$log"' EXIT

finish() { # $1 passed, $2 failed, $3 skipped; the reasons are printed before
  local passed=$1 failed=$2 skipped=$3
  echo "== ./test.sh took $(( $(date +%s) - started )) s"
  echo "$skipped skipped"
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
  exit $?
}

command -v dotnet >/dev/null 2>&1 || {
  echo "ERROR: dotnet is missing: install the .NET 10 SDK (https://dot.net/download)"
  finish 0 1 0
}

# 1. The real parts.
echo "== Real parts: .ci/apt-packages"
if ! bash .ci/install-packages; then
  if [ "$ci" = true ]; then
    echo "ERROR: CI=true, and a real part the tests use is missing: a missing part fails CI, never skips."
    finish 0 1 0
  fi
  echo "== Going on without them: the tests that need them are skipped (listed at the end)."
fi

# 2. Every test.
echo "== dotnet test AlipayHk.Pay.sln -c Release"
rm -rf "$results"
status=0
dotnet test AlipayHk.Pay.sln -c Release --logger trx --results-directory "$results" 2>&1 | tee "$log" || status=$?

# Each test assembly ends with one line: "Passed!  - Failed: 0, Passed: 12, Skipped: 0, Total: 12, Duration: ..."
# (or "Failed!" or "Skipped!"); the counts are summed from those lines only.
sum() { grep -E -- '- Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+, Total: +[0-9]+' "$log" | grep -Eo "$1: +[0-9]+" | awk '{s+=$2} END {print s+0}'; }
passed=$(sum Passed)
failed=$(sum Failed)
skipped=$(sum Skipped)
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  echo "ERROR: dotnet test failed (exit $status) with no failed test counted: the build or a test host failed."
  failed=1 # count it: never report green
fi

# The skipped tests' reasons, from the TRX files: one line per distinct reason, with how many tests it skipped.
reasons=$(mktemp)
trap 'rm -f "$log" "$reasons"' EXIT
if [ "$skipped" -gt 0 ]; then
  find "$results" -name '*.trx' -print0 2>/dev/null | xargs -0 -r awk '
    /<UnitTestResult / { skipping = ($0 ~ /outcome="NotExecuted"/) }
    skipping && /<Message>/ {
      line = $0; sub(/.*<Message>/, "", line); sub(/<\/Message>.*/, "", line)
      gsub(/&quot;/, "\"", line); gsub(/&apos;/, "\047", line); gsub(/&lt;/, "<", line); gsub(/&gt;/, ">", line); gsub(/&amp;/, "\\&", line)
      print "test: " line; skipping = 0
    }' >>"$reasons"
fi

# 3. The checks beyond the test suite, each counted as one test.
for check in .ci/checks/*.sh; do
  [ -e "$check" ] || continue
  echo "== check: $check"
  bash "$check" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  # A check that runs tests of its own (40-mono.sh) ends with dotnet test's line: its tests are counted, not the check.
  if [ "$(sum Total)" -gt 0 ]; then
    passed=$((passed + $(sum Passed)))
    skipped=$((skipped + $(sum Skipped)))
    check_failed=$(sum Failed)
    [ "$rc" -ne 0 ] && [ "$check_failed" -eq 0 ] && check_failed=1 # failed with no test counted (a missing report)
    failed=$((failed + check_failed))
    [ "$rc" -ne 0 ] && echo "check failed: $check (exit $rc)"
  elif [ "$rc" -eq 0 ]; then
    passed=$((passed + 1))
  elif [ "$rc" -eq 77 ] && [ "$ci" = false ]; then
    skipped=$((skipped + 1))
    echo "check $check: $(grep -E '^SKIPPED: ' "$log" | tail -n1 | sed 's/^SKIPPED: //')" >>"$reasons"
  else
    echo "check failed: $check (exit $rc)"
    failed=$((failed + 1))
  fi
done

# 4. The summary.
if [ -s "$reasons" ]; then
  echo "== Skipped, by reason (install what they need, e.g. with ./test.sh as root or with sudo, to run them):"
  sort "$reasons" | uniq -c | sed 's/^ *\([0-9]*\) /  \1 × /'
fi
[ "$passed" -gt 0 ] || echo "ERROR: no test ran"
finish "$passed" "$failed" "$skipped"
