# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# boots alone: it taints the kernel E for good and turns sig_enforce on, which cannot be undone.
#
# signatures: module_sig_check(), the first check of load_module(). On this
# project's kernels the modules under /lib/modules were signed by
# modules_install with the kernel's own build-time key; on a distribution's
# (KERNEL=debian) the key is not at hand and they are unsigned, or signed by
# dkms with a key of its own. The fixtures in sig/ (qemu/host/make-fixtures.sh)
# are the exporter unsigned, signed with a key the kernel does not know, and
# (where the key is at hand) signed and then changed. Signatures are checked but
# not enforced, as on a distribution kernel, until step 4 turns enforcement on.

# shellcheck source=../ktap_helpers.sh
. /demo/ktap_helpers.sh

suite signatures

SIG=/demo/fixtures/sig
NO_SIG="this kernel has no CONFIG_MODULE_SIG (it does not check signatures)"
NO_KEY="this kernel's signing key is not at hand (a distribution's headers), so nothing here is signed"
VERIFY_FAILED="$EXP: module verification failed: signature and/or required key missing - tainting kernel"
MARKER="~Module signature appended~"
# signable: a step that needs a kernel that checks signatures, and a key it
# trusts at hand: its own build-time key, or under Secure Boot the MOK
# enrolled (make test SECURE_BOOT=1), whose serial number ktap_helpers.sh
# names KERNEL_KEY_SERIAL.
signable() {
	needs config_module_sig "$NO_SIG" || return 1
	[ -f "$KERNEL_KEY_SERIAL" ] || needs module_signing_key "$NO_KEY"
}
# checked: a step that needs a kernel that checks signatures, not enforcing yet.
# Enforced from boot (Secure Boot sets sig_enforce: make test SECURE_BOOT=1)
# before step 4 turns it on is the secure_boot suite's case.
ENFORCED_AT_BOOT=$(cat /sys/module/module/parameters/sig_enforce 2>/dev/null)
checked() {
	needs config_module_sig "$NO_SIG" || return 1
	if feature config_module_sig_force; then
		skip "this kernel refuses every module it cannot verify (CONFIG_MODULE_SIG_FORCE)"
		return 1
	fi
	[ "$ENFORCED_AT_BOOT" = Y ] || return 0
	skip "signatures are enforced from boot (sig_enforce Y: Secure Boot); the secure_boot suite shows the refusals"
	return 1
}

step signed_module_loads_untainted "a signed module loads with no taint"
unload_all
if signable; then
	run $MODINFO -F signer "$KO/$EXP.ko"
	signer=$out
	expect "modinfo shows a signer" [ -n "$signer" ]
	run $MODINFO -F sig_key "$KO/$EXP.ko"
	sig_key=$out
	run $MODINFO -F sig_hashalgo "$KO/$EXP.ko"
	same "modinfo sig_hashalgo" "$out" sha256
	run_line "tail -c 28 $KO/$EXP.ko | head -c 27"
	same "the file's last bytes" "$out" "$MARKER"
	# The key: modinfo's sig_key is its serial number (sign-file names the
	# signer by issuer and serial), which the host read from the kernel's
	# certs/signing_key.x509 (or the MOK's certificate); the kernel loaded that
	# certificate at boot, named "<its subject>: <its subject key id>".
	same "modinfo sig_key: the serial number of the key the kernel trusts" "$sig_key" "$(cat "$KERNEL_KEY_SERIAL")"
	cert=$(sed -n "s/.*Loaded X.509 cert '\($signer: .*\)'.*/\1/p" "$KMSG_ALL" | head -n 1)
	diag "boot log: Loaded X.509 cert '$cert'"
	expect "the kernel loaded a certificate of that signer at boot" [ -n "$cert" ]
	taint=$(tainted)
	run $BB_INSMOD "$KO/$EXP.ko"
	same "busybox insmod $EXP exit status" "$rc" 0
	expect "the kernel did not say 'module verification failed'" not contains "$klog" "verification failed"
	same "taint E added" $(($(tainted) & ~taint & TAINT_E)) 0
	same "$EXP flags in /proc/modules" "$(field $EXP 7)" "(O)"
	run $BB_RMMOD $EXP
	explain "module_sig_check() found the marker at the end of the file, and mod_verify_sig()" \
		"checked the PKCS#7 signature before it against the keys in the kernel's builtin" \
		"trusted keyring (the build-time key, compiled into the kernel from certs/)." \
		"docs/loader.md, 'Module signatures'."
fi
end

