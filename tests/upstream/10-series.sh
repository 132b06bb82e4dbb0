#!/bin/bash
# The upstream series (upstream/): each patch applies, in order, to the
# kernel source the rig is built from (Debian's linux-source-6.12, never
# written to: --dry-run on a copy), is checkpatch --strict clean, and
# carries what a maintainer needs (Fixes:, Signed-off-by:, Cc: stable);
# each series has a cover letter; upstream/fixes.txt names only patches
# that exist. checkpatch's "Unknown commit id" warning is the one allowed:
# it looks the Fixes: commit up in a git history this tree does not have
# (the commits are named in upstream/README.md, with how they were found).
# The DRM-core patch, which the fixed-Panthor rig does not load, must also
# compile without a warning (W=1) against the VM's kernel.
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/vm/ktap.sh"
src=$top/build/linux
cp=$src/scripts/checkpatch.pl
patches=()
for s in panthor drm; do
	for p in "$top"/upstream/$s/0*.patch; do
		[[ $p == */0000-cover-letter.patch ]] || patches+=("$p")
	done
done
ktap_begin $((3 * ${#patches[@]} + 4))
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/tree/drivers/gpu/drm"
cp -r "$src/drivers/gpu/drm/panthor" "$tmp/tree/drivers/gpu/drm/"
cp "$src/drivers/gpu/drm/drm_syncobj.c" "$tmp/tree/drivers/gpu/drm/"
for p in "${patches[@]}"; do
	n=${p#"$top"/upstream/}
	if out=$(patch -p1 -F0 --no-backup-if-mismatch -d "$tmp/tree" < "$p" 2>&1); then
		ktap_ok "applies_${n//[\/.-]/_}"
	else
		ktap_fail "applies_${n//[\/.-]/_}" "$out"
	fi
	out=$(cd "$tmp" && "$cp" --strict --no-tree -q "$p" 2>&1 |
		grep -vE "Unknown commit id|^#[0-9]+: *$|^Fixes: |^$|^total: 0 errors, [0-9]+ warnings, 0 checks")
	w=$(cd "$tmp" && "$cp" --strict --no-tree -q "$p" 2>&1 | grep -cE '^(WARNING|ERROR|CHECK):')
	u=$(cd "$tmp" && "$cp" --strict --no-tree -q "$p" 2>&1 | grep -c 'Unknown commit id')
	if [ -z "$out" ] && [ "$w" = "$u" ]; then
		ktap_ok "checkpatch_strict_${n//[\/.-]/_}"
	else
		ktap_fail "checkpatch_strict_${n//[\/.-]/_}" "$out"
	fi
	if grep -q '^Fixes: [0-9a-f]\{12\} ("' "$p" && grep -q '^Signed-off-by: ' "$p" &&
	   grep -q '^Cc: stable@vger.kernel.org' "$p"; then
		ktap_ok "tags_${n//[\/.-]/_}"
	else
		ktap_fail "tags_${n//[\/.-]/_}" "Fixes:, Signed-off-by: or Cc: stable missing"
	fi
done
# the patched drm_syncobj.c, compiled as an object of an external build
mkdir -p "$tmp/ct"
cp "$tmp/tree/drivers/gpu/drm/drm_syncobj.c" "$tmp/ct/"
printf 'obj-m := drm_syncobj.o\nccflags-y += -I%s\n' "$src/drivers/gpu/drm" > "$tmp/ct/Kbuild"
out=$("$top/tests/make" -C "$top/build/kernel" ARCH=um M="$tmp/ct" W=1 drm_syncobj.o 2>&1)
if [ $? = 0 ] && [ -f "$tmp/ct/drm_syncobj.o" ] && ! grep -qi 'warning\|error' <<<"$out"; then
	ktap_ok drm_patch_compiles_w1
else
	ktap_fail drm_patch_compiles_w1 "$out"
fi
ok=1
for s in panthor drm; do [ -f "$top/upstream/$s/0000-cover-letter.patch" ] || ok=0; done
[ $ok = 1 ] && ktap_ok cover_letters || ktap_fail cover_letters "a series has no 0000-cover-letter.patch"
missing=$(awk '!/^#/ && NF { print $2 }' "$top/upstream/fixes.txt" | while read -r f; do
	[ -f "$top/upstream/$f" ] || echo "$f"; done)
[ -z "$missing" ] && ktap_ok fixes_txt_names_existing_patches ||
	ktap_fail fixes_txt_names_existing_patches "$missing"
grep -q '*\*\* SUBJECT HERE \*\*\*\|BLURB HERE' "$top"/upstream/*/0000-cover-letter.patch &&
	ktap_fail cover_letters_written "a cover letter still has format-patch's placeholders" ||
	ktap_ok cover_letters_written
ktap_end
