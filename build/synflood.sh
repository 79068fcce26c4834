#!/usr/bin/env bash
# A SYN flood against the device (Seqs.Device on a TAP, started as the README says, with the namespace side as its
# gateway): hping3 sends SYNs from random spoofed sources to port 80 from inside the namespace for SECONDS, while curl
# fetches the web page in a loop. Reports SYNs sent per second, what the device took (its TCP counters, SYN cookies
# sent), what the kernel dropped on the way into the TAP, the page's latency during the flood (p50/p90/p99 and
# failures), the managed heap, bytes allocated and RSS before and after, and the open TCP connections before, during
# and SETTLE seconds after (nothing may leak).
# Usage: build/synflood.sh [SECONDS] [SETTLE] [RATE]
#   SECONDS  flood length, default 30
#   SETTLE   wait after the flood before the "after" figures, default 70: a spoofed SYN's half-open connection
#            lives through its five SYN,ACK retransmissions (1+2+4+8+16+32 s), so by then none may remain
#   RATE     SYNs per second for a paced run (hping3 -i u<10^6/RATE>); "flood" (default) is hping3 --flood, as fast
#            as the TAP path takes them
# The flood runs at nice 10 (the machine may be shared); the device and the page fetches run at normal priority.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-30}
settle=${2:-70}
rate=${3:-flood}
name=synflood
if [[ $(id -u) != 0 ]]; then
  echo "$name: needs root for a network namespace and a TAP" >&2
  exit 1
fi
for tool in ip hping3 curl /usr/bin/python3; do
  command -v "$tool" >/dev/null || { echo "$name: $tool is missing (build/test.sh installs it)" >&2; exit 1; }
done
if [[ "$rate" == flood ]]; then
  pace=(--flood)
elif [[ "$rate" =~ ^[1-9][0-9]*$ ]]; then
  pace=(-i "u$((1000000 / rate))")
else
  echo "$name: RATE '$rate' is neither a number of SYNs per second nor 'flood'" >&2
  exit 2
fi

dotnet build Seqs.Device/Seqs.Device.csproj -c Release -v q -nologo | grep -E "error|Warn|Elapsed" || true
device_dll=Seqs.Device/bin/Release/net10.0/Seqs.Device.dll

ns="seqs-$name-$$"
tap="sqsf$$"
kernel_ip=10.213.97.1
device_ip=10.213.97.2
token="$(/usr/bin/python3 -c "import secrets; print(secrets.token_hex(16))")"
source build/netlab/tap-namespace.sh
add_tap_namespace_with_logs

# A simple command in the background is exec'd by the forked shell, so $! is the device's own pid (for its RSS).
ip netns exec "$ns" dotnet "$device_dll" --nic tap --tap-name "$tap" --ip "$device_ip/24" --gateway "$kernel_ip" \
  --access-token "$token" >"$logs/device" 2>&1 &
device_pid=$!
page="http://$device_ip/"
for _ in $(seq 100); do
  kill -0 "$device_pid" 2>/dev/null || break
  in_ns curl -sf -o /dev/null --max-time 1 "$page" && break
  sleep 0.2
