#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# features.sh KDIR
#
# Print the features of the kernel tree KDIR that the modules, the fixtures
# and the suites depend on, once, as NAME=y|n lines (make, sh and the guest's
# `needs` read them). Each comes from the tree itself, never from a version
# number: its .config, or the source of the code that has the feature (a
# backport then counts). A file the probe must read and cannot is an error,
# never a feature turned off: a headers-only tree that lacks the sources says
# so here.
set -euo pipefail
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"

[ $# -eq 1 ] || die "usage: $0 KDIR"
kdir=$1
srctree=$kdir
[ -f "$srctree/kernel/module/main.c" ] || [ ! -d "$kdir/source" ] || srctree=$kdir/source
config=$kdir/.config
[ -f "$config" ] || config=$kdir/include/config/auto.conf
[ -f "$config" ] || die "$kdir has no .config; configure that kernel first"

# has NAME FILE WORD: NAME=y if FILE has WORD (grep -w), else n.
has() {
	[ -f "$srctree/$2" ] ||
		die "$srctree/$2 is missing, so '$1' cannot be probed; point KDIR at a full build tree (or its headers completed with that file)"
	if grep -qw -- "$3" "$srctree/$2"; then echo "$1=y"; else echo "$1=n"; fi
}
# kconfig OPTION: config_option=y if the .config sets CONFIG_OPTION=y (m counts
# as n: built-in only). Lower case, so that no make variable CONFIG_* is set
# where Kbuild reads this file.
kconfig() {
	local name
	name=config_$(echo "${1#CONFIG_}" | tr '[:upper:]' '[:lower:]')
	if grep -qx "$1=y" "$config"; then echo "$name=y"; else echo "$name=n"; fi
}

echo "# Features of $kdir (scripts/kernel/features.sh)"
# `module!` takes `authors: [..]` (7.x) rather than `author:` (6.12).
has rust_module_authors rust/macros/module.rs authors
# The kernel's Rust has #[kunit_tests] (7.x).
has rust_kunit_tests rust/macros/lib.rs kunit_tests
# The loader knows module-restricted exports, namespace "module:NAME"
# (verify_module_namespace(), 7.x); 6.12's treats it as an ordinary namespace.
has module_restricted_ns kernel/module/main.c verify_module_namespace
# GPL-only exports in the one export table, with a flag byte each in
# __kflagstab (7.x), not a table of their own (6.12's __ksymtab_gpl); so
# /proc/kallsyms, which looks only in mod->syms (is_exported()), calls them T.
has export_flags_table kernel/module/main.c __kflagstab
# do_init_module() turns an init's EEXIST into EBUSY, EEXIST being reserved for
# "already loaded" (7.x); 6.12 passes it on.
has init_eexist_becomes_ebusy kernel/module/main.c "ret == -EEXIST"
for option in CONFIG_KUNIT CONFIG_SMP CONFIG_DEBUG_KMEMLEAK CONFIG_KASAN CONFIG_PROVE_LOCKING \
	CONFIG_MODULE_SIG CONFIG_MODULE_SIG_FORCE CONFIG_MODVERSIONS CONFIG_PRINTK_CALLER \
	CONFIG_SECURITY_LOCKDOWN_LSM CONFIG_SECURITYFS CONFIG_LOCK_DOWN_IN_EFI_SECURE_BOOT CONFIG_IMA_ARCH_POLICY \
	CONFIG_INTEGRITY_MACHINE_KEYRING; do
	kconfig "$option"
done
# The private key the tree signs its modules with (CONFIG_MODULE_SIG_KEY): a
# kernel built here has it; a distribution's headers have not.
if [ -n "$(module_sig_key "$kdir")" ]; then echo module_signing_key=y; else echo module_signing_key=n; fi
# Not the tree's but the boot's: SECURE_BOOT=1 boots through UEFI, shim and
# GRUB, and qemu/host/secure-boot-root.sh turns this on in that boot's root.
echo secure_boot=n
