#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# debian-efivarfs.sh ARCH
#
# SECURE_BOOT=1: Debian's efivarfs module (efivarfs.ko.xz, CONFIG_EFIVAR_FS=m,
# signed by Debian's build-time key) of the KERNEL=debian release, which the
# guest needs to read the firmware's variables (SecureBoot). It is in the
# release's linux-modules package (about 100 MB, from trixie-backports, of the
# version scripts/debian-root.sh recorded), downloaded once; only the module
# is kept, under $CACHE/secure-boot/ARCH/RELEASE/ at its path in that package
# (usr/lib/modules/RELEASE/...). Prints that directory (the package's root).
set -euo pipefail
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"

[ $# -eq 1 ] || die "usage: $0 ARCH"
arch=$1
: "${CACHE:?}"
record=$CACHE/resolved/debian-$arch
[ -s "$record" ] || die "no Debian release recorded in $record; run make kdir KERNEL=debian first"
read -r release ver <"$record"
dir=$CACHE/secure-boot/$arch/$release
if [ ! -f "$dir/.complete" ]; then
	pkg=linux-modules-$release
	apt_private "$CACHE/apt/trixie-backports" trixie-backports
	rm -rf "$dir" && mkdir -p "$dir/debs" "$dir/root"
	(cd "$dir/debs" && logged "$dir/download.log" "downloading $pkg $ver (about 100 MB) for its efivarfs.ko.xz" "30 s" \
		apt-get "${apt_opts[@]}" download "$pkg=$ver")
	dpkg-deb --fsys-tarfile "$dir"/debs/*.deb | tar -x -C "$dir/root" --wildcards '*/efivarfs.ko.xz'
	ko=$(find "$dir/root" -name efivarfs.ko.xz)
	[ -n "$ko" ] || die "$pkg $ver has no efivarfs.ko.xz; is CONFIG_EFIVAR_FS still =m in Debian's config?"
	rm -rf "$dir/debs"
	touch "$dir/.complete"
fi
echo "$dir/root"
