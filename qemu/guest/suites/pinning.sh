# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# pinning: delete_module()'s other condition. A module with no holders still
# cannot be unloaded while its own code is in use: an open file of
# /dev/rust_demo holds two references on the exporter (try_module_get() from
# cdev_get() and fops_get()).

# shellcheck source=../ktap_helpers.sh
. /demo/ktap_helpers.sh

suite pinning

# Exits of the shell's fd 3 (the held file) are shown like commands.
hold() { exec 3<$DEV; }
release() { exec 3<&-; }

step exporter_creates_device "the exporter creates /dev/rust_demo"
run $BB_INSMOD "$KO/$EXP.ko"
same "busybox insmod $EXP exit status" "$rc" 0
run grep -w rust_demo /proc/devices
major=$(awk '$2 == "rust_demo" { print $1 }' /proc/devices)
expect "/proc/devices lists rust_demo with a major number" [ -n "$major" ]
same "/sys/class/rust_demo/rust_demo/dev" "$(cat /sys/class/rust_demo/rust_demo/dev 2>/dev/null)" "$major:0"
expect "devtmpfs made $DEV, a character device" [ -c $DEV ]
run ls -l $DEV
run cat $DEV
same "cat $DEV exit status" "$rc" 0
same "registered clients listed by $DEV" "$out" ""
same "$EXP refcount after cat closed the file" "$(refcnt $EXP)" 0
explain "The exporter's init called __register_chrdev() (the major number in /proc/devices)," \
	"then class_create() and device_create(), so devtmpfs made $DEV. Its" \
	"file_operations name the exporter as owner."
end

step open_file_pins_exporter "an open file pins the exporter"
hold
diag "\$ exec 3<$DEV   # the shell holds the file open"
same "$EXP refcount (one open file: two references)" "$(refcnt $EXP)" 2
same "$EXP holders" "$(holders $EXP)" ""
same "users column of $EXP in /proc/modules" "$(field $EXP 4)" "-"
run grep "^$EXP " /proc/modules
run $BB_RMMOD $EXP
failed_with "with EWOULDBLOCK ('Resource temporarily unavailable')" "Resource temporarily unavailable"
run $KMOD_RMMOD $EXP
failed_with "kmod says it is in use, naming nobody" "Module $EXP is in use$"
same "$EXP state" "$(field $EXP 5)" Live
release
diag "\$ exec 3<&-   # close it"
same "$EXP refcount after the close" "$(refcnt $EXP)" 0
explain "chrdev_open() took two references (cdev_get() and fops_get()) and no holder, so" \
	"users '-'. try_stop_module() found references besides the base: EWOULDBLOCK; kmod's" \
	"rmmod saw refcnt 2 first. The close gave both back. docs/loader.md, 'An open file'."
end

step holder_and_open_file_count_separately "a holder and an open file count separately"
run $BB_INSMOD "$KO/$USR.ko"
same "busybox insmod $USR exit status" "$rc" 0
hold
diag "\$ exec 3<$DEV"
same "$EXP refcount (one holder + one open file's two)" "$(refcnt $EXP)" 3
same "$EXP holders" "$(holders $EXP)" $USR
run cat $DEV
same "registered clients listed by $DEV" "$out" $USR
run cat /proc/modules
explain "The refcount adds up every reference: ref_module() took one for $USR, the open" \
	"file two more. Reading $DEV lists the registered clients, like /proc/filesystems" \
	"lists what register_filesystem() was given."
end

step close_then_unload_in_order "close, then unload in order"
release
diag "\$ exec 3<&-"
same "$EXP refcount after the close" "$(refcnt $EXP)" 1
run $BB_RMMOD $USR
same "busybox rmmod $USR exit status" "$rc" 0
same "$EXP refcount after $USR left" "$(refcnt $EXP)" 0
run $BB_RMMOD $EXP
same "busybox rmmod $EXP exit status" "$rc" 0
expect "$DEV is gone" [ ! -e $DEV ]
expect "rust_demo is gone from /proc/devices" not grep -qw rust_demo /proc/devices
explain "Each reference falls back as its owner goes: the file's at close, the user's when" \
	"it is unloaded. The exporter's exit destroyed the device, so devtmpfs removed $DEV."
end

clean_log_and_taint $MOD_TAINT
