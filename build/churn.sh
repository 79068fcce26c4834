#!/usr/bin/env bash
# Connection-per-request HTTP load, sustained: `wrk -H 'Connection: close'` against the device's /api/status
# (Seqs.Device on a TAP as the README starts it) and against a Kestrel minimal API on the kernel's stack
# (build/kestrel-reference), both in one network namespace. Each is loaded for SECONDS in back-to-back 5-second wrk
# runs, so that a fall-off shows in the per-5-second rates; socket errors and non-2xx answers are reported per run,
# and the CPU time each server process spent per request, a figure a busy machine disturbs less than the rates.
# With LWIP_HTTPD naming lwIP's httpd (build/lwip-reference/build.sh makes it), that peer is loaded the same way on a
# second TAP in the same namespace (10.213.99.3, its index page).
# Usage: build/churn.sh [seconds]      (default 60; THREADS/CONNECTIONS override wrk's -t/-c, default 2 and 16)
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
threads=${THREADS:-2}
connections=${CONNECTIONS:-16}
name=churn octet=98 kestrel_port=5081 mac=02:53:45:51:0b:02
source build/netlab/device-beside-kestrel.sh

# The pid of the namespace's process whose command line contains $1.
server_pid() {
  local pid
  for pid in $(ip netns pids "$ns"); do
    grep -qa -- "$1" "/proc/$pid/cmdline" 2>/dev/null && { echo "$pid"; return; }
  done
}

# CPU time (user and system, clock ticks) a process has used so far.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# Back-to-back 5-second runs for $seconds: one line per run with requests/s, any errors, and the server process's CPU
# time per request (user and system, which includes the kernel's work for the frames the server reads and writes).
load() {
  local name=$1 url=$2 pid=$3 out rate requests errors before after runs=0
  for _ in $(seq $((seconds / 5))); do
    before=$(cpu_ticks "$pid")
    out="$(in_ns wrk -t"$threads" -c"$connections" -d5s -H 'Connection: close' "$url" 2>&1 || true)"
    after=$(cpu_ticks "$pid")
    rate="$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")"
    requests="$(awk '/requests in/ {print $1}' <<<"$out")"
    errors="$(grep -E "Socket errors|Non-2xx|unable to connect" <<<"$out" | tr -s " " | tr "\n" " " || true)"
    runs=$((runs + 1))
    echo "$name ${runs}: $rate requests/s, $(awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" -v n="${requests:-0}" \
      'BEGIN { printf "%.1f", n ? t * 1e6 / hz / n : 0 }') µs CPU per request ${errors}"
  done
}
echo "wrk -t$threads -c$connections -H 'Connection: close', 5-second runs back to back for ${seconds}s each"
if [[ -n "${LWIP_HTTPD:-}" ]]; then
  lwip_tap="lw$$"
  in_ns ip tuntap add dev "$lwip_tap" mode tap
  in_ns ip addr add 10.213.99.1/24 dev "$lwip_tap"
  in_ns ip link set "$lwip_tap" up
  in_ns env PRECONFIGURED_TAPIF="$lwip_tap" "$LWIP_HTTPD" >"$logs/lwip" 2>&1 &
  wait_for "http://10.213.99.3/"
fi
load device "$device_url" "$(server_pid Seqs.Device.dll)"
[[ -n "${LWIP_HTTPD:-}" ]] && load lwip "http://10.213.99.3/" "$(server_pid "$LWIP_HTTPD")"
load kestrel "$kestrel_url/api/status" "$(server_pid KestrelReference.dll)"
