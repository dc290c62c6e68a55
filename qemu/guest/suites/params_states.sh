# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# params_states: load_module()'s parse_args() step, an init that really fails,
# and struct module's states (Coming, Live, Going) as /proc/modules and
# /sys/module/*/initstate show them.

# shellcheck source=../ktap_helpers.sh
. /demo/ktap_helpers.sh

suite params_states

PARAM=/sys/module/$EXP/parameters/max_clients

step max_clients_parameter "the exporter's max_clients parameter"
unload_all
run $MODINFO -F parm "$KO/$EXP.ko"
expect "modinfo lists max_clients as a uint" contains "$out" "^max_clients:.*(uint)$"
run $BB_INSMOD "$KO/$EXP.ko"
same "default max_clients in sysfs" "$(cat $PARAM 2>/dev/null)" 4
run ls -l $PARAM
run $BB_RMMOD $EXP
run $BB_INSMOD "$KO/$EXP.ko" max_clients=2
same "busybox insmod $EXP max_clients=2 exit status" "$rc" 0
same "max_clients in sysfs" "$(cat $PARAM 2>/dev/null)" 2
run $BB_RMMOD $EXP
explain "load_module() copied the arguments (strndup_user()) and parse_args() handed" \
	"'max_clients=2' to the parameter's ops (param_ops_uint, kstrtouint()) before init" \
	"ran; mod_sysfs_setup() then showed it, read-only (0444), under parameters/." \
	"docs/loader.md, 'load_module(), in order'."
end

step bad_parameter_values_refused "bad parameter values are refused"
unload_all
for value in -1 abc; do
	run $BB_INSMOD "$KO/$EXP.ko" max_clients=$value
	failed_with "with EINVAL ('Invalid argument')" "Invalid argument"
	expect "the kernel log names the value" contains "$klog" "$EXP: \`$value' invalid for parameter \`max_clients'"
	expect "$EXP is not in /proc/modules" not loaded $EXP
	expect "no /sys/module/$EXP" [ ! -e /sys/module/$EXP ]
done
run $BB_INSMOD "$KO/$EXP.ko" max_clients=4294967296
failed_with "2^32 does not fit in a uint: ERANGE ('Numerical result out of range')" "Numerical result out of range"
expect "the kernel log names the value" contains "$klog" "$EXP: \`4294967296' invalid for parameter \`max_clients'"
expect "$EXP is not in /proc/modules" not loaded $EXP
expect "no /sys/module/$EXP" [ ! -e /sys/module/$EXP ]
explain "parse_args() returned the errno of param_ops_uint's kstrtouint(): EINVAL for '-1'" \
	"and 'abc', ERANGE for 4294967296; load_module() undid everything before the init" \
	"could run. docs/loader.md, 'Parameters'."
end

step max_clients_bound "the exporter refuses max_clients above 64"
unload_all
run $BB_INSMOD "$KO/$EXP.ko" max_clients=64
same "busybox insmod $EXP max_clients=64 exit status" "$rc" 0
same "max_clients in sysfs" "$(cat $PARAM 2>/dev/null)" 64
run $BB_RMMOD $EXP
same "busybox rmmod $EXP exit status" "$rc" 0
run $KMOD_INSMOD "$KO/$EXP.ko" max_clients=65
failed_with "with EINVAL, which kmod's insmod calls 'Invalid parameters'" "Invalid parameters$"
expect "the exporter's init logged why" contains "$klog" "$EXP: max_clients=65 is more than 64$"
expect "$EXP is not in /proc/modules" not loaded $EXP
expect "no /sys/module/$EXP" [ ! -e /sys/module/$EXP ]
expect "no rust_demo in /proc/devices" not grep -qw rust_demo /proc/devices
expect "no $DEV" [ ! -e $DEV ]
explain "65 fits a uint, so parse_args() took it; the exporter's init refused it:" \
	"Published::new() returns EINVAL above MAX_CLIENTS_LIMIT (64), before it allocates" \
	"the registry or registers the device, and do_init_module() freed the module. kmod's" \
	"insmod (busybox's would run the init twice) words EINVAL 'Invalid parameters':" \
	"docs/loader.md, 'Which system call'."
end

step unknown_parameter_ignored "an unknown parameter is ignored"
unload_all
run $BB_INSMOD "$KO/$EXP.ko" bogus=1
same "busybox insmod $EXP bogus=1 exit status" "$rc" 0
expect "the kernel log says it ignored it" contains "$klog" "$EXP: unknown parameter 'bogus' ignored"
same "$EXP state" "$(field $EXP 5)" Live
run $BB_RMMOD $EXP
explain "parse_args() passes a name the module does not declare to load_module()'s" \
	"unknown_module_param_cb(), which logs it and carries on: a module loads with an" \
	"unknown parameter. docs/loader.md, 'load_module(), in order'."
end

