# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh disable=SC2154 # LAB_ID: qemu/host/lab-build.sh sets it
#
# The check of lab exercise param_check (lab/param_check/README.md):
# lab_param loads with its parameter level anywhere from 0 to 10 (and shows
# it in sysfs), and is refused with EINVAL above 10 or for a value that is
# not a number.

# shellcheck source=../../qemu/guest/ktap_helpers.sh
. /demo/ktap_helpers.sh

LAB=$DEMO_DIR/lab/$LAB_ID
MODULES=lab_param
suite "$LAB_ID"

# loads_with VALUE...: the step's assertions for a load with level=VALUE (or
# none: the default, 1) that must succeed.
loads_with() {
	run $KMOD_INSMOD "$LAB/lab_param.ko" ${1:+level=$1}
	same "insmod lab_param ${1:+level=$1} exit status" "$rc" 0
	same "/sys/module/lab_param/parameters/level" "$(cat /sys/module/lab_param/parameters/level 2>/dev/null)" "${1:-1}"
	hint "lab_param must load with any level from 0 to 10 (the kernel's line above says what it did)"
	! loaded lab_param || run $BB_RMMOD lab_param
}

step in_range_loads "level from 0 to 10 loads"
loads_with ""
loads_with 0
loads_with 10
end

step not_a_number_refused "level=abc is refused by the kernel's parser"
run $KMOD_INSMOD "$LAB/lab_param.ko" level=abc
failed_with "with EINVAL ('Invalid parameters')" "Invalid parameters"
expect "the kernel's parser said so" contains "$klog" "lab_param: .abc' invalid for parameter .level'"
hint "parse_args() refuses what kstrtouint() cannot read before the module's init runs"
end

step above_range_refused "level=11 is refused with EINVAL"
run $KMOD_INSMOD "$LAB/lab_param.ko" level=11
failed_with "with EINVAL ('Invalid parameters')" "Invalid parameters"
expect "lab_param is not loaded" not loaded lab_param
if loaded lab_param; then
	hint "lab_param loaded with level=11: the kernel's parser took any number; the range is" \
		"the module's to check, and its init is where it can still refuse to load"
	run $BB_RMMOD lab_param
else
	hint "refused, but not with the errno for an argument out of range"
fi
end

clean_log_and_taint $((TAINT_O | TAINT_E))
