# Sourced by the checks that need the standalone simulator (50, 60). start_simulator LOG starts the built
# alipayhk-simulator on a loopback port the system picks, sets $simulator_pid and $base (the address its banner
# prints), or ends the check with the banner when it does not start. The caller's cleanup stops it.
start_simulator() {
  dotnet src/AlipayHk.Pay.Simulator/bin/Release/net10.0/AlipayHk.Pay.Simulator.dll --urls http://127.0.0.1:0 >"$1" 2>&1 &
  simulator_pid=$!
  base=
  for _ in $(seq 1 60); do
    base=$(grep -oE 'AlipayHkPay__BaseAddress=http://127\.0\.0\.1:[0-9]+/' "$1" | head -n1 | cut -d= -f2)
    [ -n "$base" ] && break
    kill -0 "$simulator_pid" 2>/dev/null || break
    sleep 0.5
  done
  [ -n "$base" ] || { echo "ERROR: the simulator did not start:"; cat "$1"; exit 1; }
}
