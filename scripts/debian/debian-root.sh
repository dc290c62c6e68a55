#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# debian-root.sh ARCH root|host
#
# KERNEL=debian: resolve the newest Debian 13 stock kernel for ARCH (the
# newest linux-headers-*+deb13-DEBARCH in trixie-backports; recorded in
# $CACHE/resolved/debian-ARCH as "RELEASE VERSION" and reused until
# REFRESH=1), and make once an isolated trixie root with mmdebstrap holding
# trixie's kernel toolchain and that kernel's own packages: its headers,
# kbuild, linux-binary (vmlinuz) and linux-source of the same version (the
# tarball unpacked to /usr/src/linux-source-VERSION, where
# scripts/debian/debian-complete-headers.sh would put it). host: on a Debian 13
# host, whose own toolchain is that one, no root: the host gets the
# toolchain's packages it lacks (as root), and the kernel's packages are
# unpacked in a tree of their own, $CACHE/debian/tree-RELEASE (the headers'
# Makefile pointed there). The machine's /etc/apt is only read. Prints
# "ROOT RELEASE" (ROOT: the root or the tree) as the last line.
set -euo pipefail
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"

case $#:${2:-} in 2:root | 2:host) ;; *) die "usage: $0 ARCH root|host" ;; esac
arch=$1 where=$2
: "${CACHE:?}"
deb_arch=$("$(dirname "$0")/../kernel/archconf.sh" "$arch" DEB_ARCH)
[ "$deb_arch" = "$(dpkg --print-architecture)" ] ||
	die "KERNEL=debian runs Debian's toolchain in a chroot of the machine's own architecture ($(dpkg --print-architecture)) and has no cross setup for ARCH=$arch yet; use the ARCH of this machine"
record=$CACHE/resolved/debian-$arch

if [ ! -s "$record" ] || [ "${REFRESH:-0}" = 1 ]; then
	apt_private "$CACHE/apt/trixie-backports" trixie-backports
	pkg=$(apt-cache "${apt_opts[@]}" pkgnames linux-headers- |
		grep -xE "linux-headers-[0-9.]+\+deb13-$deb_arch" | sort -V | tail -n 1) ||
		die "no linux-headers-*+deb13-$deb_arch in Debian's trixie-backports; check the registry (REFRESH=1)"
	ver=$(apt-cache "${apt_opts[@]}" show "$pkg" | awk '/^Version:/ && v == "" { v = $2 } END { print v }')
	mkdir -p "${record%/*}"
	echo "${pkg#linux-headers-} $ver" >"$record"
fi
read -r release ver <"$record"
upstream=${release%%+*}
say "KERNEL=debian is Debian's $release ($ver, recorded in $record)"
root=$CACHE/debian/root-$release
# The kernel's packages, all of one version, and the toolchain Debian built
# it with (rustc, rust-src, bindgen, gcc-14: see the headers' .config).
# (linux-base: the module lists and the config of linux-binary's vmlinuz.)
kernel_pkgs=("linux-headers-$release=$ver" "linux-headers-${release%-*}-common=$ver"
	"linux-kbuild-${release%-*}=$ver" "linux-binary-$release=$ver" "linux-base-$release=$ver"
	"linux-source-${upstream%.*}=$ver")
tools=(rustc rust-src rust-clippy bindgen libclang-dev gcc-14 gcc make flex bison bc libelf-dev libssl-dev
	dwarves kmod openssl cpio xz-utils zstd python3)

# unpack_source DIR: Debian's linux-source tarball in DIR/usr/src unpacked
# to DIR/usr/src/linux-source-VERSION (and the tarball removed).
unpack_source() {
	local tarball
	tarball=$(find "$1/usr/src" -maxdepth 1 -name 'linux-source-*.tar.*' -print -quit)
	[ -n "$tarball" ] || die "linux-source in $1 has no tarball under /usr/src; remove $1 and retry"
	mkdir -p "$1/usr/src/linux-source-$ver"
	logged "${1%/*}/unpack-$release.log" "unpacking Debian's linux-source $ver" "30 s" \
		tar -xf "$tarball" -C "$1/usr/src/linux-source-$ver" --strip-components=1
	touch "$1/usr/src/linux-source-$ver/.unpacked"
	rm -f "$tarball"
}

if [ "$where" = host ]; then
	[ "$(debian_codename)" = trixie ] ||
		die "DEBIAN_TOOLCHAIN=host needs a Debian 13 (trixie) host, whose toolchain built Debian's kernel; this is $(debian_codename): use DEBIAN_TOOLCHAIN=root"
	tree=$CACHE/debian/tree-$release
	if [ ! -f "$tree/.rust-demo-kmod-tree" ]; then
		missing=()
		for p in "${tools[@]}"; do
			case $(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null) in ii*) ;; *) missing+=("$p") ;; esac
		done
		apt_install "Debian's kernel toolchain is incomplete here" "1 min" "${missing[@]}"
		apt_private "$CACHE/apt/trixie-backports" trixie-backports
		rm -rf "$tree" && mkdir -p "$tree/debs"
		(cd "$tree/debs" && logged "${tree%/*}/download-$release.log" "downloading Debian's kernel $release packages" "30 s" \
			apt-get "${apt_opts[@]}" download "${kernel_pkgs[@]}")
		for deb in "$tree"/debs/*.deb; do dpkg-deb -x "$deb" "$tree"; done
		rm -rf "$tree/debs"
		# /lib is usr/lib, as on Debian 13 (the headers reach lib/modules so).
		ln -s usr/lib "$tree/lib"
		unpack_source "$tree"
		# The headers' Makefile names /usr/src: here, the tree's.
		sed -i "s|/usr/src/|$tree/usr/src/|" "$tree/usr/src/linux-headers-$release/Makefile"
		echo "$ver" >"$tree/.rust-demo-kmod-tree"
	fi
	echo "$tree $release"
	exit 0
fi

if [ ! -f "$root/.rust-demo-kmod-root" ]; then
	command -v mmdebstrap >/dev/null || apt_install "mmdebstrap is missing" "30 s" mmdebstrap
	df_kb=$(df -Pk "$CACHE" | awk 'NR == 2 { print $4 }')
	[ "$df_kb" -gt $((6 * 1024 * 1024)) ] ||
		die "less than 6 GiB free in $CACHE; the trixie root needs about 4 GiB with the kernel source (set CACHE= elsewhere)"
	mirror=$(debian_archive trixie-backports)
	rm -rf "$root" && mkdir -p "${root%/*}"
	# dkms too: make dkms-test runs it in the root.
	logged "${root%/*}/mmdebstrap-$release.log" "making the trixie root $root" "4 min" \
		mmdebstrap --variant=apt --include="$(IFS=,; echo "${kernel_pkgs[*]},${tools[*]},dkms")" \
		trixie "$root" "deb $mirror trixie main" "deb $mirror trixie-backports main"
	unpack_source "$root"
	touch "$root/.rust-demo-kmod-root"
fi
echo "$root $release"
