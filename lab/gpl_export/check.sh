# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh disable=SC2154 # LAB_ID: qemu/host/lab-build.sh sets it
#
# The check of lab exercise gpl_export (lab/gpl_export/README.md): lab_lib
# exports lab_answer() to GPL-compatible modules only (lab_mit, whose license
# is MIT, is refused it), lab_app calls it, and so the loader makes lab_app a
# holder of lab_lib.

# shellcheck source=../../qemu/guest/ktap_helpers.sh
. /demo/ktap_helpers.sh

LAB=$DEMO_DIR/lab/$LAB_ID
MODULES="lab_app lab_mit lab_lib"
suite "$LAB_ID"

step lib_exports "lab_lib loads, and exports lab_answer"
run $BB_INSMOD "$LAB/lab_lib.ko"
same "busybox insmod lab_lib exit status" "$rc" 0
hint "the loader refused lab_lib itself: its line above says why"
run_line "grep lab_answer /proc/kallsyms"
expect "/proc/kallsyms has lab_answer's export entry, __ksymtab_..." contains "$out" " __ksymtab_[A-Za-z0-9_]*lab_answer	\[lab_lib\]$"
hint "lab_lib exports nothing: the loader links other modules only to what is in a module's" \
	"export table (__ksymtab), which the macros in rust_demo_abi.rs write"
end

step gpl_only "lab_mit, whose license is MIT, is refused lab_answer"
run $BB_INSMOD "$LAB/lab_mit.ko"
expect "busybox insmod lab_mit fails" [ "$rc" != 0 ]
expect "the kernel says lab_answer is unknown to lab_mit" contains "$klog" "lab_mit: Unknown symbol [A-Za-z0-9_]*lab_answer (err -2)"
if loaded lab_mit; then
	hint "lab_mit, whose license is not GPL-compatible, could use lab_answer: its export is for every module"
	$BB_RMMOD lab_mit
fi
end

step app_calls_lib "lab_app loads and calls lab_answer()"
run $BB_INSMOD "$LAB/lab_app.ko"
same "busybox insmod lab_app exit status" "$rc" 0
expect "lab_app printed what lab_answer() returned" contains "$klog" "lab_app: lab_answer() = 42"
hint "the loader did not load lab_app (its line above): lab_app can call only what lab_lib exports"
end

step lib_holds_app "lab_app holds lab_lib"
same "holders of lab_lib" "$(holders lab_lib)" lab_app
same "lab_lib refcount" "$(refcnt lab_lib)" 1
run $BB_RMMOD lab_lib
failed_with "with EWOULDBLOCK ('Resource temporarily unavailable')" "Resource temporarily unavailable"
hint "a module holds another only when the loader resolved one of its symbols there" \
	"(docs/loader.md, 'Resolving the symbols')"
end

step unload_in_order "unload lab_app, then lab_lib"
run $BB_RMMOD lab_app
same "busybox rmmod lab_app exit status" "$rc" 0
run $BB_RMMOD lab_lib
same "busybox rmmod lab_lib exit status" "$rc" 0
end

clean_log_and_taint $((TAINT_O | TAINT_E | TAINT_P))
