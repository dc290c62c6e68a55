# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# boots alone: its forced load taints the kernel F for good.
#
# symbol_versions: check_version(), on a kernel with CONFIG_MODVERSIONS: each
# export has a CRC of its type, each user records the CRC of every symbol it
# uses, and the loader compares the two when it resolves each symbol (how the
# CRCs are made, where modpost writes them and which the kernel reads:
# docs/loader.md, 'Symbol versions'). The fixtures (qemu/host/make-fixtures.sh): Module.symvers of the real build, and
# stale_user.ko, the user built against the exporter after an incompatible
# change to rust_demo_api_version (returns u64, not u32).

# shellcheck source=../ktap_helpers.sh
. /demo/ktap_helpers.sh

suite symbol_versions

FIX=/demo/fixtures
NO_MODVERSIONS="this kernel has no CONFIG_MODVERSIONS (Linux 6.12's RUST depends on !MODVERSIONS; this project's Linux 7.x DEBUG=1 kernel has it)"
CHANGED=rust_demo_api_version
# crc SYMBOL: its CRC in the exporter's Module.symvers, as modprobe prints one.
crc() { awk -v s="$1" '$2 == s && $3 ~ /rust_demo_export$/ { print $1 }' $FIX/Module.symvers; }
# versions FILE: run kmod's dump of FILE's __versions ("CRC<tab>NAME" lines, in $out).
versions() { run $MODPROBE --dump-modversions "$1"; }
# crc_in DUMP SYMBOL: SYMBOL's CRC in DUMP.
crc_in() { printf '%s\n' "$1" | awk -v s="$2" '$2 == s { print $1 }'; }

step crcs_written_and_matched "the exporter's CRCs are in the user's __versions, and the pair loads"
unload_all
if needs config_modversions "$NO_MODVERSIONS"; then
	zero=$(awk '$3 ~ /rust_demo_export$/ && $1 == "0x00000000" { print $2 }' $FIX/Module.symvers)
	same "exports of $EXP with no CRC in Module.symvers" "$zero" ""
	run $MODINFO -F vermagic "$KO/$USR.ko"
	expect "$USR's vermagic says modversions" contains "$out" " modversions "
	versions "$KO/$USR.ko"
	dump=$out
	matched=0
	syms=$(awk '$3 ~ /rust_demo_export$/ { print $2 }' $FIX/Module.symvers)
	for sym in $syms; do
		used=$(crc_in "$dump" "$sym")
		[ -n "$used" ] || continue
		same "$sym: the user's CRC is the exporter's" "$used" "$(crc "$sym")"
		matched=$((matched + 1))
	done
	expect "the user's __versions has the exporter's C-named exports it calls (3 or more; found $matched)" [ "$matched" -ge 3 ]
	expect "and module_layout, the CRC of struct module's layout (check_modstruct_version())" \
		matches "$dump" "[[:space:]]module_layout$"
	run $MODPROBE $USR
	same "modprobe $USR exit status" "$rc" 0
	expect "the kernel said nothing about symbol versions" not matches "$klog" "symbol version|version of symbol"
	same "$USR state" "$(field $USR 5)" Live
	same "$USR flags in /proc/modules" "$(field $USR 7)" "($MOD_FLAGS)"
	run $MODPROBE -r $USR $EXP
	same "modprobe -r exit status" "$rc" 0
	explain "For each symbol the user needs, resolve_symbol() found it (find_symbol(), with" \
		"the exporter's CRC) and check_version() compared that CRC with the user's own" \
		"record. Which record (not always the __versions that modprobe --dump-modversions" \
		"prints): docs/loader.md, 'Symbol versions'."
fi
end

