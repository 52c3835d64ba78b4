#!/usr/bin/env bash
# A check of ./test.sh (and so of .ci/run): samples/FrameworkPos, a .NET Framework 4.8 point of sale without dependency
# injection (AlipayHkPay.Create), takes a whole payment under Mono against the simulator tool (alipayhk-simulator, the
# built src/AlipayHk.Pay.Simulator) on a free loopback port: it creates the payment and shows the QR code's URL, this
# script pays it through the simulator's control API as the shopper would, and the sample waits and prints the receipt.
# Fails unless the sample exits 0 with a PAID receipt for that order and amount. Without Mono it is skipped (exit 77,
# the reason on a "SKIPPED:" line), or fails under CI=true. About 30 s after the test build.
set -uo pipefail
cd "$(dirname "$0")/../.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

started=$(date +%s)
echo "== FrameworkPos: a net48 point of sale under Mono, against alipayhk-simulator"
. .ci/checks/lib/mono.sh
command -v curl >/dev/null 2>&1 || { echo "ERROR: curl is missing (.ci/apt-packages lists it)"; exit 1; }

# Both are built by the solution's test build already; these are then quick.
dotnet build src/AlipayHk.Pay.Simulator/AlipayHk.Pay.Simulator.csproj -c Release -v quiet -nologo || { echo "ERROR: the simulator build failed"; exit 1; }
dotnet build samples/FrameworkPos/FrameworkPos.csproj -c Release -v quiet -nologo || { echo "ERROR: the FrameworkPos build failed"; exit 1; }

work=$(mktemp -d)
simulator_pid=
pos_pid=
cleanup() {
  [ -n "$pos_pid" ] && kill "$pos_pid" 2>/dev/null
  [ -n "$simulator_pid" ] && kill "$simulator_pid" 2>/dev/null && wait "$simulator_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# The simulator on a port the system picks; its banner prints the address and the settings to use.
. .ci/checks/lib/simulator.sh
start_simulator "$work/simulator.log"
echo "simulator: $base"

# The sample, as a counter runs it, with the simulator's merchant settings. The notify URL is a closed loopback
# port: this sample does not receive callbacks (docs/netframework.md's ASP.NET recipe does), and the simulator's first callback
# attempt then fails at once.
AlipayHkPay__BaseAddress=$base AlipayHkPay__Uid=10000001 AlipayHkPay__ClientSecret=simulator-client-secret \
  POS_NOTIFY_URL=http://127.0.0.1:9/notify \
  bash -c 'cd "$1" && shift && exec "$@"' _ "$work" timeout 150 "$mono" "$(pwd)/samples/FrameworkPos/bin/Release/net48/FrameworkPos.exe" 12.50 >"$work/pos.log" 2>&1 &
pos_pid=$!

order=
for _ in $(seq 1 120); do
  order=$(grep -oE '^Order: POS-[0-9A-Za-z-]+' "$work/pos.log" | head -n1 | cut -d' ' -f2)
  [ -n "$order" ] && break
  kill -0 "$pos_pid" 2>/dev/null || break
  sleep 0.5
done
[ -n "$order" ] || { echo "ERROR: FrameworkPos created no payment:"; cat "$work/pos.log"; exit 1; }
grep -q "^Scan to pay: ${base}simulator/pay/" "$work/pos.log" || { echo "ERROR: FrameworkPos showed no QR code URL:"; cat "$work/pos.log"; exit 1; }

# The shopper pays (the control API; no body, loopback: no token).
paid=$(curl -s -X POST "${base}simulator/api/payments/$order/pay")
grep -q '"status":"SUCCEEDED"' <<<"$paid" || { echo "ERROR: the simulator did not take the payment: $paid"; exit 1; }

wait "$pos_pid"
rc=$?
pos_pid=
cat "$work/pos.log"
[ "$rc" -eq 0 ] || { echo "ERROR: FrameworkPos exited $rc (0 is paid)"; exit 1; }
for line in "Order     $order" "Amount    12.50 HKD" "Status    PAID"; do
  grep -qF "$line" "$work/pos.log" || { echo "ERROR: the receipt lacks \"$line\""; exit 1; }
done
echo "== FrameworkPos check passed: order $order paid under Mono ($(( $(date +%s) - started )) s)"
