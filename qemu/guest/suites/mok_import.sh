# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# boots alone: it asks the firmware for a MOK enrollment, which shim acts on at the next boot.
#
# mok_import: the first of make mok-enroll's three boots (qemu/host/mok-enroll.sh),
# under Secure Boot with the MOK not enrolled. What a user runs, with
# Debian's mokutil: `mokutil --generate-hash=PASSWORD >FILE` (the one-time
# password, hashed with crypt()) and `mokutil --import mok.pub --hash-file
# FILE`, which writes MokNew (the certificate, as an EFI signature list) and
# MokAuth (the password's hash) as shim's variables through efivarfs. The host
# put the MOK's certificate and the password in this boot's root. At the
# next boot shim finds the request and starts MokManager, where the password
# confirms the enrollment.

# shellcheck source=../ktap_helpers.sh
. /demo/ktap_helpers.sh

suite mok_import

REQ=/demo/fixtures/secure_boot/request
SHIM_GUID=605dab50-e046-4300-abb6-3dd810dd8b23
EFIVARS=/sys/firmware/efi/efivars
HASH=$KTAP_TMP/mok.hash

step mok_requested "mokutil --import writes MokNew and MokAuth"
if needs secure_boot "not booted through UEFI, shim and GRUB with Secure Boot; run make mok-enroll KERNEL=debian SECURE_BOOT=1"; then
	if [ ! -f $REQ/mok.pub ]; then
		skip "no MOK request in this boot's root; make mok-enroll KERNEL=debian SECURE_BOOT=1 puts one there"
	else
		run $MODPROBE efivarfs
		same "modprobe efivarfs exit status" "$rc" 0
		run mount -t efivarfs efivarfs $EFIVARS
		same "mount efivarfs exit status" "$rc" 0
		expect "no MokNew before" [ ! -e $EFIVARS/MokNew-$SHIM_GUID ]
		run_line "$MOKUTIL --generate-hash=$(cat $REQ/password) >$HASH"
		same "mokutil --generate-hash exit status" "$rc" 0
		expect "a crypt() hash in $HASH ('\$ID\$SALT\$HASH')" matches "$(cat "$HASH")" '^\$[0-9a-z]+\$[^$]+\$[^$]+$'
		run $MOKUTIL --import $REQ/mok.pub --hash-file "$HASH"
		same "mokutil --import exit status" "$rc" 0
		for var in MokNew MokAuth; do
			expect "efivarfs has $var-$SHIM_GUID" [ -s $EFIVARS/$var-$SHIM_GUID ]
		done
		# MokNew: 4 bytes of attributes (efivarfs), one EFI_SIGNATURE_LIST
		# (28 bytes of header, the owner's GUID), then the certificate.
		run_line "tail -c $(wc -c <$REQ/mok.pub) $EFIVARS/MokNew-$SHIM_GUID | cmp - $REQ/mok.pub"
		same "MokNew ends with the MOK's certificate, byte for byte" "$rc" 0
		run $MOKUTIL --list-new
		expect "mokutil --list-new shows the MOK waiting (CN=DKMS module signing key)" \
			contains "$out" "Subject: CN=DKMS module signing key$"
		explain "mokutil wrote two boot-service variables of shim's GUID through the firmware's" \
			"runtime services; nothing is trusted yet: only MokManager, at the next boot and" \
			"with the password, moves the key into MokList."
	fi
fi
end

clean_log_and_taint 0
