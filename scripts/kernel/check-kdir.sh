#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# check-kdir.sh KDIR RUSTC
#
# Check that KDIR is a kernel build tree that out-of-tree Rust modules can be
# built against with RUSTC: configured with CONFIG_RUST=y, Rust metadata
# built, and built by the same rustc (the .rmeta files are tied to it).
# Prints KDIR.
set -euo pipefail
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"

[ $# -eq 2 ] || die "usage: $0 KDIR RUSTC"
kdir=$1 rustc=$2
[ -d "$kdir" ] || die "KDIR=$kdir is not a directory; point KDIR at a configured and built kernel tree"
config=$kdir/.config
[ -f "$config" ] || config=$kdir/include/config/auto.conf
[ -f "$config" ] || die "KDIR=$kdir has no .config; configure and build that kernel first (make olddefconfig all)"
grep -qx 'CONFIG_RUST=y' "$config" ||
	die "KDIR=$kdir was configured without CONFIG_RUST=y; enable Rust there (make rustavailable, then menuconfig) or drop KDIR= to use this project's kernel"
[ -f "$kdir/rust/libkernel.rmeta" ] ||
	die "KDIR=$kdir has CONFIG_RUST=y but no rust/libkernel.rmeta; build that kernel first (make -C $kdir)"
built_by=$(sed -n 's/^CONFIG_RUSTC_VERSION_TEXT="\(.*\)"$/\1/p' "$config")
using=$("$rustc" --version 2>/dev/null) || die "RUSTC=$rustc does not run; install Debian's rustc-web or set RUSTC="
[ "$built_by" = "$using" ] ||
	die "KDIR=$kdir was built by '$built_by' but modules would be built by '$using'; set RUSTC= to the first, or rebuild that kernel"
echo "$kdir"
