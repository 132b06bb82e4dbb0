# driver/cross.mk - the arm64 cross build of panref.ko, a compile check for
# boards (included by the top Makefile).
#
#   make driver-arm64
#
# driver/prepare-arm64-tree prepares, once per machine, a Linux 6.12 tree
# configured for ARCH=arm64 with a complete Module.symvers (cached under
# $(PANREF_CACHE)/arm64-*). The driver's sources are copied into
# $(B)/driver-arm64/ and built there: Linux 6.12 has no separate output
# directory for external modules, and building in driver/ itself would mix
# arm64 objects with the ARCH=um ones of driver.mk. Any warning fails the
# target: -Werror comes from driver/Kbuild (PANREF_WERROR=y), and the log is searched for
# "warning" (modpost's warnings are not compiler warnings). The kernel's
# make runs without this make's flags (a jobserver note would read as a
# warning), and plain `make`, not $(MAKE), keeps `make -n` a dry run.

ARM64_CROSS := aarch64-linux-gnu-
ARM64_OUT := $(B)/driver-arm64

.PHONY: driver-arm64 driver-arm64-clean

driver-arm64: | $(B)/.deps-ok
	@tree=$$(driver/prepare-arm64-tree) || exit 1; \
	mkdir -p $(ARM64_OUT) || exit 1; \
	for f in driver/Kbuild $(filter-out %.mod.c,$(wildcard driver/*.c driver/*.h)); do \
		cmp -s $$f $(ARM64_OUT)/$${f#driver/} || cp $$f $(ARM64_OUT)/ || exit 1; \
	done; \
	for f in $(ARM64_OUT)/*.c $(ARM64_OUT)/*.h; do \
		case $$f in *.mod.c|*'*'*) continue ;; esac; \
		[ -e driver/$${f##*/} ] || rm -f $$f $${f%.c}.o; \
	done; \
	log=$(ARM64_OUT)/build.log; \
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -j$$(nproc) -C $$tree M=$(ARM64_OUT) \
		ARCH=arm64 CROSS_COMPILE=$(ARM64_CROSS) PANREF_WERROR=y modules >$$log 2>&1; rc=$$?; \
	cat $$log; \
	if [ $$rc != 0 ]; then echo "driver-arm64: build failed" >&2; exit 1; fi; \
	if grep -qi 'warning' $$log; then echo "driver-arm64: warnings" >&2; exit 1; fi; \
	echo "driver-arm64: $(ARM64_OUT)/panref.ko ($$(basename $$tree)), no warnings"

driver-arm64-clean:
	rm -rf $(ARM64_OUT)
