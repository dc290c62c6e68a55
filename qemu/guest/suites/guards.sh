# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# boots alone: it taints the kernel P (license) and F (forced load) for good.
# cmdline: module_blacklist=rust_demo_blkd
#
# guards: each check of load_module() refusing a bad module, made by
# qemu/host/make-fixtures.sh from this project's own build output, and what it leaves
# behind: nothing (no /proc/modules line, no /sys/module entry, the exporter's
# refcount and holders as they were, no new taint unless the step is about it).

# shellcheck source=../ktap_helpers.sh
. /demo/ktap_helpers.sh

suite guards

FIX=/demo/fixtures

# refused FIXTURE NAME TOOL-MESSAGE KERNEL-MESSAGE [TAINT-BITS]: kmod's insmod
# (one finit_module()) of $FIX/FIXTURE fails with TOOL-MESSAGE, the kernel logs
# KERNEL-MESSAGE (if empty: the loader logged nothing, see task_log), and
# nothing is left behind:
# no module NAME, the exporter as it was, and the taint as it was plus
# TAINT-BITS (default none).
refused() {
	taint=$(tainted) ref=$(refcnt $EXP) users=$(holders $EXP)
	run $KMOD_INSMOD "$FIX/$1"
	failed_with "with '$3'" "$3"
	if [ -n "$4" ]; then
		expect "the kernel says '$4'" contains "$klog" "$4"
	else
		same "what the loader logged (insmod's own kernel lines)" "$(task_log)" ""
	fi
	expect "$2 is not in /proc/modules" not loaded "$2"
	expect "no /sys/module/$2" [ ! -e "/sys/module/$2" ]
	same "$EXP refcount" "$(refcnt $EXP)" "$ref"
	same "$EXP holders" "$(holders $EXP)" "$users"
	same "taint" "$(tainted)" $((taint | ${5:-0}))
	# An accidentally valid fixture loaded: take it out, so that only this step fails.
	! loaded "$2" || [ "$2" = $EXP ] || $BB_RMMOD "$2" >/dev/null 2>&1
}

step not_an_elf_file_refused "not an ELF file"
unload_all
run $BB_INSMOD "$KO/$EXP.ko"
same "busybox insmod $EXP exit status (the exporter stays loaded, to check it is untouched)" "$rc" 0
refused bad_magic.ko $USR "Invalid module format" "Invalid ELF header magic"
run $KMOD_INSMOD "$FIX/empty.ko"
failed_with "with EINVAL from its own read of the compression magic, before any system call ('Invalid parameters')" "Invalid parameters"
same "what the loader logged (the command's own kernel lines)" "$(task_log)" ""
run $BB_INSMOD "$FIX/empty.ko"
failed_with "its fallback's own read of the file fails ('short read')" "short read"
same "what the loader logged (the command's own kernel lines)" "$(task_log)" ""
explain "load_module() -> elf_validity_cache_copy() refused the ELF magic with ENOEXEC" \
	"before anything was allocated. The empty file never reached load_module(): kmod's" \
	"insmod refused it itself (EINVAL, before any module system call); busybox's" \
	"finit_module() got EINVAL from kernel_read_file() and its fallback could not read it." \
	"docs/loader.md, 'Not an ELF file' and 'Before load_module(): the image'."
end

step truncated_image_refused "a truncated image"
refused truncated.ko $USR "Invalid module format" "Invalid ELF section header overflow"
explain "The file holds the first half of rust_demo_user.ko: the header is fine, but it" \
	"says the section headers lie past the end of the image, and" \
	"elf_validity_cache_copy() checks every offset against the length it was given:" \
	"ENOEXEC. docs/loader.md, 'A truncated image'."
end

step duplicate_refused "the same module twice"
taint=$(tainted) ref=$(refcnt $EXP)
run $KMOD_INSMOD "$KO/$EXP.ko"
failed_with "with EEXIST ('File exists')" "File exists"
same "what the loader logged (the command's own kernel lines)" "$(task_log)" ""
same "$EXP lines in /proc/modules" "$(grep -c "^$EXP " /proc/modules)" 1
same "$EXP state" "$(field $EXP 5)" Live
same "$EXP refcount" "$(refcnt $EXP)" "$ref"
same "taint" "$(tainted)" "$taint"
explain "early_mod_check() -> module_patient_check_exists() found a Live module of" \
	"the same name and returned EEXIST; the kernel logs nothing. docs/loader.md, 'The same" \
	"module twice'."
end

step namespace_not_imported_refused "a namespace not imported"
run $MODINFO -F import_ns "$FIX/wrong_ns_user.ko"
same "the fixture imports" "$out" RUST_DEMX
refused wrong_ns_user.ko $USR "Invalid parameters" \
	"$USR: module uses symbol (rust_demo_add) from namespace RUST_DEMO, but does not import it."
