# fuzz/coverage.mk - line coverage (gcov, lcov) of a driver in the VM
# (included by the top Makefile; docs/fuzzing.md, "Line coverage").
#
#   make coverage-vm     against the VM's kernel (which has CONFIG_GCOV_KERNEL,
#                        vm/kernel.config): panref with GCOV_PROFILE=y
#                        (build/gcov/driver) and upstream Panthor's sources,
#                        unmodified, with GCOV_PROFILE=y (build/gcov/panthor)
#   make coverage COV_DRIVER=panref|panthor [COV_CORPUS=DIR]
#                        fuzz/coverage: the corpus replayed (or the conformance
#                        suite) in that VM, then build/coverage/DRIVER/:
#                        html/ (genhtml), cov.info, summary.txt
COV_DRIVER ?= panref
COV_CORPUS ?=

.PHONY: coverage-vm coverage

coverage-vm: $(B)/.deps-ok vm
	@command -v lcov >/dev/null || { apt-get update -qq && apt-get install -y -qq lcov >/dev/null; }
	$(call copy_module_srcs,$(B)/gcov)
	$(MAKE) -s -C $(KOUT) ARCH=um M=$(B)/gcov/driver PANREF_TEST=y GCOV_PROFILE=y modules
	@mkdir -p $(B)/gcov/panthor
	@for f in $(KSRC)/drivers/gpu/drm/panthor/Makefile $(KSRC)/drivers/gpu/drm/panthor/*.[ch]; do \
		cmp -s $$f $(B)/gcov/panthor/$${f##*/} || cp $$f $(B)/gcov/panthor/ || exit 1; \
	done
	$(MAKE) -s -C $(KOUT) ARCH=um M=$(B)/gcov/panthor GCOV_PROFILE=y modules

coverage: coverage-vm tools $(B)/bin/panfuzz
	fuzz/coverage --driver $(COV_DRIVER) $(if $(COV_CORPUS),--corpus $(COV_CORPUS))
