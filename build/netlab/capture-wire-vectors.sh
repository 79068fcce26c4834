#!/usr/bin/env bash
# Regenerates the real frames pasted into Seqs.Tests/Wire/CapturedFrames.cs. Needs root, iproute2, nft, socat,
# tshark and python3. Creates uniquely named network namespaces and deletes them on exit.
#
#   capture 1 (wire.pcapng): A 10.0.1.2 (02:00:00:00:00:0a) -- R 10.0.1.1 (..:1a) / 10.0.2.1 (..:1b) -- B 10.0.2.2 (..:0b),
#     captured on A's interface: ARP, ping R, ping B with TTL 1 (time exceeded from R), ping an unrouted 10.0.5.1
#     (net unreachable from R), UDP to an open and a closed port on B (port unreachable), a TCP connection to B.
#   capture 2 (sack.pcapng): A 10.0.1.2 -- B 10.0.1.3 directly; B's nftables drops the second full-sized segment of
#     a 5000-octet transfer once, so B's ACKs carry SACK blocks.
#
# veth computes no checksums by default (TX checksum offload leaves a partial sum in the captured frame), so the
# script turns TX checksumming off (ETHTOOL_STXCSUM) on every interface: the captured checksums are final.
set -euo pipefail
out=${1:-.}
out=$(realpath "$out")
tag=seqswire$$
A=${tag}a R=${tag}r B=${tag}b
cleanup() { for n in $A $R $B; do ip netns del "$n" 2>/dev/null || true; done; }
trap cleanup EXIT

txcsum_off() { # netns ifname
    ip netns exec "$1" python3 - "$2" <<'PY'
import ctypes, fcntl, socket, struct, sys
val = ctypes.create_string_buffer(struct.pack('II', 0x17, 0), 8)  # ETHTOOL_STXCSUM, off
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
fcntl.ioctl(s.fileno(), 0x8946, struct.pack('16sP', sys.argv[1].encode(), ctypes.addressof(val)))  # SIOCETHTOOL
PY
}
veth() { # nsA ifA macA nsB ifB macB
    ip link add "$2" type veth peer name "$5"
    ip link set "$2" netns "$1"; ip link set "$5" netns "$4"
    ip -n "$1" link set "$2" address "$3"; ip -n "$4" link set "$5" address "$6"
    ip -n "$1" link set "$2" gso_max_segs 1; ip -n "$4" link set "$5" gso_max_segs 1  # one frame per segment
    ip -n "$1" link set "$2" up; ip -n "$4" link set "$5" up
    txcsum_off "$1" "$2"; txcsum_off "$4" "$5"
}

# Capture 1
for n in $A $R $B; do ip netns add $n; ip -n $n link set lo up; done
veth $A va 02:00:00:00:00:0a $R vra 02:00:00:00:00:1a
veth $B vb 02:00:00:00:00:0b $R vrb 02:00:00:00:00:1b
ip -n $A addr add 10.0.1.2/24 dev va; ip -n $R addr add 10.0.1.1/24 dev vra
ip -n $R addr add 10.0.2.1/24 dev vrb; ip -n $B addr add 10.0.2.2/24 dev vb
ip -n $A route add default via 10.0.1.1; ip -n $B route add default via 10.0.2.1
ip netns exec $R sysctl -qw net.ipv4.ip_forward=1
sleep 1
ip netns exec $A tshark -q -i va -w "$out/wire.pcapng" >/dev/null 2>&1 & cap=$!
sleep 2
ip netns exec $B socat -u UDP4-RECV:7777 - >/dev/null & udp=$!
ip netns exec $B socat TCP4-LISTEN:8080,reuseaddr - >/dev/null </dev/null & tcp=$!
sleep 0.5
ip netns exec $A ping -c 1 -s 24 -p 53657173 10.0.1.1 || true
ip netns exec $A ping -c 1 -t 1 10.0.2.2 || true
ip netns exec $A ping -c 1 -W 1 10.0.5.1 || true
printf 'hello seqs' | ip netns exec $A socat -u - UDP4-SENDTO:10.0.2.2:7777
printf 'hello seqs' | ip netns exec $A socat -u - UDP4-SENDTO:10.0.2.2:7778
sleep 0.3
echo 'hello seqs over tcp' | ip netns exec $A socat - TCP4:10.0.2.2:8080
sleep 1
kill $udp $tcp 2>/dev/null || true; kill $cap; wait $cap || true
cleanup

# Capture 2
for n in $A $B; do ip netns add $n; ip -n $n link set lo up; done
veth $A va 02:00:00:00:00:0a $B vb 02:00:00:00:00:0b
ip -n $A addr add 10.0.1.2/24 dev va; ip -n $B addr add 10.0.1.3/24 dev vb
ip netns exec $B nft -f - <<'NFT'
table inet seqswire {
  chain input {
    type filter hook input priority 0;
    tcp dport 8080 ip length > 1000 numgen inc mod 1000 1 drop
  }
}
NFT
sleep 1
ip netns exec $A tshark -q -i va -w "$out/sack.pcapng" >/dev/null 2>&1 & cap=$!
sleep 2
ip netns exec $B socat -u TCP4-LISTEN:8080,reuseaddr - >/dev/null & tcp=$!
sleep 0.5
head -c 5000 /dev/zero | tr '\0' x | ip netns exec $A socat -u - TCP4:10.0.1.3:8080
sleep 1.5
kill $tcp 2>/dev/null || true; kill $cap; wait $cap || true
echo "wrote $out/wire.pcapng $out/sack.pcapng"
