# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# boots alone: it asks the firmware for a MOK enrollment, which shim acts on at the next boot.
#
# mok_import: the first of make mok-enroll's three boots (qemu/host/mok-enroll.sh),
# under Secure Boot with the MOK not enrolled. What `mokutil --import mok.pub`
# does, done through efivarfs (the guest has no mokutil): write MokNew (the
# certificate, as an EFI signature list) and MokAuth (SHA-256 of it and the
# one-time password) as shim's variables, which the host made
# (qemu/host/mok-request.py). At the next boot shim finds them and starts
# MokManager, where the password confirms the enrollment.

# shellcheck source=../ktap_helpers.sh
. /demo/ktap_helpers.sh

suite mok_import

REQ=/demo/fixtures/secure_boot/request
SHIM_GUID=605dab50-e046-4300-abb6-3dd810dd8b23
EFIVARS=/sys/firmware/efi/efivars

step mok_requested "MokNew and MokAuth written, as mokutil --import writes them"
if needs secure_boot "not booted through UEFI, shim and GRUB with Secure Boot; run make mok-enroll KERNEL=debian SECURE_BOOT=1"; then
	if [ ! -f $REQ/MokNew ]; then
		skip "no MOK request in this boot's root; make mok-enroll KERNEL=debian SECURE_BOOT=1 puts one there"
	else
		run $MODPROBE efivarfs
		same "modprobe efivarfs exit status" "$rc" 0
		run mount -t efivarfs efivarfs $EFIVARS
		same "mount efivarfs exit status" "$rc" 0
		expect "no MokNew before" [ ! -e $EFIVARS/MokNew-$SHIM_GUID ]
		for var in MokNew MokAuth; do
			run dd if=$REQ/$var of=$EFIVARS/$var-$SHIM_GUID bs=4096 conv=notrunc
			same "writing $var exit status" "$rc" 0
			run cmp $REQ/$var $EFIVARS/$var-$SHIM_GUID
			same "$var reads back as written (attributes and data)" "$rc" 0
		done
		explain "Linux wrote two boot-service variables of shim's GUID through the firmware's" \
			"runtime services; nothing is trusted yet: only MokManager, at the next boot and" \
			"with the password, moves the key into MokList."
	fi
fi
end

clean_log_and_taint 0
