#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# archconf.sh ARCH [KEY | kconfig]
#
# Read the data file of architecture ARCH (qemu/arch/ARCH.conf; ARCH is the
# kernel's name for it, as in `make ARCH=`). With KEY, print that key's value
# (a key the file lacks is an error; an empty value is allowed); with
# `kconfig`, print the file's CONFIG_ lines; with nothing, print the file's path.
set -euo pipefail
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"

case $# in 1 | 2) ;; *) die "usage: $0 ARCH [KEY | kconfig]" ;; esac
dir=$(cd "$(dirname "$0")/../../qemu/arch" && pwd)
file=$dir/$1.conf
[ -f "$file" ] || die "ARCH=$1 is unknown; use one of: $(for f in "$dir"/*.conf; do f=${f##*/}; printf '%s ' "${f%.conf}"; done)(data in qemu/arch/)"
case ${2:-} in
'') echo "$file" ;;
kconfig) grep -E '^(CONFIG_|# CONFIG_.* is not set)' "$file" || true ;;
*)
	grep -q "^$2=" "$file" || die "$file has no $2= line; add it (see qemu/arch/x86_64.conf)"
	sed -n "s/^$2=//p" "$file" | tail -n 1
	;;
esac
