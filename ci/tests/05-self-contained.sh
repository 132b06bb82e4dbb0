#!/usr/bin/env bash
# The repository stands alone for the people who clone it on a farm: no
# tracked file points into a directory outside it (../shared, an absolute
# path of this machine's checkout). vm/kernel.config's comment is reported
# apart: editing that file re-keys the UML kernel cache (a rebuild), so it
# is left to its owner's next config change -- a SKIP, not a pass.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/vm/ktap.sh"
ktap_begin 2
pat='\.\./shared/|\.\./\.\./shared/|/work/(main|shared)'
hits=$(git -C "$top" grep -nE "$pat" -- . ':!vm/kernel.config' ':!ci/tests/05-self-contained.sh' || :)
if [ -z "$hits" ]; then ktap_ok no_file_points_outside_the_repository
else ktap_fail no_file_points_outside_the_repository "$hits"; fi
if git -C "$top" grep -qE "$pat" -- vm/kernel.config; then
	ktap_skip vm_kernel_config_points_nowhere_outside "its comment still names ../shared (editing it rebuilds the UML kernel)"
else
	ktap_ok vm_kernel_config_points_nowhere_outside
fi
ktap_end
