#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# debian-metadata.sh RELEASE [HEADERS-DIR]
#
# Run on Debian 13 (the trixie root of scripts/debian/debian-root.sh, or a real
# machine): complete Debian's headers of kernel RELEASE (default
# /usr/src/linux-headers-RELEASE) with the Rust metadata they leave out, made
# from Debian's linux-source of the same version (unpacked at
# /usr/src/linux-source-VERSION, or LINUX_SOURCE) with Debian's own .config and make variables
# (.kernelvariables) by `make prepare` (with RUSTC and BINDGEN, default rustc
# and bindgen), and checked before use:
#   - the .config is unchanged by olddefconfig;
#   - the generated headers equal Debian's;
#   - `rustc --version` (RUSTC, default rustc) equals CONFIG_RUSTC_VERSION_TEXT;
#   - every Rust (_R...) export of Debian's Module.symvers is defined again.
# A failed check stops with one line naming the difference. The build is
# cached in /var/cache/rust-demo-kmod (or META_CACHE), keyed by the package
# version (HEADERS_VERSION where the headers are not installed by dpkg), the
# .config and the toolchain's versions; the headers get a stamp with that key.
set -euo pipefail
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"

case $# in 1 | 2) ;; *) die "usage: $0 RELEASE [HEADERS-DIR]" ;; esac
release=$1
hdr=${2:-/usr/src/linux-headers-$release}
rustc=${RUSTC:-rustc} bindgen=${BINDGEN:-bindgen}
[ -f "$hdr/.config" ] || die "$hdr has no .config; install linux-headers-$release"
pkgver=${HEADERS_VERSION:-$(dpkg-query -W -f '${Version}' "linux-headers-$release" 2>/dev/null || echo unknown)}
src=${LINUX_SOURCE:-/usr/src/linux-source-$pkgver}
[ -f "$src/Makefile" ] || die "no kernel source at $src; install linux-source of the same version and unpack it there (tar -xf /usr/src/linux-source-*.tar.xz)"
features=$(dirname "$0")/../kernel/features.sh

