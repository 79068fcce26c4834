#!/usr/bin/env bash
# MQTT over a TAP (issue 17): the device's client (MQTTnet over the stack's TCP, `seqs-device mqtt-bench`) against
# Debian's mosquitto, next to the kernel's mosquitto_pub against the same broker in the same run. QoS 0: N publishes of
# 64 bytes, the rate taken for both from the receive times of a mosquitto_sub (-F %U) of the same topic. QoS 1: one
# publish at a time, PUBLISH to PUBACK: the device times each; for mosquitto_pub (-q 1 -M 1) it is the time of a run of
# N/10 lines less that of a run of one line (its connect), over N/10 - 1. Usage: build/mqtt-bench.sh [N] (default
# 20000). Needs root.
set -euo pipefail
cd "$(dirname "$0")/.."

count=${1:-20000}
kernel_ip=10.79.0.1
stack_ip=10.79.0.2
topic=seqs/bench

if [[ $(id -u) != 0 ]]; then
  echo "mqtt-bench: needs root for a network namespace and a TAP" >&2
  exit 1
fi
command -v mosquitto_sub >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mosquitto mosquitto-clients >/dev/null; }

dotnet build Seqs.Device/Seqs.Device.csproj -c Release -v q -nologo | grep -E " error |rror\(s\)" || true
device=(dotnet Seqs.Device/bin/Release/net10.0/Seqs.Device.dll)

ns="seqs-mqtt-$$"
tap="sqmq$$"
# shellcheck source=build/netlab/tap-namespace.sh
source build/netlab/tap-namespace.sh
add_tap_namespace_with_logs

printf 'listener 1883 %s\nallow_anonymous true\npersistence false\nuser root\nmax_queued_messages 0\n' "$kernel_ip" >"$logs/mosquitto.conf"
in_ns mosquitto -c "$logs/mosquitto.conf" >"$logs/mosquitto.log" 2>&1 &
for _ in $(seq 50); do in_ns mosquitto_sub -h "$kernel_ip" -t probe -W 1 -C 1 -E 2>/dev/null && break; sleep 0.1; done

# The rate at which mosquitto_sub received the first $count messages of $topic while "$@" published them.
received_rate() {
  in_ns mosquitto_sub -h "$kernel_ip" -t "$topic" -C "$count" -W 120 -F %U >"$logs/received" &
  local subscriber=$!
  sleep 0.5
  "$@" >"$logs/publisher" 2>&1
  wait "$subscriber" || { echo "mqtt-bench: the subscriber did not get $count messages" >&2; cat "$logs/publisher" >&2; exit 1; }
  awk -v n="$count" 'NR == 1 { first = $1 } END { printf "%.0f messages/s (%d received in %.3f s)", (NR - 1) / ($1 - first), NR, $1 - first }' "$logs/received"
}

head -c $((count * 32)) /dev/urandom | od -An -vtx1 | tr -d ' \n' | fold -w 64 | head -n "$count" >"$logs/lines"
device_qos0=$(received_rate in_ns "${device[@]}" mqtt-bench "$kernel_ip" --count "$count" --nic tap --tap-name "$tap" --ip "$stack_ip/24")
device_report=$(cat "$logs/publisher")
grep -q "^QoS 1" <<<"$device_report" || echo "mqtt-bench: the device did not finish: $device_report" >&2
kernel_qos0=$(received_rate in_ns mosquitto_pub -h "$kernel_ip" -t "$topic" -q 0 -l <"$logs/lines")

rounds=$((count / 10))
timed() { local start end; start=$(date +%s.%N); "$@" >/dev/null; end=$(date +%s.%N); echo "$start $end" | awk '{ print $2 - $1 }'; }
one=$(timed in_ns mosquitto_pub -h "$kernel_ip" -t "$topic" -q 1 -M 1 -m x)
many=$(head -n "$rounds" "$logs/lines" | timed in_ns mosquitto_pub -h "$kernel_ip" -t "$topic" -q 1 -M 1 -l)
kernel_qos1=$(awk -v one="$one" -v many="$many" -v n="$rounds" 'BEGIN { printf "mean %.3f ms over %d publishes", (many - one) * 1000 / (n - 1), n }')

echo "MQTT to mosquitto over a TAP, $count publishes of 64 bytes:"
echo "  QoS 0, as mosquitto_sub received them:"
echo "    device (seqs-device mqtt-bench): $device_qos0"
echo "    kernel (mosquitto_pub -l):       $kernel_qos0"
echo "  QoS 1, PUBLISH to PUBACK, one at a time:"
echo "    device: $(grep '^QoS 1' <<<"$device_report" | sed 's/^QoS 1: //')"
echo "    kernel (mosquitto_pub -q 1 -M 1 -l): $kernel_qos1"
echo "  the device's own QoS 0 timing: $(grep '^QoS 0' <<<"$device_report" | sed 's/^QoS 0: //')"