step unsigned_and_unknown_key_load_tainted_E "unsigned, or signed with a key the kernel does not know: loaded, tainted E"
unload_all
if checked; then
	taint=$(tainted)
	run $KMOD_INSMOD $SIG/unsigned.ko
	same "insmod unsigned.ko exit status" "$rc" 0
	expect "the kernel says '$VERIFY_FAILED'" contains "$klog" "$VERIFY_FAILED"
	same "taint E (8192) added" $(($(tainted) & ~taint & TAINT_E)) $TAINT_E
	same "$EXP flags in /proc/modules" "$(field $EXP 7)" "(OE)"
	run $BB_RMMOD $EXP
	run $MODINFO -F signer $SIG/other_key.ko
	expect "other_key.ko has a signer" [ -n "$out" ]
	expect "another signer than the kernel's key" [ "$out" != "$($MODINFO -F signer "$KO/$EXP.ko")" ]
	run $KMOD_INSMOD $SIG/other_key.ko
	same "insmod other_key.ko exit status" "$rc" 0
	expect "the message is printed once a boot (pr_notice_once())" not contains "$klog" "verification failed"
	same "$EXP flags in /proc/modules" "$(field $EXP 7)" "(OE)"
	run $BB_RMMOD $EXP
	explain "Without a signature (ENODATA) or with a key not in the keyring (ENOKEY)," \
		"module_sig_check() lets the module in when signatures are not enforced;" \
		"module_augment_kernel_taints() then taints the kernel and the module E." \
		"docs/loader.md, 'Module signatures'."
fi
end

step changed_signed_module_refused "a signed module with one byte of its code changed is refused"
if signable; then
	taint=$(tainted)
	run $KMOD_INSMOD $SIG/tampered.ko
	failed_with "with EKEYREJECTED ('Key was rejected by service')" "Key was rejected by service"
	same "what the loader logged" "$(task_log)" ""
	expect "$EXP is not in /proc/modules" not loaded $EXP
	same "taint" "$(tainted)" "$taint"
	explain "The signature is there and the key is known, but the file's digest is not the" \
		"one signed: mod_verify_sig() failed with EKEYREJECTED, fatal even when signatures" \
		"are not enforced, and nothing was logged. docs/loader.md, 'Module signatures'."
fi
end

step sig_enforce_refuses_all_but_signed "sig_enforce on: only the signed module loads"
unload_all
if checked; then
	ENFORCE=/sys/module/module/parameters/sig_enforce
	same "$ENFORCE" "$(cat $ENFORCE)" N
	# Not even an ELF file, and unsigned: without enforcement the signature
	# is forgiven and the ELF check refuses it; with it, the signature check
	# refuses it first.
	run_line "echo 'not an ELF file, and not signed' >/tmp/not_elf.ko"
	run $KMOD_INSMOD /tmp/not_elf.ko
	failed_with "not enforced: the ELF check refuses it, ENOEXEC ('Invalid module format')" "Invalid module format$"
	run_line "echo 1 >$ENFORCE"
	same "turning it on: exit status" "$rc" 0
	same "$ENFORCE" "$(cat $ENFORCE)" Y
	run_line "echo 0 >$ENFORCE"
	failed_with "turning it off again: EROFS ('Read-only file system')" "Read-only file system"
	same "$ENFORCE" "$(cat $ENFORCE)" Y
	run $KMOD_INSMOD /tmp/not_elf.ko
	failed_with "enforced: the same file is refused by the signature check first, EKEYREJECTED" "Key was rejected by service$"
	expect "the kernel says 'Loading of unsigned module is rejected'" contains "$klog" "Loading of unsigned module is rejected"
	run $KMOD_INSMOD $SIG/unsigned.ko
	failed_with "with EKEYREJECTED ('Key was rejected by service')" "Key was rejected by service"
	expect "the kernel says 'Loading of unsigned module is rejected'" contains "$klog" "Loading of unsigned module is rejected"
	run $KMOD_INSMOD $SIG/other_key.ko
	failed_with "with EKEYREJECTED" "Key was rejected by service"
	expect "the kernel says 'Loading of module with unavailable key is rejected'" \
		contains "$klog" "Loading of module with unavailable key is rejected"
	run $MODPROBE --force-vermagic $EXP
	failed_with "modprobe --force-vermagic of the signed module: EKEYREJECTED" "Key was rejected by service"
	expect "the kernel calls the forced module unsigned" contains "$klog" "Loading of unsigned module is rejected"
	if [ "$MOD_FLAGS" = O ]; then
		run $BB_INSMOD "$KO/$EXP.ko"
		same "busybox insmod of the signed $EXP exit status" "$rc" 0
		same "$EXP flags in /proc/modules" "$(field $EXP 7)" "(O)"
		run $BB_RMMOD $EXP
	else
		run $KMOD_INSMOD "$KO/$EXP.ko"
		failed_with "the installed $EXP, which the kernel cannot verify, is refused too" "Key was rejected by service"
	fi
	explain "sig_enforce went on at run time and could not go off (EROFS). Then the file" \
		"that is not ELF got EKEYREJECTED instead of ENOEXEC (module_sig_check() comes first)," \
		"the unsigned and unknown-key modules were refused, and so was the module forced with" \
		"--force-vermagic, which counts as unsigned. docs/loader.md, 'Module signatures'."
fi
end

clean_log_and_taint $((TAINT_O | TAINT_E))
