# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh disable=SC2154 # LAB_ID: qemu/host/lab-build.sh sets it
#
# The check of lab exercise namespace (lab/namespace/README.md): lab_lib
# exports lab_answer() in the namespace LAB_NS, so the loader refuses
# lab_peek, which imports nothing, and loads lab_app, which imports LAB_NS.

# shellcheck source=../../qemu/guest/ktap_helpers.sh
. /demo/ktap_helpers.sh

LAB=$DEMO_DIR/lab/$LAB_ID
MODULES="lab_app lab_peek lab_lib"
suite "$LAB_ID"

step lib_loads "lab_lib loads"
run $BB_INSMOD "$LAB/lab_lib.ko"
same "busybox insmod lab_lib exit status" "$rc" 0
hint "the loader refused lab_lib itself: its line above says why"
end

step export_in_namespace "lab_peek, which imports nothing, is refused: lab_answer is in LAB_NS"
run $BB_INSMOD "$LAB/lab_peek.ko"
expect "busybox insmod lab_peek fails" [ "$rc" != 0 ]
expect "the kernel names the namespace LAB_NS" \
	contains "$klog" "lab_peek: module uses symbol (.*lab_answer) from namespace LAB_NS, but does not import it."
if loaded lab_peek; then
	hint "lab_peek, which imports nothing, could use lab_answer: its export is in no namespace"
	$BB_RMMOD lab_peek
else
	hint "the loader refused lab_peek, but not for the namespace LAB_NS: read its line above"
fi
end

step app_imports_and_calls "lab_app, which imports LAB_NS, loads and calls lab_answer()"
run $BB_INSMOD "$LAB/lab_app.ko"
same "busybox insmod lab_app exit status" "$rc" 0
expect "lab_app printed what lab_answer() returned" contains "$klog" "lab_app: lab_answer() = 42"
same "holders of lab_lib" "$(holders lab_lib)" lab_app
hint "the loader refused lab_app (its line above): a module must import the namespace of every" \
	"symbol it uses, in its .modinfo (C's MODULE_IMPORT_NS)"
end

step unload_in_order "unload lab_app, then lab_lib"
run $BB_RMMOD lab_app
same "busybox rmmod lab_app exit status" "$rc" 0
run $BB_RMMOD lab_lib
same "busybox rmmod lab_lib exit status" "$rc" 0
end

clean_log_and_taint $((TAINT_O | TAINT_E))
