#!/usr/bin/env bash
# A check of .ci/run: packs the five packages as a release build would (CI=true: ContinuousIntegrationBuild) into
# artifacts/packages, then opens the .nupkg and .snupkg files and checks what a NuGet consumer sees
# (eng/check-packages.cs): id, version from the git tags, README, icon, license, project and repository URL,
# release notes, dependencies per framework, XML docs, and symbols with SourceLink and no build machine paths.
# Package validation (EnablePackageValidation) runs as part of the pack. About 40 s after the test build.
set -euo pipefail
cd "$(dirname "$0")/../.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 CI=true

started=$(date +%s)
out=artifacts/packages
rm -rf "$out"
for name in AlipayHk.Pay AlipayHk.Pay.AspNetCore AlipayHk.Pay.Testing AlipayHk.Pay.StackExchangeRedis AlipayHk.Pay.EntityFrameworkCore; do
  dotnet pack "src/$name/$name.csproj" -c Release -o "$out" -v quiet -nologo
done

version=$(dotnet msbuild src/AlipayHk.Pay/AlipayHk.Pay.csproj -t:MinVer -getProperty:MinVerVersion -p:Configuration=Release -p:TargetFramework=net10.0)
if tag=$(git describe --tags --exact-match --match 'v[0-9]*' 2>/dev/null); then
  [ "$version" = "${tag#v}" ] || { echo "ERROR: HEAD is tagged $tag but the version is $version"; exit 1; }
else
  case "$version" in *-*) ;; *) echo "ERROR: HEAD has no version tag, so the version must be a prerelease; it is $version"; exit 1 ;; esac
fi

root=$(dotnet msbuild src/AlipayHk.Pay/AlipayHk.Pay.csproj -getProperty:RepositoryRootUrl)
dotnet run eng/check-packages.cs -- "$out" "$version" "$(git rev-parse HEAD)" "$root" Directory.Packages.props
echo "== package check passed ($(( $(date +%s) - started )) s)"
