#!/usr/bin/env bash
# Keep-alive requests/s of the device's /api/status (Seqs.Device on a TAP, the Seqs stack) next to a Kestrel minimal
# API on the kernel's stack serving the same JSON (build/kestrel-reference), both in one network namespace:
# `wrk -t2 -c16 -d5s` against each in turn, several runs, then the medians and their ratio. Needs root (netns, TAP).
# Usage: build/http-vs-kestrel.sh [runs]      (default 5; DURATION=5s and THREADS/CONNECTIONS override wrk's -d/-t/-c)
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${1:-5}
duration=${DURATION:-5s}
threads=${THREADS:-2}
connections=${CONNECTIONS:-16}
name=httpbench octet=99 kestrel_port=5080 mac=02:53:45:51:0a:02
source build/netlab/device-beside-kestrel.sh
echo "device:  $(in_ns curl -s "$device_url")"
echo "kestrel: $(in_ns curl -s "$kestrel_url/api/status")"

# One wrk run; prints its requests/s, or fails on socket errors and non-2xx answers.
run_wrk() {
  local out
  out="$(in_ns wrk -t"$threads" -c"$connections" -d"$duration" "$1")"
  if grep -qE "Socket errors|Non-2xx" <<<"$out"; then
    echo "http-vs-kestrel: errors in a run against $1:" >&2
    echo "$out" >&2
    exit 1
  fi
  awk '/^Requests\/sec:/ {print $2}' <<<"$out"
}
median() { sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

run_wrk "$device_url" >/dev/null   # warm-up: JIT and tiered compilation on both sides
run_wrk "$kestrel_url/api/status" >/dev/null
device_rates=()
kestrel_rates=()
for i in $(seq "$runs"); do
  device_rates+=("$(run_wrk "$device_url")")
  kestrel_rates+=("$(run_wrk "$kestrel_url/api/status")")
  echo "run $i: device ${device_rates[-1]} requests/s, kestrel ${kestrel_rates[-1]} requests/s"
done
device_median="$(printf '%s\n' "${device_rates[@]}" | median)"
kestrel_median="$(printf '%s\n' "${kestrel_rates[@]}" | median)"
echo "wrk -t$threads -c$connections -d$duration, $runs runs each, medians:"
echo "  Seqs device over TAP:       $device_median requests/s"
echo "  Kestrel on kernel loopback: $kestrel_median requests/s"
awk -v d="$device_median" -v k="$kestrel_median" 'BEGIN {printf "  ratio device/Kestrel: %.2f\n", d / k}'
