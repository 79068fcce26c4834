#!/usr/bin/env bash
# Builds lwIP's httpd (its unix port, NO_SYS, raw API, -O2) as the connection-per-request reference that
# build/churn.sh runs beside the device when LWIP_HTTPD names the binary. lwIP is not served by any package
# registry and is not part of this repository: pass a checkout of https://github.com/lwip-tcpip/lwip (2.2 or
# later, which has contrib/ in-tree). The options are ours (lwipopts.h, lwipcfg.h here): IPv4 only, 64 PCBs,
# MSS 1460, address 10.213.99.3/24 behind the TAP address 10.213.99.1 that churn.sh gives it.
# Usage: build/lwip-reference/build.sh LWIP_SOURCE_DIR      (prints the path of the binary)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
src="$(cd "${1:?usage: build.sh LWIP_SOURCE_DIR}" && pwd)"
app="$src/contrib/ports/unix/example_app"
[[ -f "$app/Makefile" ]] || { echo "build.sh: $app/Makefile not found: is $src an lwIP 2.2+ checkout?" >&2; exit 1; }
# The example's Makefile searches its own directory first (-I.), so our options replace the example's.
cp "$here/lwipopts.h" "$here/lwipcfg.h" "$app/"
make -C "$app" CC=gcc TESTFLAGS="-O2 -DLWIP_NOASSERT -Wno-error" -j"$(nproc)" example_app >&2
echo "$app/example_app"
