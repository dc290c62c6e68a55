# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# boots alone: modules_disabled cannot be turned off, so no module loads or unloads after it.
#
# modules_disabled: /proc/sys/kernel/modules_disabled, the loader's switch that
# only turns one way. Once it is 1, init_module(), finit_module() and
# delete_module() all return EPERM for everyone, root included, and writing 0
# back is refused: only a reboot turns it off.

# shellcheck source=../ktap_helpers.sh
. /demo/ktap_helpers.sh

suite modules_disabled

SWITCH=/proc/sys/kernel/modules_disabled
XZ=/demo/fixtures/$EXP.ko.xz
TWIN=/demo/fixtures/c_demo_export.ko
# write VALUE: `echo VALUE >$SWITCH`, in a shell of its own.
write() { run_line "echo $1 >$SWITCH"; }
# refused_eperm WHAT: the last `run` (a load of $EXP) failed with EPERM, the
# loader logged nothing for it and $EXP is not loaded.
refused_eperm() {
	failed_with "$1 fails with EPERM ('Operation not permitted')" "Operation not permitted"
	same "what the loader logged (the command's own kernel lines)" "$(task_log)" ""
	expect "$EXP is not in /proc/modules" not loaded $EXP
	expect "no /sys/module/$EXP" [ ! -e /sys/module/$EXP ]
}

step every_way_loads_before "before: every way of loading and unloading works"
unload_all
run cat $SWITCH
same "$SWITCH" "$out" 0
run $KMOD_INSMOD "$XZ"
same "kmod insmod of the compressed $EXP exit status" "$rc" 0
same "$EXP state" "$(field $EXP 5)" Live
run $BB_RMMOD $EXP
same "busybox rmmod $EXP exit status" "$rc" 0
run $MODPROBE $EXP
same "modprobe $EXP exit status" "$rc" 0
run $KMOD_RMMOD $EXP
same "kmod rmmod $EXP exit status" "$rc" 0
run $BB_INSMOD "$TWIN"
same "busybox insmod c_demo_export (the C twin, kept loaded for the unload step) exit status" "$rc" 0
same "c_demo_export state" "$(field c_demo_export 5)" Live
explain "The same loads as below, while they are still allowed: kmod's insmod of the" \
	"compressed exporter (kmod 30 decompresses it itself and calls init_module(); it" \
	"uses finit_module() for an uncompressed file only; kmod 31 and later let the" \
	"kernel decompress), modprobe by name" \
	"(finit_module()), and busybox's rmmod and kmod's rmmod (delete_module()). The C" \
	"twin of the exporter stays loaded: the module that the unload step cannot remove."
end

step only_1_can_be_written "only 1 can be written to $SWITCH"
write 0
failed_with "writing 0, the value it has, is refused with EINVAL" "Invalid argument"
run cat $SWITCH
same "$SWITCH" "$out" 0
write 1
same "writing 1: exit status" "$rc" 0
run cat $SWITCH
same "$SWITCH" "$out" 1
explain "Writing 0 was EINVAL even while the value was 0, and writing 1 set it: the" \
	"sysctl's range is [1, 1]. docs/loader.md, 'modules_disabled'."
end

step every_load_refused_eperm "every load is refused with EPERM"
run $BB_INSMOD "$KO/$EXP.ko"
refused_eperm "busybox insmod (finit_module(), then init_module())"
run $KMOD_INSMOD "$KO/$EXP.ko"
refused_eperm "kmod insmod of the .ko (finit_module())"
run $KMOD_INSMOD "$XZ"
refused_eperm "kmod insmod of the .ko.xz (init_module())"
run $MODPROBE $EXP
refused_eperm "modprobe $EXP (finit_module())"
major=$($MODINFO -F alias "$KO/$EXP.ko" | sed -n 's/^char-major-\([0-9][0-9]*\)-\*$/\1/p')
run mknod /tmp/rust_demo_node c "${major:-0}" 0
run cat /tmp/rust_demo_node
failed_with "the kernel's own request (on_demand suite) loads nothing either: the open is ENXIO" \
	"No such device or address"
same "what the kernel logged about the modules during the open (its modprobe's load never began)" \
	"$(printf '%s\n' "$klog" | grep "$EXP\|c_demo_export")" ""
expect "$EXP is not in /proc/modules" not loaded $EXP
explain "may_init_module() refused every load with EPERM, root's too, before the file" \
	"was read, so nothing was logged; busybox's insmod tried both system calls. The" \
	"kernel's own request_module() still runs modprobe, whose finit_module() is refused the" \
	"same way, so the open of a node of the exporter's major finds no driver." \
	"docs/loader.md, 'modules_disabled'."
end

step every_unload_refused_eperm "every unload is refused with EPERM"
taint=$(tainted)
run $BB_RMMOD c_demo_export
failed_with "busybox rmmod fails with EPERM" "Operation not permitted"
run $KMOD_RMMOD c_demo_export
failed_with "kmod rmmod fails with EPERM" "Operation not permitted"
run $BB_RMMOD -f c_demo_export
failed_with "busybox rmmod -f (O_TRUNC, a forced unload) fails with EPERM too" "Operation not permitted"
same "c_demo_export state" "$(field c_demo_export 5)" Live
same "c_demo_export refcount" "$(refcnt c_demo_export)" 0
same "taint (no R: the force was never considered)" "$(tainted)" "$taint"
explain "delete_module() begins with the same test, before it looks up the module or" \
	"its flags: EPERM, forced or not (docs/loader.md, 'delete_module(), in order'). The" \
	"C twin has no holder and no open file (refcount 0), so nothing else keeps it: it" \
	"stays for the rest of this boot. That is the point of the switch: after boot has loaded what the" \
	"machine needs, no one, root included, can change the kernel's code by loading" \
	"a module, or remove one that is being relied on."
end

step cannot_be_turned_off "it cannot be turned off"
write 0
failed_with "writing 0 is refused with EINVAL" "Invalid argument"
run cat $SWITCH
same "$SWITCH" "$out" 1
write 1
same "writing 1 again: exit status (a value in range, no change)" "$rc" 0
run $KMOD_INSMOD "$KO/$EXP.ko"
refused_eperm "kmod insmod"
explain "The same range check as before refused 0: there is no code path that sets the" \
	"value back to 0 (the variable is static in kernel/module/main.c on 7.x). Only a" \
	"reboot does, which is why this suite boots alone. docs/loader.md, 'modules_disabled'."
end

clean_log_and_taint $MOD_TAINT
