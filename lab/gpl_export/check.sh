# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh disable=SC2154 # LAB_ID: qemu/host/lab-build.sh sets it
#
# The check of lab exercise gpl_export (lab/gpl_export/README.md): lab_lib
# exports lab_answer() to GPL-compatible modules only, lab_app calls it, and
# so the loader makes lab_app a holder of lab_lib.

# shellcheck source=../../qemu/guest/ktap_helpers.sh
. /demo/ktap_helpers.sh

LAB=$DEMO_DIR/lab/$LAB_ID
MODULES="lab_app lab_lib"
suite "$LAB_ID"

step lib_loads_with_a_gpl_export "lab_lib loads, with a GPL-only export"
run $BB_INSMOD "$LAB/lab_lib.ko"
same "busybox insmod lab_lib exit status" "$rc" 0
hint "the loader refused lab_lib itself: its line above says why"
run ls /sys/module/lab_lib/sections
expect "lab_lib has a table of GPL-only exports (sections/__ksymtab_gpl)" [ -e /sys/module/lab_lib/sections/__ksymtab_gpl ]
if [ -e /sys/module/lab_lib/sections/__ksymtab ]; then
	hint "lab_lib exports, but to every module (its __ksymtab): GPL-only exports have a table of their own"
else
	hint "lab_lib exports nothing: the loader links other modules only to what is in a module's" \
		"export tables, which the macros in rust_demo_abi.rs write"
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

clean_log_and_taint $((TAINT_O | TAINT_E))
