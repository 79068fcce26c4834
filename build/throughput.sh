#!/usr/bin/env bash
# TCP throughput of the Seqs stack over a TAP against the Linux kernel (issue 4), next to a raw TAP frame pump on the
# same path, which is the ceiling for any userspace stack there. Everything runs in one network namespace:
#   pump receive   the per-frame pump: the kernel floods UDP (64 KiB UDP_SEGMENT datagrams, so that its sending is
#                  cheap), the TAP delivers them as standard 1514-octet frames, and the pump only reads, one frame a read
#   pump transmit  the per-frame pump: it only writes full-size UDP frames into the TAP, one frame a write
#                  Every "ratio to the pump" is to these per-frame rates.
#   kernel->stack  iperf 2 (`iperf -c`) into the stack's TCP discard service
#   stack->kernel  a plain socket reading the stack's TCP chargen service
#   echo 200 MB    socat sends 200 MB to the stack's TCP echo service and reads it back at once
#   echo 4 MiB     the same with 5 % random loss each way on the kernel's side (nftables numgen)
#   kernel 4 MiB   the reference for that row: the Linux kernel talking to itself, a socat echo server in one
#                  namespace and the socat client in another, over a veth pair, with the same nftables rule on the
#                  client's side; once as the kernel sets it up (its TCP hands the veth 64 KiB GSO segments, each
#                  dropped or passed whole by the rule) and once with the veth's gso_max_segs at 1, so that the rule
#                  drops single segments as it does the stack's frames
# The harness's TCP rows run twice: with standard frames, and with the TAP's offloads (the kernel hands the stack TCP
# segments of up to 64 KiB, as a NIC with LRO would, and takes such segments from it to cut up, TSO). The receive and
# transmit rates are measured again with the device process, Seqs.Device started as the README says, with its default
# fast path on the TAP (its services' TCP buffers 256 KiB), with --services-buffer 16K (the stack's default) and with
# --tap-offload false --spin-us 0.
# Usage: build/throughput.sh [--rates] [seconds] [buffer-octets]   (default 5 s per rate, 262144-octet TCP
# buffers for the harness); --rates measures only the pump and the TCP rates, not the echoes and the lossy rows.
#        build/throughput.sh --lossy [rounds]   only the 4 MiB lossy echo rows, in rounds (default 3) of: the harness
# with and without receive offload, the device process as the README starts it, Linux over veth both ways; each row's
# runs and median; the device runs three times: as started (offloads, CUBIC), with --congestion-control newreno
# (Seqs.Core's default, the harness's) and with --tap-offload false; and two ratios per round and by the medians, like
# with like: the device over Linux with both their offloads, and with standard frames over Linux with loss per segment. Needs root.
set -euo pipefail
cd "$(dirname "$0")/.."

rates_only=
lossy_only=
if [[ ${1:-} == --rates ]]; then
  rates_only=1
  shift
elif [[ ${1:-} == --lossy ]]; then
  lossy_only=1
  shift
fi

seconds=${1:-5}
rounds=${1:-3}
buffer=${2:-262144}
kernel_ip=10.77.0.1
stack_ip=10.77.0.2
pump_ip=10.77.0.3
pump_mac=02:00:00:77:00:03

if [[ $(id -u) != 0 ]]; then
  echo "throughput: needs root for a network namespace and a TAP" >&2
  exit 1
