# panref - top-level build. `make` builds everything, `make run` is the main
# job, `make check` runs the tests (what .ci/run calls).
#
# The UML kernel is built once per machine into $(PANREF_CACHE) (default
# ~/.cache/panref), keyed by kernel version and vm/kernel.config; build/ holds
# links to it and everything else this tree builds. See README.md.

TOP := $(abspath .)
B := $(TOP)/build
KOUT := $(B)/kernel
KSRC := $(B)/linux
UAPI := $(KSRC)/include/uapi/drm

CC ?= cc
HOST_CFLAGS := -std=c11 -Wall -Wextra -Werror -O2 -g -D_GNU_SOURCE
SAN_CFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
DRM_CFLAGS = $(shell pkg-config --cflags libdrm)
DRM_LIBS = $(shell pkg-config --libs libdrm)

# Debian packages the build and the tests need.
DEB_PKGS := linux-source-6.12 device-tree-compiler bc bison flex libelf-dev \
	libssl-dev libdrm-dev libzstd-dev pkg-config kmod gcc make procps xz-utils \
	python3 gcc-aarch64-linux-gnu lcov

FW := $(B)/firmware/arm/mali/arch10.8/mali_csffw.bin
DTB := $(B)/panref-vm.dtb
MODEL_KO := model/mali_model.ko
MODEL_SRC := $(wildcard model/*.c model/*.h) model/Kbuild
DEVQUERY := $(B)/bin/panthor-devquery

.PHONY: all deps kernel model vm tools run check check-host check-vm bench clean conformance-doc fuzz-trace corpus \
	debug-vm check-debug soak \
	checkpatch distclean

all: vm tools

# Installed for this machine's architecture (or arch-independent): an arm64
# copy of a multiarch library (ci/deps-arm64) does not count.
deps:
	@arch=$$(dpkg --print-architecture); missing=""; for p in $(DEB_PKGS); do \
		dpkg-query -W -f='$${Status} $${Architecture}\n' $$p 2>/dev/null | \
			grep -qE "ok installed ($$arch|all)$$" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "deps: installing$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq $$missing >/dev/null || exit 1; \
	fi

$(B)/.deps-ok: Makefile
	@$(MAKE) -s deps
	@mkdir -p $(B) && touch $@

# The kernel: vm/build-kernel decides (cheaply) whether anything must be
# rebuilt; with nothing changed it only runs Kbuild's no-op pass.
kernel: $(B)/.deps-ok
	@vm/build-kernel >/dev/null

# Kbuild decides whether the module is out of date (about 1 s if not).
model: kernel
	$(MAKE) -s -C $(KOUT) ARCH=um M=$(TOP)/model modules

$(B)/mkfw: vm/mkfw.c model/csf_layout.h | $(B)/.deps-ok
	@mkdir -p $(B)
	$(CC) $(HOST_CFLAGS) $< -o $@

$(FW): $(B)/mkfw
	$(B)/mkfw $@

# One firmware tree per corruption kind, for the bad-input tests.
$(B)/firmware-bad/.stamp: $(B)/mkfw
	@rm -rf $(B)/firmware-bad && mkdir -p $(B)/firmware-bad
	@$(B)/mkfw --list-corruptions | cut -f1 | while read -r k; do \
		$(B)/mkfw --corrupt=$$k $(B)/firmware-bad/$$k/arm/mali/arch10.8/mali_csffw.bin || exit 1; \
	done
	@touch $@

$(DTB): vm/panref-vm.dts | $(B)/.deps-ok
	dtc -q -I dts -O dtb -o $@ $<

$(DEVQUERY): harness/devquery.c harness/uapi.c harness/uapi.h harness/panthor_uapi_new.h | kernel
	@mkdir -p $(B)/bin
	$(CC) $(HOST_CFLAGS) $(DRM_CFLAGS) -I$(UAPI) -Iharness $< harness/uapi.c -o $@ $(DRM_LIBS)

# Scenario programs: run inside the VM against a driver (tests/vm/30-*).
SCENARIOS := $(B)/bin/scenario-submit $(B)/bin/scenario-faults $(B)/bin/scenario-vmbind \
	$(B)/bin/scenario-heap $(B)/bin/scenario-recover $(B)/bin/scenario-limits \
	$(B)/bin/scenario-devfreq
SCN_CFLAGS = -std=c11 -Wall -Wextra -Werror -O2 -g -D_GNU_SOURCE $(DRM_CFLAGS) \
	-I$(UAPI) -Imodel -Itests/include -Itests/scenarios

PTU := tests/scenarios/ptu.c harness/drmnode.c

$(B)/bin/scenario-%: tests/scenarios/%.c $(PTU) tests/scenarios/ptu.h harness/drmnode.h model/mm_cs.h | kernel
	@mkdir -p $(B)/bin
	$(CC) $(SCN_CFLAGS) -Iharness $< $(PTU) -o $@ $(DRM_LIBS)

# The soak (tests/soak/): 8 processes of mixed work, in the debug kernel.
$(B)/bin/soak: tests/soak/soak.c $(PTU) tests/scenarios/ptu.h model/mm_cs.h | kernel
	@mkdir -p $(B)/bin
	$(CC) $(SCN_CFLAGS) -Iharness $< $(PTU) -o $@ $(DRM_LIBS)

BENCH_BINS := $(B)/bin/bench-throughput $(B)/bin/bench-cs-speed $(B)/bin/bench-ioctl-loop \
	$(B)/bin/bench-vmbind-bo

$(B)/bin/bench-vmbind-bo: bench/vmbind_bo.c | kernel
	@mkdir -p $(B)/bin
	$(CC) $(HOST_CFLAGS) $(DRM_CFLAGS) -I$(UAPI) $< -o $@ $(DRM_LIBS)

$(B)/bin/bench-ioctl-loop: bench/ioctl_loop.c $(PTU) tests/scenarios/ptu.h | kernel
	@mkdir -p $(B)/bin
	$(CC) $(SCN_CFLAGS) -Iharness $< $(PTU) -o $@ $(DRM_LIBS)

$(B)/bin/bench-throughput: bench/throughput.c $(PTU) tests/scenarios/ptu.h model/mm_cs.h | kernel
	@mkdir -p $(B)/bin
	$(CC) $(SCN_CFLAGS) -Iharness $< $(PTU) -o $@ $(DRM_LIBS)

$(B)/bin/bench-cs-speed: bench/cs_speed.c $(MODEL_SRC) tests/include/mm_host_compat.h
	@mkdir -p $(B)/bin
	$(CC) $(HOST_CFLAGS) -Imodel -Itests/include $< $(MODEL_CORE) -o $@

# Conformance binaries, one per area (conformance/*.c with a main).
CONF_AREAS := query bo vm vm_bind group submit sync tiler_heap mmio file
CONF_BINS := $(patsubst %,$(B)/conformance/%,$(CONF_AREAS))
CONF_LIB := conformance/igt.c conformance/rules.c harness/uapi.c harness/drmnode.c
CONF_HDRS := conformance/igt.h conformance/rules.h harness/uapi.h harness/panthor_uapi_new.h harness/drmnode.h

$(B)/conformance/%: conformance/%.c $(CONF_LIB) $(CONF_HDRS) | kernel
	@mkdir -p $(B)/conformance
	$(CC) $(HOST_CFLAGS) $(DRM_CFLAGS) -I$(UAPI) -Iharness -Iconformance $< $(CONF_LIB) \
		-o $@ $(DRM_LIBS)

$(B)/lib/libpantrace-record.so: harness/record.c harness/trace.c harness/uapi.c harness/trace.h harness/cputicks.h harness/uapi.h harness/panthor_uapi_new.h | kernel
	@mkdir -p $(B)/lib
	$(CC) $(HOST_CFLAGS) -fPIC -shared $(DRM_CFLAGS) -I$(UAPI) -Iharness $< harness/trace.c \
		harness/uapi.c -o $@ -ldl -lpthread -lzstd

# The default comparison policy, as a C string literal for harness/differ.c.
$(B)/gen/default_policy.inc: harness/pantrace.policy
	@mkdir -p $(B)/gen
	sed 's/\\/\\\\/g; s/"/\\"/g; s/.*/"&\\n"/' $< > $@

PANTRACE_SRC := harness/pantrace.c harness/trace.c harness/uapi.c harness/replay.c \
	harness/differ.c harness/drmnode.c harness/toc.c
PANTRACE_HDRS := harness/trace.h harness/toc.h harness/uapi.h harness/panthor_uapi_new.h harness/replay.h harness/differ.h \
	harness/drmnode.h $(B)/gen/default_policy.inc

$(B)/bin/pantrace: $(PANTRACE_SRC) $(PANTRACE_HDRS) | kernel
	@mkdir -p $(B)/bin
	$(CC) $(HOST_CFLAGS) $(DRM_CFLAGS) -I$(UAPI) -Iharness -I$(B)/gen $(PANTRACE_SRC) -o $@ -lzstd

$(B)/lib/conf-shim.so: conformance/shim.c harness/uapi.c harness/uapi.h harness/panthor_uapi_new.h | kernel
	@mkdir -p $(B)/lib
	$(CC) $(HOST_CFLAGS) -fPIC -shared $(DRM_CFLAGS) -I$(UAPI) -Iharness $< harness/uapi.c \
		-o $@ -ldl

# The reference driver (driver/driver.mk: panref.ko for ARCH=um and the
# arm64 cross build) and its pure-logic pieces (driver/fw_image.mk: host
# test, fuzz target), the CS disassembler (harness/csdis.mk). Each may add
# to DRIVER_VM (built with `make vm`), EXTRA_TOOLS and EXTRA_HOST_TESTS.
DRIVER_VM :=
EXTRA_TOOLS :=
EXTRA_HOST_TESTS :=
-include driver/driver.mk driver/fw_image.mk driver/cross.mk harness/csdis.mk

# pantrace on real clients: tests/harness/uapi_client.c built against the
# 6.12 kernel's uAPI headers alone (40-byte drm_syncobj_wait) and against
# libdrm's (32 bytes); test_newer_uapi writes synthetic uAPI 1.1+ traces.
UAPI_CLIENTS := $(B)/bin/uapi-client-kernel $(B)/bin/uapi-client-libdrm
$(B)/bin/uapi-client-kernel: tests/harness/uapi_client.c harness/drmnode.c harness/drmnode.h | kernel
	@mkdir -p $(B)/bin
	$(CC) $(HOST_CFLAGS) -D__user= -DWANT_WAIT_SIZE=40 -I$(UAPI) -Iharness $< harness/drmnode.c -o $@

$(B)/bin/uapi-client-libdrm: tests/harness/uapi_client.c harness/drmnode.c harness/drmnode.h | kernel
	@mkdir -p $(B)/bin
	$(CC) $(HOST_CFLAGS) -DWANT_WAIT_SIZE=32 $(DRM_CFLAGS) -I$(UAPI) -Iharness $< harness/drmnode.c -o $@

$(B)/tests/test_newer_uapi: tests/harness/test_newer_uapi.c harness/trace.c harness/trace.h \
		harness/uapi.c harness/uapi.h harness/panthor_uapi_new.h tests/include/ktap.h | kernel
	@mkdir -p $(B)/tests
	$(CC) $(HOST_CFLAGS) $(SAN_CFLAGS) $(DRM_CFLAGS) -I$(UAPI) -Iharness -Itests/include \
		tests/harness/test_newer_uapi.c harness/trace.c harness/uapi.c -o $@ -lzstd

EXTRA_TOOLS += $(UAPI_CLIENTS) $(B)/tests/test_newer_uapi
# ci/: LAVA jobs, dist-arm64, board-run (ci/README.md).
-include ci/ci.mk
-include fuzz/fuzz.mk fuzz/panthor-kcov.mk fuzz/coverage.mk
-include upstream/upstream.mk

tools: $(DEVQUERY) $(B)/mkfw $(SCENARIOS) $(B)/bin/soak $(BENCH_BINS) $(CONF_BINS) $(B)/lib/conf-shim.so \
	$(B)/lib/libpantrace-record.so $(B)/bin/pantrace $(EXTRA_TOOLS)

vm: kernel model $(FW) $(DTB) $(B)/firmware-bad/.stamp $(DRIVER_VM)

# The main job: boot the VM and print the DEV_QUERY report of every GPU.
run: vm tools
	vm/run -- vm/report.sh

# ---- tests ---------------------------------------------------------

HOST_TESTS := $(B)/tests/test_model_core $(B)/tests/test_uapi $(B)/tests/test_trace \
	$(B)/tests/test_differ $(B)/tests/test_newer_uapi \
	$(EXTRA_HOST_TESTS)

$(B)/tests/test_trace: tests/harness/test_trace.c harness/trace.c harness/trace.h tests/include/ktap.h
	@mkdir -p $(B)/tests
	$(CC) $(HOST_CFLAGS) $(SAN_CFLAGS) -Iharness -Itests/include tests/harness/test_trace.c harness/trace.c -o $@ -lzstd

$(B)/tests/test_differ: tests/harness/test_differ.c harness/differ.c harness/differ.h \
		harness/uapi.c harness/uapi.h harness/panthor_uapi_new.h harness/replay.h $(B)/gen/default_policy.inc \
		tests/include/ktap.h | kernel
	@mkdir -p $(B)/tests
	$(CC) $(HOST_CFLAGS) $(SAN_CFLAGS) $(DRM_CFLAGS) -I$(UAPI) -Iharness -I$(B)/gen -Itests/include \
		tests/harness/test_differ.c harness/differ.c harness/uapi.c -o $@

$(B)/tests/test_uapi: tests/harness/test_uapi.c harness/uapi.c harness/uapi.h harness/panthor_uapi_new.h tests/include/ktap.h | kernel
	@mkdir -p $(B)/tests
	$(CC) $(HOST_CFLAGS) $(SAN_CFLAGS) $(DRM_CFLAGS) -I$(UAPI) -Iharness -Itests/include \
		tests/harness/test_uapi.c harness/uapi.c -o $@ $(DRM_LIBS)

MODEL_CORE := model/mm_core.c model/mm_cs.c

$(B)/tests/test_model_core: tests/model/test_core.c $(MODEL_SRC) tests/include/mm_host_compat.h
	@mkdir -p $(B)/tests
	$(CC) $(HOST_CFLAGS) $(SAN_CFLAGS) -Imodel -Itests/include tests/model/test_core.c $(MODEL_CORE) -o $@

# tests/harness/fuzz-smoke.sh runs each fuzz target for 15 s (clang is
# installed when missing). tests/driver/arm64-build.sh runs `make
# driver-arm64` (the first time it prepares an arm64 6.12 tree: about 7
# minutes on 2 cores, then cached).
HOST_SCRIPTS := tests/harness/dump-corpus.sh tests/harness/uapi-vs-headers.sh \
	tests/harness/newer-uapi.sh tests/harness/fuzz-smoke.sh tests/driver/arm64-build.sh tests/driver/checkpatch.sh \
	tests/conformance/run-no-device.sh tests/harness/diff-snapshots.sh tests/upstream/10-series.sh \
	tests/fuzz/10-symbolize.sh tests/fuzz/20-classify.sh

# Tests side by side (tests/run -j): one per core, at most 4 (a VM takes
# 512 MiB to 1 GiB). TEST_JOBS=1 runs them one at a time, in order.
TEST_JOBS ?= $(shell n=$$(nproc); [ $$n -gt 4 ] && n=4; echo $$n)

check-host: $(HOST_TESTS) $(B)/bin/pantrace $(CONF_BINS)
	@tests/run -j $(TEST_JOBS) $(HOST_TESTS) $(HOST_SCRIPTS) $(CI_HOST_TESTS)

check-vm: vm tools panthor-fixed
	@tests/run -j $(TEST_JOBS) tests/vm/[0-9]*.sh $(CI_VM_TESTS)

# Everything, with one summary line at the end. The debug variant's kernel
# (debug-vm) costs about 11 minutes the first time on 2 cores, then is cached.
check: vm tools debug-vm fuzz-builds panthor-fixed $(HOST_TESTS)
	@tests/run -j $(TEST_JOBS) $(HOST_TESTS) $(HOST_SCRIPTS) $(CI_HOST_TESTS) tests/vm/[0-9]*.sh $(CI_VM_TESTS) tests/debug/[0-9]*.sh \
		tests/fuzz/[3-9]*.sh

# Regenerate docs/conformance.md from a run against Panthor in the VM.
conformance-doc: vm tools
	vm/run --timeout 600 -- conformance/run --driver panthor --doc docs/conformance.md

# Host libFuzzer targets (clang with its runtime: libclang-rt-14-dev).
# make fuzz-trace FUZZ_SECONDS=600 runs the trace reader's target.
FUZZ_SECONDS ?= 60
# The trace reader's target walks every decoded call through the uAPI table
# too (every layout, query type and version); its seeds include the
# synthetic uAPI 1.1+ trace.
$(B)/fuzz/trace_reader: fuzz/trace_reader.c harness/trace.c harness/trace.h harness/uapi.c \
		harness/uapi.h harness/panthor_uapi_new.h | kernel
	@command -v clang >/dev/null || { apt-get update -qq && apt-get install -y -qq clang libclang-rt-14-dev >/dev/null; }
	@mkdir -p $(B)/fuzz
	clang -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -I$(UAPI) -Iharness $< \
		harness/trace.c harness/uapi.c -o $@ -lzstd

$(B)/fuzz/seeds-trace/newer-uapi.ptrace: $(B)/tests/test_newer_uapi
	@mkdir -p $(B)/fuzz/seeds-trace
	$(B)/tests/test_newer_uapi --write $@

fuzz-trace: $(B)/fuzz/trace_reader $(B)/fuzz/seeds-trace/newer-uapi.ptrace
	@mkdir -p $(B)/fuzz/corpus-trace
	$(B)/fuzz/trace_reader -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 $(B)/fuzz/corpus-trace \
		corpus/traces $(B)/fuzz/seeds-trace

# The debug variant (vm/kernel-debug.config: kmemleak, lockdep): its own
# kernel build (about 10 minutes the first time), and copies of the model and
# panref built against it in build/debug/ (their own dirs keep the ARCH=um
# objects of the normal build apart). vm/run --debug-kernel boots it.
KOUT_DEBUG := $(B)/kernel-debug
# The model's and panref's sources into $(1)/model and $(1)/driver, changed
# files only (a kernel variant's own module builds; Kbuild decides the rest).
define copy_module_srcs
	@for d in model driver; do \
		mkdir -p $(1)/$$d && \
		for f in $$d/Kbuild $$d/*.c $$d/*.h; do \
			case $$f in *.mod.c) continue ;; esac; \
			cmp -s $$f $(1)/$$f || cp $$f $(1)/$$d/ || exit 1; \
		done; \
	done
endef

debug-vm: $(B)/.deps-ok vm
	@PANREF_KERNEL_VARIANT=debug vm/build-kernel >/dev/null
	$(call copy_module_srcs,$(B)/debug)
	@for d in model driver; do \
		$(MAKE) -s -C $(KOUT_DEBUG) ARCH=um M=$(B)/debug/$$d PANREF_TEST=y PANREF_WERROR=y modules || exit 1; \
	done

# kmemleak and lockdep over panref's life cycle (tests/debug/).
check-debug: debug-vm tools
	@tests/run -j $(TEST_JOBS) tests/debug/[0-9]*.sh

# The long soak of panref in the debug kernel (make check runs 60 s of it).
SOAK_SECONDS ?= 600
soak: debug-vm tools
	@SOAK_SECONDS=$(SOAK_SECONDS) tests/run tests/debug/20-soak.sh

# Re-record corpus/traces/ on Panthor in the VM (see corpus/README.md).
corpus: vm tools
	vm/run --timeout 900 -- corpus/record.sh

bench: vm tools
	@bench/run

checkpatch: checkpatch-driver | kernel
	$(KSRC)/scripts/checkpatch.pl --no-tree -q -f model/mm_core.c model/mm_cs.c model/uml_glue.c model/*.h \
		driver/fw_image.c driver/fw_image.h

clean: clean-driver
	rm -rf $(B)/tests $(B)/bin $(B)/mkfw $(B)/firmware $(B)/firmware-bad $(B)/vm-runs $(DTB)
	-$(MAKE) -s -C $(KOUT) ARCH=um M=$(TOP)/model clean 2>/dev/null

distclean: clean
	rm -rf $(B)
