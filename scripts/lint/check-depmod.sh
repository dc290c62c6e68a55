#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# check-depmod.sh MODDIR
#
# Show where modules.dep comes from: kmod's depmod matches each module's
# undefined symbols against the symbols other modules export, and never reads
# the `depends=` modinfo that modpost writes; busybox's depmod reads only that.
# With `depends=` blanked in a copy of rust_demo_user.ko, kmod's modules.dep
# must be unchanged and busybox's must lose the dependency.
set -euo pipefail
here=$(dirname "$0")
# shellcheck source=../lib.sh
. "$here/../lib.sh"

[ $# -eq 1 ] || die "usage: $0 MODDIR"
moddir=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# tree NAME: a module tree with both modules, for a depmod of "kernel" 1.0.0
# (busybox's depmod takes a version only in the form N.N.N).
tree() {
	mkdir -p "$tmp/$1/lib/modules/1.0.0/extra"
	cp "$moddir"/rust_demo_export.ko "$moddir"/rust_demo_user.ko "$tmp/$1/lib/modules/1.0.0/extra/"
	touch "$tmp/$1/lib/modules/1.0.0/"modules.{order,builtin,builtin.modinfo}
	echo "$tmp/$1/lib/modules/1.0.0/extra"
}
dep() { sed -n 's|^extra/rust_demo_user.ko: *||p' "$tmp/$1/lib/modules/1.0.0/modules.dep"; }

real=$(tree real)
blank=$(tree blank)
"$here/../ko-patch.py" "$real/rust_demo_user.ko" "$blank/rust_demo_user.ko" depends=rust_demo_export depends=
[ -z "$(modinfo -F depends "$blank/rust_demo_user.ko")" ] || die "the blanked copy still has depends="
for t in real blank; do
	depmod -b "$tmp/$t" 1.0.0
	cp -r "$tmp/$t" "$tmp/bb-$t"
	(cd "$tmp/bb-$t" && busybox depmod -b "$tmp/bb-$t" 1.0.0)
done
[ "$(dep real)" = extra/rust_demo_export.ko ] || die "kmod's depmod: rust_demo_user depends on '$(dep real)', not extra/rust_demo_export.ko"
[ "$(dep blank)" = "$(dep real)" ] ||
	die "kmod's depmod: blanking depends= changed rust_demo_user's line to '$(dep blank)'"
echo "ok: kmod's depmod finds rust_demo_user -> rust_demo_export from symbols, with or without depends="
[ "$(dep bb-real)" = "$(dep real)" ] || die "busybox depmod: rust_demo_user depends on '$(dep bb-real)'"
[ -z "$(dep bb-blank)" ] || die "busybox depmod still finds '$(dep bb-blank)' with depends= blanked"
echo "ok: busybox's depmod reads depends=: with it blanked, it finds no dependency"
