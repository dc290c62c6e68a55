# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# boots alone: only SECURE_BOOT=1 boots through the firmware, shim and GRUB, and lockdown cannot be lifted.
#
# secure_boot: Debian's kernel booted as a laptop boots it (make test
# KERNEL=debian SECURE_BOOT=1): the firmware (OVMF) with Secure Boot checks
# Debian's shim against Microsoft's key, shim checks Debian's GRUB and GRUB
# (through shim) Debian's vmlinuz; the kernel then locks itself down
# (LOCK_DOWN_IN_EFI_SECURE_BOOT), enforces module signatures (IMA_ARCH_POLICY
# sets sig_enforce) and trusts the Machine Owner Keys shim hands it
# (MokListRT, into the .machine keyring). The MOK is made as dkms makes its
# key, put into the firmware's variables before the boot (as MokManager does
# after `mokutil --import`), and the installed pair is signed with it
# (qemu/host/secure-boot-root.sh). /demo/secure_boot.vars says which
# variables the firmware had (scripts/debian/efi-vars.sh): mok (Secure Boot on, MOK
# enrolled), nomok (on, no MOK) or off (the firmware's empty variables).
# Every step is a SKIP in any other boot. The steps read the firmware's
# variables both through efivarfs directly and with Debian's mokutil, and the
# keyrings both in /proc/keys and with keyctl (the guest has Debian's:
# scripts/debian/sb-userspace.sh).

# shellcheck source=../ktap_helpers.sh
. /demo/ktap_helpers.sh

suite secure_boot

FX=/demo/fixtures/secure_boot
NOT_SB="not booted through UEFI, shim and GRUB with Secure Boot; run make test KERNEL=debian SECURE_BOOT=1"
VARS=$(cat /demo/secure_boot.vars 2>/dev/null)
# The EFI global variable GUID (EFI_GLOBAL_VARIABLE); efivarfs shows each
# variable as 4 bytes of attributes, then its data.
SECURE_BOOT_VAR=/sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c
ENFORCE=/sys/module/module/parameters/sig_enforce
LOCKDOWN=/sys/kernel/security/lockdown
MOK_SUBJECT="DKMS module signing key"
# on: Secure Boot on (the mok and nomok variables); E_IF_OFF: the taint a
# module the kernel cannot verify gets where it loads (Secure Boot off).
case $VARS in
off) on=n E_IF_OFF=$TAINT_E ;;
*) on=y E_IF_OFF=0 ;;
esac

step secure_boot_state "the firmware says whether Secure Boot is on (efivarfs)"
if needs secure_boot "$NOT_SB"; then
	same "the firmware's variables (/demo/secure_boot.vars)" "$VARS" "$(printf '%s' "$VARS" | grep -xE 'mok|nomok|off')"
	expect "the kernel was booted by UEFI firmware (/sys/firmware/efi)" [ -d /sys/firmware/efi ]
	# efivarfs is a module in Debian's kernel (efivarfs.ko.xz, EFIVAR_FS=m),
	# signed by Debian's build-time key: it loads even under lockdown.
	taint=$(tainted)
	run $MODPROBE efivarfs
	same "modprobe efivarfs (Debian's own module) exit status" "$rc" 0
	same "efivarfs flags in /proc/modules (in-tree, signed: none)" "$(field efivarfs 7)" ""
	same "taint" "$(tainted)" "$taint"
	run mount -t efivarfs efivarfs /sys/firmware/efi/efivars
	same "mount efivarfs exit status" "$rc" 0
	run_line "od -An -tu1 $SECURE_BOOT_VAR"
	byte=$(printf '%s\n' "$out" | awk '{ v = $NF } END { print v }')
	if [ "$on" = y ]; then want=1; else want=0; fi
	same "SecureBoot's data byte (its last)" "$byte" "$want"
	run $MOKUTIL --sb-state
	same "mokutil --sb-state exit status" "$rc" 0
	if [ "$on" = y ]; then want=enabled; else want=disabled; fi
	same "mokutil --sb-state's first line" "$(printf '%s\n' "$out" | sed -n 1p)" "SecureBoot $want"
	if [ "$on" = y ]; then
		expect "the boot log says 'secureboot: Secure boot enabled'" contains "$(kmsg_all)" "secureboot: Secure boot enabled"
	else
		expect "the boot log says 'secureboot: Secure boot disabled'" contains "$(kmsg_all)" "secureboot: Secure boot disabled"
	fi
	explain "OVMF ran shim only because Microsoft's key in db signs it, shim ran GRUB and" \
		"GRUB ran the kernel only because Debian's key (in shim) signs them; the kernel read" \
		"SecureBoot from the firmware (efi_get_secureboot()) and said so."
