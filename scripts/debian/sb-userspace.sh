#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# sb-userspace.sh ARCH SUITE
#
# SECURE_BOOT=1: the guest's Secure Boot tools, Debian's mokutil and keyctl
# (keyutils) of SUITE (the kernel's own release, trixie) for ARCH, with the
# shared libraries they need. The packages and their Depends come through a
# private apt configuration; the libraries are found from the programs' NEEDED
# entries (readelf, recursively: the host's ldd cannot read a guest's
# programs) among those packages' files. Made once under
# $CACHE/secure-boot/ARCH/userspace/files (REFRESH=1: again, with the
# registry's current versions). Prints the path of its manifest, one "GUEST-PATH
# HOST-PATH" line a file as guest-userspace.sh's, which mkinitramfs.sh adds
# (GUEST_EXTRA_MANIFEST): each program at its path in its package, the
# dynamic loader at the path the programs ask for, each library under
# /usr/lib/GNU_TRIPLET by its soname.
set -euo pipefail
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"

[ $# -eq 2 ] || die "usage: $0 ARCH SUITE"
arch=$1 suite=$2
: "${CACHE:?}"
conf=$(dirname "$0")/../kernel/archconf.sh
deb_arch=$("$conf" "$arch" DEB_ARCH) triplet=$("$conf" "$arch" GNU_TRIPLET) machine=$("$conf" "$arch" ELF_MACHINE)
# The programs, and the package of each.
programs=(usr/bin/mokutil:mokutil usr/bin/keyctl:keyutils)
dir=$CACHE/secure-boot/$arch/userspace
manifest=$dir/manifest

# needed ELF: the sonames ELF asks for.
needed() { readelf -d "$1" | sed -n 's/.*(NEEDED) *Shared library: \[\(.*\)\]$/\1/p'; }
# in_root PATH: the file PATH of the packages' root is, its links followed.
in_root() {
	local f
	for f in "$dir/root/$1" "$dir/root/usr/$1"; do
		f=$(realpath -e "$f" 2>/dev/null) || continue
		case $f in "$dir/root/"*) echo "$f" && return ;; esac
	done
	return 1
}

if [ ! -s "$manifest" ] || [ "${REFRESH:-0}" = 1 ]; then
	apt_private "$CACHE/apt/$suite-$deb_arch" "$suite" "$deb_arch"
	packages=$(apt-cache "${apt_opts[@]}" depends --recurse --no-recommends --no-suggests --no-conflicts \
		--no-breaks --no-replaces --no-enhances "${programs[@]#*:}" | grep -v '^[ <]' | sort -u) ||
		die "Debian's $suite for $deb_arch lacks one of ${programs[*]#*:}; check the index in $CACHE/apt/$suite-$deb_arch (REFRESH=1)"
	rm -rf "$dir" && mkdir -p "$dir/debs" "$dir/root"
	# shellcheck disable=SC2086 # one word a package
	(cd "$dir/debs" && logged "$dir/download.log" "downloading ${programs[*]#*:} and their libraries from Debian's $suite" "5 s" \
		apt-get "${apt_opts[@]}" download $packages)
	for deb in "$dir"/debs/*.deb; do dpkg-deb -x "$deb" "$dir/root"; done
	found=$dir/found
	: >"$found"
	todo=()
	for p in "${programs[@]%:*}"; do
		[ -f "$dir/root/$p" ] || die "Debian's $suite has no $p for $deb_arch; see what the packages hold with dpkg-deb -c $dir/debs/*.deb"
		echo "/$p $dir/root/$p" >>"$found"
		todo+=("$dir/root/$p")
	done
	interp=$(readelf -l "${todo[0]}" | sed -n 's/.*Requesting program interpreter: \(.*\)\]$/\1/p')
	src=$(in_root "$interp") || die "no $interp (${programs[0]%:*}'s dynamic loader) in the packages of $suite that apt resolved; look in $dir/root, and run again with REFRESH=1"
	echo "$interp $src" >>"$found"
	# Each library once, and the ones it needs, but not the loader itself.
	seen=" ${interp##*/} "
	while [ ${#todo[@]} -gt 0 ]; do
		elf=${todo[0]} && todo=("${todo[@]:1}")
		for lib in $(needed "$elf"); do
			case $seen in *" $lib "*) continue ;; esac
			seen="$seen$lib "
			src=$(in_root "lib/$triplet/$lib") ||
				die "no $lib (needed by ${elf#"$dir/root/"}) in the packages of $suite that apt resolved ($(echo "$packages" | paste -s -d ' ')); look in $dir/root, and run again with REFRESH=1"
			echo "/usr/lib/$triplet/$lib $src" >>"$found"
			todo+=("$src")
		done
	done
	# Only these files are kept, under files/ at their guest paths.
	while read -r path src; do
		m=$(readelf -h "$src" | sed -n 's/^ *Machine: *//p')
		[ "$m" = "$machine" ] || die "$path for $arch is for '$m', not '$machine' (ELF_MACHINE in $("$conf" "$arch"))"
		install -D -m 0755 "$src" "$dir/files$path"
		echo "$path $dir/files$path"
	done <"$found" >"$manifest.new"
	mv "$manifest.new" "$manifest"
	rm -rf "$dir/debs" "$dir/root" "$found"
	say "the guest's Secure Boot tools for $arch: $(echo "$packages" | paste -s -d ' ') ($(wc -l <"$manifest") files)"
fi
echo "$manifest"
