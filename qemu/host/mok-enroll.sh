#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# mok-enroll.sh ARCH KDIR SB-ROOT OUT
#
# make mok-enroll KERNEL=debian SECURE_BOOT=1: the MOK enrolled as a user
# enrolls it, in three boots (real ones, BOOT=cold: each leaves the variables
# to the next) through the firmware (EFI_FIRMWARE) that share
# one copy of its variables, OUT/vars.fd, which starts without the MOK
# (scripts/debian/efi-vars.sh nomok):
#  1. Linux, the mok_import suite: Debian's mokutil in the guest hashes the
#     one-time password (PASSWORD below) and imports the MOK's certificate,
#     which writes MokNew and MokAuth through efivarfs;
#  2. shim finds them and starts MokManager, which qemu/host/mokmanager.py
#     answers on the serial console (Enroll MOK, Continue, Yes, the password,
#     Reboot);
#  3. Linux, the secure_boot suite, as with the MOK put in by virt-fw-vars:
#     the pair signed with the MOK loads.
# SB-ROOT: the Secure Boot root (qemu/host/secure-boot-root.sh). Consoles in
# OUT. Exit status: 0 if all three did what they should.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../../scripts/lib.sh
. "$here/../../scripts/lib.sh"
# shellcheck source=qemu.sh
. "$here/qemu.sh"

[ $# -eq 4 ] || die "usage: $0 ARCH KDIR SB-ROOT OUT"
arch=$1 kdir=$2 sbroot=$3 out=$4
: "${EFI_FIRMWARE:?EFI_FIRMWARE must be set (scripts/debian/secure-boot.mk)}" "${KERNEL_IMAGE:?}"
: "${GUEST_EXTRA_MANIFEST:?GUEST_EXTRA_MANIFEST must name the manifest with mokutil (scripts/debian/secure-boot.mk)}"
[ -f "$sbroot/demo/fixtures/secure_boot/mok.serial" ] || die "$sbroot is not a Secure Boot root; make test KERNEL=debian SECURE_BOOT=1 makes it"
password=rust-demo-kmod
rm -rf "$out" && mkdir -p "$out"
"$here/../../scripts/debian/efi-vars.sh" "$EFI_FIRMWARE" nomok "$out/vars.fd"
mok=$("$here/../../scripts/debian/mok-key.sh")/mok.pub

say "boot 1 of 3: mokutil --import in Linux writes the enrollment request (MokNew, MokAuth)"
cp -a "$sbroot" "$out/root-1"
echo nomok >"$out/root-1/demo/secure_boot.vars"
req=$out/root-1/demo/fixtures/secure_boot/request
mkdir -p "$req" && cp "$mok" "$req/mok.pub" && echo "$password" >"$req/password"
mkdir -p "$out/boot-1"
BOOT=cold EFI_VARS=$out/vars.fd EFI_VARS_KEEP=1 LOGDIR=$out/boot-1 "$here/run.sh" test "$arch" "$kdir" "$out/root-1" mok_import ||
	die "boot 1 (the request) failed; see $out/boot-1/console-test-1.log"

say "boot 2 of 3: shim starts MokManager; answering it on the serial console (password '$password')"
: >"$out/empty.cpio"
EFI_VARS=$out/vars.fd EFI_VARS_KEEP=1 qemu_cmd "$arch" "$KERNEL_IMAGE" "$out/empty.cpio" "${ACCEL:-tcg}" mokmanager 1 none
"$here/mokmanager.py" "$out/console-mokmanager.log" "$password" 60 "${qemu[@]}" -serial stdio ||
	die "boot 2 (MokManager) failed; see $out/console-mokmanager.log"

say "boot 3 of 3: Linux with the MOK that MokManager enrolled: the secure_boot suite"
cp -a "$sbroot" "$out/root-3"
echo mok >"$out/root-3/demo/secure_boot.vars"
mkdir -p "$out/boot-3"
BOOT=cold EFI_VARS=$out/vars.fd LOGDIR=$out/boot-3 "$here/run.sh" test "$arch" "$kdir" "$out/root-3" secure_boot
