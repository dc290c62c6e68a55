#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# fetch-kernel.sh NAME SUITE PACKAGE-GLOB
#
# Resolve NAME (a KERNEL= choice from the Makefile) to the newest Debian package
# matching PACKAGE-GLOB in SUITE, download it through a private apt configuration
# under $CACHE/apt (the machine's /etc/apt is only read, never changed), and
# unpack the kernel source to $CACHE/src/linux-VERSION. The resolved package is
# recorded in $CACHE/resolved/NAME and reused until REFRESH=1.
# Prints the source directory as the last line.
set -euo pipefail
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"

[ $# -eq 3 ] || die "usage: $0 NAME SUITE PACKAGE-GLOB"
name=$1 suite=$2 glob=$3
: "${CACHE:?}"
apt_dir=$CACHE/apt/$suite
record=$CACHE/resolved/$name

resolve() {
	mkdir -p "${record%/*}"
	apt_private "$apt_dir" "$suite"
	local pkg ver
	pkg=$(apt-cache "${apt_opts[@]}" pkgnames "${glob%%\**}" |
		grep -x "$(echo "$glob" | sed 's/\./\\./g; s/\*/.*/g')" | sort -V | tail -n 1) ||
		die "no package matching '$glob' in Debian's $suite"
	ver=$(apt-cache "${apt_opts[@]}" show "$pkg" | awk '/^Version:/ && v == "" { v = $2 } END { print v }')
	echo "$pkg $ver" >"$record"
}

if [ ! -s "$record" ] || [ "${REFRESH:-0}" = 1 ]; then
	resolve
fi
read -r pkg ver <"$record"
upstream=${ver%%-*}
src=$CACHE/src/linux-$upstream
say "KERNEL=$name is $pkg $ver (Linux $upstream, recorded in $record)"

if [ ! -f "$src/.unpacked" ]; then
	mkdir -p "$CACHE/src"
	df_kb=$(df -Pk "$CACHE/src" | awk 'NR == 2 { print $4 }')
	[ "$df_kb" -gt $((4 * 1024 * 1024)) ] ||
		die "less than 4 GiB free in $CACHE; a kernel needs about 2 GiB unpacked plus its build (set CACHE= elsewhere)"
	apt_private "$apt_dir" "$suite"
	tmp=$(mktemp -d "$CACHE/src/.fetch.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	(cd "$tmp" && logged "$tmp/download.log" "downloading $pkg $ver" "20 s" \
		apt-get "${apt_opts[@]}" download "$pkg=$ver") ||
		die "could not download $pkg $ver; retry with REFRESH=1 to pick the registry's current version"
	dpkg-deb -x "$tmp"/*.deb "$tmp/deb"
	tarball=$(find "$tmp/deb/usr/src" -maxdepth 1 -name 'linux-source-*.tar.*' | head -n 1)
	[ -n "$tarball" ] || die "$pkg has no source tarball under /usr/src"
	rm -rf "$src" && mkdir -p "$src"
	logged "$tmp/unpack.log" "unpacking Linux $upstream" "20 s" \
		tar -xf "$tarball" -C "$src" --strip-components=1
	touch "$src/.unpacked"
fi
echo "$src"
