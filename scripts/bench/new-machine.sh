#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# new-machine.sh ROOT [CMD...]
#
# A new machine of the kind this project runs on, simulated for `make bench
# COLD=1 NEW_MACHINE=1` and for CI's Debian 13 run: a Debian root made by
# mmdebstrap (minbase; the machine's own release, or RELEASE=CODENAME, with
# its -updates and -security suites from the archives of scripts/lib.sh's
# debian_archive) holding only what such a machine has
# before anyone runs anything (make, gcc, g++, git, qemu-utils, Node.js with
# npm, and rustup's toolchain: the machine's own, read-only), and the machine's apt and dpkg
# settings and CA certificates, so that it reaches the same registries the
# same way. Made once (ROOT/.new-machine); then CMD runs in it as root in a
# chroot (/proc, /sys and /dev of the machine), with this repository
# read-only at /mnt/src.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib.sh
. "$here/../lib.sh"

[ $# -ge 1 ] || die "usage: $0 ROOT [CMD...]"
root=$1
shift
[ "$(id -u)" = 0 ] || die "a new machine's root needs root (mmdebstrap, chroot, mount); run as root"
rustup_home=${RUSTUP_HOME:-$HOME/.rustup}
cargo=$(command -v cargo) || die "no cargo on PATH (a new machine has rustup's); put rustup's ~/.cargo/bin on PATH"
cargo_bin=$(dirname "$cargo")
[ -d "$rustup_home" ] || die "no rustup toolchain at $rustup_home (a new machine has one); set RUSTUP_HOME"

if [ ! -f "$root/.new-machine" ]; then
	command -v mmdebstrap >/dev/null || die "mmdebstrap is missing; run: apt-get install -y mmdebstrap"
	codename=${RELEASE:-$(debian_codename)}
	sources=()
	for suite in "$codename" "$codename-updates" "$codename-security"; do
		uri=$(debian_archive "$suite")
		sources+=("deb $uri $suite main")
	done
	rm -rf "$root" && mkdir -p "$root"
	logged "$root.log" "making a new $codename machine in $root" "2 min" \
		mmdebstrap --variant=minbase --include=make,gcc,g++,git,qemu-utils,ca-certificates "$codename" "$root" \
		"${sources[@]}"
	# What the machine's own set-up gives every machine of its kind: apt's
	# and dpkg's settings (this kind's dpkg unpacks with force-unsafe-io), the
	# CA certificates its registries are reached with.
	cp -a /etc/apt/apt.conf.d/. "$root/etc/apt/apt.conf.d/"
	cp -a /etc/dpkg/dpkg.cfg.d/. "$root/etc/dpkg/dpkg.cfg.d/"
	cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt"
	mkdir -p "$root/root/.cargo" "$root$rustup_home" "$root/mnt/src"
	cp -a "$cargo_bin" "$root/root/.cargo/bin"
	# Node.js with npm comes with a machine of this kind (nodesource's node,
	# not Debian's; npm updated by itself): the machine's own, copied.
	node=$(command -v node || true) npm=$(command -v npm || true)
	if [ -n "$node" ] && [ -n "$npm" ]; then
		npm_dir=$(dirname "$(dirname "$(readlink -f "$npm")")")
		tar -C / -cf - "${node#/}" "${npm#/}" "${npm_dir#/}" | tar -C "$root" -xf -
	fi
	touch "$root/.new-machine"
fi
[ $# -gt 0 ] || exit 0

cp /etc/resolv.conf "$root/etc/resolv.conf"
mounts=()
cleanup() {
	local i
	for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do umount -l "${mounts[$i]}" || true; done
}
trap cleanup EXIT
bind() {
	mount "$@" && mounts+=("${*: -1}")
}
bind -t proc proc "$root/proc"
bind --rbind /sys "$root/sys"
bind --rbind /dev "$root/dev"
bind --bind "$rustup_home" "$root$rustup_home"
mount -o remount,bind,ro "$root$rustup_home"
bind --bind "$(cd "$here/../.." && pwd)" "$root/mnt/src"
mount -o remount,bind,ro "$root/mnt/src"
# Node.js (the machine's, copied) trusts the CA certificates above only
# through NODE_EXTRA_CA_CERTS, where the machine sets it (npm in make lint).
chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb RUSTUP_HOME="$rustup_home" RUSTUP_AUTO_INSTALL=0 \
	${NODE_EXTRA_CA_CERTS:+NODE_EXTRA_CA_CERTS="$NODE_EXTRA_CA_CERTS"} \
	PATH=/root/.cargo/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$@"
