#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# check-twin.sh MODDIR CTWINDIR
#
# Show that the Rust export macros do what C's EXPORT_SYMBOL* do: for every
# symbol that both rust_demo_export.o and its C twin c_demo_export.o export,
# the .export_symbol records (license, namespace, size, relocation target) and
# the Module.symvers lines (export type, namespace) must be the same. The
# Rust-only exports (the typed Rust API, 7.x's module-restricted one) are listed.
set -euo pipefail
here=$(dirname "$0")
# shellcheck source=../lib.sh
. "$here/../lib.sh"

[ $# -eq 2 ] || die "usage: $0 MODDIR CTWINDIR"
moddir=$1 ctwin=$2
records() { "$here/export-records.py" "$1" | sort; }
symvers() { awk -F '\t' '{ print $2, $4, ($5 == "" ? "-" : $5) }' "$1" | sort; }
rust=$(records "$moddir/rust_demo_export.o")
c=$(records "$ctwin/c_demo_export.o")
[ -n "$c" ] || die "no .export_symbol records in $ctwin/c_demo_export.o"
common=$(join <(echo "$rust" | cut -d' ' -f1) <(echo "$c" | cut -d' ' -f1))
[ "$(echo "$common" | wc -l)" -ge 5 ] || die "Rust and C share fewer than 5 exports: $common"
diff <(echo "$rust" | grep -wFf <(echo "$common")) <(echo "$c") ||
	die "the .export_symbol records of the Rust and the C exporter differ (above: < Rust, > C)"
echo "ok: Rust and C write the same .export_symbol records for $(echo "$common" | tr '\n' ' ')"
diff <(symvers "$moddir/Module.symvers" | grep -wFf <(echo "$common")) <(symvers "$ctwin/Module.symvers") ||
	die "the Module.symvers lines of the Rust and the C exporter differ (above: < Rust, > C)"
echo "ok: and the same Module.symvers lines (export type, namespace)"
echo "Rust only: $(echo "$rust" | grep -vwFf <(echo "$common") | awk '{ print $1 " (" $2 ", " $3 ")" }' | paste -sd' ')"
