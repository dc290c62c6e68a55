#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# guest-userspace.sh ARCH
#
# The VM's userspace for architecture ARCH (qemu/arch/ARCH.conf): busybox
# from Debian's busybox-static package for that architecture (DEB_ARCH, of
# the release chosen below, whatever the host runs), through a private apt
# configuration, never from the host's own /usr; and kmod, built static from
# Debian's own kmod source package of that release (kmod-static.sh). Each is checked to be a static program of
# that machine (ELF_MACHINE). Made once under $CACHE/guest/DEB_ARCH; REFRESH=1
# takes the registry's current versions. Prints the path of the manifest: one
# "GUEST-PATH HOST-PATH" line for each file the initramfs needs
# (mkinitramfs.sh reads it).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../../scripts/lib.sh
. "$here/../../scripts/lib.sh"

[ $# -eq 1 ] || die "usage: $0 ARCH"
conf=$here/../../scripts/kernel/archconf.sh
arch=$("$conf" "$1" DEB_ARCH) machine=$("$conf" "$1" ELF_MACHINE)
: "${CACHE:?}"
# The guest's release: one fixed release, not the host's, so that what the
# guest's busybox and kmod print (docs/loader.md quotes busybox 1.35 and
# kmod 30, and kmod 34 words its messages otherwise) is the same on every
# host, Debian 12 or 13. Debian 12 (bookworm): busybox 1.35, kmod 30.
suite=bookworm
dir=$CACHE/guest/$arch
manifest=$dir/static.manifest

if [ ! -s "$manifest" ] || [ "${REFRESH:-0}" = 1 ]; then
	apt_private "$CACHE/apt/$suite-$arch" "$suite" "$arch"
	rm -rf "$dir/debs" "$dir/root" && mkdir -p "$dir/debs" "$dir/root"
	(cd "$dir/debs" && logged "$dir/download.log" "downloading busybox-static for $arch" "5 s" \
		apt-get "${apt_opts[@]}" download busybox-static) ||
		die "could not download the guest's busybox for $arch; see $dir/download.log"
	dpkg-deb -x "$dir"/debs/busybox-static_*.deb "$dir/root"
	# Debian 12 installs bin/busybox, Debian 13 usr/bin/busybox (merged /usr).
	busybox=
	for b in bin/busybox usr/bin/busybox; do
		[ ! -f "$dir/root/$b" ] || busybox=$dir/root/$b
	done
	[ -n "$busybox" ] || die "busybox-static of $suite for $arch has neither bin/busybox nor usr/bin/busybox; see $dir/root"
	kmod=$("$here/kmod-static.sh" "$1" "$suite")
	printf '%s\n' "/bin/busybox $busybox" "/usr/bin/kmod $kmod" >"$manifest.new"
	while read -r path src; do
		m=$(readelf -h "$src" | sed -n 's/^ *Machine: *//p')
		[ "$m" = "$machine" ] || die "$path for $arch is for '$m', not '$machine' (ELF_MACHINE in $("$conf" "$1"))"
		! readelf -l "$src" | grep 'Requesting program interpreter' >/dev/null ||
			die "$path for $arch ($src) is a dynamic program; the guest has no libraries"
	done <"$manifest.new"
	mv "$manifest.new" "$manifest"
	say "guest userspace for $arch: $(cd "$dir/debs" && ls) and kmod $("$kmod" --version | sed -n 1p)"
fi
echo "$manifest"
