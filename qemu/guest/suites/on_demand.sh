# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# on_demand: the kernel loads a module itself. Opening a device node whose
# major no driver has makes chrdev_open() -> kobj_lookup() -> base_probe() call
# request_module("char-major-N-0"); the kernel runs the program named in
# /proc/sys/kernel/modprobe, and kmod's modprobe finds the exporter by its
# modinfo alias char-major-N-* in depmod's modules.alias. Then: no program,
# no load; a blacklist line stops the alias but not the name.

# shellcheck source=../ktap_helpers.sh
. /demo/ktap_helpers.sh

suite on_demand

MODPROBE_PATH=/proc/sys/kernel/modprobe
ALIASES=/lib/modules/$(uname -r)/modules.alias
BLACKLIST=/etc/modprobe.d/rust-demo-blacklist.conf
# local_use MAJOR: MAJOR is one of Documentation/admin-guide/devices.txt's
# "LOCAL/EXPERIMENTAL USE" character majors (docs/loader.md, 'On-demand
# loading: request_module()').
local_use() { { [ "$1" -ge 60 ] && [ "$1" -le 63 ]; } || { [ "$1" -ge 120 ] && [ "$1" -le 127 ]; }; }
# set_modprobe PATH: write PATH to $MODPROBE_PATH, in a shell of its own.
set_modprobe() { run_line "echo '$1' >$MODPROBE_PATH"; }

step alias_names_the_major "the alias names the device's major"
unload_all
run $MODINFO -F alias "$KO/$EXP.ko"
major=$(printf '%s\n' "$out" | sed -n 's/^char-major-\([0-9][0-9]*\)-\*$/\1/p')
expect "$EXP has an alias char-major-N-* (MODULE_ALIAS_CHARDEV_MAJOR)" [ -n "$major" ]
major=${major:-0}
node=/tmp/char-major-$major-0
expect "major $major is in a range devices.txt reserves for local/experimental use (char 60-63, 120-127)" \
	local_use "$major"
run grep "^alias char-major-" "$ALIASES"
expect "depmod's modules.alias maps char-major-$major-* to $EXP" contains "$out" "^alias char-major-$major-\* $EXP$"
run $MODPROBE -R "char-major-$major-0"
same "modprobe -R char-major-$major-0 (the module it resolves to)" "$out" $EXP
run grep "^ *$major " /proc/devices
expect "no driver has major $major while $EXP is not loaded" [ "$rc" != 0 ]
explain "The exporter registers its device at a fixed major (DEVICE_MAJOR in" \
	"rust_demo_export.rs), and the same constant writes modinfo's alias" \
	"char-major-$major-*, as C's MODULE_ALIAS_CHARDEV_MAJOR($major) does. depmod copied" \
	"the alias into modules.alias, where modprobe looks names up. docs/loader.md," \
	"'On-demand loading: request_module()'."
end

step open_loads_the_exporter "opening a node of that major loads the exporter"
old_modprobe=$(cat $MODPROBE_PATH)
diag "the kernel's default $MODPROBE_PATH (CONFIG_MODPROBE_PATH): '$old_modprobe'"
set_modprobe $MODPROBE
same "$MODPROBE_PATH" "$(cat $MODPROBE_PATH)" $MODPROBE
expect "$EXP is not loaded" not loaded $EXP
run mknod "$node" c "$major" 0
same "mknod $node c $major 0 exit status" "$rc" 0
kmsg_mark
command exec 3<"$node"
rc=$? out="" klog=$(kmsg_since)
show "exec 3<$node   # the shell opens the node and holds it"
same "the open's exit status" "$rc" 0
same "$EXP state" "$(field $EXP 5)" Live
expect "the exporter's init ran and registered major $major" \
	contains "$klog" "$EXP: loaded (.*/dev/rust_demo is $major:0)"
run grep -w rust_demo /proc/devices
same "/proc/devices" "$out" "$major rust_demo"
same "$EXP refcount with the file open (cdev_get() and fops_get())" "$(refcnt $EXP)" 2
run $BB_RMMOD $EXP
failed_with "busybox rmmod is refused with EWOULDBLOCK" "Resource temporarily unavailable"
exec 3<&-
diag "\$ exec 3<&-   # close it"
same "$EXP refcount after the close" "$(refcnt $EXP)" 0
same "$EXP state after the close (nothing unloads it)" "$(field $EXP 5)" Live
explain "chrdev_open() found no cdev for $major:0, so kobj_lookup() called the default" \
	"probe, base_probe(), which called request_module(\"char-major-$major-0\") and waited." \
	"The kernel ran $MODPROBE, which found the alias and loaded the exporter; its init" \
	"registered major $major, kobj_lookup() looked again and found it, and the open went" \
	"on as for /dev/rust_demo: the file pins the module. After the close the exporter" \
	"stays Live with refcount 0 until someone removes it. docs/loader.md, 'On-demand" \
	"loading: request_module()'."
