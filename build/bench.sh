#!/usr/bin/env bash
# Runs the benchmarks in Release.
#   build/bench.sh                      the whole BenchmarkDotNet suite, then build/throughput.sh (TCP over TAP, as root)
#   build/bench.sh FILTER... [OPTIONS]  BenchmarkDotNet with these filters and options, e.g. '*Checksum*' --job short
#   build/bench.sh --throughput [seconds] [buffer]  only the TAP throughput table (build/throughput.sh; needs root)
#   build/bench.sh --http-vs-kestrel [runs]         wrk against the device and a Kestrel reference
#                                                   (build/http-vs-kestrel.sh; needs root)
#   build/bench.sh --tls [handshakes] [seconds] [rounds]
#                                                   TLS handshakes next to openssl s_time, TLS/TCP ratios of a 64 MiB
#                                                   download and upload per round, memory over a TAP (build/tls-bench.sh;
#                                                   needs root)
#   build/bench.sh --churn [seconds]                connection-per-request wrk against the device, Kestrel and
#                                                   lwIP if LWIP_HTTPD is set, per-5-second rates (build/churn.sh; root)
#   build/bench.sh --synflood [seconds] [settle] [rate]  hping3 SYN flood against the device: page latency during it,
#                                                   heap, RSS and connections before and after (build/synflood.sh; root)
#   build/bench.sh --mqtt [publishes]              QoS 0 rate and QoS 1 PUBACK time of the device to mosquitto over a
#                                                   TAP, next to mosquitto_pub (build/mqtt-bench.sh; needs root)
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-}" in
  --http-vs-kestrel)
    shift
    exec build/http-vs-kestrel.sh "$@"
    ;;
  --churn)
    shift
    exec build/churn.sh "$@"
    ;;
  --synflood)
    shift
    exec build/synflood.sh "$@"
    ;;
  --mqtt)
    shift
    exec build/mqtt-bench.sh "$@"
    ;;
  --tls)
    shift
    exec build/tls-bench.sh "$@"
    ;;
  --throughput)
    shift
    exec build/throughput.sh "$@"
    ;;
  "")
    dotnet run -c Release --project Seqs.Benchmarks -- --filter '*'
    if [[ $(id -u) == 0 ]]; then
      exec build/throughput.sh
    fi
    echo "bench: the TAP throughput table needs root; run build/bench.sh --throughput as root" >&2
    ;;
  *)
    exec dotnet run -c Release --project Seqs.Benchmarks -- --filter "$@"
    ;;
esac