# The files an out-of-tree Rust module's build reads that Debian's headers
# lack (rustc's dep-info of the pair's objects lists them), then the sources
# scripts/kernel/features.sh probes, and lint's rustfmt settings.
metadata() { (cd "$1" && ls rust/*.rmeta rust/*.so scripts/target.json); }
probed() { sed -n 's/^has [a-z_]* \([^ ]*\) .*/\1/p' "$features"; }

using=$("$rustc" --version) || die "RUSTC=$rustc does not run; install rustc"
key=$(printf '%s\n' "$release $pkgver" "$using" "$("$bindgen" --version)" "$(gcc-14 --version | sed -n 1p)" \
	"$(sha256sum <"$hdr/.config")" | sha256sum | cut -c 1-12)
if [ "$(cat "$hdr/.rust-demo-kmod-complete" 2>/dev/null)" = "$key" ] && [ -f "$hdr/rust/libkernel.rmeta" ]; then
	echo "$hdr"
	exit 0
fi

built_by=$(sed -n 's/^CONFIG_RUSTC_VERSION_TEXT="\(.*\)"$/\1/p' "$hdr/.config")
[ -n "$built_by" ] || die "$hdr/.config has no CONFIG_RUSTC_VERSION_TEXT: Debian built kernel $release without Rust"
[ "$built_by" = "$using" ] ||
	die "rustc differs: Debian built $release with '$built_by', $rustc is '$using'; install that rustc (its crate hashes depend on the version)"

out=${META_CACHE:-/var/cache/rust-demo-kmod}/meta-$release-$key
mkdir -p "$out"
cp "$hdr/.config" "$out/.config"
cp "$hdr/.kernelvariables" "$out/.kernelvariables"
# The variables Debian's own build passes (debian/rules.real) for
# include/generated/package.h, and Debian's ARCH (x86, from the headers'
# .kernelvariables): an ARCH= given to the project's make (make check passes
# ARCH=x86_64) reaches this make through MAKEFLAGS, and Kconfig writes it into
# the .config's heading ("# Linux/x86_64 ..."), which then differs from Debian's.
karch=$(sed -n 's/^override ARCH = //p' "$hdr/.kernelvariables")
[ -n "$karch" ] || die "$hdr/.kernelvariables has no 'override ARCH = ' line; Debian's headers changed, see scripts/debian/debian-metadata.sh"
kmake=(make -C "$src" O="$out" ARCH="$karch" RUSTC="$rustc" HOSTRUSTC="$rustc" BINDGEN="$bindgen"
	DISTRIBUTION_OFFICIAL_BUILD=1 DISTRIBUTOR=Debian DISTRIBUTION_VERSION="$pkgver")
logged "$out/olddefconfig.log" "make olddefconfig with Debian's .config" "10 s" "${kmake[@]}" olddefconfig
first_diff() { diff "$1" "$2" | grep -m 1 '^[<>]' || true; }
cmp -s "$hdr/.config" "$out/.config" ||
	die "config differs: olddefconfig changed Debian's .config ($(first_diff "$hdr/.config" "$out/.config")); linux-source and linux-headers are not of one build"
logged "$out/prepare.log" "make prepare (the Rust crates, from Debian's linux-source $pkgver)" "3 min" \
	"${kmake[@]}" -j"$(nproc)" prepare
# gen_init_cpio, static, for the machine that packs the test VM's initramfs.
# (A host program of usr/, which Kbuild builds only with the initramfs.)
mkdir -p "$out/usr"
logged "$out/gen_init_cpio.log" "building usr/gen_init_cpio" "5 s" \
	gcc-14 -O2 -static -o "$out/usr/gen_init_cpio" "$src/usr/gen_init_cpio.c"

# Every header Debian generated must come out the same, except the two that
# record Debian's build itself (its time and host), which `make prepare` does
# not write.
while read -r f; do
	case $f in include/generated/compile.h | include/generated/utsversion.h) continue ;; esac
	[ -f "$out/$f" ] || die "generated header differs: $f is in Debian's headers but make prepare did not write it"
	cmp -s "$hdr/$f" "$out/$f" ||
		die "generated header differs: $f ($(first_diff "$hdr/$f" "$out/$f"))"
done < <(cd "$hdr" && find include/generated arch/*/include/generated -type f | sort)

# A v0 symbol's crate hash depends on the crate name, -Cmetadata and rustc's
# version: the same exports mean the same crates.
nm --defined-only --extern-only "$out"/rust/*.o | awk '{ print $3 }' | grep '^_R' | sort -u >"$out/rust-defined"
awk '$2 ~ /^_R/ { print $2 }' "$hdr/Module.symvers" | sort -u >"$out/rust-exported"
missing=$(comm -23 "$out/rust-exported" "$out/rust-defined")
[ -z "$missing" ] ||
	die "Rust exports differ: $(wc -l <<<"$missing") of $(wc -l <"$out/rust-exported") in Debian's Module.symvers are not in the rebuilt crates, e.g. $(head -n 1 <<<"$missing")"
say "checked: .config unchanged, generated headers equal, $using, $(wc -l <"$out/rust-exported") Rust exports reproduced"

# Complete the headers (scripts/ is linux-kbuild's, shared by the flavours).
while read -r f; do
	install -D -m 0644 "$out/$f" "$hdr/$f"
done < <(metadata "$out")
while read -r f; do
	install -D -m 0644 "$src/$f" "$hdr/$f"
done < <(probed)
install -m 0644 "$src/.rustfmt.toml" "$hdr/.rustfmt.toml"
install -D -m 0755 "$out/usr/gen_init_cpio" "$hdr/usr/gen_init_cpio"
# Kbuild's modules_install runs depmod -e -F System.map only where the tree
# has one; Debian's linux-binary has a stub (the real one is in the -dbg
# package). depmod reads only its __ksymtab_ lines: write those from the
# exports of Debian's Module.symvers, so depmod checks against them.
awk '$3 == "vmlinux" { print "0000000000000000 r __ksymtab_" $2 }' "$hdr/Module.symvers" >"$hdr/System.map"
echo "$key" >"$hdr/.rust-demo-kmod-complete"
say "completed $hdr with $(metadata "$out" | wc -l) Rust metadata files"
echo "$hdr"
