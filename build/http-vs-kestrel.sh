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
kernel_side=10.213.99.1/24
device_ip=10.213.99.2
kestrel_url=http://127.0.0.1:5080

if [[ $(id -u) != 0 ]]; then
  echo "http-vs-kestrel: needs root for a network namespace and a TAP" >&2
  exit 1
fi
for tool in ip wrk curl; do
  command -v "$tool" >/dev/null || { echo "http-vs-kestrel: $tool is missing (build/test.sh installs it)" >&2; exit 1; }
done

dotnet build Seqs.Device/Seqs.Device.csproj -c Release -v q -nologo | grep -E "error|Warn|Elapsed" || true
dotnet build build/kestrel-reference/KestrelReference.csproj -c Release -v q -nologo | grep -E "error|Warn|Elapsed" || true
device_dll=Seqs.Device/bin/Release/net10.0/Seqs.Device.dll
kestrel_dll=build/kestrel-reference/bin/Release/net10.0/KestrelReference.dll

ns="seqs-httpbench-$$"
tap="sqhb$$"
logs="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  ip netns del "$ns" 2>/dev/null || true
  rm -rf "$logs"
}
trap cleanup EXIT

ip netns add "$ns"
in_ns() { ip netns exec "$ns" "$@"; }
in_ns ip link set lo up
in_ns ip tuntap add dev "$tap" mode tap
in_ns ip addr add "$kernel_side" dev "$tap"
in_ns ip link set "$tap" up

in_ns dotnet "$device_dll" --nic tap --tap-name "$tap" --ip "$device_ip/24" --mac 02:53:45:51:0a:02 --http-port 80 >"$logs/device" 2>&1 &
pids+=($!)
in_ns dotnet "$kestrel_dll" "$kestrel_url" >"$logs/kestrel" 2>&1 &
pids+=($!)

wait_for() {
  for _ in $(seq 100); do
    in_ns curl -sf -o /dev/null --max-time 1 "$1" && return 0
    sleep 0.2
  done
  echo "http-vs-kestrel: $1 does not answer" >&2
  cat "$logs/device" "$logs/kestrel" >&2
  exit 1
}
device_url="http://$device_ip/api/status"
wait_for "$device_url"
wait_for "$kestrel_url/api/status"
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
