#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# debian-complete-headers.sh [RELEASE]
#
# On a Debian 13 machine, as root: complete the installed headers of kernel
# RELEASE (default: the running one, `uname -r`) with the Rust metadata
# Debian's headers leave out, so that `make KDIR=/lib/modules/RELEASE/build`
# and dkms (dkms.conf) build the pair. Installs Debian's toolchain of that
# kernel and its linux-source of the same version, unpacks the source once to
# /usr/src/linux-source-VERSION, and runs scripts/debian/debian-metadata.sh, which
# checks that what it made equals Debian's build.
set -euo pipefail
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"

[ $# -le 1 ] || die "usage: $0 [RELEASE]"
release=${1:-$(uname -r)}
[ "$(id -u)" = 0 ] || die "run as root: it installs packages and writes /usr/src/linux-headers-$release"
ver=$(dpkg-query -W -f '${Version}' "linux-headers-$release" 2>/dev/null) ||
	die "linux-headers-$release is not installed; apt-get install linux-headers-$release"
upstream=${release%%+*}
source_pkg=linux-source-${upstream%.*}
logged "/var/log/rust-demo-kmod-apt.log" "installing Debian's kernel toolchain and $source_pkg $ver" "1-2 min" \
	env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
	rustc rust-src bindgen libclang-dev gcc-14 make flex bison bc libelf-dev libssl-dev openssl dwarves \
	"$source_pkg=$ver"
src=/usr/src/linux-source-$ver
if [ ! -f "$src/.unpacked" ]; then
	tarball=$(dpkg -L "$source_pkg" | grep -m 1 '/usr/src/linux-source-.*\.tar\.') ||
		die "$source_pkg has no source tarball under /usr/src"
	mkdir -p "$src"
	logged "$src.unpack.log" "unpacking $tarball" "30 s" tar -xf "$tarball" -C "$src" --strip-components=1
	touch "$src/.unpacked"
fi
LINUX_SOURCE=$src "$(dirname "$0")/debian-metadata.sh" "$release"
