#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# scenario.sh [demo]: runs inside the VM (busybox sh). Loads and unloads the
# module pair and asserts what the kernel did, from /proc, /sys, exit codes and
# the kernel log. Each step is one KTAP test; an assertion that fails prints
# what it saw and fails its step. "demo" adds a sentence per step on what the
# loader did and why.
set -u

EXP=rust_demo_export
USR=rust_demo_user
EXPORTS="rust_demo_register rust_demo_unregister rust_demo_client_count rust_demo_api_version rust_demo_add"
KO=$(dirname "$(find /lib/modules/"$(uname -r)" -name $EXP.ko)")
# busybox's sh runs its own applets before anything on PATH, so kmod's tools
# are named by path.
BB_INSMOD="busybox insmod"
BB_RMMOD="busybox rmmod"
KMOD_RMMOD=/sbin/rmmod
MODPROBE=/sbin/modprobe
MODINFO=/sbin/modinfo
STEPS="user_before_exporter_is_refused exporter_loads_live exports_in_kallsyms
user_loads_and_calls_exporter exporter_refcount_held_by_user busybox_rmmod_refused
kmod_rmmod_refused forced_rmmod_refused plain_and_namespaced_exports
unload_user_then_exporter modprobe_loads_dependency_first modprobe_r_removes_both
modinfo_fields no_oops_warn_or_unexpected_taint"
DEMO=${1:-}

nr=0
failed=0
step_failed=0

diag() { printf '%s\n' "$@" | sed 's/^/# /'; }
explain() { [ -z "$DEMO" ] || diag "" "=> $*"; }

# run CMD...: show CMD, its output, its exit status and the kernel log it caused;
# leaves them in $out, $rc and $klog.
run() {
	mark=$(dmesg | wc -l)
	out=$("$@" 2>&1)
	rc=$?
	klog=$(dmesg | tail -n +$((mark + 1)))
	diag "\$ $*"
	[ -z "$out" ] || diag "$out"
	[ "$rc" = 0 ] || diag "(exit status $rc)"
	[ -z "$klog" ] || printf '%s\n' "$klog" | sed 's/^/# [kernel] /'
}

# expect DESCRIPTION COMMAND...: one assertion; a failure fails the current step.
expect() {
	what=$1
	shift
	if "$@"; then
		[ -z "$DEMO" ] || diag "   ok: $what"
	else
		diag "FAILED: $what"
		step_failed=1
	fi
}

# same DESCRIPTION ACTUAL EXPECTED: an assertion on a value, shown on failure.
same() {
	expect "$1 (is '$2', expected '$3')" [ "$2" = "$3" ]
}

not() { ! "$@"; }
contains() { printf '%s\n' "$1" | grep -q -- "$2"; }
loaded() { grep -q "^$1 " /proc/modules; }
field() { awk -v m="$1" -v f="$2" '$1 == m { print $f }' /proc/modules; }
refcnt() { cat "/sys/module/$1/refcnt" 2>/dev/null; }
# verbs insmod|rmmod OUTPUT: the modules that modprobe -v says it acted on, in order.
verbs() { printf '%s\n' "$2" | awk -v v="$1" '$1 == v { n = split($2, p, "/"); sub(/\.ko$/, "", p[n]); printf "%s%s", s, p[n]; s = " " }'; }
holders() { for h in "/sys/module/$1/holders/"*; do [ -e "$h" ] && printf "%s " "${h##*/}"; done | sed "s/ $//"; }

begin() {
	nr=$((nr + 1))
	step_failed=0
	[ -z "$DEMO" ] || diag "" "---- step $nr: $*"
}

end() {
	if [ "$step_failed" = 0 ]; then
		echo "ok $nr $1"
	else
		echo "not ok $nr $1"
		failed=$((failed + 1))
	fi
}

echo "KTAP version 1"
echo "1..$(echo "$STEPS" | wc -w)"
diag "Linux $(uname -r), modules in $KO"
taint_before=$(cat /proc/sys/kernel/tainted)

begin "load the user before the exporter"
run $BB_INSMOD "$KO/$USR.ko"
expect "busybox insmod of $USR fails" [ "$rc" != 0 ]
expect "the kernel log says 'Unknown symbol'" contains "$klog" "$USR: Unknown symbol rust_demo_"
expect "$USR is not in /proc/modules" not loaded $USR
explain "The loader (load_module()) copied the image and checked its ELF headers and vermagic, but" \
	"symbol resolution found no rust_demo_* in the kernel's or any module's export" \
	"table, so load_module() freed it and returned ENOENT: $USR depends on $EXP."
