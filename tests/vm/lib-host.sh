# Host side of a VM test: run a guest script in one boot and report the
# kernel-log verdict of vm/run as a subtest of its own.
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export PANREF_TOP=$top
# vm_test NAME VMRUN-OPTIONS... -- GUEST-CMD...
vm_test() {
	local name=$1 rc; shift
	"$top/vm/run" "$@"
	rc=$?
	case $rc in
	123) echo "not ok 999 ${name}_kernel_log_clean" ;;
	124) echo "not ok 999 ${name}_vm_finished_in_time" ;;
	125) echo "not ok 999 ${name}_vm_ran_the_test" ;;
	*) echo "ok 999 ${name}_kernel_log_clean" ;;
	esac
	return $rc
}
