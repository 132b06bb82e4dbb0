#!/usr/bin/env bash
# make dist-arm64: the tarball is built (panref.ko against the cached arm64
# 6.12 tree of tests/driver/arm64-build.sh, which runs before this in make
# check; the userspace and fuzz targets cross-built for aarch64), its
# MANIFEST sums every file, every ELF in it is aarch64, panref.ko's
# vermagic is the tree's; and ci/check-dist rejects a tampered tarball and
# a tarball of the wrong machine; and the aarch64 programs run (under
# qemu-user) and agree with the native ones: every conformance binary lists
# the same subtests, pantrace decodes every corpus trace to the same text.
# About 2 minutes with the tree cached.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/vm/ktap.sh"
dist=$top/build/dist/panref-arm64.tar.gz
w=$top/build/ci/dist
rm -rf "$w" && mkdir -p "$w"
ktap_begin 9
rc=0
"$top/tests/make" dist-arm64 > "$w/make.log" 2>&1 || rc=$?
if [ $rc = 0 ] && [ -f "$dist" ]; then ktap_ok dist_arm64_built
else ktap_fail dist_arm64_built "make dist-arm64 exit $rc" "$(tail -n 30 "$w/make.log")"; fi
out=$(cat "$w/make.log")
# 10 conformance binaries, 4 programs, 2 libraries, 2 fuzz targets, panref.ko
if [ $rc = 0 ] && grep -qE 'check-dist: panref-arm64.tar.gz: [0-9]+ files, 19 ELF \(aarch64\), ok$' <<<"$out" &&
   [ "$(grep -c 'ELF 64-bit LSB .*ARM aarch64' <<<"$out")" = 19 ]; then
	ktap_ok every_elf_is_aarch64
else
	ktap_fail every_elf_is_aarch64 "$(grep -E 'ELF|check-dist' <<<"$out" | head -n 30)"
fi
if grep -qE '^panref.ko vermagic: (6\.12\.[0-9]+) .*; tree \(\1, .*\): ' <<<"$out" && ! grep -q 'vermagic does not match' <<<"$out"; then
	ktap_ok module_vermagic_matches_tree
else
	ktap_fail module_vermagic_matches_tree "$(grep -i vermagic <<<"$out")"
fi
names=$(tar -tzf "$dist" 2>/dev/null || :)
if grep -qx 'panref-arm64/MANIFEST' <<<"$names" && grep -qx 'panref-arm64/driver/dkms.conf' <<<"$names" &&
   grep -qx 'panref-arm64/ci/dut/run-job' <<<"$names" && ! grep -q 'MANIFEST sums\|MANIFEST lists' <<<"$out"; then
	ktap_ok manifest_sums_every_file_dkms_sources_shipped
else
	ktap_fail manifest_sums_every_file_dkms_sources_shipped "$(head -n 20 <<<"$names")"
fi
if tar -xzOf "$dist" panref-arm64/MANIFEST 2>/dev/null | grep -q '^# compiler: aarch64-linux-gnu-gcc' ; then
	ktap_ok manifest_names_versions
else
	ktap_fail manifest_names_versions "$(tar -xzOf "$dist" panref-arm64/MANIFEST 2>&1 | head -n 8)"
fi
# tampered: one byte of pantrace changed after the MANIFEST was written
mkdir -p "$w/t" && tar -xzf "$dist" -C "$w/t" 2>/dev/null &&
	printf 'x' | dd of="$w/t/panref-arm64/build/bin/pantrace" bs=1 seek=100 conv=notrunc status=none &&
	tar -czf "$w/tampered.tar.gz" -C "$w/t" panref-arm64 || :
if [ -f "$w/tampered.tar.gz" ] && ! "$top/ci/check-dist" "$w/tampered.tar.gz" --machine aarch64 > "$w/tamper.log" 2>&1 &&
   grep -q 'MANIFEST sums do not match' "$w/tamper.log"; then
	ktap_ok check_dist_rejects_tampered_file
else
	ktap_fail check_dist_rejects_tampered_file "$(cat "$w/tamper.log" 2>/dev/null)"
fi
if [ -f "$dist" ] && ! "$top/ci/check-dist" "$dist" --machine x86-64 > "$w/machine.log" 2>&1 &&
   grep -q 'is not x86-64' "$w/machine.log"; then
	ktap_ok check_dist_rejects_wrong_machine
else
	ktap_fail check_dist_rejects_wrong_machine "$(tail -n 5 "$w/machine.log" 2>/dev/null)"
fi
# run the aarch64 programs under qemu-user, against the native build
x=$w/x
mkdir -p "$x" && tar -xzf "$dist" -C "$x" --strip-components=1 2>/dev/null || :
lists() {
	local b n=0
	for b in "$x"/build/conformance/*; do
		diff <(qemu-aarch64 "$b" --list-subtests) <("$top/build/conformance/${b##*/}" --list-subtests) || return 1
		n=$((n + 1))
	done
	[ $n = 10 ] || { echo "$n conformance binaries"; return 1; }
}
if out=$(lists 2>&1); then ktap_ok aarch64_conformance_binaries_list_the_native_subtests
else ktap_fail aarch64_conformance_binaries_list_the_native_subtests "$out"; fi
dumps() {
	local t n=0
	for t in "$top"/corpus/traces/*.ptrace; do
		diff <(qemu-aarch64 "$x/build/bin/pantrace" dump "$t" 2>&1) <("$top/build/bin/pantrace" dump "$t" 2>&1) >/dev/null ||
			{ echo "differs: $t"; return 1; }
		n=$((n + 1))
	done
	[ $n -gt 0 ]
}
if out=$(dumps 2>&1); then ktap_ok aarch64_pantrace_decodes_the_corpus_as_native
else ktap_fail aarch64_pantrace_decodes_the_corpus_as_native "$out"; fi
ktap_end
