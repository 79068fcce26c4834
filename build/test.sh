#!/usr/bin/env bash
# The one test command: installs what the tests need, builds, runs every test, prints "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

# Debian packages the interop tests drive. Each entry is package:probe (a command, or python3 -c import).
packages=(
  "iproute2:ip"
  "iputils-ping:ping"
  "arping:arping"
  "socat:socat"
  "tshark:tshark"
  "python3-scapy:/usr/bin/python3 -c 'import scapy.all'"
  "nftables:nft"
  "dnsmasq-base:dnsmasq"
  "udhcpc:udhcpc"
  "inotify-tools:inotifywait"
  "isc-dhcp-client:dhclient"
  "chrony:chronyd"
  "bind9-dnsutils:dig"
  "hping3:hping3"
  "netcat-openbsd:nc.openbsd"
  "curl:curl"
  "openssl:openssl"
  "wrk:wrk"
  "apache2-utils:ab"
  "iperf:iperf"
  "systemd:systemd-analyze"
  "util-linux:unshare"
  "chromium:chromium"
  "mosquitto:mosquitto"
  "mosquitto-clients:mosquitto_sub"
)
missing=()
for entry in "${packages[@]}"; do
  pkg="${entry%%:*}"; probe="${entry#*:}"
  if [[ "$probe" == *" "* ]]; then
    eval "$probe" >/dev/null 2>&1 || missing+=("$pkg")
  else
    command -v "$probe" >/dev/null 2>&1 || missing+=("$pkg")
  fi
done
if ((${#missing[@]})); then
  if [[ "$(id -u)" == 0 ]]; then
    echo "installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || { echo "apt-get install failed for: ${missing[*]}"; exit 1; }
  else
    echo "not root: interop tests that need ${missing[*]} will be skipped"
  fi
fi

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
dotnet build Seqs.sln -c Release 2>&1 | tail -n 3
build=${PIPESTATUS[0]}
if [[ $build != 0 ]]; then
  dotnet build Seqs.sln -c Release 2>&1 | grep -E "error" | sort -u | head -n 50
  echo "0 passed, 1 failed"
  exit 1
fi
dotnet test Seqs.sln -c Release --no-build 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
# One VSTest summary line per test assembly, summed (docs/reference/dotnet-iot.md#nunit-and-dotnet-test).
awk '/^(Passed|Failed)! +- +Failed:/ {gsub(",","");f+=$4;p+=$6;s+=$8} END{printf "%d passed, %d failed, %d skipped\n",p,f,s}' "$log"
exit "$status"
