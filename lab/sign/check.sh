# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh disable=SC2154 # LAB_ID: qemu/host/lab-build.sh sets it
# cmdline: module.sig_enforce=1
#
# The check of lab exercise sign (lab/sign/README.md): on a kernel booted
# with module.sig_enforce=1, lab_signed.ko carries a signature, and the
# kernel loads it without the E taint (signed with a key it trusts).

# shellcheck source=../../qemu/guest/ktap_helpers.sh
. /demo/ktap_helpers.sh

LAB=$DEMO_DIR/lab/$LAB_ID
MODULES=lab_signed
suite "$LAB_ID"

step enforcing "the kernel enforces signatures"
if needs config_module_sig "Linux $(uname -r) was built without CONFIG_MODULE_SIG: it checks no signature" &&
	needs module_signing_key "this kernel's signing key is not at hand (a distribution's kernel): nothing here can sign for it"; then
	same "/sys/module/module/parameters/sig_enforce" "$(cat /sys/module/module/parameters/sig_enforce)" Y
fi
end

step signed_module_loads "lab_signed.ko is signed, and loads untainted"
if feature config_module_sig && feature module_signing_key; then
	run $MODINFO -F sig_id "$LAB/lab_signed.ko"
	same "the signature's kind (modinfo's sig_id)" "$out" "PKCS#7"
	run $BB_INSMOD "$LAB/lab_signed.ko"
	same "busybox insmod lab_signed exit status" "$rc" 0
	if [ -z "$($MODINFO -F sig_id "$LAB/lab_signed.ko")" ]; then
		hint "lab_signed.ko carries no signature: host.sh must append one (the kernel's" \
			"scripts/ have the tool Kbuild signs modules with)"
	else
		hint "lab_signed.ko is signed, but the kernel refused it (its line above): the key must" \
			"be one it trusts, such as the one it was built with (its .config names it)"
	fi
	same "lab_signed's taint flags (no E: the signature checked out)" "$(cat /sys/module/lab_signed/taint 2>/dev/null)" O
	! loaded lab_signed || run $BB_RMMOD lab_signed
else
	skip "no signature to check on this kernel (see the step before)"
fi
end

clean_log_and_taint $((TAINT_O | TAINT_E))
