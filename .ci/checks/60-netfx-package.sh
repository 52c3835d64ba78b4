#!/usr/bin/env bash
# A check of ./test.sh (and so of .ci/run): what a .NET Framework merchant gets from NuGet. Packs AlipayHk.Pay into a
# local feed, builds a net48 console app (eng/netfx-package-app, copied outside the repository so that nothing of the
# repository's build applies) against that package by version, not by project reference, so that dependency
# resolution and binding redirects are a merchant's, and runs it under Mono against the simulator tool: options
# validation, a payment created and read back, a signed callback verified and a forged one refused. Fails on any
# build warning or when the app does not end with "NETFX PACKAGE APP OK". Without Mono it is skipped (exit 77, the
# reason on a "SKIPPED:" line), or fails under CI=true. About 60 s after the test build.
set -uo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

started=$(date +%s)
echo "== .NET Framework package: a net48 app on the packed AlipayHk.Pay, under Mono"
. .ci/checks/lib/mono.sh

work=$(mktemp -d)
simulator_pid=
cleanup() {
  [ -n "$simulator_pid" ] && kill "$simulator_pid" 2>/dev/null && wait "$simulator_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# 1. The package, as a release packs it (package validation runs in the pack).
dotnet pack src/AlipayHk.Pay/AlipayHk.Pay.csproj -c Release -o "$work/feed" -v quiet -nologo || { echo "ERROR: dotnet pack failed"; exit 1; }
package=$(ls "$work"/feed/AlipayHk.Pay.*.nupkg | grep -v '\.snupkg$' | head -n1)
version=$(basename "$package" .nupkg); version=${version#AlipayHk.Pay.}
echo "package: $(basename "$package")"

# 2. The merchant's app, outside the repository, restoring into a package folder of its own (the machine's cache is
#    only a fallback for the dependencies): the AlipayHk.Pay it gets is the one just packed.
app=$work/app
mkdir -p "$app"
sed "s/@VERSION@/$version/" eng/netfx-package-app/NetFxPackageApp.csproj.template >"$app/NetFxPackageApp.csproj"
cp eng/netfx-package-app/Program.cs "$app/"
global=$(dotnet nuget locals global-packages -l | sed 's/^global-packages: //')
cat >"$app/nuget.config" <<CONFIG
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="local" value="$work/feed" />
  </packageSources>
  <fallbackPackageFolders>
    <add key="machine" value="$global" />
  </fallbackPackageFolders>
</configuration>
CONFIG
(cd "$app" && NUGET_PACKAGES="$work/packages" dotnet build -c Release -nologo 2>&1) | tee "$work/build.log" | grep -E "warning|error|Build succeeded" | sort -u
if [ "${PIPESTATUS[0]}" -ne 0 ] || grep -Eq ": (warning|error) " "$work/build.log"; then
  echo "ERROR: the net48 app did not build cleanly against the package"; exit 1
fi
[ -d "$work/packages/alipayhk.pay/$version" ] || { echo "ERROR: AlipayHk.Pay $version was not restored from the local feed"; exit 1; }
exe=$app/bin/Release/net48/NetFxPackageApp.exe
grep -q 'bindingRedirect' "$exe.config" 2>/dev/null && echo "binding redirects: $(grep -c 'bindingRedirect' "$exe.config") generated in NetFxPackageApp.exe.config"

# 3. The simulator tool on a free loopback port, and the app against it.
dotnet build src/AlipayHk.Pay.Simulator/AlipayHk.Pay.Simulator.csproj -c Release -v quiet -nologo >/dev/null || { echo "ERROR: the simulator build failed"; exit 1; }
. .ci/checks/lib/simulator.sh
start_simulator "$work/simulator.log"

(cd "$work" && timeout 120 "$mono" "$exe" "$base" >"$work/app.log" 2>&1) # a Mono crash report at exit lands in $work
rc=$?
cat "$work/app.log"
[ "$rc" -eq 0 ] && grep -q "^NETFX PACKAGE APP OK" "$work/app.log" || { echo "ERROR: the net48 app failed under Mono (exit $rc)"; exit 1; }
echo "== .NET Framework package check passed: AlipayHk.Pay $version in a net48 app under Mono ($(( $(date +%s) - started )) s)"