end user_before_exporter_is_refused

begin "load the exporter"
run $BB_INSMOD "$KO/$EXP.ko"
same "busybox insmod $EXP exit status" "$rc" 0
same "$EXP state in /proc/modules" "$(field $EXP 5)" Live
same "/sys/module/$EXP/initstate" "$(cat /sys/module/$EXP/initstate 2>/dev/null)" live
same "$EXP refcount" "$(refcnt $EXP)" 0
same "$EXP holders" "$(holders $EXP)" ""
run grep "^$EXP " /proc/modules
explain "The module went Coming -> Live once its init returned 0; nobody uses it yet," \
	"so its reference count is 0 and holders/ is empty."
end exporter_loads_live

begin "the exported symbols are in /proc/kallsyms"
run grep -E " (__ksymtab_)?rust_demo_[a-z_]+	\[$EXP\]$" /proc/kallsyms
for sym in $EXPORTS; do
	expect "/proc/kallsyms has $sym in [$EXP]" contains "$out" " $sym	\[$EXP\]$"
	expect "/proc/kallsyms has __ksymtab_$sym in [$EXP]" contains "$out" " __ksymtab_$sym	\[$EXP\]$"
done
explain "kallsyms lists the loaded module's symbols: each export's code and its" \
	"__ksymtab_ entry, which modpost generated from the Rust export macros and which" \
	"other modules are resolved against. The type letter is uppercase when the" \
	"symbol is in the module's main export table: on 6.12 that holds only plain" \
	"EXPORT_SYMBOLs (GPL-only ones show 't'); 7.x keeps one table, so all show 'T'."
end exports_in_kallsyms

begin "load the user"
run $BB_INSMOD "$KO/$USR.ko"
same "busybox insmod $USR exit status" "$rc" 0
same "$USR state in /proc/modules" "$(field $USR 5)" Live
expect "$EXP logged the registration" contains "$klog" "$EXP: client '$USR' registered as #1 (1 registered)"
expect "$USR logged the exporter's answers, 20 + 22 = $((20 + 22))" \
	contains "$klog" "$USR: registered as #1 of 1 (API v1); rust_demo_add(20, 22) = $((20 + 22))$"
explain "This time every undefined symbol of $USR resolved to $EXP's ksymtab;" \
	"resolve_symbol() called ref_module(), which linked the two modules and took a" \
	"reference on $EXP. Then $USR's init ran and called into $EXP."
end user_loads_and_calls_exporter

begin "the user holds a reference on the exporter"
run cat /proc/modules
same "$EXP refcount" "$(refcnt $EXP)" 1
same "/sys/module/$EXP/holders/" "$(holders $EXP)" $USR
same "users column of $EXP in /proc/modules" "$(field $EXP 4)" "$USR,"
same "$USR refcount" "$(refcnt $USR)" 0
explain "One reference per using module, however many symbols it uses:" \
	"$USR uses five, $EXP's count is 1. /proc/modules and /sys/module/*/holders/" \
	"show the same link."
end exporter_refcount_held_by_user

begin "busybox rmmod of the exporter is refused"
run $BB_RMMOD $EXP
expect "busybox rmmod $EXP fails" [ "$rc" != 0 ]
expect "with EWOULDBLOCK ('Resource temporarily unavailable')" contains "$out" "Resource temporarily unavailable"
same "$EXP state" "$(field $EXP 5)" Live
same "$EXP refcount" "$(refcnt $EXP)" 1
explain "delete_module() saw that $EXP has a holder ($USR) and returned EWOULDBLOCK" \
	"before touching it: 'B uses A' means A cannot be unloaded while B is there."
end busybox_rmmod_refused

begin "kmod rmmod of the exporter is refused"
run $KMOD_RMMOD $EXP
expect "kmod rmmod $EXP fails" [ "$rc" != 0 ]
expect "kmod names the holder" contains "$out" "Module $EXP is in use by: $USR"
same "$EXP state" "$(field $EXP 5)" Live
same "$EXP refcount" "$(refcnt $EXP)" 1
explain "kmod's rmmod reads /sys/module/$EXP/holders/ itself and refuses before" \
	"calling delete_module(), naming the holder."
