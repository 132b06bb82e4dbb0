# The fuzzers of drivers (docs/fuzzing.md). Included by the top Makefile.
#
#   make fuzz FUZZ_DRIVER=panref|panthor FUZZ_MINUTES=30 [FUZZ_KERNEL=debug]
#        [FUZZ_KNOWN=fuzz/known-bugs.txt|none] [FUZZ_ENGINE=libfuzzer|afl]
#        [FUZZ_KIND=ioctl|fw]
#                       a campaign of the ioctl fuzzer in the VM (fuzz/campaign)
#   $(B)/bin/panfuzz    the in-VM executor (libFuzzer, KCOV)
#   $(B)/bin/umlclock-check  its TSC clock against the kernel's, in the VM
#   $(B)/fuzz/prog_fuzz host libFuzzer target of its interpreter (ASan/UBSan)
#
# The executor's own code is not instrumented: libFuzzer's only feedback is
# the driver's KCOV coverage, fed through its extra counters. It has its own
# main() (libFuzzer's loop runs in the thread that collects KCOV), hence
# libFuzzer's no-main runtime.

FUZZ_DRIVER ?= panref
FUZZ_MINUTES ?= 30
FUZZ_KERNEL ?= debug
FUZZ_KNOWN ?= fuzz/known-bugs.txt
FUZZ_ENGINE ?= libfuzzer
FUZZ_KIND ?= ioctl
PANFUZZ_SRC := fuzz/panfuzz.c fuzz/prog.c fuzz/umlclock.c harness/uapi.c harness/drmnode.c
PANFUZZ_HDR := fuzz/prog.h fuzz/umlclock.h harness/cputicks.h harness/uapi.h harness/drmnode.h harness/panthor_uapi_new.h

.PHONY: fuzz fuzz-builds

$(B)/bin/panfuzz: $(PANFUZZ_SRC) $(PANFUZZ_HDR) | kernel
	@command -v clang >/dev/null || { apt-get update -qq && apt-get install -y -qq clang libclang-rt-14-dev >/dev/null; }
	@mkdir -p $(B)/bin $(B)/fuzz/obj
	@set -e; for f in $(PANFUZZ_SRC); do \
		clang -std=c11 -Wall -Wextra -Werror -O2 -g -D_GNU_SOURCE -I$(UAPI) -Iharness -Ifuzz \
			-c $$f -o $(B)/fuzz/obj/$$(basename $$f .c).o; \
	done
	clang $(addprefix $(B)/fuzz/obj/,$(notdir $(PANFUZZ_SRC:.c=.o))) \
		$$(clang -print-resource-dir)/lib/linux/libclang_rt.fuzzer_no_main-x86_64.a \
		-o $@ -lstdc++ -lm -lpthread

# fuzz/umlclock.c checked in the VM against the kernel's clock (tests/fuzz/35-umlclock.sh)
$(B)/bin/umlclock-check: fuzz/umlclock_check.c fuzz/umlclock.c fuzz/umlclock.h harness/cputicks.h
	@mkdir -p $(B)/bin
	$(CC) -std=c11 -Wall -Wextra -Werror -O2 -g -D_GNU_SOURCE -Iharness -Ifuzz \
		fuzz/umlclock_check.c fuzz/umlclock.c -o $@ -ldl -lpthread

# The same executor for AFL++ (persistent mode, KCOV hashed into AFL's map).
# afl-clang-fast supplies the persistent-mode macros and runtime; its
# instrumentation is denied for every file (fuzz/afl-denylist), so the
# map holds the driver's coverage only.
$(B)/bin/panfuzz-afl: $(PANFUZZ_SRC) $(PANFUZZ_HDR) fuzz/afl-denylist $(B)/bin/panfuzz | kernel
	@command -v afl-clang-fast >/dev/null || { apt-get update -qq && apt-get install -y -qq afl++ >/dev/null; }
	AFL_QUIET=1 AFL_LLVM_DENYLIST=$(TOP)/fuzz/afl-denylist afl-clang-fast -std=c11 -Wall -Wextra -Werror \
		-O2 -g -D_GNU_SOURCE -DPANFUZZ_AFL -I$(UAPI) -Iharness -Ifuzz fuzz/panfuzz.c \
		$(addprefix $(B)/fuzz/obj/,$(notdir $(filter-out fuzz/panfuzz.o,$(PANFUZZ_SRC:.c=.o)))) \
		-o $@ -lpthread

