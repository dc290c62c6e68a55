#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# mok-key.sh
#
# SECURE_BOOT=1: the Machine Owner Key, made as dkms makes its own
# (/var/lib/dkms/mok.key, mok.pub: the same openssl command, the same
# subject), once, in $CACHE/secure-boot/mok. The modules are signed with
# mok.key; mok.pub (DER) is what `mokutil --import` enrolls. Prints that
# directory.
set -euo pipefail
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"

[ $# -eq 0 ] || die "usage: $0"
: "${CACHE:?}"
dir=$CACHE/secure-boot/mok
if [ ! -s "$dir/mok.pub" ]; then
	mkdir -p "$dir"
	(cd "$dir" && rm -f mok.key mok.pub &&
		openssl req -new -x509 -nodes -days 36500 -subj "/CN=DKMS module signing key" -newkey rsa:2048 \
			-keyout mok.key -addext "extendedKeyUsage=codeSigning" -outform DER -out mok.pub) >"$dir/openssl.log" 2>&1 ||
		die "openssl could not make the MOK key; see $dir/openssl.log"
	chmod 600 "$dir/mok.key"
	say "made the MOK key $dir/mok.pub ($(openssl x509 -inform DER -in "$dir/mok.pub" -noout -subject))"
fi
echo "$dir"
