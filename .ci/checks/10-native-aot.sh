#!/usr/bin/env bash
# A check of .ci/run, after the tests: publishes samples/AotSmoke with Native AOT and runs the native binary.
# Fails (non-zero) when the publish fails, when it reports any trim or AOT warning, or when the smoke app fails.
# About 40 s on an idle 2-core machine from a fresh clone with a warm NuGet cache (95 s when the machine is loaded; the
# ILCompiler package download adds a few seconds on a cold cache; installing clang through .ci/install-packages adds about a minute, once).
set -euo pipefail
cd "$(dirname "$0")/../.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

started=$(date +%s)
echo "== Native AOT: publish samples/AotSmoke and run it"

# The toolchain (clang, zlib1g-dev) is installed by .ci/install-packages from .ci/apt-packages.
rid=linux-x64
case "$(uname -m)" in aarch64|arm64) rid=linux-arm64 ;; esac
out=$(mktemp -d)
log=$(mktemp)
trap 'rm -rf "$out" "$log"' EXIT

status=0
dotnet publish samples/AotSmoke/AotSmoke.csproj -c Release -r "$rid" -o "$out" 2>&1 | tee "$log" || status=$?
if [ "$status" -ne 0 ]; then
  echo "ERROR: Native AOT publish failed (exit $status)"
  exit 1
fi

# Any trim (IL2xxx), AOT (IL3xxx) or ILC warning fails the check; so would any other build warning.
if grep -Eq "warning (IL|AOT)[0-9]+" "$log" || grep -Eq ": warning [A-Z]+[0-9]+" "$log"; then
  echo "ERROR: the Native AOT publish reported warnings:"
  grep -E "warning [A-Z]+[0-9]+" "$log" | sort -u
  exit 1
fi

if [ ! -x "$out/AotSmoke" ]; then
  echo "ERROR: no native AotSmoke binary in $out"
  exit 1
fi

timeout 60 "$out/AotSmoke" || { rc=$?; echo "ERROR: the native AotSmoke app failed (exit $rc)"; exit 1; }
echo "== Native AOT check passed: 0 warnings, native app ran ($(( $(date +%s) - started )) s)"
