#!/usr/bin/env bash
# Runs the BenchmarkDotNet suite in Release. Arguments are BenchmarkDotNet filters (default '*'); further
# BenchmarkDotNet options may follow them, e.g. build/bench.sh '*Checksum*' --job short
set -euo pipefail
cd "$(dirname "$0")/.."
if (($# == 0)); then
  set -- '*'
fi
exec dotnet run -c Release --project Seqs.Benchmarks -- --filter "$@"
