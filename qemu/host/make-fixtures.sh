#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make-fixtures.sh KDIR MODDIR OUTDIR KBUILD-VARIABLES...
#
# Make the bad modules that the guards suite feeds the loader (and the
# modules_disabled suite's compressed exporter), each from this
# project's real build output in MODDIR (never a hand-written binary), into
# OUTDIR. Patched copies change a string to one of the same length or shorter
# (scripts/ko-patch.py), so that the ELF layout stays valid and only the one
# thing under test is wrong.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../../scripts/lib.sh
. "$here/../../scripts/lib.sh"

[ $# -ge 3 ] || die "usage: $0 KDIR MODDIR OUTDIR KBUILD-VARIABLES..."
kdir=$1 moddir=$2 out=$3
shift 3
exp=$moddir/rust_demo_export.ko usr=$moddir/rust_demo_user.ko
patch() { "$here/../../scripts/ko-patch.py" "$@"; }
rm -rf "$out" && mkdir -p "$out"

# The ELF magic "\177ELF" made "XELF"; an empty file; the first half of the file.
cp "$usr" "$out/bad_magic.ko"
printf X | dd of="$out/bad_magic.ko" bs=1 count=1 conv=notrunc status=none
: >"$out/empty.ko"
head -c $(($(stat -c %s "$usr") / 2)) "$usr" >"$out/truncated.ko"

# The exporter built for "another kernel": every digit of the release made 9.
vermagic=$(modinfo -F vermagic "$exp")
release=${vermagic%% *}
patch "$exp" "$out/other_vermagic.ko" "vermagic=$release " "vermagic=$(echo "$release" | tr 0-8 9) "

# The user under a license that is not GPL-compatible, and importing a
# namespace that is not RUST_DEMO.
patch "$usr" "$out/non_gpl_user.ko" "license=GPL" "license=MIT"
patch "$usr" "$out/wrong_ns_user.ko" "import_ns=RUST_DEMO" "import_ns=RUST_DEMX"

# A module that uses a module-restricted export, where the kernel has them:
# built against a Module.symvers that hides the namespace from modpost.
if grep -qx 'module_restricted_ns=y' "$moddir/features"; then
	grep -q '	module:rust_demo_user$' "$moddir/Module.symvers" ||
		die "this kernel has module-restricted exports, but $moddir/Module.symvers lists none; see rust_demo_export.rs (rust_demo_module_ns)"
	cp "$here/../fixtures/Kbuild" "$here/../fixtures/rust_demo_intruder.c" "$out/"
	sed 's/	module:rust_demo_user$/	/' "$moddir/Module.symvers" >"$out/hidden.symvers"
	make -C "$kdir" M="$out" KBUILD_EXTRA_SYMBOLS="$out/hidden.symvers" "$@" modules \
		>"$out/intruder-build.log" 2>&1 ||
		die "building rust_demo_intruder.ko failed; see $out/intruder-build.log"
	find "$out" -mindepth 1 ! -name '*.ko' -delete
fi

# The exporter compressed, which kmod's insmod decompresses itself and loads
# with init_module() (finit_module() only for an uncompressed file): the
# modules_disabled suite's other system call.
xz --check=crc32 -c "$exp" >"$out/rust_demo_export.ko.xz"