step changed_type_refused "a user built against a changed exporter is refused"
unload_all
if needs config_modversions "$NO_MODVERSIONS"; then
	versions $FIX/stale_user.ko
	stale=$(crc_in "$out" $CHANGED)
	expect "stale_user.ko has a CRC of $CHANGED" [ -n "$stale" ]
	expect "stale_user.ko's CRC of $CHANGED ($stale) is not the exporter's ($(crc $CHANGED))" \
		[ "$stale" != "$(crc $CHANGED)" ]
	same "its CRC of rust_demo_add, whose type did not change" "$(crc_in "$out" rust_demo_add)" "$(crc rust_demo_add)"
	run $BB_INSMOD "$KO/$EXP.ko"
	same "busybox insmod $EXP exit status" "$rc" 0
	taint=$(tainted) ref=$(refcnt $EXP)
	run $BB_INSMOD $FIX/stale_user.ko
	failed_with "with EINVAL ('Invalid argument')" "Invalid argument"
	expect "the kernel says '$USR: disagrees about version of symbol $CHANGED'" \
		contains "$klog" "$USR: disagrees about version of symbol $CHANGED$"
	expect "$USR is not in /proc/modules" not loaded $USR
	same "$EXP refcount" "$(refcnt $EXP)" "$ref"
	same "taint" "$(tainted)" "$taint"
	explain "rustc type-checked the user against the exporter it was built with, whose" \
		"$CHANGED returned u64; the running exporter's returns u32. Nothing else can" \
		"tell the binaries apart: check_version() saw another CRC, said so and failed" \
		"resolve_symbol() with EINVAL. docs/loader.md, 'Symbol versions'."
fi
end

step release_word_skipped "with __versions, the release in the version magic is not compared"
unload_all
if needs config_modversions "$NO_MODVERSIONS"; then
	magic=$($MODINFO -F vermagic $FIX/other_vermagic.ko)
	real=$($MODINFO -F vermagic "$KO/$EXP.ko")
	expect "the fixture's release '${magic%% *}' is not the kernel's '$(uname -r)'" [ "${magic%% *}" != "$(uname -r)" ]
	same "the rest of its vermagic" "${magic#* }" "${real#* }"
	versions $FIX/other_vermagic.ko
	expect "it has a __versions section" [ -n "$out" ]
	taint=$(tainted)
	run $BB_INSMOD $FIX/other_vermagic.ko
	same "busybox insmod other_vermagic.ko exit status" "$rc" 0
	expect "the kernel said nothing about the version magic" not contains "$klog" "version magic"
	same "$EXP state" "$(field $EXP 5)" Live
	same "taint" "$(tainted)" "$taint"
	run $BB_RMMOD $EXP
	same "busybox rmmod $EXP exit status" "$rc" 0
	explain "check_modinfo() -> same_magic() skipped the release word, as the module has" \
		"__versions, and the rest of the vermagic matched. On a kernel without MODVERSIONS" \
		"the same file is refused (guards step 8). docs/loader.md, 'Version magic of another" \
		"kernel, and forcing it'."
fi
end

step forced_modversion_loads_tainted_F "forced past the symbol versions"
unload_all
if needs config_modversions "$NO_MODVERSIONS"; then
	run $BB_INSMOD "$KO/$EXP.ko"
	same "busybox insmod $EXP exit status" "$rc" 0
	taint=$(tainted)
	forced_tree $FIX/stale_user.ko $USR
	run $MODPROBE -d /tmp/forced --force-modversion $USR
	same "modprobe --force-modversion $USR exit status" "$rc" 0
	same "$USR state" "$(field $USR 5)" Live
	expect "the kernel says it is tainted" matches "$klog" "$USR: [a-z_]+: kernel tainted\.$"
	same "taint added (F, and E where signatures are checked)" $(($(tainted) & ~taint)) $((FORCED_TAINT & ~taint))
	same "$USR flags in /proc/modules" "$(field $USR 7)" "($FORCED_FLAGS)"
	expect "its init ran and called the exporter" contains "$klog" "API v"
	run $BB_RMMOD $USR
	same "busybox rmmod $USR exit status" "$rc" 0
	run $BB_RMMOD $EXP
	explain "kmod's modprobe --force-modversion passed MODULE_INIT_IGNORE_MODVERSIONS to" \
		"finit_module(); the loader then pretends the module has no version tables, and" \
		"check_version() -> try_to_force_load() taints the kernel F instead of comparing." \
		"The user ran and read a u32 result as a u64; it printed 'API v1' only because" \
		"the exporter returns with 'mov \$1, %eax', and on x86-64 a 32-bit write zeroes" \
		"the register's upper half (objdump -d shows it). Nothing checked it." \
		"docs/loader.md, 'Symbol versions'."
fi
end

clean_log_and_taint $((TAINT_O | FORCED_TAINT))
