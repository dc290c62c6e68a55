#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# efi-tools.sh
#
# SECURE_BOOT=1: the host's tools that make each boot's EFI system partition
# without root (qemu/host/efi-disk.sh): sfdisk (fdisk), mkfs.vfat
# (dosfstools), mmd and mcopy (mtools). Installed from the machine's Debian
# when missing, as root; otherwise the command to run is the error.
set -euo pipefail
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"

[ $# -eq 0 ] || die "usage: $0"
export PATH=$PATH:/sbin:/usr/sbin
missing=()
for tool in sfdisk:fdisk mkfs.vfat:dosfstools mmd:mtools mcopy:mtools; do
	command -v "${tool%%:*}" >/dev/null || missing+=("${tool#*:}")
done
[ ${#missing[@]} -eq 0 ] && exit 0
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
apt_install "SECURE_BOOT=1 needs ${missing[*]} to make the boot disk" "20 s" "${missing[@]}"
