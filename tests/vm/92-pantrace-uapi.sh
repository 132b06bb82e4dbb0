#!/bin/bash
# pantrace on real clients: a program built against the 6.12 kernel's uAPI
# headers and the same one built against libdrm's are recorded, dumped fully
# decoded and replayed on Panthor with no difference, then compared on
# Panthor vs panref; an ioctl the uAPI table does not know is recorded,
# dumped raw, replayed and reported as unknown; synthetic records of every
# uAPI 1.1+ call replay on Panthor 6.12 as "not supported" differences,
# which a policy line accepts.
. "$(dirname "$0")/lib-host.sh"
d=$top/build/pantrace-uapi
rm -rf "$d" && mkdir -p "$d"
# written on the host (the writer is a sanitizer build)
"$top/build/tests/test_newer_uapi" --write --replayable "$d/newer.ptrace" || exit 1
vm_test pantrace_uapi --timeout 300 -- "$top/tests/vm/guest/pantrace-uapi.sh" "$d"
