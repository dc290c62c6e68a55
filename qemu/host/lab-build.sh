#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# lab-build.sh EXERCISE VARIANT KDIR FEATURES OUT KBUILD-VAR...
#
# Build one variant of the lab's exercise lab/EXERCISE against the kernel tree
# KDIR, for a boot of its own: VARIANT is `start` (the files in lab/EXERCISE/,
# as the student left them), `solution` (lab/EXERCISE/solution/ laid over
# them) or `wrong/NAME` (a wrong solution, kept as a test that the check
# must fail). Kbuild runs in OUT/build (if the exercise has a Kbuild), where the files are linked with the
# exporting macros (rust_demo_abi.rs), the tree's FEATURES file and
# lab/common.kbuild; modpost only warns of undefined symbols
# (KBUILD_MODPOST_WARN) and of namespaces not imported (KBUILD_NSDEPS, which
# makes it pass -N, as `make nsdeps` does), so that the loader is the one
# that says what is missing. Then the exercise's host.sh, if it has one (a step the student
# writes that runs on the host: `host.sh KDIR`, in OUT/build). Leaves the
# modules and any *.txt (answers) in OUT/demo/lab/ID/ and the check, as a suite that boots alone, in
# OUT/demo/suites/ID.sh, where ID names the exercise and the variant
# (lab_EXERCISE, lab_EXERCISE__solution, lab_EXERCISE__wrong_NAME): lay OUT
# over the VM's root and run the suite ID (qemu/host/run.sh).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
# shellcheck source=../../scripts/lib.sh
. "$top/scripts/lib.sh"

[ $# -ge 5 ] || die "usage: $0 EXERCISE start|solution|wrong/NAME KDIR FEATURES OUT [KBUILD-VAR...]"
ex=$1 variant=$2 kdir=$3 features=$4 out=$5
shift 5
src=$top/lab/$ex
[ -f "$src/check.sh" ] || die "no exercise '$ex'; 'make lab' lists them"
case $variant in
start) id=lab_$ex over="" ;;
solution) id=lab_${ex}__solution over=$src/solution ;;
wrong/*) id=lab_${ex}__wrong_${variant#wrong/} over=$src/$variant ;;
*) die "variant must be start, solution or wrong/NAME, not '$variant'" ;;
esac
[ -z "$over" ] || [ -d "$over" ] || die "exercise $ex has no $variant (no $over)"
[ -f "$features" ] || die "no features file at $features; make writes it (scripts/kernel/features.sh)"

rm -rf "$out"
mkdir -p "$out/build" "$out/demo/lab/$id" "$out/demo/suites"
# The exercise's own files (not its README, check, solution or wrong ones),
# then the variant's over them.
for f in "$src"/*; do
	case ${f##*/} in README.md | check.sh | expected | solution | wrong) ;; *) ln -s "$f" "$out/build/" ;; esac
done
[ -z "$over" ] || for f in "$over"/*; do ln -sf "$f" "$out/build/"; done
ln -s "$top/rust_demo_abi.rs" "$top/lab/common.kbuild" "$out/build/"
ln -s "$features" "$out/build/features"

# With clippy, as the pair is linted; LAB_STRICT=1 (make lab-check, for the
# solutions) makes every warning an error.
strict=()
[ "${LAB_STRICT:-}" != 1 ] || strict=(KRUSTFLAGS=-Dwarnings)
if [ -f "$out/build/Kbuild" ] && ! make -C "$kdir" M="$out/build" "$@" CLIPPY=1 "${strict[@]}" KBUILD_MODPOST_WARN=1 KBUILD_NSDEPS=1 modules >"$out/build.log" 2>&1; then
	grep -E 'error|warning|ERROR' "$out/build.log" >&2 || tail -n 20 "$out/build.log" >&2
	! grep -q "local symbol '_R" "$out/build.log" ||
		say "rustc made an exported Rust function local: mark it #[inline(never)] (see export_symbol_record! in rust_demo_abi.rs)"
	die "lab/$ex ($variant) does not build (the compiler's messages above; all of it in $out/build.log)"
fi
# modpost's warnings are the loader's refusals to come; show them, quietly.
[ -n "${LAB_QUIET:-}" ] || grep "WARNING: modpost" "$out/build.log" | sed "s/^/lab: build: /" >&2 || true
if [ -f "$out/build/host.sh" ]; then
	(cd "$out/build" && bash ./host.sh "$kdir") >"$out/host.log" 2>&1 ||
		{ cat "$out/host.log" >&2; die "lab/$ex ($variant): host.sh failed (its output above)"; }
fi
# The exercise's own fixtures, if it has a fixtures.sh (not the student's:
# say, a copy of a module with another license), run in OUT/build with the
# top of this tree as its argument.
if [ -f "$out/build/fixtures.sh" ]; then
	(cd "$out/build" && bash ./fixtures.sh "$top") >"$out/fixtures.log" 2>&1 ||
		{ cat "$out/fixtures.log" >&2; die "lab/$ex: its fixtures.sh failed (its output above)"; }
fi
# What the check reads: the modules, and the student's answers (*.txt).
find -L "$out/build" -maxdepth 1 \( -name '*.ko' -o -name '*.txt' \) -exec cp {} "$out/demo/lab/$id/" \;
# The check as a suite: its header, a boot of its own, and where its modules are.
{
	sed -n '/^[^#]/q; p' "$src/check.sh"
	echo "# boots alone: a lab check gets a clean kernel of its own"
	echo "LAB_ID=$id"
	sed -n '/^[^#]/,$p' "$src/check.sh"
} >"$out/demo/suites/$id.sh"
echo "$id"
