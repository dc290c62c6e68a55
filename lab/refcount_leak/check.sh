# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh disable=SC2154 # LAB_ID: qemu/host/lab-build.sh sets it
#
# The check of lab exercise refcount_leak (lab/refcount_leak/README.md):
# while lab_holder is loaded, lab_target counts two references (the loader's,
# for lab_holder's use of its symbol, and the one lab_holder took); once
# lab_holder is unloaded, none, and lab_target unloads.

# shellcheck source=../../qemu/guest/ktap_helpers.sh
. /demo/ktap_helpers.sh

LAB=$DEMO_DIR/lab/$LAB_ID
MODULES="lab_holder lab_target"
suite "$LAB_ID"

step holder_holds_target "lab_holder loads and holds lab_target"
run $BB_INSMOD "$LAB/lab_target.ko"
same "busybox insmod lab_target exit status" "$rc" 0
run $BB_INSMOD "$LAB/lab_holder.ko"
same "busybox insmod lab_holder exit status" "$rc" 0
hint "the loader refused a module: its line above says why"
same "holders of lab_target" "$(holders lab_target)" lab_holder
same "lab_target refcount (the loader's reference, and lab_holder's own)" "$(refcnt lab_target)" 2
hint "lab_target should count lab_holder's own reference for as long as lab_holder is loaded"
end

step holder_lets_go "unloading lab_holder gives back every reference it had"
run $BB_RMMOD lab_holder
same "busybox rmmod lab_holder exit status" "$rc" 0
same "holders of lab_target" "$(holders lab_target)" ""
same "lab_target refcount" "$(refcnt lab_target)" 0
hint "lab_holder is gone, yet a reference on lab_target is still counted: what did lab_holder" \
	"take that it never gave back, and where could it give it back?"
end

step target_unloads "lab_target unloads"
run $BB_RMMOD lab_target
same "busybox rmmod lab_target exit status" "$rc" 0
hint "delete_module() refuses a module whose refcount is not 0 (docs/loader.md, 'Not Live' and" \
	"'Holders'): until the reboot, nothing can unload lab_target now"
end

clean_log_and_taint $((TAINT_O | TAINT_E))