step failing_init_undoes_the_link "a failing init undoes the link"
unload_all
run $BB_INSMOD "$KO/$EXP.ko" max_clients=0
same "busybox insmod $EXP max_clients=0 exit status" "$rc" 0
run $KMOD_INSMOD "$KO/$USR.ko"
failed_with "with ENOSPC ('No space left on device')" "No space left on device"
expect "$EXP logged the refusal" contains "$klog" "$EXP: client '$USR' refused: all 0 slots taken (max_clients=0)"
expect "$USR is not in /proc/modules" not loaded $USR
expect "no /sys/module/$USR" [ ! -e /sys/module/$USR ]
same "$EXP refcount" "$(refcnt $EXP)" 0
same "$EXP holders" "$(holders $EXP)" ""
run $BB_RMMOD $EXP
same "busybox rmmod $EXP exit status" "$rc" 0
explain "The user's init returned -ENOSPC from rust_demo_register(). do_init_module()" \
	"set it Going and freed it: free_module() -> module_unload_free() dropped the" \
	"reference and the holder link that symbol resolution had made, so the exporter" \
	"could be unloaded at once. (kmod's insmod: busybox's would run the init twice.)" \
	"docs/loader.md, 'A failing init' and 'Which system call'."
end

step init_eexist "an init that fails with EEXIST"
unload_all
run $BB_INSMOD "$KO/$EXP.ko"
same "busybox insmod $EXP exit status" "$rc" 0
run $KMOD_INSMOD "$KO/$USR.ko" init_errno=17
if feature init_eexist_becomes_ebusy; then
	failed_with "with EBUSY ('Device or resource busy'): do_init_module() rewrote the init's errno" "Device or resource busy"
else
	failed_with "with EEXIST ('File exists'), as if a module of that name were loaded" "File exists"
fi
expect "the user's init said so" contains "$klog" "$USR: init fails with errno 17 (init_errno)"
expect "$USR is not in /proc/modules" not loaded $USR
same "$EXP refcount" "$(refcnt $EXP)" 0
run $BB_RMMOD $EXP
same "busybox rmmod $EXP exit status" "$rc" 0
explain "The user's init registered, then returned -EEXIST (its init_errno parameter), and" \
	"do_init_module() freed it as for any failing init; only 7.x's turns EEXIST into EBUSY." \
	"docs/loader.md, 'A failing init'."
end

step coming_while_init_runs "the user is Coming while its init runs"
unload_all
run $BB_INSMOD "$KO/$EXP.ko"
kmsg_mark
$BB_INSMOD "$KO/$USR.ko" init_delay_ms=30000 >/tmp/insmod.out 2>&1 &
loader=$!
diag "\$ busybox insmod $KO/$USR.ko init_delay_ms=30000 &"
wait_for "$USR shows Loading in /proc/modules" state_is $USR Loading
# The loader lists a module as coming (complete_formation()) before it makes
# its sysfs directory (mod_sysfs_setup()).
wait_for "/sys/module/$USR/initstate is coming" initstate_is $USR coming
same "$USR flags in /proc/modules ('+': coming)" "$(field $USR 7)" "($MOD_FLAGS+)"
same "$EXP refcount while $USR is Coming" "$(refcnt $EXP)" 1
same "$EXP holders while $USR is Coming" "$(holders $EXP)" $USR
same "$USR refcount column while Coming (the loader's reference for the init)" "$(field $USR 3)" 1
run grep rust_demo /proc/modules
# The module's memory while its init runs: the init sections too.
size_coming=$(field $USR 2) init_coming=$(cat /sys/module/$USR/initsize)
run cat /sys/module/$USR/coresize /sys/module/$USR/initsize
expect "initsize while Coming is more than 0 ($init_coming)" [ "$init_coming" -gt 0 ]
run $BB_RMMOD $USR
failed_with "with EBUSY ('Device or resource busy')" "Device or resource busy"
kill $loader
wait $loader
diag "\$ kill %1   # a signal ends the init's sleep (msleep_interruptible())"
wait_for "$USR becomes Live" state_is $USR Live
klog=$(kmsg_since)
expect "the init was woken by the signal" contains "$klog" "$USR: init: woken early by a signal"
expect "then it registered" contains "$klog" "$EXP: client '$USR' registered"
run grep "^$USR " /proc/modules
run cat /sys/module/$USR/coresize /sys/module/$USR/initsize
same "initsize once Live (do_init_module() freed the init sections)" "$(cat /sys/module/$USR/initsize)" 0
same "the size in /proc/modules shrank by initsize" "$((size_coming - $(field $USR 2)))" "$init_coming"
run ls /sys/module/$USR
# (No srcversion: modpost writes it only for a module with a version, or with
# CONFIG_MODULE_SRCVERSION_ALL.)
for f in coresize initsize initstate refcnt taint holders notes parameters sections; do
	expect "/sys/module/$USR/$f exists" [ -e /sys/module/$USR/$f ]
done
same "/sys/module/$USR/taint (the module's own taint letters)" "$(cat /sys/module/$USR/taint)" "$MOD_FLAGS"
run $BB_RMMOD $USR
run $BB_RMMOD $EXP
explain "While its init slept the user was Coming ('Loading', 'coming', '+'), its own" \
	"refcount 1 (the reference for the init), and the exporter already counted it; its" \
	"rmmod got EBUSY. Once the init returned 0, do_init_module() freed the init sections" \
	"(initsize 0). docs/loader.md, 'Coming'."
