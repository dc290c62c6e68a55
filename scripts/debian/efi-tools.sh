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
cmd="apt-get update && apt-get install -y --no-install-recommends $(printf '%s\n' "${missing[@]}" | sort -u | paste -s -d ' ')"
[ "$(id -u)" = 0 ] || die "SECURE_BOOT=1 needs ${missing[*]} to make the boot disk; run as root: $cmd"
logged "${TMPDIR:-/tmp}/rust-demo-kmod-apt.log" "installing ${missing[*]} (the boot disk's tools)" "20 s" \
	sh -c "export DEBIAN_FRONTEND=noninteractive; $cmd"
