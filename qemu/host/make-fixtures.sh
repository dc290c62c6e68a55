#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make-fixtures.sh KDIR MODDIR C-TWIN-EXPORTER OUTDIR KBUILD-VARIABLES...
#
# Make the bad modules that the guards suite feeds the loader (and the
# modules_disabled suite's compressed exporter), each from this
# project's real build output in MODDIR (never a hand-written binary), into
# OUTDIR. Patched copies change a string to one of the same length or shorter
# (scripts/ko-patch.py), so that the ELF layout stays valid and only the one
# thing under test is wrong. On a kernel that checks signatures and whose key
# is at hand, each fixture is then signed with the kernel's own key, as
# modules_install signs the modules: the signature is valid for the changed
# file, so module_sig_check() passes it on to the check the fixture is about.
# The signatures suite's fixtures (sig/) are the exceptions, made to fail
# that check.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../../scripts/lib.sh
. "$here/../../scripts/lib.sh"

[ $# -ge 4 ] || die "usage: $0 KDIR MODDIR C-TWIN-EXPORTER OUTDIR KBUILD-VARIABLES..."
kdir=$1 moddir=$2 twin=$3 out=$4
shift 4
patch() { "$here/../../scripts/ko-patch.py" "$@"; }
feature() { grep -qx "$1=y" "$moddir/features"; }
rm -rf "$out" && mkdir -p "$out"
# Each fixture without debug info (a kernel with CONFIG_DEBUG_INFO, which
# symbol versions need, makes modules about 30 times bigger), as
# modules_install INSTALL_MOD_STRIP=1 installs the pair.
strip_debug() { llvm-strip --strip-debug "$@"; }
exp=$out/.rust_demo_export.ko usr=$out/.rust_demo_user.ko
strip_debug -o "$exp" "$moddir/rust_demo_export.ko"
strip_debug -o "$usr" "$moddir/rust_demo_user.ko"

# The ELF magic "\177ELF" made "XELF"; an empty file; the first half of the file.
cp "$usr" "$out/bad_magic.ko"
printf X | dd of="$out/bad_magic.ko" bs=1 count=1 conv=notrunc status=none
: >"$out/empty.ko"
head -c $(($(stat -c %s "$usr") / 2)) "$usr" >"$out/truncated.ko"

# The C twin's exporter (qemu/c_twin/), which exports the same symbols.
strip_debug -o "$out/c_demo_export.ko" "$twin"

# The exporter built for "another kernel": every digit of the release made 9.
vermagic=$(modinfo -F vermagic "$exp")
release=${vermagic%% *}
patch "$exp" "$out/other_vermagic.ko" "vermagic=$release " "vermagic=$(echo "$release" | tr 0-8 9) "

# The user under a license that is not GPL-compatible, and importing a
# namespace that is not RUST_DEMO.
patch "$usr" "$out/non_gpl_user.ko" "license=GPL" "license=MIT"
patch "$usr" "$out/wrong_ns_user.ko" "import_ns=RUST_DEMO" "import_ns=RUST_DEMX"
# The user importing a "module:" namespace by name, which 7.x's setup_modinfo()
# refuses (such namespaces are implicit), instead of RUST_DEMO.
patch "$usr" "$out/module_import_user.ko" "import_ns=RUST_DEMO" "import_ns=module:x"
# The user under a name the guards suite's boot blacklists (module_blacklist=).
patch "$usr" "$out/blacklisted_user.ko" "name=rust_demo_user" "name=rust_demo_blkd"

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
	strip_debug "$out/rust_demo_intruder.ko"
fi

# The symbol_versions suite's, where the kernel versions symbols: the user
# built against the exporter after an incompatible change to one export (its
# return type u32 made u64, in the ABI list too, which the build checks), so that
# its __versions holds that export's new CRC; and the CRCs modpost wrote for the
# real exporter (Module.symvers), which the guest compares with the user's.
if feature config_modversions; then
	stale=$out/stale
	mkdir -p "$stale"
	cp "$here/../../Kbuild" "$here"/../../*.rs "$moddir/features" "$stale/"
	for f in rust_demo_export.rs rust_demo_abi.rs; do
		grep -q 'fn rust_demo_api_version() -> u32' "$stale/$f" ||
			die "$f has no 'fn rust_demo_api_version() -> u32' to change; update the stale user fixture here"
		sed -i 's/fn rust_demo_api_version() -> u32/fn rust_demo_api_version() -> u64/' "$stale/$f"
	done
	make -C "$kdir" M="$stale" "$@" modules >"$out/stale-build.log" 2>&1 ||
		die "building the stale rust_demo_user.ko failed; see $out/stale-build.log"
	strip_debug -o "$out/stale_user.ko" "$stale/rust_demo_user.ko"
	rm -rf "$stale" "$out/stale-build.log"
	cp "$moddir/Module.symvers" "$out/Module.symvers"
fi

# The signatures suite (sig/): the exporter unsigned; signed with a key the
# kernel does not know (made like the kernel's own key, with the settings of
# its certs/default_x509.genkey, which a headers-only tree lacks, and a name of
# its own so that modinfo tells the two apart); and, where the kernel's key is
# at hand, signed with it and then one byte of its code changed.
if feature config_module_sig; then
	mkdir -p "$out/sig"
	cp "$exp" "$out/sig/unsigned.ko"
	# Made once per build directory (a 4096-bit key takes a second or more).
	other=$moddir/fixture-key
	if [ ! -f "$other/other_key.x509" ]; then
		mkdir -p "$other"
		printf '%s\n' "[ req ]" "default_bits = 4096" "distinguished_name = dn" "prompt = no" \
			"string_mask = utf8only" "x509_extensions = myexts" \
			"[ dn ]" "CN = rust-demo-kmod fixture key, not trusted" \
			"[ myexts ]" "basicConstraints=critical,CA:FALSE" "keyUsage=digitalSignature" \
			"subjectKeyIdentifier=hash" "authorityKeyIdentifier=keyid" >"$other/other_key.genkey"
		openssl req -new -nodes -utf8 -sha256 -days 36500 -batch -x509 -config "$other/other_key.genkey" \
			-outform PEM -out "$other/other_key.pem" -keyout "$other/other_key.pem" 2>"$other/openssl.log" ||
			die "openssl could not make a key; see $other/openssl.log"
		openssl x509 -in "$other/other_key.pem" -outform DER -out "$other/other_key.x509"
	fi
	cp "$exp" "$out/sig/other_key.ko"
	sign_module "$kdir" "$other/other_key.pem" "$other/other_key.x509" "$out/sig/other_key.ko"
fi
if feature config_module_sig && feature module_signing_key; then
	key=$(module_sig_key "$kdir")
	for ko in "$out"/*.ko; do
		[ -s "$ko" ] && sign_module "$kdir" "$key" "$kdir/certs/signing_key.x509" "$ko"
	done
	# The kernel's key's serial number, as modinfo shows it (sig_key: sign-file
	# names the signer by issuer and serial), for the guest, which has no openssl.
	openssl x509 -inform DER -in "$kdir/certs/signing_key.x509" -noout -serial |
		sed 's/^serial=//; s/../&:/g; s/:$//' >"$out/sig/kernel_key.serial"
	cp "$exp" "$out/sig/tampered.ko"
	sign_module "$kdir" "$key" "$kdir/certs/signing_key.x509" "$out/sig/tampered.ko"
	cp "$out/sig/tampered.ko" "$out/signed.tmp"
	flip_text_byte "$out/sig/tampered.ko"
	cmp -s "$out/sig/tampered.ko" "$out/signed.tmp" && die "tampered.ko is the signed exporter unchanged"
	rm -f "$out/signed.tmp"
fi

# The exporter compressed, which kmod's insmod decompresses itself and loads
# with init_module() (finit_module() only for an uncompressed file): the
# modules_disabled suite's other system call. Signed first, where fixtures are.
cp "$exp" "$out/xz.ko"
[ -z "${key:-}" ] || sign_module "$kdir" "$key" "$kdir/certs/signing_key.x509" "$out/xz.ko"
xz --check=crc32 -c "$out/xz.ko" >"$out/rust_demo_export.ko.xz"
rm "$out/xz.ko" "$exp" "$usr"
