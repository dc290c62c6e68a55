#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Lab exercise sign, wrong on purpose: signed, but with a key of its own,
# which the kernel does not know.
set -euo pipefail
kdir=$1
openssl req -new -nodes -utf8 -sha256 -days 1 -batch -x509 -subj "/CN=lab key, not trusted" \
	-newkey rsa:2048 -outform PEM -out key.pem -keyout key.pem 2>/dev/null
openssl x509 -in key.pem -outform DER -out key.x509
"$kdir/scripts/sign-file" sha256 key.pem key.x509 lab_signed.ko