end

step the_command_the_kernel_runs "the command the kernel runs"
run $BB_RMMOD $EXP
same "busybox rmmod $EXP exit status" "$rc" 0
rm -f /tmp/modprobe.argv
# shellcheck disable=SC2016 # the script's own $$ and $*
printf '%s\n' '#!/bin/sh' 'echo "$$ $*" >>/tmp/modprobe.argv' "exec $MODPROBE \"\$@\"" >/tmp/modprobe-rec
chmod +x /tmp/modprobe-rec
set_modprobe /tmp/modprobe-rec
run cat "$node"
same "cat $node exit status" "$rc" 0
same "$EXP state" "$(field $EXP 5)" Live
# (read without `run`, whose $klog and $pid are cat's)
argv=$(cat /tmp/modprobe.argv 2>/dev/null)
diag "\$ cat /tmp/modprobe.argv" "$argv"
same "the calls of $MODPROBE_PATH (one)" "$(printf '%s\n' "$argv" | grep -c .)" 1
rec_pid=${argv%% *}
same "its arguments" "${argv#* }" "-q -- char-major-$major-0"
if feature config_printk_caller; then
	expect "the exporter's init ran in that process (task $rec_pid), not in cat" \
		matches "$klog" "^$KLOG_TIME\[ *T$rec_pid\] $EXP: loaded"
	expect "cat's own lines do not include it" not contains "$(task_log)" "$EXP: loaded"
fi
set_modprobe $MODPROBE
run $BB_RMMOD $EXP
same "busybox rmmod $EXP exit status" "$rc" 0
explain "call_modprobe() (kernel/module/kmod.c) runs $MODPROBE_PATH as a user-mode" \
	"helper with '-q -- char-major-$major-0', HOME=/ and a fixed PATH; here a script that" \
	"records its arguments and execs kmod's modprobe, so the modprobe's process is the" \
	"one whose finit_module() ran the exporter's init. modprobe exited 0, so" \
	"base_probe() did not go on to the old 2.4 name char-major-$major. docs/loader.md," \
	"'On-demand loading: request_module()'."
end

step empty_modprobe_path_enxio "with no modprobe program, the open fails"
set_modprobe ""
same "$MODPROBE_PATH" "$(cat $MODPROBE_PATH)" ""
run cat "$node"
failed_with "cat $node fails with ENXIO ('No such device or address')" "No such device or address"
expect "$EXP is not loaded" not loaded $EXP
set_modprobe $MODPROBE
explain "__request_module() returns ENOENT at once when $MODPROBE_PATH is empty; base_probe()" \
	"ignores it and returns no object, kobj_lookup() finds no driver, and chrdev_open()" \
	"returns ENXIO. Nothing ran, nothing loaded. docs/loader.md, 'On-demand loading:" \
	"request_module()'."
end

step blacklist_stops_alias_not_name "a blacklist line stops the alias, not the name"
mkdir -p /etc/modprobe.d
printf 'blacklist %s\n' $EXP >$BLACKLIST
run_line "$MODPROBE -c | grep '^blacklist '"
expect "modprobe's configuration has the blacklist line" contains "$out" "^blacklist $EXP$"
run cat "$node"
failed_with "the open fails with ENXIO" "No such device or address"
expect "$EXP is not loaded" not loaded $EXP
run $MODPROBE "char-major-$major-0"
same "modprobe char-major-$major-0 exit status (kmod counts a blacklisted alias as done)" "$rc" 0
expect "$EXP is not loaded" not loaded $EXP
run $MODPROBE -b $EXP
same "modprobe -b $EXP exit status" "$rc" 0
expect "$EXP is not loaded (-b applies the blacklist to names too)" not loaded $EXP
run $MODPROBE $EXP
same "modprobe $EXP (by name) exit status" "$rc" 0
same "$EXP state" "$(field $EXP 5)" Live
run $BB_RMMOD $EXP
same "busybox rmmod $EXP exit status" "$rc" 0
rm -f $BLACKLIST "$node"
explain "kmod's modprobe always passes KMOD_PROBE_APPLY_BLACKLIST_ALIAS_ONLY: a module" \
	"reached through an alias is skipped if blacklisted (kmod_module_probe_insert_module()" \
	"returns a positive flag, which modprobe's insmod() reports as success), a module" \
	"named directly is loaded. -b (udev's way) applies it to every module. So the" \
	"kernel's request found nothing, the open failed with ENXIO, and root's" \
	"'modprobe $EXP' still works: blacklist stops automatic loading, not the admin." \
	"docs/loader.md, 'On-demand loading: request_module()'."
end

set_modprobe "$old_modprobe"
clean_log_and_taint $MOD_TAINT
