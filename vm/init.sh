#!/bin/bash
# PID 1 of the UML test machine (see vm/run). The root file system is the
# host's, through hostfs, so every path is the same inside and outside.
# Parameters arrive in the environment from the kernel command line.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root LANG=C
rd=$PANREF_RUNDIR
stamp() { echo "$1 $(cut -d' ' -f1 /proc/uptime)" >> "$rd/times"; }

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mountpoint -q /dev || mount -t devtmpfs devtmpfs /dev
mount -t debugfs debugfs /sys/kernel/debug
# What udev would create: bash process substitution needs /dev/fd.
[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd
for i in 0:stdin 1:stdout 2:stderr; do
	[ -e "/dev/${i#*:}" ] || ln -s "/proc/self/fd/${i%%:*}" "/dev/${i#*:}"
done
mount -t tmpfs tmpfs /run
stamp init

finish() {
	echo "$1" > "$rd/status"
	stamp end
	sync
	echo o > /proc/sysrq-trigger
	sleep 10
}

set -a
. "$rd/env" || finish 126
set +a
cd "$PANREF_CWD" || finish 126

if ! insmod "$PANREF_MODEL_KO"; then
	echo "vm: cannot load the model ($PANREF_MODEL_KO)" >&2
	finish 125
fi
stamp model
# GPU 1 belongs to the second driver; GPU 0 to upstream Panthor.
gpus=$(ls -d /sys/bus/platform/devices/*.gpu 2>/dev/null | sort)
set -- $gpus
if [ -n "$PANREF_GPU1_DRIVER" ] && [ -n "$2" ]; then
	echo "$PANREF_GPU1_DRIVER" > "$2/driver_override"
fi
if [ "$PANREF_LOAD_PANTHOR" = 1 ]; then
	if [ -n "$PANREF_PANTHOR_KO" ]; then
		# a Panthor built elsewhere (the fuzzing build): its dependencies first
		modprobe -d "$PANREF_MODROOT" -a gpu-sched drm_exec drm_gpuvm \
			drm_shmem_helper &&
			insmod "$PANREF_PANTHOR_KO" ||
			echo "vm: insmod $PANREF_PANTHOR_KO failed" >&2
	else
		modprobe -d "$PANREF_MODROOT" panthor ||
			echo "vm: modprobe panthor failed" >&2
	fi
	for _ in $(seq 100); do
		ls /dev/dri/renderD* >/dev/null 2>&1 && break
		[ -e "$1/driver" ] || break	# probe failed: no node will come
		sleep 0.02
	done
	stamp panthor
fi
# panref (driver/panref.ko, when built) takes GPU 1 through driver_override.
if [ -n "$PANREF_PANREF_KO" ]; then
	# its dependencies (already there when Panthor was loaded)
	modprobe -d "$PANREF_MODROOT" -a gpu-sched drm_exec drm_gpuvm drm_shmem_helper ||
		echo "vm: modprobe of panref's dependencies failed" >&2
	insmod "$PANREF_PANREF_KO" || echo "vm: insmod panref failed" >&2
	for _ in $(seq 100); do
		[ -e "$2/drm" ] && break
		[ -e "$2/driver" ] || break	# probe failed: no node will come
		sleep 0.02
	done
	stamp panref
fi
[ -e "$rd/ready" ] || : > "$rd/ready"

(eval "$(cat "$rd/cmd")") > "$rd/out" 2>&1 < /dev/null
finish $?
