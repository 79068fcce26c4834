# Sourced by build/http-vs-kestrel.sh and build/churn.sh: the device (Seqs.Device on a TAP, started as the README
# says) and a Kestrel minimal API on the kernel's stack (build/kestrel-reference) serving the same /api/status, both
# in one network namespace made for the run and deleted on exit. The caller sets `name` (for messages and the
# namespace), `octet` (the 10.213.<octet>.0/24 subnet of the TAP), `kestrel_port` and `mac`; afterwards `in_ns`
# runs a command in the namespace, and `device_url` and `kestrel_url` answer.
if [[ $(id -u) != 0 ]]; then
  echo "$name: needs root for a network namespace and a TAP" >&2
  exit 1
fi
for tool in ip wrk curl; do
  command -v "$tool" >/dev/null || { echo "$name: $tool is missing (build/test.sh installs it)" >&2; exit 1; }
done

dotnet build Seqs.Device/Seqs.Device.csproj -c Release -v q -nologo | grep -E "error|Warn|Elapsed" || true
dotnet build build/kestrel-reference/KestrelReference.csproj -c Release -v q -nologo | grep -E "error|Warn|Elapsed" || true
device_dll=Seqs.Device/bin/Release/net10.0/Seqs.Device.dll
kestrel_dll=build/kestrel-reference/bin/Release/net10.0/KestrelReference.dll

ns="seqs-$name-$$"
tap="sq${name:0:2}$$"
kernel_ip="10.213.$octet.1"
source "$(dirname "${BASH_SOURCE[0]}")/tap-namespace.sh"
add_tap_namespace_with_logs

device_ip="10.213.$octet.2"
kestrel_url="http://127.0.0.1:$kestrel_port"
in_ns dotnet "$device_dll" --nic tap --tap-name "$tap" --ip "$device_ip/24" --mac "$mac" --http-port 80 >"$logs/device" 2>&1 &
in_ns dotnet "$kestrel_dll" "$kestrel_url" >"$logs/kestrel" 2>&1 &

wait_for() {
  for _ in $(seq 100); do
    in_ns curl -sf -o /dev/null --max-time 1 "$1" && return 0
    sleep 0.2
  done
  echo "$name: $1 does not answer" >&2
  cat "$logs/device" "$logs/kestrel" >&2
  exit 1
}
device_url="http://$device_ip/api/status"
wait_for "$device_url"
wait_for "$kestrel_url/api/status"
