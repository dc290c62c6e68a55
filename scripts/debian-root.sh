#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# debian-root.sh ARCH
#
# KERNEL=debian: resolve the newest Debian 13 stock kernel for ARCH (the
# newest linux-headers-*+deb13-DEBARCH in trixie-backports; recorded in
# $CACHE/resolved/debian-ARCH as "RELEASE VERSION" and reused until
# REFRESH=1), and make once an isolated trixie root with mmdebstrap holding
# trixie's kernel toolchain and that kernel's own packages: its headers,
# kbuild, linux-binary (vmlinuz) and linux-source of the same version (the
# tarball unpacked to /usr/src/linux-source-VERSION, where
# scripts/debian-complete-headers.sh would put it). The machine's /etc/apt is only
# read. Prints "ROOT RELEASE" as the last line.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

[ $# -eq 1 ] || die "usage: $0 ARCH"
arch=$1
: "${CACHE:?}"
deb_arch=$("$(dirname "$0")/archconf.sh" "$arch" DEB_ARCH)
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

if [ ! -f "$root/.rust-demo-kmod-root" ]; then
	if ! command -v mmdebstrap >/dev/null; then
		cmd="apt-get update && apt-get install -y --no-install-recommends mmdebstrap"
		[ "$(id -u)" = 0 ] || die "mmdebstrap is missing; run as root: $cmd"
		logged "${TMPDIR:-/tmp}/rust-demo-kmod-apt.log" "installing mmdebstrap" "30 s" \
			sh -c "export DEBIAN_FRONTEND=noninteractive; $cmd"
	fi
	df_kb=$(df -Pk "$CACHE" | awk 'NR == 2 { print $4 }')
	[ "$df_kb" -gt $((6 * 1024 * 1024)) ] ||
		die "less than 6 GiB free in $CACHE; the trixie root needs about 4 GiB with the kernel source (set CACHE= elsewhere)"
	mirror=$(debian_archive trixie-backports)
	# The kernel's packages, all of one version, and the toolchain Debian built
	# it with (rustc, rust-src, bindgen, gcc-14: see the headers' .config).
	kernel_pkgs=("linux-headers-$release=$ver" "linux-headers-${release%-*}-common=$ver"
		"linux-kbuild-${release%-*}=$ver" "linux-binary-$release=$ver" "linux-source-${upstream%.*}=$ver")
	tools=(rustc rust-src rust-clippy bindgen libclang-dev gcc-14 gcc make flex bison bc libelf-dev libssl-dev
		dwarves kmod openssl cpio xz-utils zstd python3 dkms)
	rm -rf "$root" && mkdir -p "${root%/*}"
	logged "${root%/*}/mmdebstrap-$release.log" "making the trixie root $root" "4 min" \
		mmdebstrap --variant=apt --include="$(IFS=,; echo "${kernel_pkgs[*]},${tools[*]}")" \
		trixie "$root" "deb $mirror trixie main" "deb $mirror trixie-backports main"
	tarball=$(find "$root/usr/src" -maxdepth 1 -name 'linux-source-*.tar.*' | head -n 1)
	[ -n "$tarball" ] || die "linux-source in $root has no tarball under /usr/src; remove $root and retry"
	mkdir -p "$root/usr/src/linux-source-$ver"
	logged "${root%/*}/unpack-$release.log" "unpacking Debian's linux-source $ver" "30 s" \
		tar -xf "$tarball" -C "$root/usr/src/linux-source-$ver" --strip-components=1
	touch "$root/usr/src/linux-source-$ver/.unpacked"
	rm -f "$tarball"
	touch "$root/.rust-demo-kmod-root"
fi
echo "$root $release"
