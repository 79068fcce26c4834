#!/usr/bin/env bash
# Coverage-guided fuzzing of Seqs.Core with afl-fuzz (AFL++) through SharpFuzz. See "Fuzzing" in README.md.
#   build/fuzz.sh TARGET SECONDS   a campaign: seeds from Seqs.Fuzz/Corpus/TARGET, findings in artifacts/fuzz/out/TARGET;
#                                  ends with one line: execs/s, edges, crashes
#   build/fuzz.sh TARGET --minimise  afl-cmin over the committed corpus and the last campaign's queue, written back
#                                  to Seqs.Fuzz/Corpus/TARGET (review and commit it)
#   build/fuzz.sh --list           the targets
# Installs afl++ (Debian, as root) and the SharpFuzz instrumenter (a dotnet tool under artifacts/fuzz/tools), builds
# Seqs.Fuzz into artifacts/fuzz (untracked) and instruments only Seqs.Core.dll there; the tracked tree is not touched
# except by --minimise. build/test.sh needs none of this: it replays the corpora without instrumentation.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
work="$root/artifacts/fuzz"
sharpfuzz_version=2.3.0

usage() { sed -n '3,9p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
[[ $# -ge 1 ]] || usage

install_tools() {
  if ! command -v afl-fuzz >/dev/null 2>&1; then
    [[ "$(id -u)" == 0 ]] || { echo "fuzz: afl-fuzz is missing; install Debian's afl++ (as root)" >&2; exit 1; }
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends afl++ >/dev/null
  fi
  if [[ ! -x "$work/tools/sharpfuzz" ]]; then
    dotnet tool install SharpFuzz.CommandLine --version "$sharpfuzz_version" --tool-path "$work/tools" >/dev/null
  fi
}

build() {
  dotnet build Seqs.Fuzz -c Release -o "$work/build" 2>&1 | grep -E " error |rror\(s\)" | sort -u
  # Instrument a fresh copy each time: SharpFuzz rewrites the assembly in place, and only Seqs.Core is measured.
  rm -rf "$bin"
  mkdir -p "$work/bin"
  cp -r "$work/build" "$bin"
  "$work/tools/sharpfuzz" "$bin/Seqs.Core.dll"
}

# afl-fuzz runs dotnet, which is not instrumented itself: SharpFuzz speaks the fork-server protocol from managed code.
export AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

if [[ "$1" == --list ]]; then
  ls Seqs.Fuzz/Corpus
  exit 0
fi
target="$1"
corpus="$root/Seqs.Fuzz/Corpus/$target"
[[ -d "$corpus" ]] || { echo "fuzz: no target '$target' (no $corpus); targets: $(ls Seqs.Fuzz/Corpus | tr '\n' ' ')" >&2; exit 2; }
out="$work/out/$target"
# Each target gets its own instrumented copy, so campaigns of different targets can run side by side.
bin="$work/bin/$target"
run=("$(command -v dotnet)" "$bin/Seqs.Fuzz.dll" "$target")

install_tools

if [[ "${2:-}" == --minimise ]]; then
  # The queue is the campaign's: minimise with the binary that found it, built only when there is none.
  [[ -f "$bin/Seqs.Fuzz.dll" ]] || build
  merged="$work/merge/$target"
  rm -rf "$merged" "$merged.min"
  mkdir -p "$merged"
  # crash-* inputs are regression tests: they stay whatever their coverage.
  find "$corpus" -maxdepth 1 -type f ! -name 'crash-*' -exec cp {} "$merged"/ \;
  if [[ -d "$out/default/queue" ]]; then
    find "$out/default/queue" -maxdepth 1 -type f -name 'id:*' -exec cp {} "$merged"/ \;
  fi
  afl-cmin -i "$merged" -o "$merged.min" -t 5000 -m none -- "${run[@]}" >"$work/cmin-$target.log" 2>&1 \
    || { tail -n 20 "$work/cmin-$target.log" >&2; exit 1; }
  # Seeds keep their names; inputs afl found are named by their content, so re-minimising keeps names stable.
  find "$corpus" -maxdepth 1 -type f ! -name 'crash-*' -delete
  for f in "$merged.min"/*; do
    name="$(basename "$f")"
    [[ "$name" == id:* ]] && name="$(sha1sum "$f" | cut -c1-16)"
    cp "$f" "$corpus/$name"
  done
  echo "fuzz: $target corpus minimised to $(ls "$corpus" | wc -l) inputs, $(du -sh "$corpus" | cut -f1)"
  exit 0
fi

seconds="${2:-}"
[[ "$seconds" =~ ^[0-9]+$ ]] || usage
build
rm -rf "$out"
mkdir -p "$out"
# SharpFuzz runs every input in the one .NET process afl-fuzz starts as its fork server. When that process dies (a
# runtime abort such as a stack overflow, or afl-fuzz killing it after -t) afl-fuzz stops with "Unable to communicate
# with fork server" or "Unable to request new process from fork server". AFL_DEBUG_CHILD keeps the process's last words in afl.log; the input it was running is kept in
# lost/, and the campaign resumes from its queue (-i -) for the time left.
export AFL_DEBUG_CHILD=1
stats="$out/default/fuzzer_stats"
field() { awk -F' *: *' -v k="$1" '$1 == k {print $2}' "$stats"; }
deadline=$((SECONDS + seconds))
input=(-i "$corpus")
restarts=0
# A resumed afl-fuzz counts time and executions afresh: the earlier runs' are added here (their time as measured
# here, their executions as last written to fuzzer_stats, which afl-fuzz updates every minute or so).
earlier_time=0
earlier_execs=0
while (( SECONDS < deadline )); do
  started=$SECONDS
  # -V: stop after the time left; -t: a whole-stack run in virtual time may take a few milliseconds; -m none: the
  # CLR reserves far more address space than it uses.
  afl-fuzz -V "$((deadline - SECONDS))" "${input[@]}" -o "$out" -t 5000 -m none -- "${run[@]}" >>"$out/afl.log" 2>&1 && break
  tail -n 40 "$out/afl.log" | grep -qE "Unable to (communicate with|request new process from) fork server" || { tail -n 30 "$out/afl.log" >&2; exit 1; }
  restarts=$((restarts + 1))
  earlier_time=$((earlier_time + SECONDS - started))
  earlier_execs=$((earlier_execs + $(field execs_done)))
  mkdir -p "$out/lost"
  cp "$out/default/.cur_input" "$out/lost/input-$restarts"
  echo "fuzz: $target: the fuzzed process died after $SECONDS s; its input is $out/lost/input-$restarts; resuming" >&2
  input=(-i -)
done
crashes=$(field saved_crashes)
run_time=$((earlier_time + $(field run_time)))
execs=$((earlier_execs + $(field execs_done)))
echo "fuzz: $target ran $run_time s: $execs execs, $((execs / (run_time > 0 ? run_time : 1))) execs/s, $(field edges_found) edges, $(field stability) stable, $(field corpus_count) queued, $crashes crashes, $(field saved_hangs) hangs, $restarts deaths of the fuzzed process"
if [[ "$crashes" != 0 || "$restarts" != 0 ]]; then
  echo "fuzz: crashing inputs in $out/default/crashes and $out/lost (the process's last words are in $out/afl.log); replay one with: dotnet $bin/Seqs.Fuzz.dll $target < FILE"
  exit 1
fi
