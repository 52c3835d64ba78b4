#!/usr/bin/env bash
# A check of ./test.sh (and so of .ci/run), after the tests: publishes samples/AotSmoke with Native AOT and runs the
# native binary. Fails (non-zero) when the publish fails, when it reports any trim or AOT warning, or when the smoke app
# fails. Without the toolchain (clang, zlib1g-dev) it is skipped (exit 77, the reason on a "SKIPPED:" line), or fails
# under CI=true. ALIPAYHK_CLANG points to another clang (or, set to a path that does not exist, hides it).
# About 40 s on an idle 2-core machine from a fresh clone with a warm NuGet cache (95 s when the machine is loaded; the
# ILCompiler package download adds a few seconds on a cold cache; installing clang through ./test.sh adds about a minute, once).
set -euo pipefail
cd "$(dirname "$0")/../.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

started=$(date +%s)
echo "== Native AOT: publish samples/AotSmoke and run it"

# The toolchain (clang, zlib1g-dev): ./test.sh installs it from .ci/apt-packages.
missing=()
clang=${ALIPAYHK_CLANG:-$(command -v clang || true)}
{ [ -n "$clang" ] && [ -x "$clang" ]; } || missing+=("clang${ALIPAYHK_CLANG:+ (ALIPAYHK_CLANG=$ALIPAYHK_CLANG is not an executable file)}")
[ -e /usr/include/zlib.h ] || missing+=("zlib1g-dev (/usr/include/zlib.h)")
if [ "${#missing[@]}" -gt 0 ]; then
  reason="the Native AOT toolchain is missing: ${missing[*]}. ./test.sh installs it on Debian or Ubuntu, or run: sudo apt-get install clang zlib1g-dev"
  case "${CI:-}" in
    true|TRUE|True|1) echo "ERROR: $reason (CI=true: a missing part fails the run instead of skipping)"; exit 1 ;;
    *) echo "SKIPPED: $reason"; exit 77 ;;
  esac
fi
aot_args=()
[ -n "${ALIPAYHK_CLANG:-}" ] && aot_args+=("-p:CppCompilerAndLinker=$ALIPAYHK_CLANG")
rid=linux-x64
case "$(uname -m)" in aarch64|arm64) rid=linux-arm64 ;; esac
out=$(mktemp -d)
log=$(mktemp)
trap 'rm -rf "$out" "$log"' EXIT

status=0
dotnet publish samples/AotSmoke/AotSmoke.csproj -c Release -r "$rid" -o "$out" ${aot_args[@]+"${aot_args[@]}"} 2>&1 | tee "$log" || status=$?
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
