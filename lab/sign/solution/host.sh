#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Lab exercise sign, a solution: sign lab_signed.ko as Kbuild's
# modules_install does (CONFIG_MODULE_SIG_ALL): the kernel's scripts/sign-file,
# with the hash and the key that the kernel's configuration names.
set -euo pipefail
kdir=$1
hash=$(sed -n 's/^CONFIG_MODULE_SIG_HASH="\(.*\)"$/\1/p' "$kdir/.config")
key=$(sed -n 's/^CONFIG_MODULE_SIG_KEY="\(.*\)"$/\1/p' "$kdir/.config")
"$kdir/scripts/sign-file" "$hash" "$kdir/$key" "$kdir/certs/signing_key.x509" lab_signed.ko
