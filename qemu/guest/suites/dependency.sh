# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# dependency: "B depends on A" (B cannot load first) and "B uses A" (A cannot
# unload while B is there), with insmod, rmmod, modprobe and modinfo.

# shellcheck source=../ktap_helpers.sh
. /demo/ktap_helpers.sh

suite dependency "user_before_exporter_is_refused exporter_loads_live
exports_in_kallsyms user_loads_and_calls_exporter exporter_refcount_held_by_user
busybox_rmmod_refused kmod_rmmod_refused forced_rmmod_refused
plain_and_namespaced_exports unload_user_then_exporter
modprobe_loads_dependency_first modprobe_r_removes_both modinfo_fields
no_oops_warn_or_unexpected_taint"

EXPORTS="rust_demo_register rust_demo_unregister rust_demo_client_count rust_demo_api_version rust_demo_add"

begin "load the user before the exporter"
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
explain "finit_module() read the file (kernel_read_file()) and load_module() checked the" \
	"signature, the ELF headers (elf_validity_cache_copy()) and the version magic" \
	"(early_mod_check() -> check_modinfo()), laid the module out (layout_and_allocate())," \
	"and module_augment_kernel_taints() tainted the kernel O for an out-of-tree module." \
	"Then simplify_symbols() found no rust_demo_* in any export table, so load_module()" \
	"freed the module and returned ENOENT: $USR depends on $EXP. The messages came twice" \
	"from busybox's insmod: bb_init_module() tries finit_module() and, when that fails" \
	"for any reason, init_module() with the file copied to memory; kmod's insmod falls" \
	"back only when finit_module() does not exist (ENOSYS). The taint stays although" \
	"the load failed."
end user_before_exporter_is_refused

begin "load the exporter"
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
end exporter_loads_live

begin "the exported symbols are in /proc/kallsyms"
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
[ "$(uname -r | cut -d. -f1)" -lt 7 ] || gpl=T
for sym in rust_demo_register rust_demo_unregister rust_demo_client_count rust_demo_add; do
	same "type letter of the GPL-only export $sym on Linux $(uname -r)" "$(letter $sym)" $gpl
done
for method in 12Registration3new 12Registration10unregister; do
	expect "/proc/kallsyms has the Rust export ...$method in [$EXP]" \
		contains "$out" " _R[A-Za-z0-9_]*16rust_demo_export[A-Za-z0-9_]*$method	\[$EXP\]$"
	expect "... and its __ksymtab_ entry" \
		contains "$out" " __ksymtab__R[A-Za-z0-9_]*$method	\[$EXP\]$"
done
explain "kallsyms lists the loaded module's symbols, each export's code and its" \
	"__ksymtab_ entry (data: listed because of CONFIG_KALLSYMS_ALL), which modpost" \
	"generated from the Rust export macros. The letter is uppercase when is_exported()" \
	"finds the symbol in the module's syms table (kernel/module/kallsyms.c), not when it" \
	"is ELF-global: 6.12 keeps GPL-only exports in a second table (gpl_syms), so they" \
	"show 't'; 7.x keeps one table with a flag per symbol, so all show 'T'. The _R..." \
	"names are Rust functions exported for Rust modules: Registration::new and" \
	"Registration::unregister, under their v0-mangled names (crate rust_demo_export," \
	"type Registration, method new). rust_demo_user calls them as Rust items (rustc" \
	"read the exporter's metadata and checked the types) and the loader resolves them" \
	"like any symbol. That ties the user to this very build of the exporter (the" \
	"mangled names carry a hash of the crate), an exported function must not be inlined" \
	"into its callers (#[inline(never)]), and a generic one cannot be exported at all."
end exports_in_kallsyms

begin "load the user"
run $BB_INSMOD "$KO/$USR.ko"
same "busybox insmod $USR exit status" "$rc" 0
same "$USR state in /proc/modules" "$(field $USR 5)" Live
expect "$EXP logged the registration" contains "$klog" "$EXP: client '$USR' registered as #1 (1 registered)"
expect "$USR logged the exporter's answers, 20 + 22 = $((20 + 22))" \
	contains "$klog" "$USR: registered as #1 of 1 (API v1); rust_demo_add(20, 22) = $((20 + 22))$"
explain "This time simplify_symbols() resolved the user's $nsyms symbols from $EXP" \
	"(rust_demo_* C-ABI functions and Registration's Rust methods) against its export table;" \
	"its other undefined symbols resolved against vmlinux's exports: the kernel and core" \
	"crates' functions and rust_helper_*, all GPL-only (one reason every Rust module must" \
	"have a GPL-compatible license), and the C functions it uses through the bindings" \
	"(msleep_interruptible, param_ops_uint: plain exports). For each symbol found in" \
	"$EXP, resolve_symbol() called ref_module(): the first call took a reference on $EXP" \
	"for the user and linked the two, the others found the link (already_uses()). Then" \
	"the user's init ran and called into $EXP."
