#!/usr/bin/env bash
# A check of ./test.sh (and so of .ci/run): the core's tests on .NET Framework. tests/AlipayHk.Pay.Tests also targets
# net472 (it tests the core's net462 build); `dotnet test` does not run that build, this check runs its exe under Mono,
# the stand-in for .NET Framework on Linux (docs/netframework.md), with xunit v3's in-process runner.
# It trusts the runner's XML report, not its exit code (Mono 6.8 may abort at exit after a clean run): it fails when
# the report is missing, when any test failed or errored, or when a test the exe lists did not run. It ends with a line
# in dotnet test's format, which ./test.sh adds to its totals. Without Mono it is skipped (exit 77, the reason on a
# "SKIPPED:" line), or fails under CI=true; ALIPAYHK_MONO points to another mono (or, set to a path that does not
# exist, hides it). About 20 s after the test build (the run itself: 5 to 10 s).
set -uo pipefail
cd "$(dirname "$0")/../.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

started=$(date +%s)
echo "== Mono: the core's tests, net472 build, under Mono"
. .ci/checks/lib/mono.sh

project=tests/AlipayHk.Pay.Tests
exe=$project/bin/Release/net472/AlipayHk.Pay.Tests.exe
# Built already by the solution's test build; this is then a quick no-op.
dotnet build "$project/AlipayHk.Pay.Tests.csproj" -c Release -f net472 -v quiet -nologo || { echo "ERROR: the net472 test build failed"; exit 1; }
[ -f "$exe" ] || { echo "ERROR: no $exe after the build"; exit 1; }

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
report=$out/results.xml

# What the exe holds (type.method, one per line), then the run, whose exit code is only printed.
# From a folder of its own, so that a crash report Mono writes at exit (mono_crash.*.json) lands there, not in the clone.
exe=$(pwd)/$exe
(cd "$out" && "$mono" "$exe" -list tests -noColor 2>/dev/null) | grep -E '^AlipayHk\.Pay\.Tests\.' | sort -u >"$out/listed"
(cd "$out" && timeout 600 "$mono" "$exe" -xml "$report" -noColor -noLogo >"$out/run.log" 2>&1)
rc=$?
grep -E '\[FAIL\]|Total:' "$out/run.log" || true
echo "(mono exited $rc; the report decides)"

if [ ! -s "$report" ] || ! grep -q '</assemblies>' "$report"; then
  echo "ERROR: no complete xunit report from the Mono run; its output:"
  tail -n 40 "$out/run.log"
  exit 1
fi

attribute() { grep -o '<assembly [^>]*>' "$report" | grep -o " $1=\"[0-9]*\"" | head -n1 | grep -o '[0-9]*'; }
total=$(attribute total); passed=$(attribute passed); failed=$(attribute failed); skipped=$(attribute skipped)
errors=$(attribute errors); notrun=$(attribute not-run)
grep -o '<test [^>]*>' "$report" | sed -E 's/.* type="([^"]*)" method="([^"]*)".*/\1.\2/' | sort -u >"$out/ran"
missing=$(comm -23 "$out/listed" "$out/ran")
duration=$(( $(date +%s) - started ))

status=0
if [ "${failed:-1}" -ne 0 ] || [ "${errors:-1}" -ne 0 ]; then
  echo "ERROR: $failed failed and $errors errors under Mono:"
  grep -o '<test [^>]*result="Fail"[^>]*>' "$report" | sed -E 's/.* name="([^"]*)".*/  \1/'
  echo "what they reported (message and stack, 30 lines each at most):"
  awk '/<test [^>]*result="Fail"/ { on = 1; n = 0 } on && n < 30 { print "    " $0; n++ } on && /<\/test>/ { on = 0 }' "$report"
  status=1
fi
if [ "$(wc -l <"$out/listed")" -eq 0 ] || [ -n "$missing" ] || [ "${notrun:-1}" -ne 0 ]; then
  echo "ERROR: tests the exe lists did not run under Mono (${notrun:-?} not run):"
  printf '  %s\n' $missing
  status=1
fi
# A floor against a build that quietly dropped most tests: 320 ran when this check was written.
if [ "${total:-0}" -lt 300 ]; then
  echo "ERROR: only ${total:-0} tests ran under Mono; expected at least 300"
  status=1
fi

# The line ./test.sh sums (dotnet test's format).
[ "$status" -eq 0 ] && verdict="Passed!" || verdict="Failed!"
echo "$verdict  - Failed: ${failed:-0}, Passed: ${passed:-0}, Skipped: ${skipped:-0}, Total: ${total:-0}, Duration: ${duration} s - AlipayHk.Pay.Tests.exe (net472, Mono)"
[ "$status" -eq 0 ] && echo "== Mono check passed: $total tests ran under Mono, none failed or missing (${duration} s)"
exit "$status"
