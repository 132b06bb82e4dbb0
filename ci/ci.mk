# ci/ci.mk - the farm side (ci/README.md), included by the top Makefile.
#
#   make lava-jobs [LAVA_VARS=ci/vars/rk3588-rock-5b.yaml]  render + validate
#                                                           into build/ci/lava-jobs
# What ci/ needs from Debian for make check: lava-common (LAVA's job schema,
# with python3-yaml), openssh-server/-client (ci/board-run against the VM),
# file (the dist check).
DEB_PKGS += lava-common python3-yaml openssh-server openssh-client file
HOST_SCRIPTS += ci/tests/10-lava-jobs.sh ci/tests/20-lava-collect.sh
$(B)/.deps-ok: ci/ci.mk
# One boot: the LAVA path (run-job -> log -> collect), ci/board-run over SSH
# to the VM, the fuzz job (about 2 minutes).
CI_VM_TESTS := ci/tests/60-vm-ci.sh

LAVA_VARS ?= ci/vars/rk3588-rock-5b.yaml

.PHONY: lava-jobs
lava-jobs: | $(B)/.deps-ok
	rm -rf $(B)/ci/lava-jobs
	ci/lava/render --vars $(LAVA_VARS) --out $(B)/ci/lava-jobs
	ci/lava/validate $(B)/ci/lava-jobs/*.yaml