fi
end

step lockdown_and_sig_enforce "Secure Boot on: lockdown [integrity] and sig_enforce Y (off: none and N)"
if needs secure_boot "$NOT_SB"; then
	mount -t securityfs securityfs /sys/kernel/security 2>/dev/null || :
	run_line "cat $ENFORCE"
	enforce=$out
	# Why, in the kernel's configuration (scripts/kernel/features.sh).
	expect "the kernel locks down under Secure Boot (CONFIG_LOCK_DOWN_IN_EFI_SECURE_BOOT)" \
		feature config_lock_down_in_efi_secure_boot
	expect "IMA's arch policy sets sig_enforce under Secure Boot (CONFIG_IMA_ARCH_POLICY)" feature config_ima_arch_policy
	if [ "$on" = y ]; then
		run cat $LOCKDOWN
		same "$LOCKDOWN (the mode in brackets)" "$out" "none [integrity] confidentiality"
		expect "the boot log says 'Kernel is locked down from EFI Secure Boot'" \
			contains "$(kmsg_all)" "Kernel is locked down from EFI Secure Boot; see man kernel_lockdown.7"
		same "sig_enforce (set by IMA's arch policy under Secure Boot)" "$enforce" Y
	else
		run cat $LOCKDOWN
		same "$LOCKDOWN" "$out" "[none] integrity confidentiality"
		same "sig_enforce" "$enforce" N
	fi
	run grep -o "lockdown=[^ ]*\|module.sig_enforce[^ ]*" /proc/cmdline
	same "nothing on the command line asked for either" "$out" ""
	explain "setup_arch() locked the kernel down (LOCK_DOWN_IN_EFI_SECURE_BOOT), and IMA's" \
		"architecture policy (IMA_ARCH_POLICY) called set_module_sig_enforced(): both from" \
		"the firmware's SecureBoot, neither from the command line."
fi
end

step mok_trusted "the MOK is in the .machine keyring, which the loader trusts (where enrolled)"
if needs secure_boot "$NOT_SB"; then
	skid=$(cat $FX/mok.skid)
	loaded_msg="integrity: Loaded X.509 cert '$MOK_SUBJECT: $skid'"
	expect "the kernel has the .machine keyring for MOKs (CONFIG_INTEGRITY_MACHINE_KEYRING)" \
		feature config_integrity_machine_keyring
	run_line "grep -e ' keyring *\\.machine: ' -e '$MOK_SUBJECT: $skid' /proc/keys"
	if [ "$VARS" = mok ]; then
		expect "the boot log says \"$loaded_msg\"" contains "$(kmsg_all)" "$loaded_msg"
		expect "the log says it came from shim's MokListRT" contains "$(kmsg_all)" "integrity: Loading X.509 certificate: UEFI:MokListRT"
		expect "/proc/keys has the .machine keyring" contains "$out" " keyring *\.machine: "
		# (/proc/keys cuts the type to 9 characters: "asymmetri".)
		expect "/proc/keys has the MOK, an asymmetric key named '$MOK_SUBJECT: $skid'" \
			contains "$out" " asymmetri $MOK_SUBJECT: $skid: X509\.rsa "
	else
		expect "the boot log has no '$MOK_SUBJECT' certificate" not contains "$(kmsg_all)" "$MOK_SUBJECT"
		expect "/proc/keys has no MOK" not contains "$out" "$MOK_SUBJECT"
	fi
	if feature config_integrity_machine_keyring; then
		run $KEYCTL show %:.secondary_trusted_keys
		same "keyctl show %:.secondary_trusted_keys exit status" "$rc" 0
		# One line a key: its id, permissions, uid, gid, then type and name,
		# indented by depth ("\_ keyring: .machine" is a keyring linked in).
		expect "the .machine keyring is linked into .secondary_trusted_keys" \
			contains "$out" "_ keyring: \.machine$"
		run $KEYCTL show %:.machine
		same "keyctl show %:.machine exit status" "$rc" 0
		if [ "$VARS" = mok ]; then
			expect "keyctl: the MOK is in .machine" contains "$out" "asymmetric: $MOK_SUBJECT: $skid$"
		else
			expect "keyctl: no MOK in .machine" not contains "$out" "$MOK_SUBJECT"
		fi
	fi
	explain "shim copied MokList to MokListRT for the kernel; load_uefi_certs() added each" \
		"certificate to the .machine keyring (INTEGRITY_MACHINE_KEYRING), which is linked" \
		"into .secondary_trusted_keys, where the loader looks for the signer's key."
fi
end

