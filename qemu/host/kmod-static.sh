#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# kmod-static.sh ARCH RELEASE: build the guest's kmod for ARCH, of Debian's
# RELEASE (bookworm, trixie, ...), as one static program and print its path
# (cached under $CACHE/guest/DEB-ARCH/kmod-static).
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

[ $# -eq 2 ] || die "usage: $0 ARCH RELEASE"
conf=$here/../../scripts/kernel/archconf.sh
arch=$("$conf" "$1" DEB_ARCH) triplet=$("$conf" "$1" GNU_TRIPLET)
suite=$2
: "${CACHE:?}"
dir=$CACHE/guest/$arch/kmod-static
out=$dir/kmod

if [ ! -x "$out" ] || [ "${REFRESH:-0}" = 1 ]; then
	rm -rf "$dir" && mkdir -p "$dir/debs" "$dir/sysroot"
	# The libraries kmod links (and zlib, which Debian 13's libcrypto.pc lists
	# for a static link), and the C library and the runtime of the release's
	# default GCC (libgcc-12-dev on Debian 12, -14- on 13), as Debian ships
	# them for ARCH.
	apt_private "$CACHE/apt/$suite-$arch" "$suite" "$arch"
	version_of() { apt-cache "${apt_opts[@]}" show "$1" | awk '/^Version:/ && v == "" { v = $2 } END { print v }'; }
	version=$(version_of kmod) gcc=$(version_of gcc)
	gcc=${gcc#*:}
	{ [ -n "$version" ] && [ -n "${gcc%%.*}" ]; } || die "Debian's $suite for $arch has no kmod or gcc; check $CACHE/apt/$suite-$arch (REFRESH=1)"
	(cd "$dir/debs" && logged "$dir/download.log" "downloading kmod's build dependencies for $arch" "5 s" \
		apt-get "${apt_opts[@]}" download libc6-dev libc6 linux-libc-dev "libgcc-${gcc%%.*}-dev" \
		libssl-dev liblzma-dev libzstd-dev zlib1g-dev) ||
		die "could not download kmod's build dependencies for $arch; see $dir/download.log"
	for deb in "$dir"/debs/*.deb; do dpkg-deb -x "$deb" "$dir/sysroot"; done
	# The source package of the same version. A registry that serves its
	# tarballs but not its .dsc (seen: kmod 34.2-2) still has the .dsc's
	# fields in the Sources index, whose hashes apt checked: the .dsc is
	# written from there (less its own entry), and dpkg-source checks the
	# tarballs against it.
	APT_TYPES=deb-src apt_private "$CACHE/apt/$suite-source" "$suite"
	dsc=$dir/kmod_${version#*:}.dsc
	say "fetching Debian's kmod $version source package (log: $dir/source.log)"
	if ! (cd "$dir" && apt-get "${apt_opts[@]}" source --download-only "kmod=$version") >"$dir/source.log" 2>&1 &&
		[ ! -f "$dsc" ]; then
		say "the registry has no ${dsc##*/}; writing it from Debian's Sources index"
		apt-cache "${apt_opts[@]}" showsrc kmod | awk -v v="$version" 'BEGIN { RS = ""; FS = "\n" }
			{ ours = 0; for (i = 1; i <= NF; i++) if ($i == "Version: " v) ours = 1 }
			ours && !done { done = 1; for (i = 1; i <= NF; i++) {
				l = $i; sub(/^Package:/, "Source:", l)
				if (l !~ /^ [0-9a-f]+ [0-9]+ [^ ]+\.dsc$/) print l } }' >"$dsc"
	fi
	dpkg-source -x "$dsc" "$dir/src" >"$dir/unpack.log" 2>&1 ||
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
