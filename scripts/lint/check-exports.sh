#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# check-exports.sh KDIR MODDIR KBUILD-VARIABLES...
#
# Check the exports as modpost recorded them in MODDIR/Module.symvers, the
# dependency recorded in rust_demo_user.ko, and what modpost lets independent C
# modules do with them: a GPL module may use every export (the namespaced one
# after importing its namespace), a proprietary one may use the plain export
# but is refused the GPL-only ones.
set -euo pipefail
here=$(dirname "$0")
# shellcheck source=../lib.sh
. "$here/../lib.sh"

[ $# -ge 2 ] || die "usage: $0 KDIR MODDIR KBUILD-VARIABLES..."
kdir=$1 moddir=$2
shift 2
kbuild_vars=("$@")
symvers=$moddir/Module.symvers
[ -f "$symvers" ] || die "no $symvers; build the modules first (make modules)"
# Kept on failure, for its build logs.
tmp=$(mktemp -d)
fail=0
check() { # check DESCRIPTION COMMAND...
	if "${@:2}"; then echo "ok: $1"; else echo "FAILED: $1" >&2 && fail=1; fi
}

# Module.symvers columns: CRC, symbol, module, export type, namespace.
for expect in \
	"rust_demo_register EXPORT_SYMBOL_GPL -" \
	"rust_demo_unregister EXPORT_SYMBOL_GPL -" \
	"rust_demo_client_count EXPORT_SYMBOL_GPL -" \
	"rust_demo_api_version EXPORT_SYMBOL -" \
	"rust_demo_add EXPORT_SYMBOL_GPL RUST_DEMO"; do
	got=$(awk -F '\t' -v s="${expect%% *}" '$2 == s && $3 ~ /(^|\/)rust_demo_export$/ { print $2, $4, ($5 == "" ? "-" : $5) }' "$symvers")
	check "Module.symvers lists '$expect'" [ "$got" = "$expect" ]
done
# The typed Rust API: methods, exported under their v0-mangled names.
for method in 12Registration3new 12Registration10unregister; do
	got=$(awk -F '\t' -v re="^_R.*16rust_demo_export.*$method\$" '$2 ~ re { print $4 }' "$symvers")
	check "Module.symvers lists Rust's Registration method ...$method as EXPORT_SYMBOL_GPL" \
		[ "$got" = EXPORT_SYMBOL_GPL ]
done
check "rust_demo_user.ko has depends=rust_demo_export" \
	[ "$(modinfo -F depends "$moddir/rust_demo_user.ko")" = rust_demo_export ]

# c_module NAME LICENSE "SYMBOLS": build an independent C module that calls
# SYMBOLS against Module.symvers; 0 if modpost accepts it.
c_module() {
	local name=$1 license=$2 sym
	mkdir -p "$tmp/$name"
	echo "obj-m := $name.o" >"$tmp/$name/Kbuild"
	{
		echo '#include <linux/module.h>'
		echo '#include <linux/init.h>'
		for sym in $3; do echo "void $sym(void);"; done
		echo 'static int __init c_init(void)'
		echo '{'
		for sym in $3; do printf '\tpr_info("%%ps\\n", %s);\n' "$sym"; done
		echo '	return 0;'
		echo '}'
		echo 'module_init(c_init);'
		echo "MODULE_LICENSE(\"$license\");"
		echo 'MODULE_DESCRIPTION("Independent C consumer of the Rust exports");'
		echo 'MODULE_INFO(import_ns, "RUST_DEMO");'
	} >"$tmp/$name/$name.c"
	make -C "$kdir" M="$tmp/$name" KBUILD_EXTRA_SYMBOLS="$symvers" "${kbuild_vars[@]}" modules \
		>"$tmp/$name/build.log" 2>&1
}

all="rust_demo_register rust_demo_unregister rust_demo_client_count rust_demo_api_version rust_demo_add"
check "a GPL C module builds using every export ($all)" c_module c_gpl GPL "$all"
check "a proprietary C module builds using the plain export rust_demo_api_version" \
	c_module c_plain Proprietary rust_demo_api_version
if c_module c_proprietary Proprietary "$all"; then
	check "modpost refuses a proprietary C module using the GPL-only exports" false
else
	for sym in rust_demo_register rust_demo_unregister rust_demo_client_count rust_demo_add; do
		# "GPL-incompatible module c_proprietary.ko uses ..." (6.12) or
		# "c_proprietary.ko: GPL-incompatible module uses ..." (7.x).
		check "modpost refuses a proprietary C module using GPL-only $sym" \
			grep -q "c_proprietary.ko.* uses GPL-only symbol '$sym'" \
			"$tmp/c_proprietary/build.log"
	done
fi
# A module-restricted export (Linux 7.x): modpost refuses any other module.
if grep -qx 'module_restricted_ns=y' "$moddir/features"; then
	check "Module.symvers lists rust_demo_user_only in namespace module:rust_demo_user" \
		grep -q '	rust_demo_user_only	.*	module:rust_demo_user$' "$symvers"
	mkdir -p "$tmp/intruder"
	cp "$here/../../qemu/fixtures/Kbuild" "$here/../../qemu/fixtures/rust_demo_intruder.c" "$tmp/intruder/"
	# (A build that succeeds has no such error in its log, so the check fails.)
	make -C "$kdir" M="$tmp/intruder" KBUILD_EXTRA_SYMBOLS="$symvers" "${kbuild_vars[@]}" modules \
		>"$tmp/intruder/build.log" 2>&1 || true
	check "modpost refuses rust_demo_intruder, which uses an export for rust_demo_user only" \
		grep -q "rust_demo_intruder.ko: module uses symbol 'rust_demo_user_only' from namespace 'module:rust_demo_user', but does not import it" \
		"$tmp/intruder/build.log"
else
	echo "skip: this kernel has no module-restricted exports (module_restricted_ns=n in $moddir/features)"
fi
[ "$fail" = 0 ] || die "export checks failed; build logs are in $tmp"
rm -rf "$tmp"
