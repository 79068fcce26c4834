# Sourced by build/throughput.sh, build/tls-bench.sh, build/synflood.sh and netlab/device-beside-kestrel.sh: in_ns
# runs a command in the namespace $ns, and add_tap_namespace makes $ns with the TAP $tap as $kernel_ip/24, up; the
# caller's trap calls remove_namespace (or add_tap_namespace_with_logs sets that trap).
in_ns() { ip netns exec "$ns" "$@"; }

add_tap_namespace() {
  ip netns add "$ns"
  in_ns ip link set lo up
  in_ns ip tuntap add dev "$tap" mode tap
  in_ns ip addr add "$kernel_ip/24" dev "$tap"
  in_ns ip link set "$tap" up
}

# Ends every process still in $ns (a background `in_ns cmd &` leaves a subshell's pid in $!, not the command's),
# then deletes the namespace.
remove_namespace() {
  local pids
  pids="$(ip netns pids "$ns" 2>/dev/null || true)"
  [[ -n "$pids" ]] && kill $pids 2>/dev/null
  for _ in $(seq 50); do
    [[ -z "$(ip netns pids "$ns" 2>/dev/null || true)" ]] && break
    sleep 0.1
  done
  ip netns del "$ns" 2>/dev/null || true
}

# For a caller with nothing else to clean up: makes $logs (a temporary directory) and the namespace, and on exit ends
# the namespace's processes, deletes it and $logs.
add_tap_namespace_with_logs() {
  logs="$(mktemp -d)"
  trap 'remove_namespace; wait 2>/dev/null || true; rm -rf "$logs"' EXIT
  add_tap_namespace
}
