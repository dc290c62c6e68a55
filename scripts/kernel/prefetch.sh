#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# prefetch.sh ARCH KERNEL SUITE PACKAGE-GLOB: on a new machine, what the
# first make test needs besides bindgen-cli and the kernel build, made at the
# same time as each other (setup.sh runs this while bindgen-cli builds): the
# kernel source (fetch-kernel.sh) and the guest's userspace
# (qemu/host/guest-userspace.sh). Both cache what they make.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib.sh
. "$here/../lib.sh"
[ $# -eq 4 ] || die "usage: $0 ARCH KERNEL SUITE PACKAGE-GLOB"
phase guest-userspace "$here/../../qemu/host/guest-userspace.sh" "$1" >/dev/null &
guest=$!
phase kernel-source "$here/fetch-kernel.sh" "$2" "$3" "$4" >/dev/null
wait "$guest" || die "the guest's userspace for $1 could not be made (see above)"
