# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# boots alone: the kernel is locked down from boot, and lockdown cannot be lifted.
# cmdline: lockdown=integrity
#
# lockdown: the other way a kernel refuses an unsigned module. The lockdown
# LSM (CONFIG_SECURITY_LOCKDOWN_LSM; this project's kernels have it, inactive
# unless asked) in integrity mode, as a distribution kernel turns it on under
# Secure Boot: module_sig_check() then refuses what it would forgive (no
# signature, an unknown key) with EPERM, though sig_enforce stays off. A
# module signed with a key the kernel trusts still loads.

# shellcheck source=../ktap_helpers.sh
. /demo/ktap_helpers.sh

suite lockdown

SIG=/demo/fixtures/sig
MODE=/sys/kernel/security/lockdown
LOCKDOWN_MSG="Lockdown: insmod: unsigned module loading is restricted; see man kernel_lockdown.7"
NO_LOCKDOWN="this kernel has no lockdown LSM in securityfs (CONFIG_SECURITY_LOCKDOWN_LSM, CONFIG_SECURITYFS)"
# With signatures enforced from boot (Secure Boot sets sig_enforce: make test
# SECURE_BOOT=1), the loader refuses first, EKEYREJECTED: the secure_boot suite.
ENFORCED_AT_BOOT=$(cat /sys/module/module/parameters/sig_enforce 2>/dev/null)
locked() {
	needs config_security_lockdown_lsm "$NO_LOCKDOWN" && needs config_securityfs "$NO_LOCKDOWN" &&
		needs config_module_sig "this kernel has no CONFIG_MODULE_SIG (it does not check signatures)" || return 1
	[ "$ENFORCED_AT_BOOT" = Y ] || return 0
	skip "signatures are enforced from boot (sig_enforce Y: Secure Boot), so the loader refuses before lockdown is asked; the secure_boot suite shows it"
	return 1
}

step integrity_mode "lockdown=integrity on the command line: the kernel is locked down"
if locked; then
	run grep -o "lockdown=[^ ]*" /proc/cmdline
	same "this boot's lockdown= (the suite's '# cmdline:')" "$out" lockdown=integrity
	mount -t securityfs securityfs /sys/kernel/security 2>/dev/null || :
	run cat $MODE
	same "$MODE (the mode in brackets)" "$out" "none [integrity] confidentiality"
	expect "the boot log says 'Kernel is locked down from command line'" \
		contains "$(kmsg_all)" "Kernel is locked down from command line; see man kernel_lockdown.7"
	run cat /sys/module/module/parameters/sig_enforce
	same "sig_enforce (lockdown does not set it)" "$out" N
	explain "At boot, lockdown_param() read lockdown=integrity and lock_kernel_down() set the" \
		"level (and said so); lockdown_lsm_init() had registered the LSM's locked_down hook" \
		"early (CONFIG_SECURITY_LOCKDOWN_LSM_EARLY). securityfs shows the mode. Lockdown is not" \
		"sig_enforce: it is a second question module_sig_check() asks."
fi
end

step unsigned_refused_eperm "an unsigned module and one with an unknown key: EPERM"
unload_all
if locked; then
	taint=$(tainted)
	run $KMOD_INSMOD $SIG/unsigned.ko
	failed_with "unsigned: EPERM ('Operation not permitted')" "Operation not permitted$"
	expect "the kernel says '$LOCKDOWN_MSG'" contains "$klog" "$LOCKDOWN_MSG"
	expect "not the loader's sig_enforce refusal" not contains "$klog" "Loading of unsigned module is rejected"
	run $KMOD_INSMOD $SIG/other_key.ko
	failed_with "signed with a key the kernel does not know: EPERM" "Operation not permitted$"
	expect "$EXP is not in /proc/modules" not loaded $EXP
	same "taint (no E: nothing loaded)" "$(tainted)" "$taint"
	explain "module_sig_check() found no signature (ENODATA) or no such key (ENOKEY), not" \
		"enforced, and returned security_locked_down(LOCKDOWN_MODULE_SIGNATURE): EPERM, and" \
		"lockdown_is_locked_down() logged why. docs/loader.md, 'Module signatures'."
fi
end

step signed_module_loads "a module signed with the kernel's key loads"
unload_all
if locked && needs module_signing_key "this kernel's signing key is not at hand (a distribution's headers), so nothing here is signed with a key it trusts"; then
	run $BB_INSMOD "$KO/$EXP.ko"
	same "busybox insmod $EXP (signed by modules_install) exit status" "$rc" 0
	same "$EXP state" "$(field $EXP 5)" Live
	same "$EXP flags in /proc/modules (no E)" "$(field $EXP 7)" "(O)"
	run $BB_RMMOD $EXP
	same "busybox rmmod $EXP exit status" "$rc" 0
	explain "A good signature passed module_sig_check() before lockdown was asked at all:" \
		"under lockdown only modules signed with a key the kernel trusts load. Secure Boot" \
		"and Machine Owner Keys: docs/loader.md, 'Module signatures'."
fi
end

clean_log_and_taint $MOD_TAINT
