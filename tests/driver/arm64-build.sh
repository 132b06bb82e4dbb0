#!/bin/bash
# The arm64 cross build of panref.ko (driver/cross.mk) compiles with no
# warning against a Linux 6.12 tree configured for arm64: one KTAP result.
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/vm/ktap.sh"
ktap_begin 1
ko=$top/build/driver-arm64/panref.ko
# ELF e_machine (offset 18) of an arm64 object is 183 (EM_AARCH64)
if out=$("$top/tests/make" driver-arm64 2>&1) &&
   [ "$(od -An -tu2 -j18 -N2 "$ko" | tr -d ' ')" = 183 ]; then
	ktap_ok arm64_cross_build_warning_free
else
	ktap_fail arm64_cross_build_warning_free "$(tail -n 30 <<<"$out")"
fi
ktap_end