$(B)/fuzz/prog_fuzz: fuzz/prog_fuzz.c fuzz/prog.c harness/uapi.c $(PANFUZZ_HDR) | kernel
	@command -v clang >/dev/null || { apt-get update -qq && apt-get install -y -qq clang libclang-rt-14-dev >/dev/null; }
	@mkdir -p $(B)/fuzz
	clang -std=c11 -Wall -Wextra -Werror -g -O1 -D_GNU_SOURCE -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=all -I$(UAPI) -Iharness -Ifuzz $< fuzz/prog.c harness/uapi.c -o $@

# panref with KCOV instrumentation and its remote-coverage annotations
# (PANREF_KCOV=y), for each kernel: its own copy of the sources, so the
# objects of the VM's module stay apart. Never what a board installs.
define PANREF_KCOV_BUILD
$(B)/fuzz/panref-kcov$(2)/panref.ko: $(wildcard driver/*.c driver/*.h) driver/Kbuild | $(1)
	@mkdir -p $(B)/fuzz/panref-kcov$(2)
	@for f in driver/Kbuild driver/*.c driver/*.h; do \
		case $$$$f in *.mod.c) continue ;; esac; \
		cmp -s $$$$f $(B)/fuzz/panref-kcov$(2)/$$$$(basename $$$$f) || cp $$$$f $(B)/fuzz/panref-kcov$(2)/; \
	done
	$$(MAKE) -s -C $(3) ARCH=um M=$(B)/fuzz/panref-kcov$(2) PANREF_TEST=y PANREF_WERROR=y \
		PANREF_KCOV=y modules
endef
$(eval $(call PANREF_KCOV_BUILD,kernel,,$(KOUT)))
$(eval $(call PANREF_KCOV_BUILD,debug-vm,-debug,$(B)/kernel-debug))

FUZZ_SFX := $(if $(filter debug,$(FUZZ_KERNEL)),-debug,)
# (panfuzz-afl too, so that it keeps building: make check has no AFL++ run)
fuzz-builds: $(B)/bin/panfuzz $(B)/bin/panfuzz-afl $(B)/bin/umlclock-check $(B)/fuzz/panref-kcov$(FUZZ_SFX)/panref.ko \
	$(B)/fuzz/panthor-kcov$(FUZZ_SFX)/panthor.ko vm tools

fuzz: fuzz-builds
	fuzz/campaign --driver $(FUZZ_DRIVER) --minutes $(FUZZ_MINUTES) --known $(FUZZ_KNOWN) \
		--engine $(FUZZ_ENGINE) --kind $(FUZZ_KIND) \
		$(if $(FUZZ_SFX),--debug-kernel) \
		--ko $(if $(filter panref,$(FUZZ_DRIVER)),$(B)/fuzz/panref-kcov$(FUZZ_SFX)/panref.ko,$(B)/fuzz/panthor-kcov$(FUZZ_SFX)/panthor.ko)

# The interpreter against its fake device (tests/harness/fuzz-smoke.sh);
# fuzz/seeds/prog holds inputs that once broke it (run first, every time).
.PHONY: fuzz-prog
fuzz-prog: $(B)/fuzz/prog_fuzz
	@mkdir -p $(B)/fuzz/corpus-prog
	$(B)/fuzz/prog_fuzz -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 $(B)/fuzz/corpus-prog \
		fuzz/seeds/prog
