#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# efi-files.sh ARCH SUITE
#
# SECURE_BOOT=1: the firmware and the signed boot chain for ARCH from Debian's
# SUITE (the kernel's own release, trixie): the packages EFI_PACKAGES of
# qemu/arch/ARCH.conf, through a private apt configuration, and from them the
# files EFI_CODE, EFI_VARS_MS, EFI_VARS_EMPTY, EFI_SHIM, EFI_MOKMANAGER and
# EFI_GRUB, each under its key's name in $CACHE/secure-boot/ARCH/firmware.
# Made once (REFRESH=1: again, with the registry's current versions). Prints
# that directory.
set -euo pipefail
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"

[ $# -eq 2 ] || die "usage: $0 ARCH SUITE"
arch=$1 suite=$2
: "${CACHE:?}"
conf=$(dirname "$0")/../kernel/archconf.sh
dir=$CACHE/secure-boot/$arch/firmware
keys=(EFI_CODE EFI_VARS_MS EFI_VARS_EMPTY EFI_SHIM EFI_MOKMANAGER EFI_GRUB)
if [ ! -f "$dir/.complete" ] || [ "${REFRESH:-0}" = 1 ]; then
	read -r -a packages <<<"$("$conf" "$arch" EFI_PACKAGES)"
	apt_private "$CACHE/apt/$suite-$("$conf" "$arch" DEB_ARCH)" "$suite" "$("$conf" "$arch" DEB_ARCH)"
	rm -rf "$dir" && mkdir -p "$dir/debs" "$dir/root"
	(cd "$dir/debs" && logged "$dir/download.log" "downloading ${packages[*]} from Debian's $suite" "10 s" \
		apt-get "${apt_opts[@]}" download "${packages[@]}")
	for deb in "$dir"/debs/*.deb; do dpkg-deb -x "$deb" "$dir/root"; done
	for key in "${keys[@]}"; do
		file=$("$conf" "$arch" "$key")
		[ -s "$dir/root/$file" ] ||
			die "none of ${packages[*]} has $file ($key in $("$conf" "$arch")); see what they hold with dpkg-deb -c $dir/debs/*.deb"
		cp "$dir/root/$file" "$dir/$key"
	done
	(cd "$dir/debs" && ls) >"$dir/packages"
	rm -rf "$dir/root" "$dir/debs"
	touch "$dir/.complete"
	say "Secure Boot firmware and chain for $arch: $(paste -s -d ' ' "$dir/packages")"
fi
echo "$dir"
