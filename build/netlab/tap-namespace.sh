# Sourced by build/throughput.sh and build/tls-bench.sh: in_ns runs a command in the namespace $ns, and
# add_tap_namespace makes $ns with the TAP $tap as $kernel_ip/24, up (the caller's trap removes the namespace).
in_ns() { ip netns exec "$ns" "$@"; }

add_tap_namespace() {
  ip netns add "$ns"
  in_ns ip link set lo up
  in_ns ip tuntap add dev "$tap" mode tap
  in_ns ip addr add "$kernel_ip/24" dev "$tap"
  in_ns ip link set "$tap" up
}