end user_loads_and_calls_exporter

begin "the user holds a reference on the exporter"
run cat /proc/modules
same "$EXP refcount" "$(refcnt $EXP)" 1
same "/sys/module/$EXP/holders/" "$(holders $EXP)" $USR
same "users column of $EXP in /proc/modules" "$(field $EXP 4)" "$USR,"
same "$USR refcount" "$(refcnt $USR)" 0
explain "One reference per using module, however many symbols it uses: $USR uses" \
	"$nsyms, $EXP's count is 1. /proc/modules and /sys/module/*/holders/ show the same link."
end exporter_refcount_held_by_user

begin "busybox rmmod of the exporter is refused"
run $BB_RMMOD $EXP
failed_with "with EWOULDBLOCK ('Resource temporarily unavailable')" "Resource temporarily unavailable"
same "$EXP state" "$(field $EXP 5)" Live
same "$EXP refcount" "$(refcnt $EXP)" 1
explain "delete_module() found $EXP's list of users (source_list) not empty and returned" \
	"EWOULDBLOCK before anything else: 'B uses A' means A cannot be unloaded while B" \
	"is there."
end busybox_rmmod_refused

begin "kmod rmmod of the exporter is refused"
run $KMOD_RMMOD $EXP
failed_with "kmod names the holder" "Module $EXP is in use by: $USR"
same "$EXP state" "$(field $EXP 5)" Live
same "$EXP refcount" "$(refcnt $EXP)" 1
explain "kmod's rmmod (check_module_inuse()) reads /sys/module/$EXP/holders/ itself and" \
	"refuses before calling delete_module(), naming the holder."
end kmod_rmmod_refused

begin "forced rmmod of the exporter is refused too"
taint=$(tainted)
run $BB_RMMOD -f $EXP
failed_with "with EWOULDBLOCK" "Resource temporarily unavailable"
same "$EXP state" "$(field $EXP 5)" Live
same "$EXP refcount" "$(refcnt $EXP)" 1
same "taint after rmmod -f (no forced-unload taint 'R')" "$(tainted)" "$taint"
explain "The force flag (O_TRUNC to delete_module()) overrides only two refusals, and" \
	"only with CONFIG_MODULE_FORCE_UNLOAD, tainting the kernel R (try_force_unload()):" \
	"a module with an init but no exit function, and a non-zero refcount. It never" \
	"overrides holders, checked first, nor a module that is not Live."
end forced_rmmod_refused

begin "plain and namespaced exports"
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
	"(verify_namespace_is_imported())."
end plain_and_namespaced_exports

begin "unload the user, then the exporter"
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
	"delete_module() let $EXP go too."
end unload_user_then_exporter

begin "modprobe loads the dependency first"
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
end modprobe_loads_dependency_first

begin "modprobe -r removes both, user first"
run $MODPROBE -r -v $USR
same "modprobe -r $USR exit status" "$rc" 0
same "modules modprobe -r removed, in order" "$(verbs rmmod "$out")" "$USR $EXP"
expect "nothing of the pair is in /proc/modules" not grep -q "^rust_demo_" /proc/modules
explain "modprobe -r removes the module, then the dependencies nobody else uses," \
	"in reverse order: the only order the loader allows."
end modprobe_r_removes_both

begin "modinfo"
run $MODINFO "$KO/$USR.ko"
# field NAME: the value kmod's modinfo printed for NAME (all of them, one per line).
mi() { printf '%s\n' "$out" | sed -n "s/^$1: *//p"; }
same "depends" "$(mi depends)" $EXP
same "license" "$(mi license)" GPL
same "vermagic release" "$(mi vermagic | cut -d' ' -f1)" "$(uname -r)"
expect "author is set" [ -n "$(mi author)" ]
expect "description is set" [ -n "$(mi description)" ]
same "alias" "$(mi alias)" rust-demo-consumer
same "parameters" "$(mi parm | cut -d: -f1 | tr '\n' ' ')" "bench_calls exit_delay_ms init_delay_ms "
run $MODINFO "$KO/$EXP.ko"
same "$EXP depends" "$(mi depends)" ""
explain "modinfo reads the .modinfo section: license, author, description and alias come" \
	"from module!, depends from modpost (read by modinfo and by busybox's depmod, never" \
	"by the kernel), vermagic from the kernel it was built for. check_modinfo() refuses" \
	"a vermagic that differs from the running kernel's; with CONFIG_MODVERSIONS" \
	"same_magic() skips the release and symbol CRCs decide. modprobe --force-vermagic" \
	"skips the check and taints the kernel F."
end modinfo_fields

clean_log_and_taint $MOD_TAINT
