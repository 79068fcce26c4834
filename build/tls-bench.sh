#!/usr/bin/env bash
# TLS over a TAP (issue 17): the stack's TLS 1.3 handshakes (ECDSA P-256) as client against openssl s_server, next to
# the kernel's own openssl s_time against the same server; as server, under openssl s_time; a 64 MiB download and a
# 64 MiB upload through TLS, each as a ratio of the same transfer over plain TCP on the same path, in several rounds
# (each upload's SHA-256 checked at the receiving end); and the memory of an open TLS connection. Everything runs in
# one network namespace, in one run. Usage: build/tls-bench.sh [handshakes] [s_time seconds] [bulk rounds]
# (default 200 handshakes, 5 s, 5 rounds). Needs root.
set -euo pipefail
cd "$(dirname "$0")/.."

handshakes=${1:-200}
seconds=${2:-5}
rounds=${3:-5}
kernel_ip=10.78.0.1
stack_ip=10.78.0.2

if [[ $(id -u) != 0 ]]; then
  echo "tls-bench: needs root for a network namespace and a TAP" >&2
  exit 1
fi
for tool in ip openssl socat; do
  command -v "$tool" >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq iproute2 openssl socat >/dev/null; break; }
done

dotnet build Seqs.Benchmarks/Seqs.Benchmarks.csproj -c Release -v q -nologo | grep -E " error |rror\(s\)" || true
tool=(dotnet Seqs.Benchmarks/bin/Release/net10.0/Seqs.Benchmarks.dll)

ns="seqs-tls-$$"
tap="sqtl$$"
work="$(mktemp -d)"
pids=()
cleanup() {
  exec 4>&- 2>/dev/null || true
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  # openssl s_server and the socat listeners were started in the background through in_ns, so their pids are not in
  # $pids: end everything left in the namespace.
  remove_namespace
  rm -rf "$work"
}
trap cleanup EXIT
# shellcheck source=build/netlab/tap-namespace.sh
source build/netlab/tap-namespace.sh
add_tap_namespace

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$work/key.pem" -out "$work/cert.pem" \
  -subj /CN=tls-bench -days 1 2>/dev/null
head -c 67108864 /dev/urandom >"$work/bulk"

# s_server ends a connection when its standard input ends, so it gets one that stays open.
(cd "$work" && sleep infinity | in_ns openssl s_server -quiet -tls1_3 -accept "$kernel_ip:4433" -cert cert.pem -key key.pem -WWW) >/dev/null 2>&1 &
pids+=($!)
# -U: the file is opened for each connection (a first address would be opened once, and read to its end by the first).
in_ns socat -U "TCP4-LISTEN:5001,bind=$kernel_ip,reuseaddr,fork" "FILE:$work/bulk" &
pids+=($!)
in_ns socat "OPENSSL-LISTEN:4434,bind=$kernel_ip,reuseaddr,fork,cert=$work/cert.pem,key=$work/key.pem,verify=0" PIPE &
pids+=($!)
# The upload sinks: each connection's data hashed, one line per upload, checked against the file below.
in_ns socat -u "OPENSSL-LISTEN:4435,bind=$kernel_ip,reuseaddr,fork,cert=$work/cert.pem,key=$work/key.pem,verify=0" \
  "SYSTEM:sha256sum >>$work/uploads.tls" &
pids+=($!)
in_ns socat -u "TCP4-LISTEN:5002,bind=$kernel_ip,reuseaddr,fork" "SYSTEM:sha256sum >>$work/uploads.plain" &
pids+=($!)
sleep 1

mkfifo "$work/control"
in_ns "${tool[@]}" tls-stack "$tap" "$stack_ip/24" "$kernel_ip" "$work/cert.pem" "$work/key.pem" "$handshakes" "$work/bulk" "$rounds" <"$work/control" >"$work/stack.log" 2>&1 &
pids+=($!)
exec 4>"$work/control"
for _ in $(seq 3000); do grep -q serving "$work/stack.log" && break; sleep 0.1; done
grep -q serving "$work/stack.log" || { cat "$work/stack.log" >&2; exit 1; }

s_time() { in_ns openssl s_time -connect "$1" -new -tls1_3 -time "$seconds" 2>/dev/null | grep -E 'connections in [0-9.]+s' | tail -1; }
kernel_server=$(s_time "$kernel_ip:4433")
stack_server=$(s_time "$stack_ip:4443")
exec 4>&-

echo "TLS 1.3, ECDSA P-256, over a TAP:"
grep -v serving "$work/stack.log" | sed 's/^/  stack: /'
echo "  kernel openssl s_time -> kernel s_server: $kernel_server"
echo "  kernel openssl s_time -> stack's server:  $stack_server"
sleep 0.5
expected=$(sha256sum <"$work/bulk" | cut -d' ' -f1)
for kind in tls plain; do
  good=$(grep -c "^$expected " "$work/uploads.$kind" 2>/dev/null || true)
  echo "  uploads over $kind with the file's SHA-256: ${good:-0} of $rounds"
  [[ ${good:-0} == "$rounds" ]] || { echo "tls-bench: an upload over $kind arrived damaged or not at all" >&2; exit 1; }
done