fi
missing=()
for tool in ip iperf socat python3 nft sha256sum; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
if ((${#missing[@]})); then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq iproute2 iperf socat python3 nftables coreutils >/dev/null
fi

dotnet build Seqs.Benchmarks/Seqs.Benchmarks.csproj -c Release -v q -nologo | grep -E " error |rror\(s\)" || true
dotnet build Seqs.Device/Seqs.Device.csproj -c Release -v q -nologo | grep -E " error |rror\(s\)" || true
tool=(dotnet Seqs.Benchmarks/bin/Release/net10.0/Seqs.Benchmarks.dll)

ns="seqs-tput-$$"
tap="sqtp$$"
veth_server_ns="seqs-tput-vs-$$"
veth_client_ns="seqs-tput-vc-$$"
veth_server_ip=10.78.0.1
veth_client_ip=10.78.0.2
work="$(mktemp -d)"
stack_pid=
veth_echo_pid=
cleanup() {
  exec 4>&- 2>/dev/null || true
  [[ -n $stack_pid ]] && { kill "$stack_pid" 2>/dev/null || true; wait "$stack_pid" 2>/dev/null || true; }
  [[ -n $veth_echo_pid ]] && { kill "$veth_echo_pid" 2>/dev/null || true; wait "$veth_echo_pid" 2>/dev/null || true; }
  ip netns del "$ns" 2>/dev/null || true
  ip netns del "$veth_server_ns" 2>/dev/null || true
  ip netns del "$veth_client_ns" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
# shellcheck source=build/netlab/tap-namespace.sh
source build/netlab/tap-namespace.sh
add_tap_namespace
in_ns ip neigh add "$pump_ip" lladdr "$pump_mac" dev "$tap" nud permanent
kernel_mac=$(in_ns cat "/sys/class/net/$tap/address")

# Pump, receive: the kernel sends 44-segment UDP_SEGMENT datagrams (64768 octets) to a neighbour behind the TAP.
flood() {
  in_ns python3 - "$pump_ip" "$1" <<'PY' &
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_UDP, 103, 1472)  # UDP_SEGMENT (linux/udp.h): segments of 1472 octets
payload = bytes(1472 * 44)
end = time.monotonic() + float(sys.argv[2])
while time.monotonic() < end:
    for _ in range(64):
        try:
            s.sendto(payload, (sys.argv[1], 9))
        except OSError:
            pass
PY
}
if [[ -z $lossy_only ]]; then
  flood $((seconds + 2))
  flood_pid=$!
  pump_rx=$(in_ns "${tool[@]}" tap-pump receive "$tap" "$seconds")
  wait "$flood_pid" || true
  pump_tx=$(in_ns "${tool[@]}" tap-pump transmit "$tap" "$seconds" "$kernel_mac" "$kernel_ip" "$pump_ip")
fi

if [[ -z $rates_only ]]; then
  [[ -n $lossy_only ]] || head -c 200000000 /dev/urandom >"$work/echo.in"
  head -c 4194304 /dev/urandom >"$work/lossy.in"
fi
ratio() { python3 -c "print(f'{$1 / $2:.2f}' if $2 > 0 else '-')"; }
elapsed() { python3 -c "print(f'{$(date +%s.%N) - $1:.2f}')"; }

# 5 % random loss each way on the kernel's side of a path: the rule every lossy row uses.
add_loss_rule() {
  ip netns exec "$1" nft -f - <<'NFT'
table inet seqsloss {
 chain input { type filter hook input priority 0; numgen random mod 100 < 5 drop; }
 chain output { type filter hook output priority 0; numgen random mod 100 < 5 drop; }
}
NFT
}

# The kernel talking to itself through the same rule: a socat echo server in one namespace, the client in another,
# joined by a veth pair whose GSO segments hold at most $2 segments; sets ${1}_lossy and ${1}_lossy_ok.
measure_kernel() {
  local name=$1 gso_segments=$2
  ip netns add "$veth_server_ns"
  ip netns add "$veth_client_ns"
  ip link add sqvs$$ netns "$veth_server_ns" gso_max_segs "$gso_segments" type veth peer name sqvc$$ netns "$veth_client_ns" gso_max_segs "$gso_segments"
  ip netns exec "$veth_server_ns" ip addr add "$veth_server_ip/24" dev sqvs$$
  ip netns exec "$veth_client_ns" ip addr add "$veth_client_ip/24" dev sqvc$$
  ip netns exec "$veth_server_ns" ip link set sqvs$$ up
  ip netns exec "$veth_client_ns" ip link set sqvc$$ up
  # An echo that sends back what it read before reading more: socat's PIPE echo can wedge under loss, blocked writing
  # into its full pipe while the socket's receive queue waits for it.
  ip netns exec "$veth_server_ns" python3 - <<'PY' &
import socket
listener = socket.create_server(("0.0.0.0", 7))
connection, _ = listener.accept()
while data := connection.recv(262144):
    connection.sendall(data)
connection.shutdown(socket.SHUT_WR)
PY
  veth_echo_pid=$!
  for _ in $(seq 50); do ip netns exec "$veth_server_ns" ss -ltn | grep -q ':7 ' && break; sleep 0.1; done
  add_loss_rule "$veth_client_ns"
  local start
  start=$(date +%s.%N)
  ip netns exec "$veth_client_ns" socat -t 60 - "TCP4:$veth_server_ip:7" <"$work/lossy.in" >"$work/kernel.out"
  printf -v "${name}_lossy" '%s' "$(elapsed "$start")"
  cmp -s "$work/lossy.in" "$work/kernel.out" && printf -v "${name}_lossy_ok" identical || printf -v "${name}_lossy_ok" DIFFERENT
  # The kernel's own counts of what the stack's log line reports, both ends summed (each namespace counts from zero).
  printf -v "${name}_log" 'retransmission timeouts %s, loss probes %s' "$(kernel_count TCPTimeouts)" "$(kernel_count TCPLossProbes)"
  wait "$veth_echo_pid" || true
  veth_echo_pid=
  ip netns del "$veth_server_ns"
  ip netns del "$veth_client_ns"
}

kernel_count() {
  local total=0 ns n
  for ns in "$veth_server_ns" "$veth_client_ns"; do
    n=$(ip netns exec "$ns" nstat -asz "TcpExt$1" | awk -v c="TcpExt$1" '$1 == c { print $2 }')
    total=$((total + ${n:-0}))
  done
  echo "$total"
}

# iperf 2 into the discard service and a plain socket reading chargen, $seconds each, against whatever serves
# $stack_ip; sets ${1}_rx and ${1}_tx in Gbit/s.
measure_rates() {
  local iperf_out rx tx
  iperf_out=$(in_ns iperf -c "$stack_ip" -p 9 -t "$seconds" -f g 2>&1) || true
  rx=$(grep -oE '[0-9.]+ Gbits/sec' <<<"$iperf_out" | tail -1 | cut -d' ' -f1 || true)
  [[ -n $rx ]] || { echo "$iperf_out" >&2; rx=0; }
  tx=$(in_ns python3 - "$stack_ip" "$seconds" <<'PY'
import socket, sys, time
s = socket.create_connection((sys.argv[1], 19))
buffer = bytearray(1 << 20)
view = memoryview(buffer)
total = 0
start = time.monotonic()
end = start + float(sys.argv[2])
while time.monotonic() < end:
    n = s.recv_into(view)
    if n == 0:
        break
    total += n
print(f"{total * 8 / (time.monotonic() - start) / 1e9:.2f}")
PY
) || { echo "chargen: no rate from $stack_ip" >&2; tx=0; }
  printf -v "${1}_rx" '%s' "$rx"
  printf -v "${1}_tx" '%s' "$tx"
}

# The 4 MiB echo through the 5 % loss rule to whatever serves $stack_ip's echo; sets ${1}_lossy and ${1}_lossy_ok.
lossy_echo() {
  local start
  add_loss_rule "$ns"
  start=$(date +%s.%N)
  in_ns socat -t 60 - "TCP4:$stack_ip:7" <"$work/lossy.in" >"$work/lossy.out"
  printf -v "${1}_lossy" '%s' "$(elapsed "$start")"
  in_ns nft delete table inet seqsloss
  cmp -s "$work/lossy.in" "$work/lossy.out" && printf -v "${1}_lossy_ok" identical || printf -v "${1}_lossy_ok" DIFFERENT
}

# One pass over the TCP measurements with the stack on the TAP (receive offload on or off); sets the variables
# named after $1: ${1}_rx, ${1}_tx, ${1}_echo, ${1}_echo_ok, ${1}_lossy, ${1}_lossy_ok.
measure() {
  local name=$1 offload=$2
  rm -f "$work/control"
  mkfifo "$work/control"
  in_ns "${tool[@]}" tap-stack "$tap" "$stack_ip/24" "$buffer" $offload <"$work/control" >"$work/stack.log" 2>&1 &
  stack_pid=$!
  exec 4>"$work/control"
  for _ in $(seq 100); do grep -q ready "$work/stack.log" && break; sleep 0.1; done
  grep -q ready "$work/stack.log" || { cat "$work/stack.log" >&2; exit 1; }

  local start
  [[ -n $lossy_only ]] || measure_rates "$name"
  if [[ -z $rates_only ]]; then
    if [[ -z $lossy_only ]]; then
      start=$(date +%s.%N)
      in_ns socat -t 30 -b 262144 - "TCP4:$stack_ip:7" <"$work/echo.in" >"$work/echo.out"
      printf -v "${name}_echo" '%s' "$(elapsed "$start")"
      cmp -s "$work/echo.in" "$work/echo.out" && printf -v "${name}_echo_ok" identical || printf -v "${name}_echo_ok" DIFFERENT
    fi

    lossy_echo "$name"
  fi

  exec 4>&-
  wait "$stack_pid" || true
  stack_pid=
  printf -v "${name}_log" '%s' "$(tail -1 "$work/stack.log")"
}

# The Seqs.Device process on the TAP, started as the README says (its TCP buffers are the services' own), with the
# extra switches $1...; stop_device stops it on SIGTERM (as systemd stops it: a job a script puts in the background
# starts with SIGINT ignored, and the device never saw the SIGINT sent here), or kills it after 10 s.
start_device() {
  # Not through in_ns: ip netns exec execs dotnet, so $! is the device's own pid.
  ip netns exec "$ns" dotnet Seqs.Device/bin/Release/net10.0/Seqs.Device.dll --nic tap --tap-name "$tap" --ip "$stack_ip/24" \
    --services echo,discard,chargen,iperf "$@" >"$work/device.log" 2>&1 &
  stack_pid=$!
  for _ in $(seq 100); do in_ns ping -c 1 -W 1 "$stack_ip" >/dev/null 2>&1 && break; sleep 0.2; done
  in_ns ping -c 1 -W 1 "$stack_ip" >/dev/null 2>&1 || { echo "the device ($*) does not answer:" >&2; cat "$work/device.log" >&2; }
}

stop_device() {
  kill -TERM "$stack_pid" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$stack_pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$stack_pid" 2>/dev/null; then
    echo "the device did not stop within 10 s of SIGTERM; killed" >&2
    kill -KILL "$stack_pid" 2>/dev/null || true
  fi
  wait "$stack_pid" || true
  stack_pid=
}

# The device's receive and transmit rates; sets ${1}_rx and ${1}_tx.
measure_device() {
  local name=$1
  shift
  start_device "$@"
  measure_rates "$name"
  stop_device
}

# The 4 MiB lossy echo through the device's echo service, with the extra switches $2...; sets ${1}_lossy and
# ${1}_lossy_ok.
measure_device_lossy() {
  local name=$1
  shift
  start_device "$@"
  lossy_echo "$name"
  stop_device
}

median() { tr ' ' '\n' <<<"$1" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
if [[ -n $lossy_only ]]; then
  declare -A runs=() logs=()
  rows=(frames offload device device_newreno device_frames kernel kernel_segments)
  for round in $(seq "$rounds"); do
    measure frames ""
    measure offload offload
    measure_device_lossy device
    measure_device_lossy device_newreno --congestion-control newreno
    measure_device_lossy device_frames --tap-offload false
    measure_kernel kernel 65535
    measure_kernel kernel_segments 1
    for row in "${rows[@]}"; do
      value="${row}_lossy" ok="${row}_lossy_ok" log="${row}_log"
      [[ ${!ok} == identical ]] || echo "round $round, $row: the echo came back DIFFERENT" >&2
      runs[$row]+="${runs[$row]:+ }${!value}"
      [[ $row == device* ]] || logs[$row]+="  round $round: ${!log}"$'\n'
    done
    ratios+="${ratios:+ }$(ratio "$device_lossy" "$kernel_lossy")"
    frame_ratios+="${frame_ratios:+ }$(ratio "$device_frames_lossy" "$kernel_segments_lossy")"
  done
  echo
  echo "| 4 MiB echo, 5 % loss each way, $rounds rounds | seconds per round | median |"
  echo "|---|---|---:|"
  declare -A label=(
    [frames]="harness (tap-stack), standard frames"
    [offload]="harness (tap-stack), receive offload"
    [device]="the device, \`--nic tap\` as the README starts it, \`--services echo\` (CUBIC)"
    [device_newreno]="the device, \`--congestion-control newreno\`"
    [device_frames]="the device, \`--tap-offload false\` (standard frames, each dropped or passed alone)"
    [kernel]="Linux to Linux over veth (64 KiB GSO segments, each dropped or passed whole)"
    [kernel_segments]="Linux to Linux over veth, loss per segment (gso_max_segs 1)")
  for row in "${rows[@]}"; do
    echo "| ${label[$row]} | ${runs[$row]} | $(median "${runs[$row]}") |"
  done
  echo
  # Like with like: the device's offloads hand the rule 64 KiB segments as Linux's GSO does; with standard frames
  # the rule drops single segments, as it does Linux's with gso_max_segs 1.
  echo "the device over Linux, both with their offloads: per round $ratios; by the medians $(ratio "$(median "${runs[device]}")" "$(median "${runs[kernel]}")")"
  echo "the device with standard frames over Linux with loss per segment: per round $frame_ratios; by the medians $(ratio "$(median "${runs[device_frames]}")" "$(median "${runs[kernel_segments]}")")"
  for row in frames offload kernel kernel_segments; do
    echo "${label[$row]}:"
    printf '%s' "${logs[$row]}"
  done
  exit 0
fi
measure frames ""
measure offload offload
measure_device device
measure_device device_small --services-buffer 16K
measure_device device_plain --tap-offload false --spin-us 0
if [[ -z $rates_only ]]; then
  measure_kernel kernel 65535
  measure_kernel kernel_segments 1
fi

pump_rx_gbit=$(grep -oE '[0-9.]+ Gbit/s of UDP payload' <<<"$pump_rx" | cut -d' ' -f1)
pump_tx_gbit=$(grep -oE '[0-9.]+ Gbit/s of UDP payload' <<<"$pump_tx" | cut -d' ' -f1)

echo
echo "TCP over TAP, $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), ${buffer}-octet TCP buffers, ${seconds} s per rate"
echo
echo "| path | Gbit/s | ratio to the pump |"
echo "|---|---|---|"
echo "| per-frame pump receive (UDP payload, one 1514-octet frame a read) | $pump_rx_gbit | 1 |"
echo "| kernel -> stack, iperf into discard | $frames_rx | $(ratio "$frames_rx" "$pump_rx_gbit") |"
echo "| kernel -> stack, iperf into discard, TAP receive offload | $offload_rx | $(ratio "$offload_rx" "$pump_rx_gbit") |"
echo "| per-frame pump transmit (UDP payload, one 1514-octet frame a write) | $pump_tx_gbit | 1 |"
echo "| stack -> kernel, socket reading chargen | $frames_tx | $(ratio "$frames_tx" "$pump_tx_gbit") |"
echo "| stack -> kernel, socket reading chargen, TAP receive offload | $offload_tx | $(ratio "$offload_tx" "$pump_tx_gbit") |"
echo
echo "| the device (process) vs harness vs per-frame pump | receive Gbit/s | ratio to the pump | transmit Gbit/s | ratio to the pump |"
echo "|---|---|---|---|---|"
echo "| the device, \`--nic tap\` (offloads on, 50 µs spin, 256 KiB service buffers) | $device_rx | $(ratio "$device_rx" "$pump_rx_gbit") | $device_tx | $(ratio "$device_tx" "$pump_tx_gbit") |"
echo "| the device, \`--services-buffer 16K\` | $device_small_rx | $(ratio "$device_small_rx" "$pump_rx_gbit") | $device_small_tx | $(ratio "$device_small_tx" "$pump_tx_gbit") |"
echo "| the device, \`--tap-offload false --spin-us 0\` (256 KiB service buffers) | $device_plain_rx | $(ratio "$device_plain_rx" "$pump_rx_gbit") | $device_plain_tx | $(ratio "$device_plain_tx" "$pump_tx_gbit") |"
echo "| harness (tap-stack, offload) | $offload_rx | $(ratio "$offload_rx" "$pump_rx_gbit") | $offload_tx | $(ratio "$offload_tx" "$pump_tx_gbit") |"
echo "| harness (tap-stack, standard frames) | $frames_rx | $(ratio "$frames_rx" "$pump_rx_gbit") | $frames_tx | $(ratio "$frames_tx" "$pump_tx_gbit") |"
echo "| per-frame pump (UDP payload) | $pump_rx_gbit | 1 | $pump_tx_gbit | 1 |"
if [[ -z $rates_only ]]; then
  echo
  echo "| echo through the stack | seconds | seconds with receive offload |"
  echo "|---|---|---|"
  echo "| 200 MB, socat | $frames_echo ($frames_echo_ok) | $offload_echo ($offload_echo_ok) |"
  echo "| 4 MiB, 5 % loss each way | $frames_lossy ($frames_lossy_ok) | $offload_lossy ($offload_lossy_ok) |"
  echo "| 4 MiB, 5 % loss each way, Linux to Linux over veth | $kernel_lossy ($kernel_lossy_ok) | - |"
  echo "| 4 MiB, 5 % loss each way, Linux to Linux over veth, loss per segment (gso_max_segs 1) | $kernel_segments_lossy ($kernel_segments_lossy_ok) | - |"
fi
echo
echo "stack: $frames_log; with offload: $offload_log"
