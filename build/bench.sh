#!/usr/bin/env bash
# Runs the BenchmarkDotNet suite in Release. Arguments are BenchmarkDotNet filters (default '*'); further
# BenchmarkDotNet options may follow them, e.g. build/bench.sh '*Checksum*' --job short
# build/bench.sh --http-vs-kestrel [runs] instead runs wrk against the device and a Kestrel reference
# (build/http-vs-kestrel.sh; needs root).
set -euo pipefail
cd "$(dirname "$0")/.."
if (($# == 0)); then
  set -- '*'
fi
if [[ $1 == --http-vs-kestrel ]]; then
  shift
  exec build/http-vs-kestrel.sh "$@"
fi
exec dotnet run -c Release --project Seqs.Benchmarks -- --filter "$@"
