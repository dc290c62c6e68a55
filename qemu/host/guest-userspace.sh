#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# guest-userspace.sh ARCH
#
# The VM's userspace for architecture ARCH (qemu/arch/ARCH.conf):
# busybox-static, and kmod with its dynamic loader and the shared libraries it
# needs, all taken from Debian's packages for that architecture (DEB_ARCH, of
# the release this machine runs) through a private apt configuration, never
# from the host's own /usr, and each checked to be a program of that machine
# (ELF_MACHINE). Unpacked once under $CACHE/guest/DEB_ARCH; REFRESH=1 takes
# the registry's current versions. Prints the path of the manifest: one
# "GUEST-PATH HOST-PATH" line for each file the initramfs needs
# (mkinitramfs.sh reads it).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../../scripts/lib.sh
. "$here/../../scripts/lib.sh"

[ $# -eq 1 ] || die "usage: $0 ARCH"
conf=$here/../../scripts/archconf.sh
arch=$("$conf" "$1" DEB_ARCH) machine=$("$conf" "$1" ELF_MACHINE)
: "${CACHE:?}"
# kmod's libraries come from the last four (bookworm's kmod 30: libc,
# liblzma, libzstd, libcrypto); a library found in none of them is an error.
packages=(busybox-static kmod libc6 liblzma5 libzstd1 libssl3)
suite=$(sed -n "s/^VERSION_CODENAME=//p" /etc/os-release)
dir=$CACHE/guest/$arch
manifest=$dir/manifest

if [ ! -s "$manifest" ] || [ "${REFRESH:-0}" = 1 ]; then
	apt_private "$CACHE/apt/$suite-$arch" "$suite" "$arch"
	rm -rf "$dir" && mkdir -p "$dir/debs" "$dir/root"
	(cd "$dir/debs" && logged "$dir/download.log" "downloading ${packages[*]} for $arch" "5 s" \
		apt-get "${apt_opts[@]}" download "${packages[@]}") ||
		die "could not download the guest's packages for $arch; see $dir/download.log"
	for deb in "$dir"/debs/*.deb; do dpkg-deb -x "$deb" "$dir/root"; done
	root=$dir/root
	# A file as the guest sees it, through the packages' own symbolic links.
	host_path() { # the links are the guest's: an absolute target is under $root
		local p=$1 n=0 t
		while [ -L "$root$p" ] && [ $((n += 1)) -lt 20 ]; do
			t=$(readlink "$root$p")
			case $t in /*) p=$t ;; *) p=$(dirname "$p")/$t ;; esac
		done
		[ -f "$root$p" ] || die "no $1 in the $arch packages ${packages[*]}"
		realpath "$root$p"
	}
	needed() { readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p'; }
	lib_path() { # lib_path SONAME: where the guest's loader finds it (Debian's multiarch dirs)
		local d
		for d in "$root"/lib/*-linux-gnu* "$root"/usr/lib/*-linux-gnu*; do
			[ -e "$d/$1" ] && { echo "${d#"$root"}/$1"; return; }
		done
		die "kmod for $arch needs $1, which none of ${packages[*]} has; add its package to $0"
	}
	kmod=/bin/kmod
	interp=$(readelf -l "$(host_path $kmod)" | sed -n 's/.*Requesting program interpreter: \(.*\)\]$/\1/p')
	[ -n "$interp" ] || die "kmod for $arch has no program interpreter; is it dynamic?"
	readelf -h "$(host_path /bin/busybox)" | grep -q 'Type: *EXEC\|Type: *DYN' ||
		die "busybox-static for $arch is not an ELF executable"
	{
		echo "/bin/busybox $(host_path /bin/busybox)"
		echo "/usr/bin/kmod $(host_path $kmod)"
		echo "$interp $(host_path "$interp")"
		# The libraries, and theirs, breadth first.
		todo=("$(host_path $kmod)") seen=" "
		while [ ${#todo[@]} -gt 0 ]; do
			for so in $(needed "${todo[0]}"); do
				case $seen in *" $so "*) continue ;; esac
				seen+="$so "
				p=$(lib_path "$so")
				echo "$p $(host_path "$p")"
				todo+=("$(host_path "$p")")
			done
			todo=("${todo[@]:1}")
		done
	} >"$manifest.new"
	while read -r path src; do
		m=$(readelf -h "$src" | sed -n 's/^ *Machine: *//p')
		[ "$m" = "$machine" ] || die "$path from the $arch packages is for '$m', not '$machine' (ELF_MACHINE in $("$conf" "$1"))"
	done <"$manifest.new"
	mv "$manifest.new" "$manifest"
	say "guest userspace for $arch: $(for d in "$dir"/debs/*.deb; do d=${d##*/}; printf '%s ' "${d%_*}"; done)"
fi
echo "$manifest"