end kmod_rmmod_refused

begin "forced rmmod of the exporter is refused too"
taint=$(cat /proc/sys/kernel/tainted)
run $BB_RMMOD -f $EXP
expect "busybox rmmod -f $EXP fails" [ "$rc" != 0 ]
expect "with EWOULDBLOCK" contains "$out" "Resource temporarily unavailable"
same "$EXP state" "$(field $EXP 5)" Live
same "$EXP refcount" "$(refcnt $EXP)" 1
same "taint after rmmod -f (no forced-unload taint 'R')" "$(cat /proc/sys/kernel/tainted)" "$taint"
explain "The force flag (O_TRUNC in delete_module()) only overrides a non-zero refcount of a module nobody" \
	"links to; the holder check comes first, so even CONFIG_MODULE_FORCE_UNLOAD" \
	"cannot pull $EXP out from under $USR."
end forced_rmmod_refused

begin "plain and namespaced exports"
run $MODINFO -F import_ns "$KO/$USR.ko"
same "$USR imports namespace" "$out" RUST_DEMO
expect "$USR called the plain export rust_demo_api_version (API v1)" \
	contains "$(dmesg)" "$USR: registered as #1 of 1 (API v1)"
expect "$USR called the namespaced GPL export rust_demo_add" \
	contains "$(dmesg)" "rust_demo_add(20, 22) = $((20 + 22))$"
explain "rust_demo_api_version is a plain EXPORT_SYMBOL (any license may use it);" \
	"rust_demo_add is EXPORT_SYMBOL_NS_GPL(RUST_DEMO): the loader resolved it only" \
	"because $USR is GPL and declares import_ns=RUST_DEMO."
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
explain "Unloading $USR (Live -> Going -> gone) dropped its reference on $EXP;" \
	"with no holders and refcount 0, delete_module() let $EXP go too."
end unload_user_then_exporter

begin "modprobe loads the dependency first"
run cat /lib/modules/"$(uname -r)"/modules.dep
run $MODPROBE -v $USR
same "modprobe $USR exit status" "$rc" 0
same "modules modprobe inserted, in order" "$(verbs insmod "$out")" "$EXP $USR"
same "$EXP state" "$(field $EXP 5)" Live
same "$USR state" "$(field $USR 5)" Live
same "$EXP refcount" "$(refcnt $EXP)" 1
explain "modprobe read modules.dep, which depmod built from each .ko's 'depends='" \
	"modinfo (written by modpost), and inserted $EXP before $USR."
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
same "depends" "$($MODINFO -F depends "$KO/$USR.ko")" $EXP
same "license" "$($MODINFO -F license "$KO/$USR.ko")" GPL
same "vermagic release" "$($MODINFO -F vermagic "$KO/$USR.ko" | cut -d' ' -f1)" "$(uname -r)"
expect "author is set" [ -n "$($MODINFO -F author "$KO/$USR.ko")" ]
expect "description is set" [ -n "$($MODINFO -F description "$KO/$USR.ko")" ]
same "alias" "$($MODINFO -F alias "$KO/$USR.ko")" rust-demo-consumer
run $MODINFO "$KO/$EXP.ko"
same "$EXP depends" "$($MODINFO -F depends "$KO/$EXP.ko")" ""
explain "modinfo reads the .modinfo section: license/author/description/alias come" \
	"from module!, depends from modpost, vermagic from the kernel it was built for" \
	"(load_module() refuses a vermagic that differs from the running kernel's)."
end modinfo_fields

begin "no oops, warning or unexpected taint"
log=$(dmesg)
diag "\$ dmesg # the whole kernel log, also checked by the host"
printf '%s\n' "$log" | sed 's/^/# [kernel] /'
for bad in "Oops" "BUG:" "WARNING:" "Kernel panic" "Call Trace"; do
	expect "kernel log has no '$bad'" not contains "$log" "$bad"
done
same "taint before the scenario" "$taint_before" 0
# 4096 is TAINT_OOT_MODULE ('O'): the only taint an out-of-tree module brings.
same "taint after the scenario" "$(cat /proc/sys/kernel/tainted)" 4096
end no_oops_warn_or_unexpected_taint

diag "Totals: pass:$((nr - failed)) fail:$failed skip:0"
