#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# kmod-static.sh ARCH: build the guest's kmod for ARCH as one static program
# and print its path (cached under $CACHE/guest/DEB-ARCH/kmod-static).
#
# Debian's kmod is a dynamic program: under TCG its dynamic loader alone costs
# about 25 ms a call (relocating libcrypto), against 1-3 ms for a busybox
# applet, and the suites call kmod a hundred times a run. So this builds the
# same kmod from Debian's own source package of the version Debian ships (its
# patches applied by dpkg-source), with the features of Debian's build
# (debian/rules: --with-openssl --with-xz --with-zstd --enable-debug,
# /etc and /bin), linked statically with clang against Debian's own -dev
# packages of that architecture, unpacked into a sysroot. Only the
# documentation is left out. (guest-userspace.sh, which runs this, checks
# that the program is a static one for ARCH.)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../../scripts/lib.sh
. "$here/../../scripts/lib.sh"

[ $# -eq 1 ] || die "usage: $0 ARCH"
conf=$here/../../scripts/archconf.sh
arch=$("$conf" "$1" DEB_ARCH) triplet=$("$conf" "$1" GNU_TRIPLET)
: "${CACHE:?}"
suite=$(debian_codename)
dir=$CACHE/guest/$arch/kmod-static
out=$dir/kmod

if [ ! -x "$out" ] || [ "${REFRESH:-0}" = 1 ]; then
	rm -rf "$dir" && mkdir -p "$dir/debs" "$dir/sysroot"
	# The libraries kmod links, and the C library and compiler runtime, as
	# Debian ships them for ARCH.
	apt_private "$CACHE/apt/$suite-$arch" "$suite" "$arch"
	version=$(apt-cache "${apt_opts[@]}" show kmod | awk '/^Version:/ && v == "" { v = $2 } END { print v }')
	(cd "$dir/debs" && logged "$dir/download.log" "downloading kmod's build dependencies for $arch" "5 s" \
		apt-get "${apt_opts[@]}" download libc6-dev libc6 linux-libc-dev libgcc-12-dev \
		libssl-dev liblzma-dev libzstd-dev) ||
		die "could not download kmod's build dependencies for $arch; see $dir/download.log"
	for deb in "$dir"/debs/*.deb; do dpkg-deb -x "$deb" "$dir/sysroot"; done
	# The source package of the same version.
	APT_TYPES=deb-src apt_private "$CACHE/apt/$suite-source" "$suite"
	(cd "$dir" && logged "$dir/source.log" "fetching Debian's kmod $version source package" "5 s" \
		apt-get "${apt_opts[@]}" source --download-only "kmod=$version") ||
		die "could not fetch the source package kmod $version; see $dir/source.log"
	dpkg-source -x "$dir"/kmod_*.dsc "$dir/src" >"$dir/unpack.log" 2>&1 ||
		die "dpkg-source could not unpack kmod $version; see $dir/unpack.log"
	build() {
		cd "$dir/src"
		# Debian runs gtkdocize first (debian/rules); no documentation here.
		: >libkmod/docs/gtk-doc.make
		autoreconf -fi
		# In build-deb/, as debian/rules builds it: kmod's debug messages name
		# their source file as seen from there ("../libkmod/...").
		mkdir build-deb && cd build-deb
		local sysroot=$dir/sysroot
		PKG_CONFIG_LIBDIR=$sysroot/usr/lib/$triplet/pkgconfig:$sysroot/usr/share/pkgconfig \
			PKG_CONFIG_SYSROOT_DIR=$sysroot PKG_CONFIG="pkg-config --static" \
			../configure --host="$triplet" CC="clang --target=$triplet --sysroot=$sysroot -fuse-ld=lld" \
			LDFLAGS=-static --sysconfdir=/etc --bindir=/bin --with-openssl --with-xz --with-zstd \
			--disable-test-modules --enable-debug --disable-manpages
		make -j"$(nproc)" tools/kmod LDFLAGS=-all-static
		llvm-strip -o "$out" tools/kmod
	}
	logged "$dir/build.log" "building kmod $version for $arch, static" "30 s" build
	rm -rf "$dir/debs" "$dir/sysroot" "$dir/src"
fi
echo "$out"
