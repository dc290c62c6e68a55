#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# debian-dkms-test.sh ARCH KDIR MODDIR BASE-ROOT [SUITE...]
#
# `make dkms-test KERNEL=debian`: the DKMS path of a real Debian 13 machine,
# in the trixie root whose headers KDIR are (ROOT/usr/src/linux-headers-RELEASE,
# completed by scripts/debian/debian-metadata.sh): `dkms add` this project's sources
# with its dkms.conf, `dkms install` for RELEASE (dkms signs with its own
# MOK, which the kernel does not have), then the suites in the VM with the
# modules dkms installed in place of `make test`'s (BASE-ROOT, make test's VM
# root, gives the rest: Debian's module lists, the features, the fixtures).
# SECURE_BOOT=1 (EFI_VARS set, BASE-ROOT the Secure Boot root): dkms's own
# key is enrolled too, into a copy of EFI_VARS (scripts/debian/efi-vars.sh), and the
# secure_boot suite's MOK ids are dkms's key's. Exit status: the verdict.
set -euo pipefail
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"

[ $# -ge 4 ] || die "usage: $0 ARCH KDIR MODDIR BASE-ROOT [SUITE...]"
arch=$1 kdir=$2 moddir=$3 base=$4
shift 4
here=$(cd "$(dirname "$0")" && pwd)
top=$here/../..
root=$(cd "$kdir/../../.." && pwd)
release=${kdir##*/linux-headers-}
[ -f "$root/.rust-demo-kmod-root" ] || die "$kdir is not in a trixie root of scripts/debian/debian-root.sh, where dkms runs; use KERNEL=debian (on a Debian 13 host: DEBIAN_TOOLCHAIN=root)"
[ -d "$base/demo" ] || die "$base has no demo/; run make test KERNEL=debian first"
name=$(sed -n 's/^PACKAGE_NAME="\(.*\)"$/\1/p' "$top/dkms.conf")
version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$top/dkms.conf")

src=$root/usr/src/$name-$version
rm -rf "$src" && mkdir -p "$src/scripts/kernel"
cp "$top"/Kbuild "$top"/*.rs "$top/dkms.conf" "$src/"
# What dkms.conf runs, where it is in this tree.
cp "$here/../kernel/features.sh" "$src/scripts/kernel/"
cp "$here/../lib.sh" "$src/scripts/"
"$here/debian-chroot.sh" "$root" dkms remove "$name/$version" --all >/dev/null 2>&1 || true
logged "$moddir/dkms.log" "dkms add and dkms install $name/$version for $release (in the trixie root)" "30 s" \
	"$here/debian-chroot.sh" "$root" sh -c "dkms add $name/$version && dkms install $name/$version -k $release"
installed=$root/lib/modules/$release/updates/dkms
for m in rust_demo_export rust_demo_user; do
	[ -f "$installed/$m.ko" ] || die "dkms installed no $m.ko under $installed; see $moddir/dkms.log"
done

modroot=$moddir/dkms-root
rm -rf "$modroot" && cp -a "$base" "$modroot"
find "$modroot/lib/modules" -name 'rust_demo_*.ko' -delete
mkdir -p "$modroot/lib/modules/$release/updates/dkms"
cp "$installed"/rust_demo_*.ko "$modroot/lib/modules/$release/updates/dkms/"
"$here/debian-chroot.sh" "$root" depmod -b "$modroot" "$release"
say "the suites with the modules dkms built and signed ($(/sbin/modinfo -F signer "$installed/rust_demo_export.ko"))"
mkdir -p "$moddir/dkms"
if [ -n "${EFI_VARS:-}" ]; then
	key=$root/var/lib/dkms/mok.pub
	[ -s "$key" ] || die "dkms made no $key; see $moddir/dkms.log"
	mok_ids "$key" "$modroot/demo/fixtures/secure_boot"
	"$here/efi-vars.sh" "$EFI_FIRMWARE" "$(cat "$modroot/demo/secure_boot.vars")" "$moddir/dkms/vars.fd" "$key"
	export EFI_VARS=$moddir/dkms/vars.fd
	say "Secure Boot: dkms's own key $(openssl x509 -inform DER -in "$key" -noout -subject) enrolled as a MOK too"
fi
LOGDIR=$moddir/dkms "$top/qemu/host/run.sh" test "$arch" "$kdir" "$modroot" "$@"