done
in_ns curl -sf -o /dev/null --max-time 2 "$page" || { echo "$name: the device does not answer" >&2; cat "$logs/device" >&2; exit 1; }
api() { in_ns curl -s --max-time 5 -H "Authorization: Bearer $token" "http://$device_ip/api/$1"; }
# Prints the JSON values at the dotted paths given, one per line; "-" when the request failed.
json() { /usr/bin/python3 -c '
import json, sys
try:
    data = json.loads(sys.stdin.read())
except ValueError:
    data = None
for path in sys.argv[1:]:
    value = data
    for key in path.split("."):
        value = value.get(key) if isinstance(value, dict) else None
    print("-" if value is None else value)' "$@"; }
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$device_pid/status"; }
tap_dropped() { in_ns cat "/sys/class/net/$tap/statistics/tx_dropped"; }
# One snapshot: heap, allocated, gen0 collections, RSS KiB, TCP connections, TCP segments in, cookies, SYNs dropped,
# frames in, packets refused for their source address, kernel drops towards the TAP.
snapshot() {
  local stats status
  stats="$(api stats)"
  status="$(api status)"
  echo "$(json process.managedHeapBytes process.allocatedBytes process.gen0Collections <<<"$stats" | tr '\n' ' ')$(rss_kib) \
$(json counters.tcpConnections <<<"$status") $(json tcp.segmentsReceived tcp.synCookiesSent tcp.synsDropped nic.framesReceived stack.badSourceAddress <<<"$stats" | tr '\n' ' ')$(tap_dropped)"
}

# Warm the page path, then time 50 fetches on a quiet link.
for _ in $(seq 50); do in_ns curl -s -o /dev/null --max-time 2 "$page"; done
for _ in $(seq 50); do in_ns curl -s -o /dev/null --max-time 2 -w '%{http_code} %{time_total}\n' "$page" || true; done >"$logs/quiet"
read -r heap0 alloc0 gc0 rss0 conn0 seg0 cookies0 dropped0 frames0 badsource0 tapdrop0 <<<"$(snapshot)"
[[ "$conn0" == - ]] && { echo "$name: /api/stats or /api/status gave nothing; device log:" >&2; cat "$logs/device" >&2; exit 1; }

# The page and the connection count, sampled while the flood lasts.
(
  end=$((SECONDS + seconds))
  while ((SECONDS < end)); do
    in_ns curl -s -o /dev/null --max-time 5 -w '%{http_code} %{time_total}\n' "$page" || true
    sleep 0.1
  done
) >"$logs/latency" &
latency_pid=$!
(
  end=$((SECONDS + seconds))
  while ((SECONDS < end)); do
    api status | json counters.tcpConnections
    sleep 2
  done
) >"$logs/connections" &
sampler_pid=$!

started=$(date +%s.%N)
in_ns nice -n 10 timeout -s INT "$seconds" hping3 -q -S -p 80 --rand-source "${pace[@]}" "$device_ip" >"$logs/hping" 2>&1 || true
elapsed=$(/usr/bin/python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$started" "$(date +%s.%N)")
read -r heap1 alloc1 gc1 rss1 conn1 seg1 cookies1 dropped1 frames1 badsource1 tapdrop1 <<<"$(snapshot)"
wait "$latency_pid" "$sampler_pid" || true
sleep "$settle"
read -r heap2 alloc2 gc2 rss2 conn2 _ <<<"$(snapshot)"
after_page="$(in_ns curl -s -o /dev/null --max-time 5 -w '%{http_code} %{time_total}' "$page" || true)"

sent=$(awk '/packets transmitted/ {print $1}' "$logs/hping")
per_second() { /usr/bin/python3 -c "import sys; print(f'{int(sys.argv[1]) / float(sys.argv[2]):,.0f}')" "$1" "$elapsed"; }
# p50/p90/p99 of curl's "status seconds" lines in a file, and how many were not 200.
percentiles() { /usr/bin/python3 - "$1" <<'EOF'
import sys
rows = [line.split() for line in open(sys.argv[1]) if line.strip()]
ok = sorted(float(t) * 1000 for code, t in rows if code == "200")
failed = len(rows) - len(ok)
def pct(p):
    return ok[min(len(ok) - 1, int(p / 100 * len(ok)))] if ok else float("nan")
print(f"{len(rows)} fetches, {failed} failed; p50 {pct(50):.1f} ms, p90 {pct(90):.1f} ms, p99 {pct(99):.1f} ms, max {ok[-1] if ok else float('nan'):.1f} ms")
EOF
}
during="$(sort -n "$logs/connections" | grep -v '^-' | tail -1 || true)"
mib() { /usr/bin/python3 -c "import sys; print(f'{int(sys.argv[1]) / 1048576:.1f} MiB')" "$1"; }

echo
echo "SYN flood: hping3 -S -p 80 --rand-source ${pace[*]} for ${seconds}s (${elapsed}s measured) at nice 10, device $device_ip on TAP $tap"
echo "| measurement | result |"
echo "|---|---|"
echo "| SYNs sent by hping3 | ${sent:-?} ($(per_second "${sent:-0}")/s) |"
echo "| kernel drops into the TAP (tx_dropped) | $((tapdrop1 - tapdrop0)) ($(per_second $((tapdrop1 - tapdrop0)))/s) |"
echo "| frames the device read | $((frames1 - frames0)) ($(per_second $((frames1 - frames0)))/s) |"
echo "| TCP segments the device took | $((seg1 - seg0)) ($(per_second $((seg1 - seg0)))/s) |"
echo "| packets refused for their source (hping3's random multicast, broadcast, reserved sources) | $((badsource1 - badsource0)) |"
echo "| SYN cookies sent / SYNs dropped | $((cookies1 - cookies0)) / $((dropped1 - dropped0)) |"
echo "| page before the flood | $(percentiles "$logs/quiet") |"
echo "| page during the flood | $(percentiles "$logs/latency") |"
echo "| page ${settle}s after | $after_page (status, seconds) |"
echo "| TCP connections before / during (most seen) / ${settle}s after | $conn0 / ${during:--} / $conn2 |"
echo "| managed heap before / right after / ${settle}s after | $(mib "$heap0") / $(mib "$heap1") / $(mib "$heap2") |"
echo "| RSS before / right after / ${settle}s after | $((rss0 / 1024)) / $((rss1 / 1024)) / $((rss2 / 1024)) MiB |"
echo "| allocated during the flood; gen0 collections | $(mib $((alloc1 - alloc0))); $((gc1 - gc0)) |"
