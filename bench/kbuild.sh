#!/usr/bin/env bash
# Kernel build times on this machine.
#   bench/kbuild.sh            nothing-changed rebuild (the cached kernel)
#   bench/kbuild.sh --scratch  also a build from scratch into a throwaway
#                              cache (unpack + configure + build, ~10 min)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
echo "cores: $(nproc)"
if [ "${1:-}" = --scratch ]; then
	tmp=$(mktemp -d /var/tmp/panref-kbuild.XXXXXX)
	s=$(date +%s.%N)
	PANREF_CACHE=$tmp "$top/vm/build-kernel" >/dev/null 2>"$tmp.log" || { cat "$tmp.log"; exit 1; }
	e=$(date +%s.%N)
	printf 'kernel build from scratch (unpack, configure, build, modules_install): %.0f s\n' "$(echo "$e - $s" | bc)"
	rm -rf "$tmp" "$tmp.log"
	# build-kernel pointed build/ at the throwaway tree: point it back.
	"$top/vm/build-kernel" >/dev/null 2>&1
fi
"$top/vm/build-kernel" >/dev/null 2>&1	# make sure it is up to date
s=$(date +%s.%N)
"$top/vm/build-kernel" >/dev/null 2>&1
e=$(date +%s.%N)
printf 'kernel rebuild with nothing changed: %.1f s\n' "$(echo "$e - $s" | bc)"
