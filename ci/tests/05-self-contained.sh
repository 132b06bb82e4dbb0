#!/usr/bin/env bash
# The repository stands alone for the people who clone it on a farm: no
# tracked file points into a directory outside it (../shared, an absolute
# path of this machine's checkout).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/vm/ktap.sh"
ktap_begin 1
pat='\.\./shared/|\.\./\.\./shared/|/work/(main|shared)'
hits=$(git -C "$top" grep -nE "$pat" -- . ':!ci/tests/05-self-contained.sh' || :)
if [ -z "$hits" ]; then ktap_ok no_file_points_outside_the_repository
else ktap_fail no_file_points_outside_the_repository "$hits"; fi
ktap_end
