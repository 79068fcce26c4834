#!/usr/bin/env bash
# Soak test of the device process: the device on a TAP in a network namespace under wrk load against /api/status,
# its managed heap and allocations sampled from /api/stats every 30 s (each sample is one more TCP connection and
# request, whose own allocations show in the figures). Needs root, wrk and curl (build/test.sh installs them) and a
# Release build. Usage: build/device-soak.sh [MINUTES=10] [CONNECTIONS=16]
set -euo pipefail
cd "$(dirname "$0")/.."
minutes="${1:-10}"
connections="${2:-16}"
ns="seqs-soak-$$"
device_dll="Seqs.Device/bin/Release/net10.0/Seqs.Device.dll"
[[ -f "$device_dll" ]] || { echo "build first: dotnet build Seqs.sln -c Release"; exit 1; }
address=10.214.0.2
device_pid=""
cleanup() {
  [[ -n "$device_pid" ]] && kill "$device_pid" 2>/dev/null || true
  ip netns del "$ns" 2>/dev/null || true
}
trap cleanup EXIT
ip netns add "$ns"
ip netns exec "$ns" ip link set lo up
ip netns exec "$ns" ip tuntap add dev soak0 mode tap
ip netns exec "$ns" ip addr add 10.214.0.1/24 dev soak0
ip netns exec "$ns" ip link set soak0 up
ip netns exec "$ns" dotnet "$device_dll" --nic tap --tap-name soak0 --ip "$address/24" --access-token soak-test-token-0123456789abcdef0123 >/dev/null &
device_pid=$!
for _ in $(seq 1 60); do ip netns exec "$ns" curl -s -o /dev/null "http://$address/api/status" && break; sleep 0.5; done

heap() {
  ip netns exec "$ns" curl -s "http://$address/api/stats" | /usr/bin/python3 -c 'import json,sys; p=json.load(sys.stdin)["process"]; print(p["managedHeapBytes"], p["allocatedBytes"], p["gen0Collections"], p["gen2Collections"])'
}
ip netns exec "$ns" wrk -t1 -c"$connections" -d"${minutes}m" "http://$address/api/status" > "/tmp/$ns.wrk" &
wrk_pid=$!
echo "minute  managed heap (B)  allocated (B)  gen0 GCs  gen2 GCs"
samples=()
for ((t = 30; t <= minutes * 60; t += 30)); do
  sleep 30
  read -r bytes allocated gen0 gen2 < <(heap)
  samples+=("$bytes")
  printf '%6.1f  %16d  %13d  %8d  %8d\n' "$(awk -v t="$t" 'BEGIN { print t / 60 }')" "$bytes" "$allocated" "$gen0" "$gen2"
done
wait "$wrk_pid"
grep -E "Requests/sec|requests in|Non-2xx|Socket errors" "/tmp/$ns.wrk" || true
rm -f "/tmp/$ns.wrk"
half=$(( ${#samples[@]} / 2 ))
last=("${samples[@]:$half}")
min=$(printf '%s\n' "${last[@]}" | sort -n | head -1)
max=$(printf '%s\n' "${last[@]}" | sort -n | tail -1)
echo "managed heap over the second half: min $min, max $max bytes"
