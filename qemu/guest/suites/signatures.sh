# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# boots alone: it turns signature enforcement on, which cannot be undone.
#
# signatures: the pair is unsigned (or, built by dkms, signed with a key the
# kernel does not have); on a kernel that checks module signatures
# (CONFIG_MODULE_SIG, Debian's stock kernel) it loads with taint E, and once
# enforcement is on (module.sig_enforce, which can only be switched on) the
# loader refuses it with EKEYREJECTED (kernel/module/signing.c).

# shellcheck source=../ktap_helpers.sh
. /demo/ktap_helpers.sh

suite signatures "unsigned_loads_tainted_E enforced_refuses_unsigned no_oops_warn_or_unexpected_taint"
NO_SIG="this kernel does not check module signatures (no CONFIG_MODULE_SIG)"
ENFORCE=/sys/module/module/parameters/sig_enforce

begin "a module it cannot verify loads on a kernel that checks signatures, tainted E"
unload_all
if ! needs config_module_sig "$NO_SIG"; then
	:
elif feature config_module_sig_force; then
	skip "this kernel refuses every unsigned module (CONFIG_MODULE_SIG_FORCE); the next step shows that"
else
	same "signature enforcement before the load" "$(cat $ENFORCE)" N
	run $BB_INSMOD "$KO/$EXP.ko"
	same "busybox insmod $EXP exit status" "$rc" 0
	expect "the kernel says why it taints" contains "$klog" "$EXP: module verification failed: signature and/or required key missing - tainting kernel"
	expect "the kernel is tainted E (unsigned module, 8192)" has_taint $TAINT_E
	expect "$EXP's flags in /proc/modules have E ($(field $EXP 7))" contains "$(field $EXP 7)" "E"
	run $BB_RMMOD $EXP
	same "busybox rmmod $EXP exit status" "$rc" 0
	explain "module_sig_check() found no signature at the end of the file; enforcement" \
		"is off (no CONFIG_MODULE_SIG_FORCE, no module.sig_enforce=1), so the loader only" \
		"tainted the kernel E, once, and went on."
fi
end unsigned_loads_tainted_E

begin "with module.sig_enforce on, that module is refused: EKEYREJECTED"
unload_all
if needs config_module_sig "$NO_SIG"; then
	run sh -c "echo 1 >$ENFORCE"
	same "writing 1 to $ENFORCE: exit status" "$rc" 0
	same "signature enforcement now" "$(cat $ENFORCE)" Y
	run $KMOD_INSMOD "$KO/$EXP.ko"
	failed_with "with EKEYREJECTED ('Key was rejected by service')" "Key was rejected by service"
	# kernel/module/signing.c names the reason: no signature, or one whose key
	# the kernel does not have (a dkms build's MOK).
	if [ -z "$mod_signer" ]; then why="unsigned module"; else why="module with unavailable key"; fi
	expect "the kernel says why" contains "$klog" "Loading of $why is rejected"
	expect "$EXP is not loaded" not loaded $EXP
	explain "module.sig_enforce is a 'bool_enable_only' parameter: once on, it stays on." \
		"module_sig_check() then turns a missing signature into EKEYREJECTED before" \
		"anything of the module is set up. A Secure Boot machine is like this from boot."
fi
end enforced_refuses_unsigned

clean_log_and_taint $MOD_TAINT
