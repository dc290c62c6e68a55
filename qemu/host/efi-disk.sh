#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# efi-disk.sh ARCH FIRMWARE-DIR KERNEL INITRD CMDLINE OUTPUT
#
# SECURE_BOOT=1: write OUTPUT, a raw disk image with a GPT and one EFI system
# partition (FAT) holding what the firmware boots: shim at the firmware's
# fallback path (EFI/BOOT/BOOTX64.EFI on x86_64), MokManager and GRUB beside
# it (the names of EFI_BOOT_NAMES in qemu/arch/ARCH.conf; the files from
# FIRMWARE-DIR, scripts/debian/efi-files.sh), the signed KERNEL and INITRD, and
# EFI/debian/grub.cfg, which Debian's signed GRUB reads (its built-in
# configuration looks there) and which boots KERNEL with CMDLINE. No root,
# no loop device: sfdisk writes the table, mkfs.vfat --offset the file system
# inside the image, mtools the files.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../../scripts/lib.sh
. "$here/../../scripts/lib.sh"

[ $# -eq 6 ] || die "usage: $0 ARCH FIRMWARE-DIR KERNEL INITRD CMDLINE OUTPUT"
arch=$1 fw=$2 kernel=$3 initrd=$4 cmdline=$5 out=$6
"$here/../../scripts/debian/efi-tools.sh"
export PATH=$PATH:/sbin:/usr/sbin
read -r boot mm grub <<<"$("$here/../../scripts/kernel/archconf.sh" "$arch" EFI_BOOT_NAMES)"

# The partition: from 1 MiB, big enough for the files and 8 MiB more.
bytes=$(stat -L -c %s "$fw/EFI_SHIM" "$fw/EFI_MOKMANAGER" "$fw/EFI_GRUB" "$kernel" "$initrd" | paste -s -d +)
part_mib=$(($(echo "$bytes" | bc) / 1048576 + 8))
[ "$part_mib" -ge 33 ] || part_mib=33 # FAT32's smallest
rm -f "$out"
truncate -s $((part_mib + 2))M "$out"
printf '%s\n' "label: gpt" "start=2048, size=$((part_mib * 2048)), type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, name=ESP" |
	sfdisk --quiet "$out"
# (mkfs.vfat warns that the image is bigger than the partition: it is, by design.)
log=$(mkfs.vfat -F 32 -n ESP --offset 2048 "$out" $((part_mib * 1024)) 2>&1) || die "mkfs.vfat failed on $out: $log"
esp=$out@@1M
mmd -i "$esp" ::/EFI ::/EFI/BOOT ::/EFI/debian
mcopy -i "$esp" "$fw/EFI_SHIM" "::/EFI/BOOT/$boot"
mcopy -i "$esp" "$fw/EFI_MOKMANAGER" "::/EFI/BOOT/$mm"
mcopy -i "$esp" "$fw/EFI_GRUB" "::/EFI/BOOT/$grub"
mcopy -i "$esp" "$kernel" ::/vmlinuz
mcopy -i "$esp" "$initrd" ::/initrd.img
printf '%s\n' "set timeout=0" "linux /vmlinuz $cmdline" "initrd /initrd.img" "boot" |
	mcopy -i "$esp" - ::/EFI/debian/grub.cfg