explain "simplify_symbols() -> resolve_symbol() found rust_demo_add, but" \
	"verify_namespace_is_imported() found no import_ns=RUST_DEMO in the modinfo and" \
	"returned EINVAL. load_module() then undid everything, the link to $EXP included." \
	"docs/loader.md, 'A symbol from a namespace the module does not import'."
end

step module_namespace_import_refused "an explicit import of a module: namespace"
run $MODINFO -F import_ns "$FIX/module_import_user.ko"
same "the fixture imports" "$out" module:x
if feature module_restricted_ns; then
	refused module_import_user.ko $USR "Operation not permitted" \
		"$USR: module tries to import module namespace: module:x"
	explain "setup_modinfo() (step 6) refused the explicit import of a module: namespace," \
		"which only the export's own list grants: EPERM, before any symbol was resolved." \
		"docs/loader.md, 'An export for one module only'."
else
	refused module_import_user.ko $USR "Invalid parameters" \
		"$USR: module uses symbol (rust_demo_add) from namespace RUST_DEMO, but does not import it."
	explain "Linux $(uname -r)'s setup_modinfo() cannot fail: module:x was an ordinary import," \
		"and the load went on to the symbols, where RUST_DEMO was missing: EINVAL." \
		"docs/loader.md, 'An export for one module only'."
fi
end

step module_restricted_export "an export for one module only"
if needs module_restricted_ns "Linux $(uname -r) has no module-restricted exports (verify_module_namespace() came after 6.12)"; then
	expect "the fixture rust_demo_intruder.ko was made" [ -f "$FIX/rust_demo_intruder.ko" ]
	run $BB_INSMOD "$KO/$USR.ko"
	same "busybox insmod $USR exit status" "$rc" 0
	expect "$USR called rust_demo_user_only()" contains "$klog" "$USR: rust_demo_user_only() = 7"
	run grep " rust_demo_user_only" /proc/kallsyms
	refused rust_demo_intruder.ko rust_demo_intruder "Invalid parameters" \
		"rust_demo_intruder: module uses symbol (rust_demo_user_only) from namespace module:rust_demo_user, but does not import it."
	run $BB_RMMOD $USR
	same "busybox rmmod $USR exit status" "$rc" 0
	explain "rust_demo_user_only is exported in namespace module:rust_demo_user (Rust's" \
		"export_symbol_gpl_for_modules!, C's EXPORT_SYMBOL_FOR_MODULES). For $USR," \
		"verify_module_namespace() matched its name, no import needed. The intruder was" \
		"built against a Module.symvers that hid the namespace from modpost (which" \
		"otherwise refuses it: make lint shows that); the loader reads the namespace from" \
		"$EXP's own __ksymtab and refused it with EINVAL. docs/loader.md, 'An export for one" \
		"module only'."
fi
end

step non_gpl_license_refused_gpl_symbols "a license that is not GPL-compatible"
run $MODINFO -F license "$FIX/non_gpl_user.ko"
same "the fixture's license" "$out" MIT
refused non_gpl_user.ko $USR "Unknown symbol in module" "$USR: Unknown symbol _R.*12Registration3new (err -2)" $TAINT_P
expect "the kernel says the license taints it" contains "$klog" "$USR: module license 'MIT' taints kernel."
expect "the taint stays although the load failed: P (1)" has_taint $TAINT_P
explain "module_augment_kernel_taints() tainted the kernel P for license=MIT, for good;" \
	"then find_symbol() gave the module no GPL-only symbol (Registration::new, the kernel" \
	"crate's), so simplify_symbols() failed with ENOENT. docs/loader.md, 'A license that is" \
	"not GPL-compatible'."
end

step absent_module_rmmod_refused "rmmod of a module that is not loaded"
run $BB_RMMOD $USR
failed_with "with ENOENT ('No such file or directory')" "No such file or directory"
run $KMOD_RMMOD $USR
failed_with "kmod says it is not loaded" "Module $USR is not currently loaded"
explain "delete_module() -> find_module() found no module of that name: ENOENT. kmod's" \
	"rmmod found no /sys/module/$USR and did not call it. docs/loader.md, 'Which system call'."
end

step other_vermagic_refused "version magic of another kernel"
run $BB_RMMOD $EXP
same "busybox rmmod $EXP exit status (a forced load of it comes next)" "$rc" 0
magic=$($MODINFO -F vermagic "$FIX/other_vermagic.ko")
real=$($MODINFO -F vermagic "$KO/$EXP.ko")
expect "the fixture's vermagic '$magic' differs from the kernel's '$real'" [ "$magic" != "$real" ]
if feature config_modversions; then
	skip "with CONFIG_MODVERSIONS same_magic() skips the release word of a module with __versions, so this fixture loads (symbol_versions step 3 shows it)"
