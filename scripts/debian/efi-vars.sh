#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# efi-vars.sh FIRMWARE-DIR VARIANT OUTPUT [MORE-MOK...]
#
# SECURE_BOOT=1: the firmware variables a boot starts from, written to OUTPUT
# from FIRMWARE-DIR (scripts/debian/efi-files.sh). VARIANT:
#   mok    Microsoft's and Debian's keys (Secure Boot on), and the MOK
#          (scripts/debian/mok-key.sh) in shim's MokList, put there by virt-fw-vars
#          as shim's MokManager puts it after `mokutil --import`
#   nomok  the same without the MOK
#   off    the firmware's empty variables: no keys, Secure Boot off
# MORE-MOK: more certificates (DER) for MokList with mok (dkms's own key:
# scripts/debian-dkms-test.sh); ignored otherwise, as the MOK is.
set -euo pipefail
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"

[ $# -ge 3 ] || die "usage: $0 FIRMWARE-DIR mok|nomok|off OUTPUT [MORE-MOK...]"
fw=$1 variant=$2 out=$3
shift 3
# shim's own GUID, under which MokList lives (shim's lib/guid.c: SHIM_LOCK_GUID).
shim_guid=605dab50-e046-4300-abb6-3dd810dd8b23
case $variant in
mok)
	vars=$("$(dirname "$0")/../pypi-venv.sh" virt-firmware "${VIRT_FIRMWARE:?VIRT_FIRMWARE must be set (the Makefile sets it)}" virt-fw-vars)
	mok=$("$(dirname "$0")/mok-key.sh")/mok.pub
	add=(--add-mok "$shim_guid" "$mok")
	for cert in "$@"; do add+=(--add-mok "$shim_guid" "$cert"); done
	"$vars" -i "$fw/EFI_VARS_MS" "${add[@]}" -o "$out" >"$out.log" 2>&1 ||
		die "virt-fw-vars could not add $mok $* to $fw/EFI_VARS_MS; see $out.log"
	rm -f "$out.log"
	;;
nomok) cp "$fw/EFI_VARS_MS" "$out" ;;
off) cp "$fw/EFI_VARS_EMPTY" "$out" ;;
*) die "VARIANT must be mok, nomok or off, not '$variant'" ;;
esac
