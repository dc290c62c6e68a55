#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# secure-boot-root.sh KDIR ROOT MOK-DIR OTHER-KEY-DIR EFIVARFS-DIR VARIANT OUT
#
# SECURE_BOOT=1: the VM's root for a boot through Debian's signed chain, made
# in OUT from make test's ROOT (an INSTALL_MOD_PATH tree with /demo):
#  - the installed pair signed with the MOK (MOK-DIR/mok.key, mok.pub:
#    scripts/debian/mok-key.sh) by the kernel's own scripts/sign-file (KDIR: Debian's
#    headers), as dkms signs what it installs;
#  - /demo/fixtures/secure_boot/: the pair unsigned (unsigned/), the pair
#    signed with a key the firmware never saw (other_key/: OTHER-KEY-DIR's
#    other_key.pem, make-fixtures.sh's), and the MOK's serial number and
#    subject key id (mok.serial, mok.skid) for the guest, which has no openssl;
#  - the other suites' fixtures signed with the MOK;
#  - Debian's own efivarfs.ko.xz (from EFIVARFS-DIR/usr/lib/modules: scripts/debian/debian-efivarfs.sh)
#    under /lib/modules, with depmod's index, for `modprobe efivarfs`;
#  - /demo/features with secure_boot=y and /demo/secure_boot.vars holding
#    VARIANT (scripts/debian/efi-vars.sh: mok, nomok or off), which the suites read.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../../scripts/lib.sh
. "$here/../../scripts/lib.sh"

[ $# -eq 7 ] || die "usage: $0 KDIR ROOT MOK-DIR OTHER-KEY-DIR EFIVARFS-DIR VARIANT OUT"
kdir=$1 root=$2 mok=$3 other=$4 efivarfs=$5 variant=$6 out=$7
[ -f "$root/demo/features" ] || die "$root has no demo/features; make it with make test KERNEL=debian first"
[ -f "$other/other_key.pem" ] || die "no $other/other_key.pem; qemu/host/make-fixtures.sh makes it (CONFIG_MODULE_SIG)"
rm -rf "$out" && cp -a "$root" "$out"
fx=$out/demo/fixtures/secure_boot
mkdir -p "$fx/unsigned" "$fx/other_key"
for m in rust_demo_export rust_demo_user; do
	ko=$(find "$out/lib/modules" -name "$m.ko")
	[ -n "$ko" ] || die "no $m.ko under $out/lib/modules; make test's ROOT is incomplete"
	[ -z "$(modinfo -F signer "$ko")" ] || die "$ko is signed already; ROOT must hold the pair as built"
	cp "$ko" "$fx/unsigned/$m.ko"
	cp "$ko" "$fx/other_key/$m.ko"
	sign_module "$kdir" "$other/other_key.pem" "$other/other_key.x509" "$fx/other_key/$m.ko"
	sign_module "$kdir" "$mok/mok.key" "$mok/mok.pub" "$ko"
done
# The other suites' fixtures (make-fixtures.sh) signed with the MOK, as
# make-fixtures.sh signs them with a kernel's own key where it has it, so
# that the signature check passes them on to the check each is about; the
# compressed exporter signed inside. Not sig/ and secure_boot/: made to fail it.
for ko in "$out"/demo/fixtures/*.ko; do
	[ ! -s "$ko" ] || sign_module "$kdir" "$mok/mok.key" "$mok/mok.pub" "$ko"
done
# The signatures suite's tampered.ko: the exporter signed with the MOK, then
# one byte of its code changed (make-fixtures.sh makes it where the kernel's
# own key is at hand).
if [ -d "$out/demo/fixtures/sig" ]; then
	cp "$fx/unsigned/rust_demo_export.ko" "$out/demo/fixtures/sig/tampered.ko"
	sign_module "$kdir" "$mok/mok.key" "$mok/mok.pub" "$out/demo/fixtures/sig/tampered.ko"
	flip_text_byte "$out/demo/fixtures/sig/tampered.ko"
fi
xz=$out/demo/fixtures/rust_demo_export.ko.xz
if [ -f "$xz" ]; then
	xz -dc "$xz" >"${xz%.xz}.tmp"
	sign_module "$kdir" "$mok/mok.key" "$mok/mok.pub" "${xz%.xz}.tmp"
	xz --check=crc32 -c "${xz%.xz}.tmp" >"$xz"
	rm "${xz%.xz}.tmp"
fi
mok_ids "$mok/mok.pub" "$fx"
cp -r "$efivarfs/usr/lib/modules/." "$out/lib/modules/"
release=$(cd "$out/lib/modules" && ls)
# depmod of Debian's kmod: the trixie root's (DEBIAN_TOOLCHAIN=root), or the
# host's own on a Debian 13 host (DEBIAN_TOOLCHAIN=host: not tried yet).
trixie=$(cd "$kdir/../../.." && pwd)
if [ -f "$trixie/.rust-demo-kmod-root" ]; then
	"$here/../../scripts/debian/debian-chroot.sh" "$trixie" depmod -b "$out" "$release"
else
	PATH=$PATH:/sbin:/usr/sbin depmod -b "$out" "$release"
fi
sed -i 's/^secure_boot=n$/secure_boot=y/' "$out/demo/features"
grep -qx secure_boot=y "$out/demo/features" || die "$out/demo/features has no secure_boot=n to turn on (scripts/kernel/features.sh)"
echo "$variant" >"$out/demo/secure_boot.vars"
