# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# dependency: "B depends on A" (B cannot load first) and "B uses A" (A cannot
# unload while B is there), with insmod, rmmod, modprobe and modinfo.

# shellcheck source=../ktap_helpers.sh
. /demo/ktap_helpers.sh

suite dependency

EXPORTS="rust_demo_register rust_demo_unregister rust_demo_client_count rust_demo_api_version rust_demo_add"

step user_before_exporter_is_refused "load the user before the exporter"
taint=$(tainted)
run $BB_INSMOD "$KO/$USR.ko"
expect "busybox insmod of $USR fails" [ "$rc" != 0 ]
expect "the kernel log says 'Unknown symbol'" contains "$klog" "$USR: Unknown symbol rust_demo_"
same "'Unknown symbol rust_demo_add' lines from one busybox insmod (finit_module, then init_module)" \
	"$(printf '%s\n' "$klog" | grep -c 'Unknown symbol rust_demo_add ')" 2
run $KMOD_INSMOD "$KO/$USR.ko"
expect "kmod insmod of $USR fails" [ "$rc" != 0 ]
same "'Unknown symbol rust_demo_add' lines from one kmod insmod (finit_module only)" \
	"$(printf '%s\n' "$klog" | grep -c 'Unknown symbol rust_demo_add ')" 1
# The symbols the user takes from the exporter: one "Unknown symbol" line each.
nsyms=$(printf '%s\n' "$klog" | grep -c "$USR: Unknown symbol")
expect "the user uses at least the 3 C-ABI functions and 2 Registration methods ($nsyms)" [ "$nsyms" -ge 5 ]
expect "$USR is not in /proc/modules" not loaded $USR
expect "the failed load tainted the kernel O (out-of-tree, 4096; was $taint)" has_taint $TAINT_O
explain "load_module() passed the checks before symbol resolution and tainted the kernel O;" \
	"then simplify_symbols() found no rust_demo_* in any export table: ENOENT, $USR depends" \
	"on $EXP. busybox's insmod logged it twice (finit_module(), then init_module()). docs/loader.md," \
	"'A module that needs another one first' and 'Which system call'."
end

step exporter_loads_live "load the exporter"
run $BB_INSMOD "$KO/$EXP.ko"
same "busybox insmod $EXP exit status" "$rc" 0
same "$EXP state in /proc/modules" "$(field $EXP 5)" Live
same "/sys/module/$EXP/initstate" "$(initstate $EXP)" live
same "$EXP refcount" "$(refcnt $EXP)" 0
same "$EXP holders" "$(holders $EXP)" ""
run grep "^$EXP " /proc/modules
explain "do_init_module() ran the exporter's init and, when it returned 0, set the state" \
	"from Coming to Live. Nobody uses it yet, so its reference count is 0 and holders/" \
	"is empty."
end

