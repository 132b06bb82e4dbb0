# ci/ci.mk - the farm side (ci/README.md), included by the top Makefile.
#
#   make lava-jobs [LAVA_VARS=ci/vars/rk3588-rock-5b.yaml]  render + validate
#                                                           into build/ci/lava-jobs
# What ci/ needs from Debian for make check: lava-common (LAVA's job schema,
# with python3-yaml), openssh-server/-client (ci/board-run against the VM),
# file (the dist check).
DEB_PKGS += lava-common python3-yaml openssh-server openssh-client file
# Host tests (make check-host, make check; after the Makefile's own, so the
# arm64 tree of tests/driver/arm64-build.sh is there for 30-dist-arm64).
CI_HOST_TESTS := ci/tests/05-self-contained.sh ci/tests/10-lava-jobs.sh ci/tests/20-lava-collect.sh \
	ci/tests/30-dist-arm64.sh
# make deps also installs what make dist-arm64 needs (ci/deps-arm64:
# arm64 multiarch libraries, clang with the arm64 fuzzer runtime and the
# arm64 C++ library it links).
deps: ci-deps-arm64
.PHONY: ci-deps-arm64
ci-deps-arm64:
	@ci/deps-arm64
$(B)/.deps-ok: ci/ci.mk
# The farm path against the VM: one boot for the LAVA path (run-job -> log
# -> collect), ci/board-run over SSH to the VM and the fuzz job; another for
# a board's one-GPU path (the module swap), a test of its own so that the
# two run side by side.
CI_VM_TESTS := ci/tests/60-vm-ci.sh ci/tests/62-vm-ci-swap.sh

LAVA_VARS ?= ci/vars/rk3588-rock-5b.yaml

.PHONY: lava-jobs
lava-jobs: | $(B)/.deps-ok
	rm -rf $(B)/ci/lava-jobs
	ci/lava/render --vars $(LAVA_VARS) --out $(B)/ci/lava-jobs
	ci/lava/validate $(B)/ci/lava-jobs/*.yaml

# ---- make dist-arm64: what an RK3588 board runs, in one tarball -------
# panref.ko from driver/cross.mk (a Linux 6.12 arm64 tree; other kernels
# rebuild it with DKMS from the driver/ sources in the tarball), and the
# userspace cross-compiled by this Makefile's own rules with B=$(ARM64_B)
# and CC=aarch64-linux-gnu-gcc, linked dynamically against Debian's
# multiarch arm64 libdrm and libzstd (see ci/README.md for why), and the
# fuzz targets by the Makefile's clang rules with clang targeting aarch64.
ARM64_B := $(B)/arm64
ARM64_CC := aarch64-linux-gnu-gcc
ARM64_USER := $(addprefix $(ARM64_B)/conformance/,$(CONF_AREAS)) \
	$(addprefix $(ARM64_B)/bin/,pantrace panthor-devquery bench-throughput bench-ioctl-loop) \
	$(addprefix $(ARM64_B)/lib/,libpantrace-record.so conf-shim.so)
ARM64_FUZZ := $(ARM64_B)/fuzz/trace_reader $(ARM64_B)/fuzz/fw_image
DIST_ARM64 := $(B)/dist/panref-arm64.tar.gz

.PHONY: dist-arm64 arm64-userspace

# The sub-make must never reach the kernel: -o kernel keeps the UML kernel
# target from running, and CC goes through the environment (a command-line
# CC would reach every make below it through MAKEFLAGS).
arm64-userspace: kernel | $(B)/.deps-ok
	@ci/deps-arm64
	@CC=$(ARM64_CC) PKG_CONFIG_LIBDIR=/usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig \
		$(MAKE) -s -o kernel -o $(ARM64_B)/.deps-ok B=$(ARM64_B) KSRC=$(KSRC) $(ARM64_USER)

# The fuzz targets by the Makefile's own rules (which call clang), with a
# clang that targets aarch64 first on PATH: the rules stay the one recipe.
.PHONY: arm64-fuzz
arm64-fuzz: arm64-userspace
	@mkdir -p $(ARM64_B)/cross-bin
	@printf '#!/bin/sh\nexec /usr/bin/clang --target=aarch64-linux-gnu "$$@"\n' > $(ARM64_B)/cross-bin/clang
	@chmod +x $(ARM64_B)/cross-bin/clang
	@PATH=$(ARM64_B)/cross-bin:$$PATH $(MAKE) -s -o kernel -o $(ARM64_B)/.deps-ok B=$(ARM64_B) KSRC=$(KSRC) \
		$(ARM64_FUZZ)

# The module: by default driver/cross.mk's, built against a 6.12 arm64 tree
# configured for compile checks, which a board's kernel will rarely match.
# A farm that builds its boards' kernel passes that kernel's build
# directory (configured, modules built, Module.symvers present):
#   make dist-arm64 ARM64_KDIR=DIR
# and panref.ko is built against it, so it loads on the boards that boot
# that kernel without DKMS; check-dist compares its vermagic with DIR's.
ifneq ($(ARM64_KDIR),)
DIST_KO := $(B)/driver-arm64-kdir/panref.ko
DIST_KO_DEP := dist-ko-kdir
DIST_TREE := $(abspath $(ARM64_KDIR))
else
DIST_KO := $(ARM64_OUT)/panref.ko
DIST_KO_DEP := driver-arm64
DIST_TREE = $$(driver/prepare-arm64-tree)
endif

.PHONY: dist-ko-kdir
dist-ko-kdir: | $(B)/.deps-ok
	@rm -rf $(B)/driver-arm64-kdir && mkdir -p $(B)/driver-arm64-kdir
	@cp driver/Kbuild $(filter-out %.mod.c,$(wildcard driver/*.c driver/*.h)) $(B)/driver-arm64-kdir/
	@env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C $(DIST_TREE) M=$(B)/driver-arm64-kdir \
		ARCH=arm64 CROSS_COMPILE=$(ARM64_CROSS) modules
	@echo "dist-arm64: $(DIST_KO) against $(DIST_TREE)"

dist-arm64: $(DIST_KO_DEP) arm64-userspace arm64-fuzz $(B)/fuzz/seed-fw/.stamp
	@CC=$(ARM64_CC) DIST_DEB_ARCH=arm64 ci/mkdist --build $(ARM64_B) --module $(DIST_KO) \
		--arch arm64 --out $(DIST_ARM64) >/dev/null
	@ci/check-dist $(DIST_ARM64) --machine aarch64 --tree "$(DIST_TREE)"
