#!/usr/bin/env bash
# A check of .ci/run, after the tests: packs the simulator (a .NET tool carries its own dependencies), installs the simulator's .NET tool from
# those packages into a temporary folder, and runs `alipayhk-simulator --help`. Fails when the pack, the install or the
# tool fails, or when the help does not list the server's options.
set -euo pipefail
cd "$(dirname "$0")/../.." # the repository root: this file is in .ci/checks/
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

started=$(date +%s)
echo "== .NET tool: pack AlipayHk.Pay.Simulator, install AlipayHk.Pay.Simulator, run alipayhk-simulator --help"
tools=$(mktemp -d)
log=$(mktemp)
trap 'rm -rf "$tools" "$log"' EXIT

dotnet pack src/AlipayHk.Pay.Simulator/AlipayHk.Pay.Simulator.csproj -c Release -o artifacts/packages 2>&1 | tee "$log" | grep -E "Successfully created package|error|warning" || true
if [ "${PIPESTATUS[0]}" -ne 0 ] || grep -Eq ": (error|warning) " "$log"; then
  echo "ERROR: dotnet pack failed or warned"; grep -E ": (error|warning) " "$log" | sort -u || true
  exit 1
fi
ls artifacts/packages/AlipayHk.Pay.Simulator.*.nupkg >/dev/null || { echo "ERROR: no AlipayHk.Pay.Simulator package in artifacts/packages"; exit 1; }

# The tool package must carry its own short README, not the repository's.
package=$(ls artifacts/packages/AlipayHk.Pay.Simulator.*.nupkg | grep -v snupkg | head -n1)
readme=$(unzip -p "$package" README.md 2>/dev/null || python3 -c "import sys,zipfile; print(zipfile.ZipFile(sys.argv[1]).read('README.md').decode())" "$package")
if [ "${#readme}" -gt 8000 ] || ! grep -q "alipayhk-simulator" <<<"$readme"; then
  echo "ERROR: the tool package's README is not its own short one (${#readme} characters)"; exit 1
fi

# A package folder of its own: an older AlipayHk.Pay.Simulator of the same version in the machine's cache is not reused.
NUGET_PACKAGES="$tools/.packages" dotnet tool install --tool-path "$tools" --add-source artifacts/packages AlipayHk.Pay.Simulator --prerelease
help=$(timeout 60 "$tools/alipayhk-simulator" --help)
for flag in --urls --uid --client-secret --webhook-key --signature-header --auto-pay-after --payment-timeout --callback-time-scale --merchant; do
  grep -q -- "$flag" <<<"$help" || { echo "ERROR: alipayhk-simulator --help does not mention $flag"; exit 1; }
done
echo "== .NET tool check passed: packed, installed, --help ran ($(( $(date +%s) - started )) s)"
