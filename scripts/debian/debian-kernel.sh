#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# debian-kernel.sh ARCH root | ARCH host RUSTC BINDGEN
#
# KERNEL=debian: the build tree for Debian 13's stock kernel: Debian's
# headers (scripts/debian/debian-root.sh, made once) completed with the Rust
# metadata, made and checked by scripts/debian/debian-metadata.sh (once per package
# and toolchain version) with the toolchain Debian built the kernel with:
# root: inside a trixie root that has it; host: on a Debian 13 host, with its
# own toolchain (RUSTC, BINDGEN), the kernel's packages unpacked in a tree of
# their own. No kernel build. Prints the tree (ROOT/usr/src/linux-headers-RELEASE)
# as the last line.
set -euo pipefail
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"

usage="usage: $0 ARCH root | ARCH host RUSTC BINDGEN"
[ $# -ge 2 ] || die "$usage"
here=$(cd "$(dirname "$0")" && pwd)
read -r root release < <("$here/debian-root.sh" "$1" "$2" | tail -n 1)
cd "$here/../.."
case $2 in
root)
	[ $# -eq 2 ] || die "$usage"
	"$here/debian-chroot.sh" "$root" "$here/debian-metadata.sh" "$release" >/dev/null
	;;
host)
	[ $# -eq 4 ] || die "$usage"
	read -r ver <"$root/.rust-demo-kmod-tree"
	RUSTC=$3 BINDGEN=$4 HEADERS_VERSION=$ver LINUX_SOURCE=$root/usr/src/linux-source-$ver \
		META_CACHE=$root/var/cache/rust-demo-kmod \
		"$here/debian-metadata.sh" "$release" "$root/usr/src/linux-headers-$release" >/dev/null
	;;
*) die "$usage" ;;
esac
echo "$root/usr/src/linux-headers-$release"
