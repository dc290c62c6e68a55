#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# check-abi.sh KDIR KBUILD-VARIABLES...
#
# Show that the exporter/user interface cannot drift silently: build copies of
# the modules with one signature changed on one side only, and require each
# build to fail with a type error. The unchanged copy must build. Also show
# that modpost refuses a Rust module with a license that is not GPL-compatible.
set -euo pipefail
here=$(dirname "$0")
# shellcheck source=../lib.sh
. "$here/../lib.sh"

[ $# -ge 1 ] || die "usage: $0 KDIR KBUILD-VARIABLES..."
kdir=$1
shift
top=$(cd "$here/../.." && pwd)
# Kept on failure: the messages below point into it.
tmp=$(mktemp -d)
"$here/../kernel/features.sh" "$kdir" >"$tmp/features"

# try NAME FILE SED-EXPRESSION KBUILD-VARIABLES...: build a copy with FILE
# edited by SED-EXPRESSION (nothing if FILE is empty); 0 if it builds.
try() {
	local dir=$tmp/$1 file=$2 expr=$3
	shift 3
	mkdir -p "$dir"
	cp "$top"/Kbuild "$top"/*.rs "$tmp/features" "$dir"/
	if [ -n "$file" ]; then
		sed -i "$expr" "$dir/$file"
		! cmp -s "$dir/$file" "$top/$file" || die "the edit '$expr' changed nothing in $file"
	fi
	make -C "$kdir" M="$dir" "$@" modules >"$dir/build.log" 2>&1
}

try unchanged "" "" "$@" || die "the unchanged modules do not build; see $tmp/unchanged/build.log"

# NAME FILE FAILING-OBJECT SED-EXPRESSION: the edit must fail the compilation
# of FAILING-OBJECT (that module's crate) with a rustc error (a type error, or
# a call with the wrong number of arguments).
for change in \
	"C-ABI rust_demo_export.rs rust_demo_export.o s/fn rust_demo_api_version() -> u32/fn rust_demo_api_version() -> u64/" \
	"C-declaration rust_demo_abi.rs rust_demo_export.o s/fn rust_demo_client_count() -> u32;/fn rust_demo_client_count() -> u64;/" \
	"Rust-API rust_demo_export.rs rust_demo_user.o s/pub fn new(name: \&'static str)/pub fn new(name: \&'static str, _flags: u32)/"; do
	read -r name file failing expr <<<"$change"
	if try "$name" "$file" "$expr" "$@"; then
		die "changing only the $name ($file: $expr) still builds: the interface can drift"
	fi
	{ grep -q '^error\[E' "$tmp/$name/build.log" && grep -qE "[ /]$failing\] Error" "$tmp/$name/build.log"; } ||
		die "changing only the $name did not fail $failing with a type error: $(grep -m1 error "$tmp/$name/build.log")"
	echo "ok: changing only the $name in $file ($expr) fails to compile $failing: $(grep -m1 '^error\[E' "$tmp/$name/build.log")"
done

# modpost refuses a Rust module whose license is not GPL-compatible: every
# symbol of the kernel crate it uses is exported GPL-only.
if try license rust_demo_export.rs 's/license: "GPL"/license: "MIT"/' "$@"; then
	die "rust_demo_export with license MIT still builds"
fi
grep -q 'GPL-incompatible module.* uses GPL-only symbol' "$tmp/license/build.log" ||
	die "rust_demo_export with license MIT failed to build, but not in modpost: $(grep -m1 -i error "$tmp/license/build.log")"
echo "ok: modpost refuses rust_demo_export under license MIT: $(grep -c 'uses GPL-only symbol' "$tmp/license/build.log") GPL-only symbols"
rm -rf "$tmp"