else
	refused other_vermagic.ko $EXP "Invalid module format" "$EXP: version magic '$magic' should be '$real'"
	explain "early_mod_check() -> check_modinfo() compared the vermagic string with the" \
		"kernel's, whole (same_magic(): this kernel has no CONFIG_MODVERSIONS), and refused it" \
		"with ENOEXEC. docs/loader.md, 'Version magic of another kernel, and forcing it'."
fi
end

step forced_vermagic_loads_tainted_F "forced past the version magic"
taint=$(tainted)
forced_tree "$FIX/other_vermagic.ko" $EXP
run $MODPROBE -d /tmp/forced -v --force-vermagic $EXP
if [ "$(cat /sys/module/module/parameters/sig_enforce)" = Y ]; then
	# Signatures enforced from boot (Secure Boot: make test SECURE_BOOT=1).
	failed_with "signatures enforced: refused, EKEYREJECTED" "Key was rejected by service"
	expect "the kernel calls the forced module unsigned" contains "$klog" "Loading of unsigned module is rejected"
	expect "$EXP is not in /proc/modules" not loaded $EXP
	same "taint" "$(tainted)" "$taint"
	explain "A forced module is 'mangled': module_sig_check() does not check its signature" \
		"and counts it unsigned, which enforced signatures refuse. docs/loader.md," \
		"'Module signatures'."
else
	same "modprobe --force-vermagic $EXP exit status" "$rc" 0
	same "$EXP state" "$(field $EXP 5)" Live
	expect "the kernel says it is tainted" contains "$klog" "$EXP: bad vermagic: kernel tainted."
	same "taint: F (2) added, and E (8192) where signatures are checked (a forced module is unsigned)" \
		"$(tainted)" $((taint | FORCED_TAINT))
	same "$EXP flags in /proc/modules (taint letters in bit order)" "$(field $EXP 7)" "($FORCED_FLAGS)"
	run $BB_RMMOD $EXP
	same "busybox rmmod $EXP exit status" "$rc" 0
	explain "kmod's modprobe --force-vermagic passed MODULE_INIT_IGNORE_VERMAGIC to" \
		"finit_module(); check_modinfo() skipped the comparison and try_to_force_load()" \
		"(CONFIG_MODULE_FORCE_LOAD) tainted the kernel F. Why that F matters: docs/loader.md," \
		"'Version magic of another kernel, and forcing it'; why a forced module is also E where" \
		"signatures are checked: 'Module signatures'."
fi
end

step duplicate_exports_refused "a second module exporting the same symbols"
run $BB_INSMOD "$KO/$EXP.ko"
same "busybox insmod $EXP exit status" "$rc" 0
refused c_demo_export.ko c_demo_export "Invalid module format" \
	"c_demo_export: exports duplicate symbol rust_demo_[a-z_]* (owned by $EXP)"
sym=$(printf '%s\n' "$klog" | sed -n "s/.*c_demo_export: exports duplicate symbol \([^ ]*\) (owned by $EXP)$/\1/p")
expect "the kernel named the symbol" [ -n "$sym" ]
run grep -E " ${sym}[[:space:]]+\[${EXP}\]$" /proc/kallsyms
expect "$sym is $EXP's, in /proc/kallsyms" [ "$rc" = 0 ]
expect "no symbol of c_demo_export is in /proc/kallsyms" not grep -q "\[c_demo_export\]" /proc/kallsyms
same "$EXP state" "$(field $EXP 5)" Live
expect "$DEV is still there" [ -c $DEV ]
run $BB_RMMOD $EXP
same "busybox rmmod $EXP exit status" "$rc" 0
explain "The C twin (qemu/c_twin/) exports the same C symbols as $EXP. Everything before" \
	"went through: the ELF, the version magic, the sections, the relocations. Then" \
	"complete_formation() -> verify_exported_symbols() found the first of its exports" \
	"already exported by $EXP: ENOEXEC, and load_module() freed the module before its init" \
	"could run (so its /dev/rust_demo was never made). Which symbol it names, on 6.12 and" \
	"on 7.x: docs/loader.md, 'Duplicate exports'."
end

step blacklisted_name_refused "a name in the kernel's module_blacklist="
run grep -o "module_blacklist=[^ ]*" /proc/cmdline
same "this boot's module_blacklist= (the suite's '# cmdline:')" "$out" module_blacklist=rust_demo_blkd
run $MODINFO -F name $FIX/blacklisted_user.ko
same "the fixture's name (the user's, patched)" "$out" rust_demo_blkd
refused blacklisted_user.ko rust_demo_blkd "Operation not permitted" "Module rust_demo_blkd is blacklisted"
explain "early_mod_check() -> blacklisted() found the module's name in the kernel's" \
	"module_blacklist= boot parameter: EPERM, before the version magic is compared." \
	"(modprobe.d's 'blacklist' is another list: the on_demand suite.) docs/loader.md," \
	"'A name in module_blacklist='."
end


# (The forced load of step 9.)
clean_log_and_taint $((MOD_TAINT | TAINT_P | FORCED_TAINT))
