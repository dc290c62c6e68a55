# SPDX-License-Identifier: GPL-2.0
# SECURE_BOOT=1 (included by the Makefile, KERNEL=debian, x86_64): make test,
# demo and shell boot Debian's signed vmlinuz through the firmware (OVMF) with
# Secure Boot, Debian's signed shim and Debian's signed GRUB, from a disk of
# each boot's own (qemu/host/efi-disk.sh; qemu/host/qemu.sh), instead of
# QEMU's -kernel. The firmware's variables come with the MOK in them
# (scripts/debian/efi-vars.sh), and the VM's root holds the pair signed with it
# (qemu/host/secure-boot-root.sh); the guest has Debian's mokutil and keyctl
# too. SECURE_BOOT_VARS=nomok: the same variables without the MOK; =off: the
# firmware's empty ones (Secure Boot off).
SECURE_BOOT_VARS ?= mok
ifeq ($(filter $(SECURE_BOOT_VARS),mok nomok off),)
$(error SECURE_BOOT_VARS=$(SECURE_BOOT_VARS) is unknown; use mok, nomok or off)
endif
# The Debian release whose firmware, shim and GRUB boot the kernel, and whose
# mokutil and keyctl the guest runs (the kernel's own: scripts/debian-root.sh's trixie).
EFI_RELEASE := trixie
# virt-fw-vars (PyPI virt-firmware) writes the MOK into the variables.
export VIRT_FIRMWARE := 26.10
SB_DIR := $(MODDIR)/secure-boot-$(SECURE_BOOT_VARS)
RUN_ROOT := $(SB_DIR)/root
export EFI_FIRMWARE := $(SB_DIR)/firmware
export EFI_VARS := $(SB_DIR)/vars.fd
# The guest's mokutil and keyctl, with their libraries: a manifest that
# mkinitramfs.sh adds to the initramfs (scripts/debian/sb-userspace.sh).
export GUEST_EXTRA_MANIFEST := $(SB_DIR)/userspace.manifest
# Without SUITE=, the secure_boot suite alone (a boot through the firmware
# costs about 8 s of CPU more than one with -kernel). Every other suite holds
# in this mode too, or SKIPs with the reason (SUITE=NAME[,NAME]).
RUN_SUITES := $(or $(RUN_SUITES),secure_boot)
ifneq ($(filter lava,$(MAKECMDGOALS)),)
$(error make lava boots with QEMU's -kernel only; SECURE_BOOT=1 is for test, demo and shell)
endif
$(RUN_ROOT)/.made: $(ROOT)/.made qemu/host/secure-boot-root.sh scripts/debian/efi-files.sh scripts/debian/efi-vars.sh \
		scripts/debian/mok-key.sh scripts/debian/debian-efivarfs.sh scripts/debian/efi-tools.sh scripts/debian/sb-userspace.sh \
		scripts/debian/secure-boot.mk
	@scripts/debian/efi-tools.sh
	@mkdir -p $(SB_DIR)
	@ln -sfn "$$(scripts/debian/efi-files.sh $(ARCH) $(EFI_RELEASE))" $(EFI_FIRMWARE)
	@ln -sfn "$$(scripts/debian/sb-userspace.sh $(ARCH) $(EFI_RELEASE))" $(GUEST_EXTRA_MANIFEST)
	@mok=$$(scripts/debian/mok-key.sh) && efivarfs=$$(scripts/debian/debian-efivarfs.sh $(ARCH)) && \
		qemu/host/secure-boot-root.sh $(KDIR_RESOLVED) $(ROOT) "$$mok" $(MODDIR)/fixture-key "$$efivarfs" \
			$(SECURE_BOOT_VARS) $(@D)
	@scripts/debian/efi-vars.sh $(EFI_FIRMWARE) $(SECURE_BOOT_VARS) $(EFI_VARS)
	@touch $@

# make mok-enroll: the MOK enrolled as a user enrolls it, in three boots:
# the request written from Linux, MokManager answered on the serial console,
# then the secure_boot suite (qemu/host/mok-enroll.sh).
mok-enroll: $(RUN_ROOT)/.made
	@qemu/host/mok-enroll.sh $(ARCH) $(KDIR_RESOLVED) $(RUN_ROOT) $(MODDIR)/mok-enroll