step exports_in_kallsyms "the exported symbols are in /proc/kallsyms"
run grep -E " (__ksymtab_)?(rust_demo_[a-z_]+|_R[A-Za-z0-9_]+Registration[A-Za-z0-9_]+)	\[$EXP\]$" /proc/kallsyms
# " NAME=LETTER" for each line, so that the checks below need no process.
syms=" $(printf '%s\n' "$out" | awk '{ printf "%s=%s ", $3, $2 }')"
letter() { l=${syms#* "$1"=}; [ "$l" != "$syms" ] && echo "${l%% *}"; }
for sym in $EXPORTS; do
	expect "/proc/kallsyms has $sym in [$EXP]" [ -n "$(letter "$sym")" ]
	expect "/proc/kallsyms has __ksymtab_$sym in [$EXP]" [ -n "$(letter "__ksymtab_$sym")" ]
done
same "type letter of the plain export rust_demo_api_version" "$(letter rust_demo_api_version)" T
gpl=t
! feature export_flags_table || gpl=T
for sym in rust_demo_register rust_demo_unregister rust_demo_client_count rust_demo_add; do
	same "type letter of the GPL-only export $sym on Linux $(uname -r)" "$(letter $sym)" $gpl
done
for method in 12Registration3new 12Registration10unregister; do
	expect "/proc/kallsyms has the Rust export ...$method in [$EXP]" \
		contains "$out" " _R[A-Za-z0-9_]*16rust_demo_export[A-Za-z0-9_]*$method	\[$EXP\]$"
	expect "... and its __ksymtab_ entry" \
		contains "$out" " __ksymtab__R[A-Za-z0-9_]*$method	\[$EXP\]$"
done
explain "Each export's code and its __ksymtab_ entry (data, listed with CONFIG_KALLSYMS_ALL)," \
	"which modpost generated from the Rust export macros; the _R... names are" \
	"Registration::new and ::unregister, v0-mangled. Why GPL-only exports show 't' on 6.12" \
	"and 'T' on 7.x: docs/loader.md, 'Resolving the symbols'."
end

step user_loads_and_calls_exporter "load the user"
run $BB_INSMOD "$KO/$USR.ko"
same "busybox insmod $USR exit status" "$rc" 0
same "$USR state in /proc/modules" "$(field $USR 5)" Live
expect "$EXP logged the registration" contains "$klog" "$EXP: client '$USR' registered as #1 (1 registered)"
expect "$USR logged the exporter's answers, 20 + 22 = $((20 + 22))" \
	contains "$klog" "$USR: registered as #1 of 1 (API v1); rust_demo_add(20, 22) = $((20 + 22))$"
explain "simplify_symbols() resolved the user's $nsyms symbols from $EXP and the rest from" \
	"vmlinux; ref_module() took one reference on $EXP, for the first of them; then the init" \
	"ran. docs/loader.md, 'Resolving the symbols'."
end

step exporter_refcount_held_by_user "the user holds a reference on the exporter"
run cat /proc/modules
same "$EXP refcount" "$(refcnt $EXP)" 1
same "/sys/module/$EXP/holders/" "$(holders $EXP)" $USR
same "users column of $EXP in /proc/modules" "$(field $EXP 4)" "$USR,"
same "$USR refcount" "$(refcnt $USR)" 0
explain "One reference per using module, however many symbols it uses: $USR uses" \
	"$nsyms, $EXP's count is 1. /proc/modules and /sys/module/*/holders/ show the same link." \
	"docs/loader.md, 'Resolving the symbols'."
end

step busybox_rmmod_refused "busybox rmmod of the exporter is refused"
run $BB_RMMOD $EXP
failed_with "with EWOULDBLOCK ('Resource temporarily unavailable')" "Resource temporarily unavailable"
same "$EXP state" "$(field $EXP 5)" Live
same "$EXP refcount" "$(refcnt $EXP)" 1
explain "delete_module() found $EXP's list of users (source_list) not empty and returned" \
	"EWOULDBLOCK before checking the state or the force flag: 'B uses A' means A" \
	"cannot be unloaded while B is there. docs/loader.md, 'delete_module(), in order'."
end

step kmod_rmmod_refused "kmod rmmod of the exporter is refused"
run $KMOD_RMMOD $EXP
failed_with "kmod names the holder" "Module $EXP is in use by: $USR"
same "$EXP state" "$(field $EXP 5)" Live
same "$EXP refcount" "$(refcnt $EXP)" 1
explain "kmod's rmmod found a holder in /sys/module/$EXP/holders/ and refused, naming it," \
	"without calling delete_module(). docs/loader.md, 'Which system call'."
end

step forced_rmmod_refused "forced rmmod of the exporter is refused too"
taint=$(tainted)
run $BB_RMMOD -f $EXP
failed_with "with EWOULDBLOCK" "Resource temporarily unavailable"
same "$EXP state" "$(field $EXP 5)" Live
same "$EXP refcount" "$(refcnt $EXP)" 1
same "taint after rmmod -f (no forced-unload taint 'R')" "$(tainted)" "$taint"
explain "delete_module() checked the holders before the force flag (O_TRUNC), which" \
	"never overrides them: EWOULDBLOCK again, and no taint R. What the force does" \
	"override: docs/loader.md, 'delete_module(), in order'."
end

step plain_and_namespaced_exports "plain and namespaced exports"
run $MODINFO -F import_ns "$KO/$USR.ko"
same "$USR imports namespace" "$out" RUST_DEMO
expect "$USR called the plain export rust_demo_api_version (API v1)" \
	contains "$(kmsg_all)" "$USR: registered as #1 of 1 (API v1)"
expect "$USR called the namespaced GPL export rust_demo_add" \
	contains "$(kmsg_all)" "rust_demo_add(20, 22) = $((20 + 22))$"
explain "rust_demo_api_version is a plain EXPORT_SYMBOL (any license may use it);" \
	"rust_demo_add is EXPORT_SYMBOL_NS_GPL(RUST_DEMO): resolve_symbol() accepted it" \
	"because find_symbol() may return GPL-only symbols to $USR (its license did not" \
	"taint the kernel P) and $USR lists import_ns=RUST_DEMO in its modinfo" \
	"(verify_namespace_is_imported()). docs/loader.md, 'load_module(), in order'."
end

step unload_user_then_exporter "unload the user, then the exporter"
run $BB_RMMOD $USR
same "busybox rmmod $USR exit status" "$rc" 0
expect "$USR is gone from /proc/modules" not loaded $USR
expect "$EXP logged the unregistration" contains "$klog" "$EXP: client '$USR' unregistered (0 registered)"
same "$EXP refcount" "$(refcnt $EXP)" 0
same "$EXP holders" "$(holders $EXP)" ""
run $BB_RMMOD $EXP
same "busybox rmmod $EXP exit status" "$rc" 0
expect "nothing of the pair is in /proc/modules" not grep -q "^rust_demo_" /proc/modules
expect "/sys/module/$EXP is gone" [ ! -e /sys/module/$EXP ]
explain "delete_module() set $USR Going and ran its exit; free_module() then dropped its" \
	"reference on $EXP (module_unload_free()). With no holders and refcount 0," \
	"delete_module() let $EXP go too. docs/loader.md, 'delete_module(), in order'."
end

step modprobe_loads_dependency_first "modprobe loads the dependency first"
run cat /lib/modules/"$(uname -r)"/modules.dep
run $MODPROBE -v $USR
same "modprobe $USR exit status" "$rc" 0
same "modules modprobe inserted, in order" "$(verbs insmod "$out")" "$EXP $USR"
same "$EXP state" "$(field $EXP 5)" Live
same "$USR state" "$(field $USR 5)" Live
same "$EXP refcount" "$(refcnt $EXP)" 1
explain "kmod's modprobe looked $USR up in modules.dep.bin (the indexed twin of" \
	"modules.dep), which kmod's depmod built by matching each module's undefined" \
	"symbols against the symbols the others export (__ksymtab_strings), not from the" \
	"'depends=' modinfo ('make lint' blanks depends= in a copy and shows modules.dep" \
	"unchanged). It inserted $EXP, then $USR."
end

step modprobe_r_removes_both "modprobe -r removes both, user first"
run $MODPROBE -r -v $USR
same "modprobe -r $USR exit status" "$rc" 0
same "modules modprobe -r removed, in order" "$(verbs rmmod "$out")" "$USR $EXP"
expect "nothing of the pair is in /proc/modules" not grep -q "^rust_demo_" /proc/modules
explain "modprobe -r removes the module, then the dependencies nobody else uses," \
	"in reverse order: the only order the loader allows."
end

step modinfo_fields "modinfo"
run $MODINFO "$KO/$USR.ko"
# mi NAME: the value kmod's modinfo printed for NAME (all of them, one per line).
mi() { printf '%s\n' "$out" | sed -n "s/^$1: *//p"; }
same "depends" "$(mi depends)" $EXP
same "license" "$(mi license)" GPL
same "vermagic release" "$(mi vermagic | cut -d' ' -f1)" "$(uname -r)"
expect "author is set" [ -n "$(mi author)" ]
expect "description is set" [ -n "$(mi description)" ]
same "alias" "$(mi alias)" rust-demo-consumer
same "parameters" "$(mi parm | cut -d: -f1 | tr '\n' ' ')" "init_errno bench_calls exit_delay_ms init_delay_ms "
run $MODINFO "$KO/$EXP.ko"
same "$EXP depends" "$(mi depends)" ""
explain "modinfo reads the .modinfo section: license, author, description and alias come" \
	"from module!, depends from modpost (read by modinfo and by busybox's depmod, never" \
	"by the kernel), vermagic from the kernel it was built for, which the loader compares" \
	"with the running kernel's: docs/loader.md, 'Version magic of another kernel, and forcing it'."
end

clean_log_and_taint $MOD_TAINT
