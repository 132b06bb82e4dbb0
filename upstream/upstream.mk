# upstream/upstream.mk - the fixed-Panthor variant of the rig (included by
# the top Makefile; upstream/README.md).
#
#   make panthor-fixed   build/upstream/panthor-fixed/panthor.ko: the
#                        kernel's own Panthor sources with the series in
#                        upstream/panthor/ applied, nothing else changed,
#                        built against build/kernel (vm/run --panthor-fixed)
#   make fuzz-panthor-fixed [FUZZ_MINUTES=N]
#                        a campaign (fuzz/campaign) on Panthor with the
#                        series and the fuzzers' KCOV patch, with the bugs
#                        upstream/fixes.txt gives to the series taken off
#                        the known-bug filter: it must find nothing
#
# As for the fuzzers' coverage build (fuzz/panthor-kcov.mk), the sources are
# copied and patched into $(B)/upstream/panthor-fixed-src/ (redone when a
# patch, the sources or this file change), then only changed files reach
# the build directory and Kbuild decides what is out of date. The patches
# are in `git format-patch` form against the kernel tree (-p1); in the copy
# of drivers/gpu/drm/panthor/ they apply with -p5. A patch that does not
# apply to Debian's 6.12 tree fails the build, and `make check` with it.
# PANTHOR_UPSTREAM is fuzz/panthor-kcov.mk's. The DRM-core patch
# (upstream/drm/) changes drm.ko, which this variant does not rebuild:
# tests/upstream/10-series.sh checks that it applies and compiles.

UPSTREAM_PANTHOR_PATCHES := $(sort $(filter-out %/0000-cover-letter.patch,$(wildcard $(TOP)/upstream/panthor/0*.patch)))
PANTHOR_FIXED_SRC := $(B)/upstream/panthor-fixed-src
PANTHOR_FIXED_KO := $(B)/upstream/panthor-fixed/panthor.ko

# $(1): a copy of drivers/gpu/drm/panthor/ to apply the series to,
# $(2): what it was copied from (for the error).
define apply_upstream_panthor
	@for p in $(UPSTREAM_PANTHOR_PATCHES); do \
		patch -s -p5 -F0 --no-backup-if-mismatch -d $(1) < $$p || \
		{ echo "$${p##*/} does not apply to $(2)" >&2; exit 1; }; \
	done
endef

.PHONY: panthor-fixed

$(PANTHOR_FIXED_SRC)/.stamp: $(UPSTREAM_PANTHOR_PATCHES) $(TOP)/upstream/upstream.mk \
		$(wildcard $(PANTHOR_UPSTREAM)/*) | kernel
	@rm -rf $(PANTHOR_FIXED_SRC).tmp && mkdir -p $(PANTHOR_FIXED_SRC).tmp
	@cp $(PANTHOR_UPSTREAM)/Makefile $(PANTHOR_UPSTREAM)/*.[ch] $(PANTHOR_FIXED_SRC).tmp/
	$(call apply_upstream_panthor,$(PANTHOR_FIXED_SRC).tmp,$(PANTHOR_UPSTREAM))
	@rm -rf $(PANTHOR_FIXED_SRC) && mv $(PANTHOR_FIXED_SRC).tmp $(PANTHOR_FIXED_SRC) && touch $@

# Kbuild runs every time (about 1 s when nothing changed), as for panref.
panthor-fixed: $(PANTHOR_FIXED_SRC)/.stamp
	@mkdir -p $(dir $(PANTHOR_FIXED_KO))
	@for f in $(PANTHOR_FIXED_SRC)/Makefile $(PANTHOR_FIXED_SRC)/*.[ch]; do \
		cmp -s $$f $(dir $(PANTHOR_FIXED_KO))$${f##*/} || cp $$f $(dir $(PANTHOR_FIXED_KO)) || exit 1; \
	done
	$(MAKE) -s -C $(KOUT) ARCH=um M=$(dir $(PANTHOR_FIXED_KO)) modules

# The fuzzers' KCOV build of Panthor with the series on top, and the
# known-bug list without what the series fixes.
PANTHOR_KCOV_FIXED := $(B)/upstream/panthor-kcov-fixed
.PHONY: fuzz-panthor-fixed
$(PANTHOR_KCOV_FIXED)/.stamp: $(PANTHOR_KCOV_SRC)/.stamp $(UPSTREAM_PANTHOR_PATCHES) $(TOP)/upstream/upstream.mk
	@rm -rf $(PANTHOR_KCOV_FIXED) && mkdir -p $(PANTHOR_KCOV_FIXED)
	@cp $(PANTHOR_KCOV_SRC)/Kbuild $(PANTHOR_KCOV_SRC)/Makefile $(PANTHOR_KCOV_SRC)/*.[ch] $(PANTHOR_KCOV_FIXED)/
	$(call apply_upstream_panthor,$(PANTHOR_KCOV_FIXED),the KCOV build's sources)
	@touch $@

$(B)/upstream/known-bugs-fixed.txt: $(TOP)/fuzz/known-bugs.txt $(TOP)/upstream/fixes.txt
	@mkdir -p $(@D)
	@awk 'NR == FNR { if ($$0 !~ /^#/ && $$2 ~ /^panthor\//) fixed[$$1] = 1; next } \
		!($$1 in fixed)' $(TOP)/upstream/fixes.txt $(TOP)/fuzz/known-bugs.txt > $@

fuzz-panthor-fixed: $(PANTHOR_KCOV_FIXED)/.stamp $(B)/upstream/known-bugs-fixed.txt $(B)/bin/panfuzz vm tools
	$(MAKE) -s -C $(KOUT) ARCH=um M=$(PANTHOR_KCOV_FIXED) modules
	fuzz/campaign --driver panthor --minutes $(FUZZ_MINUTES) --ko $(PANTHOR_KCOV_FIXED)/panthor.ko \
		--known $(B)/upstream/known-bugs-fixed.txt --out $(B)/upstream/campaign-$$(date +%Y%m%d-%H%M%S)
