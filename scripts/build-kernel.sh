#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# build-kernel.sh NAME SUITE PACKAGE-GLOB FRAGMENT -- KBUILD-VARIABLES...
#
# Build a Rust-enabled kernel from Debian's source package: allnoconfig, then
# FRAGMENT merged by the kernel's merge_config.sh, then olddefconfig, then
# bzImage and the Rust metadata, in an O= directory under $CACHE/build keyed by
# kernel version and a hash of FRAGMENT and the toolchain versions. Does nothing
# if that directory is complete. Prints the build directory as the last line.
set -euo pipefail
here=$(dirname "$0")
# shellcheck source=lib.sh
. "$here/lib.sh"

{ [ $# -ge 5 ] && [ "$5" = -- ]; } || die "usage: $0 NAME SUITE PACKAGE-GLOB FRAGMENT -- KBUILD-VARIABLES..."
name=$1 suite=$2 glob=$3 fragment=$(realpath "$4")
shift 5
kbuild_vars=("$@")
: "${CACHE:?}"

src=$("$here/fetch-kernel.sh" "$name" "$suite" "$glob" | tail -n 1)
version=${src##*/linux-}

# The toolchain named in KBUILD-VARIABLES (the Makefile's single list of them).
var() { printf '%s\n' "${kbuild_vars[@]}" | sed -n "s/^$1=//p" | tail -n 1; }
key=$({
	cat "$fragment"
	"$(var RUSTC)" --version
	"$(var BINDGEN)" --version
	clang --version | head -n 1
} | sha256sum | cut -c 1-12)
build=$CACHE/build/$version-$key
stamp=$build/.rust-demo-kmod-complete

if [ ! -f "$stamp" ]; then
	mkdir -p "$build"
	kmake() { make -C "$src" O="$build" "${kbuild_vars[@]}" "$@"; }
	kmake -s rustavailable >"$build/rustavailable.log" 2>&1 ||
		die "Linux $version cannot use this Rust toolchain ($(var RUSTC), $(var BINDGEN)): $(grep -m1 -i error "$build/rustavailable.log"); see $build/rustavailable.log"
	configure() {
		kmake allnoconfig &&
			"$src/scripts/kconfig/merge_config.sh" -m -O "$build" "$build/.config" "$fragment" &&
			kmake olddefconfig
	}
	logged "$build/config.log" "configuring Linux $version (allnoconfig + ${fragment##*/})" "10 s" configure
	dropped=$(grep '^CONFIG_' "$fragment" | grep -vxF -f "$build/.config" || true)
	[ -z "$dropped" ] ||
		die "Kconfig dropped $(echo "$dropped" | tr '\n' ' ')(unmet dependencies in Linux $version); fix ${fragment##*/}"
	logged "$build/build.log" "building Linux $version with Rust (bzImage + Rust metadata)" \
		"6-8 min on 2 cores" kmake -j"$(nproc)"
	"$here/check-kdir.sh" "$build" "$(var RUSTC)" >/dev/null
	touch "$stamp"
fi
say "Linux $version with Rust: $build/arch/x86/boot/bzImage"
echo "$build"
