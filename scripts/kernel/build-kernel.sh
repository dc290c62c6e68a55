#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# build-kernel.sh NAME SUITE PACKAGE-GLOB FRAGMENT... -- KBUILD-VARIABLES...
#
# Build a Rust-enabled kernel from Debian's source package for the ARCH= in
# KBUILD-VARIABLES: allnoconfig, then that architecture's Kconfig lines
# (qemu/arch/ARCH.conf) and the FRAGMENTs merged in order by the kernel's
# merge_config.sh, then olddefconfig, then the image and the Rust metadata, in
# an O= directory under $CACHE/build named after the kernel version, the
# architecture, the fragments' names and a hash of their settings and the
# toolchain versions. Does nothing if that directory
# is complete; once a new one is, older builds of the same kernel and fragments
# are removed. Prints the build directory as the last line.
set -euo pipefail
here=$(dirname "$0")
# shellcheck source=../lib.sh
. "$here/../lib.sh"

usage="usage: $0 NAME SUITE PACKAGE-GLOB FRAGMENT... -- KBUILD-VARIABLES..."
[ $# -ge 5 ] || die "$usage"
name=$1 suite=$2 glob=$3
shift 3
fragments=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do
	fragments+=("$(realpath "$1")")
	shift
done
{ [ $# -gt 0 ] && [ ${#fragments[@]} -gt 0 ]; } || die "$usage"
shift
kbuild_vars=("$@")
: "${CACHE:?}"

src=$("$here/fetch-kernel.sh" "$name" "$suite" "$glob" | tail -n 1)
version=${src##*/linux-}

# The toolchain named in KBUILD-VARIABLES (the Makefile's single list of them).
var() { printf '%s\n' "${kbuild_vars[@]}" | sed -n "s/^$1=//p" | tail -n 1; }
arch=$(var ARCH)
[ -n "$arch" ] || die "no ARCH= among the KBUILD-VARIABLES; $usage"
if [ "$(var LLVM)" = 1 ]; then cc=clang; else cc=$(var CROSS_COMPILE)gcc; fi
arch_kconfig=$("$here/archconf.sh" "$arch" kconfig)
image=$("$here/archconf.sh" "$arch" IMAGE)
# Only the lines Kconfig reads count: editing a comment rebuilds nothing.
key=$({
	echo "$arch"
	echo "$arch_kconfig"
	grep -hE '^(CONFIG_|# CONFIG_.* is not set)' "${fragments[@]}"
	"$(var RUSTC)" --version
	"$(var BINDGEN)" --version
	"$cc" --version | sed -n 1p
} | sha256sum | cut -c 1-12)
# The variant: the fragments after the first (kernel-debug.config -> "-debug").
variant=$(for f in "${fragments[@]:1}"; do f=${f##*/}; f=${f%.config}; printf -- '-%s' "${f#kernel-}"; done)
build=$CACHE/build/$version-$arch$variant-$key
# PRINT_KEY=1: only print the build directory's name (make cache-key: CI's cache key).
[ "${PRINT_KEY:-}" != 1 ] || { echo "${build##*/}"; exit 0; }
stamp=$build/.rust-demo-kmod-complete

if [ ! -f "$stamp" ]; then
	mkdir -p "$build"
	kmake() { make -C "$src" O="$build" "${kbuild_vars[@]}" "$@"; }
	kmake -s rustavailable >"$build/rustavailable.log" 2>&1 ||
		die "Linux $version cannot use this Rust toolchain ($(var RUSTC), $(var BINDGEN)): $(grep -m1 -i error "$build/rustavailable.log"); see $build/rustavailable.log"
	echo "$arch_kconfig" >"$build/arch.config"
	# -j: Kconfig's own programs are built on the way, in parallel.
	configure() {
		kmake -j"$(nproc)" allnoconfig &&
			"$src/scripts/kconfig/merge_config.sh" -m -O "$build" "$build/.config" "$build/arch.config" "${fragments[@]}" &&
			kmake olddefconfig
	}
	names=$(printf '%s + ' "qemu/arch/$arch.conf" "${fragments[@]##*/}")
	phase kernel-configure logged "$build/config.log" "configuring Linux $version (allnoconfig + ${names% + })" "10 s" configure
	dropped=$(grep -h '^CONFIG_' "$build/arch.config" "${fragments[@]}" | grep -vxF -f "$build/.config" || true)
	[ -z "$dropped" ] ||
		die "Kconfig dropped $(echo "$dropped" | tr '\n' ' ')(unmet dependencies in Linux $version); fix ${names% + }"
	phase kernel-build logged "$build/build.log" "building Linux $version for $arch with $cc and Rust (${image##*/} + Rust metadata)" \
		"3-5 min on 2 cores" kmake -j"$(nproc)"
	"$here/check-kdir.sh" "$build" "$(var RUSTC)" >/dev/null
	touch "$stamp"
	# Older builds of the same kernel and variant (another key) are stale
	# (PRUNE=0 keeps them, e.g. for other work trees with other fragments).
	[ "${PRUNE:-1}" = 0 ] || for old in "$CACHE/build/$version-$arch$variant"-*; do
		case ${old##*/} in "$version-$arch$variant"-????????????) ;; *) continue ;; esac
		if [ "$old" != "$build" ]; then
			say "removing the stale build $old"
			rm -rf "$old"
		fi
	done
fi
say "Linux $version for $arch with Rust: $build/$image"
echo "$build"