step mok_signed_pair "the pair signed with the MOK: loads untainted and behaves (no MOK: refused; off: taint E)"
unload_all
if needs secure_boot "$NOT_SB"; then
	run $MODINFO -F signer "$KO/$EXP.ko"
	same "modinfo signer of the installed $EXP" "$out" "$MOK_SUBJECT"
	run $MODINFO -F sig_key "$KO/$USR.ko"
	same "modinfo sig_key of the installed $USR (the MOK's serial number)" "$out" "$(cat $FX/mok.serial)"
	taint=$(tainted)
	run $KMOD_INSMOD "$KO/$EXP.ko"
	if [ "$VARS" = nomok ]; then
		failed_with "without the MOK enrolled: EKEYREJECTED" "Key was rejected by service$"
		expect "the kernel says 'Loading of module with unavailable key is rejected'" \
			contains "$klog" "Loading of module with unavailable key is rejected"
		expect "$EXP is not in /proc/modules" not loaded $EXP
	else
		same "insmod $EXP exit status" "$rc" 0
		run $KMOD_INSMOD "$KO/$USR.ko"
		same "insmod $USR exit status" "$rc" 0
		same "taint added" $(($(tainted) & ~taint)) $((TAINT_O | E_IF_OFF))
		if [ "$on" = y ]; then flags="(O)"; else flags="(OE)"; fi
		same "$EXP flags in /proc/modules" "$(field $EXP 7)" "$flags"
		same "$EXP refcnt (one user)" "$(refcnt $EXP)" 1
		same "$EXP holders" "$(holders $EXP)" "$USR"
		run $BB_RMMOD $EXP
		failed_with "rmmod $EXP while $USR holds it: EWOULDBLOCK" "Resource temporarily unavailable"
		expect "$EXP is still loaded" loaded $EXP
		run $BB_RMMOD $USR
		same "rmmod $USR exit status" "$rc" 0
		run $BB_RMMOD $EXP
		same "rmmod $EXP exit status" "$rc" 0
		expect "nothing of the pair left" not grep -q "^rust_demo_" /proc/modules
	fi
	explain "module_sig_check() found the signature, and mod_verify_sig() the signer's key" \
		"in the secondary keyring through .machine: the MOK. Without it enrolled the key is" \
		"unavailable and, enforced, that is a refusal. docs/loader.md, 'Module signatures'."
fi
end

step unsigned_pair "the pair unsigned: refused (Secure Boot off: loaded, taint E)"
unload_all
if needs secure_boot "$NOT_SB"; then
	taint=$(tainted)
	run $KMOD_INSMOD $FX/unsigned/$EXP.ko
	if [ "$on" = y ]; then
		failed_with "EKEYREJECTED ('Key was rejected by service')" "Key was rejected by service$"
		expect "the kernel says 'Loading of unsigned module is rejected'" contains "$klog" "Loading of unsigned module is rejected"
		expect "$EXP is not in /proc/modules" not loaded $EXP
		run $KMOD_INSMOD $FX/unsigned/$USR.ko
		failed_with "$USR too: EKEYREJECTED" "Key was rejected by service$"
		same "taint" "$(tainted)" "$taint"
	else
		same "insmod unsigned $EXP exit status" "$rc" 0
		same "$EXP flags in /proc/modules" "$(field $EXP 7)" "(OE)"
		run $BB_RMMOD $EXP
	fi
	explain "No signature, and sig_enforce on: module_sig_check() refused it (EKEYREJECTED)" \
		"before lockdown was asked (the other refusal, EPERM, is the lockdown suite's)."
fi
end

step other_key_pair "the pair signed with a key not enrolled: refused (Secure Boot off: loaded, taint E)"
unload_all
if needs secure_boot "$NOT_SB"; then
	taint=$(tainted)
	run $MODINFO -F signer $FX/other_key/$EXP.ko
	expect "other_key/$EXP.ko has a signer" [ -n "$out" ]
	expect "not the MOK" [ "$out" != "$MOK_SUBJECT" ]
	run $KMOD_INSMOD $FX/other_key/$EXP.ko
	if [ "$on" = y ]; then
		failed_with "EKEYREJECTED" "Key was rejected by service$"
		expect "the kernel says 'Loading of module with unavailable key is rejected'" \
			contains "$klog" "Loading of module with unavailable key is rejected"
		expect "$EXP is not in /proc/modules" not loaded $EXP
		same "taint" "$(tainted)" "$taint"
	else
		same "insmod other_key $EXP exit status" "$rc" 0
		same "$EXP flags in /proc/modules" "$(field $EXP 7)" "(OE)"
		run $BB_RMMOD $EXP
	fi
	explain "A signature whose key is in none of the trusted keyrings (ENOKEY), enforced:" \
		"refused like no signature at all."
fi
end

clean_log_and_taint $((TAINT_O | E_IF_OFF))
