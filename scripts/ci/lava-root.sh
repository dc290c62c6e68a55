#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# lava-root.sh ARCH
#
# Print the path of an isolated Debian 12 root with LAVA's dispatcher
# (lava-dispatcher, whose lava-run runs a job without a server) and the QEMU of
# ARCH (qemu/arch/ARCH.conf's QEMU_PACKAGE), made with mmdebstrap once and
# cached in $CACHE/lava/, with lava-server's device-type templates (to render
# a device dictionary the way a LAVA server does). The machine's own packages and /etc/apt are not
# touched, except that mmdebstrap itself is installed from Debian if missing.
set -euo pipefail
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"

[ $# -eq 1 ] || die "usage: $0 ARCH"
qemu_package=$("$(dirname "$0")/../kernel/archconf.sh" "$1" QEMU_PACKAGE)
: "${CACHE:?CACHE must be set (the Makefile sets it)}"
root=$CACHE/lava/root-bookworm-$qemu_package
if [ ! -f "$root/.complete" ]; then
	[ "$(id -u)" = 0 ] || die "making LAVA's root needs root (mmdebstrap, and lava-run 2023.01 runs only as root); run make lava as root"
	command -v mmdebstrap >/dev/null || apt_install "LAVA's root is made with mmdebstrap" "20 s" mmdebstrap
	mkdir -p "$CACHE/lava"
	rm -rf "$root.new"
	logged "$CACHE/lava/mmdebstrap-$qemu_package.log" "making LAVA's root with lava-dispatcher and $qemu_package" "2-4 min" \
		mmdebstrap --variant=apt --include="lava-dispatcher,$qemu_package" bookworm "$root.new" \
		"deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $(debian_archive bookworm) bookworm main"
	rm -rf "$root" && mv "$root.new" "$root"
	touch "$root/.complete"
fi
# LAVA's device-type templates (qemu.jinja2, base.jinja2) are lava-server's,
# which renders a device dictionary into the device description lava-run
# reads; only the templates are taken from its package, nothing is installed.
types=$root/usr/share/lava-server/device-types
if [ ! -f "$types/qemu.jinja2" ]; then
	# shellcheck disable=SC2016 # dpkg-query's format, not the shell's
	version=$(chroot "$root" dpkg-query -W -f='${Version}' lava-dispatcher)
	apt_private "$CACHE/apt/bookworm-all" bookworm
	tmp=$(mktemp -d)
	(cd "$tmp" && apt-get "${apt_opts[@]}" download "lava-server=$version" >"$tmp/download.log" 2>&1) ||
		die "could not download lava-server $version from Debian (its device-type templates); see $tmp/download.log"
	dpkg-deb -x "$tmp"/lava-server_*.deb "$tmp/x"
	mkdir -p "$types"
	cp "$tmp/x/usr/share/lava-server/device-types/"*.jinja2 "$types/"
	rm -rf "$tmp"
fi
echo "$root"
