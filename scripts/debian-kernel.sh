#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# debian-kernel.sh ARCH
#
# KERNEL=debian: the build tree for Debian 13's stock kernel: the trixie root
# (scripts/debian-root.sh, made once), then Debian's headers in it completed
# with the Rust metadata, made and checked by scripts/debian-metadata.sh
# inside the root (once per package and toolchain version). No kernel build.
# Prints the tree (ROOT/usr/src/linux-headers-RELEASE) as the last line.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

[ $# -eq 1 ] || die "usage: $0 ARCH"
here=$(cd "$(dirname "$0")" && pwd)
read -r root release < <("$here/debian-root.sh" "$1" | tail -n 1)
cd "$here/.."
"$here/debian-chroot.sh" "$root" "$here/debian-metadata.sh" "$release" >/dev/null
echo "$root/usr/src/linux-headers-$release"