end

step two_loads_at_once "the same module loaded twice at once"
unload_all
run $BB_INSMOD "$KO/$EXP.ko"
cp "$KO/$USR.ko" /tmp/copy_of_user.ko
$BB_INSMOD "$KO/$USR.ko" init_delay_ms=30000 >/tmp/insmod.out 2>&1 &
loader=$!
diag "\$ busybox insmod $KO/$USR.ko init_delay_ms=30000 &"
wait_for "$USR shows Loading in /proc/modules" state_is $USR Loading
# in_syscall PID: PID is blocked in the system call the first insmod's init
# sleeps in (finit_module(); /proc/PID/syscall begins with its number).
in_syscall() { [ "$(cut -d' ' -f1 "/proc/$1/syscall" 2>/dev/null)" = "$(cut -d' ' -f1 /proc/$loader/syscall)" ]; }
$KMOD_INSMOD "$KO/$USR.ko" >/tmp/same.out 2>&1 &
same_file=$!
diag "\$ insmod $KO/$USR.ko &   # the same file"
$KMOD_INSMOD /tmp/copy_of_user.ko >/tmp/copy.out 2>&1 &
copy=$!
diag "\$ insmod /tmp/copy_of_user.ko &   # a copy: another file, the same name"
wait_for "the same file's insmod waits in finit_module()" in_syscall $same_file
wait_for "the copy's insmod waits in finit_module()" in_syscall $copy
same "$USR lines in /proc/modules (one module, Loading)" "$(grep -c "^$USR " /proc/modules)" 1
kill $loader
wait $loader
diag "\$ kill %1   # the first load's init ends; it goes Live"
wait $same_file
same "the same file's insmod: its exit status (the first load's result)" "$?" 0
wait $copy
rc=$?
diag "\$ cat /tmp/copy.out" "$(cat /tmp/copy.out)"
same "the copy's insmod: its exit status" "$rc" 1
expect "the copy's insmod: EEXIST ('File exists'), the name is Live now" contains "$(cat /tmp/copy.out)" "File exists$"
same "$USR lines in /proc/modules" "$(grep -c "^$USR " /proc/modules)" 1
same "$USR state" "$(field $USR 5)" Live
same "$EXP refcount (one user)" "$(refcnt $EXP)" 1
run $BB_RMMOD $USR
run $BB_RMMOD $EXP
explain "The same file twice: finit_module()'s idempotent_init_module() found a load of" \
	"that file under way and made the second call wait for it and return its result, 0," \
	"without a second load_module(). A copy is another file: its load_module() reached" \
	"early_mod_check() -> module_patient_check_exists(), waited while the first module" \
	"was Coming, and returned EEXIST once it was Live. docs/loader.md, 'The same module twice'."
end

step going_while_exit_runs "the user is Going while its exit runs"
unload_all
run $BB_INSMOD "$KO/$EXP.ko"
run $BB_INSMOD "$KO/$USR.ko" exit_delay_ms=30000
same "busybox insmod $USR exit_delay_ms=30000 exit status" "$rc" 0
kmsg_mark
$BB_RMMOD $USR >/tmp/rmmod.out 2>&1 &
unloader=$!
diag "\$ busybox rmmod $USR &"
wait_for "$USR shows Unloading in /proc/modules" state_is $USR Unloading
same "/sys/module/$USR/initstate" "$(initstate $USR)" going
same "$USR flags in /proc/modules ('-': going)" "$(field $USR 7)" "($MOD_FLAGS-)"
same "$USR refcount column in /proc/modules" "$(field $USR 3)" -1
same "$EXP refcount while $USR is Going" "$(refcnt $EXP)" 1
run grep rust_demo /proc/modules
run $BB_RMMOD $USR
expect "a second rmmod $USR fails with EBUSY" contains "$out" "Device or resource busy"
# A load of the same name while it is Going is refused at once, not after the
# exit (timeout would kill a load that waited: status 143, no EBUSY).
run timeout 5 $KMOD_INSMOD "$KO/$USR.ko"
failed_with "loading $USR while it is Going: EBUSY at once" "Device or resource busy$"
same "$USR state" "$(field $USR 5)" Unloading
kill $unloader
wait $unloader
diag "\$ kill %1   # ends the exit's sleep"
wait_for "$USR is gone" not loaded $USR
same "$EXP refcount after $USR left" "$(refcnt $EXP)" 0
run $BB_RMMOD $EXP
explain "try_stop_module() released the base reference (nothing else held the user, so" \
	"the count reads -1) and set it Going ('Unloading', 'going', '-'); its exit ran while" \
	"the exporter still counted it. A second rmmod, and a load of the same name, got EBUSY" \
	"at once. docs/loader.md, 'Not Live'."
end

clean_log_and_taint $MOD_TAINT
