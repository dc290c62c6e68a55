# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Helpers shared by the scripts in this directory (sourced, not run).

# die MESSAGE: one actionable line on stderr, then exit 1.
die() {
	printf 'error: %s\n' "$*" >&2
	exit 1
}

# say MESSAGE: progress for a person, on stderr so stdout stays machine-readable.
say() {
	printf '==> %s\n' "$*" >&2
}

# phase NAME CMD...: run CMD; with TIMELINE=FILE set, also append "NAME START
# END" (seconds since the epoch) to FILE: the phases of `make test` that `make
# bench` prints as a timeline. The exit status is CMD's.
phase() {
	local name=$1 start rc=0
	shift
	if [ -z "${TIMELINE:-}" ]; then
		"$@"
		return
	fi
	start=$(date +%s.%N)
	"$@" || rc=$?
	echo "$name $start $(date +%s.%N)" >>"$TIMELINE"
	return "$rc"
}

# timeline_print FILE T0: the phases phase() wrote to FILE, by start: when each
# began after T0 and how long it took (seconds), and its name; a suite step's
# own line (BOOT:SUITE/STEP) is left out.
timeline_print() {
	sort -k 2 -g "$1" | awk -v t0="$2" '$1 !~ /\// { printf "  %7.2f %+7.2f  %s\n", $2 - t0, $3 - $2, $1 }'
}

# make_fresh ARGS...: make as a person runs it, not with the MAKEFLAGS and the
# command-line variables (in the environment) of a make that runs the caller,
# which carry that make's resolved kernel tree.
make_fresh() {
	env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS -u KDIR_RESOLVED make "$@"
}

# kconfig_value KDIR OPTION: OPTION's string value in KDIR's .config (a
# headers tree: include/config/auto.conf), without its quotes; empty if unset.
kconfig_value() {
	local config=$1/.config
	[ -f "$config" ] || config=$1/include/config/auto.conf
	sed -n "s/^$2=\"\(.*\)\"\$/\1/p" "$config" 2>/dev/null | sed -n 1p
}

# module_sig_key KDIR: the private key KDIR signs its modules with
# (CONFIG_MODULE_SIG_KEY, relative to KDIR unless absolute), if it is there:
# a kernel built here has it, a distribution's headers have not.
module_sig_key() {
	local key
	key=$(kconfig_value "$1" CONFIG_MODULE_SIG_KEY)
	case $key in "" | /*) ;; *) key=$1/$key ;; esac
	if [ -n "$key" ] && [ -f "$key" ]; then echo "$key"; fi
}

# sign_module KDIR KEY CERT KO: sign KO with KEY and CERT as modules_install
# does: KDIR's scripts/sign-file, with its CONFIG_MODULE_SIG_HASH.
sign_module() {
	local hash
	hash=$(kconfig_value "$1" CONFIG_MODULE_SIG_HASH)
	"$1/scripts/sign-file" "${hash:-sha256}" "$2" "$3" "$4"
}

# mok_ids CERT DIR: CERT's (DER) serial number as modinfo shows a signer's
# sig_key, and its subject key id as the kernel names the certificate it
# loads ("<subject>: <skid>"), into DIR/mok.serial and DIR/mok.skid, for the
# guest, which has no openssl.
mok_ids() {
	openssl x509 -inform DER -in "$1" -noout -serial | sed 's/^serial=//; s/../&:/g; s/:$//' >"$2/mok.serial"
	openssl x509 -inform DER -in "$1" -noout -ext subjectKeyIdentifier |
		sed -n 's/^ *\([0-9A-F:]*\)$/\1/p' | tr -d : | tr '[:upper:]' '[:lower:]' >"$2/mok.skid"
	[ -s "$2/mok.skid" ] || die "$1 has no subject key identifier; make that key again"
}

# flip_text_byte KO: change KO's first byte of .text (its file offset from
# readelf), so that a signature over the file no longer matches it.
flip_text_byte() {
	local text byte
	text=$(readelf -SW "$1" | sed -n 's/^ *\[ *[0-9]*\] \.text  *PROGBITS  *[0-9a-f]*  *\([0-9a-f]*\) .*/\1/p')
	[ -n "$text" ] || die "$1 has no .text section to change"
	text=$((16#$text))
	byte=$(od -An -tu1 -j "$text" -N1 "$1" | tr -d ' ')
	printf '%b' "\\$(printf %o $((byte ^ 0xff)))" | dd of="$1" bs=1 seek="$text" conv=notrunc status=none
}

# logged LOG DESCRIPTION USUAL-TIME CMD...: run a long step with its output in LOG;
# on failure show the last lines of LOG and where the rest is.
logged() {
	local log=$1 what=$2 usual=$3
	shift 3
	say "$what (usually $usual; log: $log)"
	local start=$SECONDS
	if ! "$@" >"$log" 2>&1; then
		tail -n 25 "$log" >&2
		die "$what failed after $((SECONDS - start)) s; full log: $log"
	fi
	say "$what: done in $((SECONDS - start)) s"
}

# apt_private DIR SUITE [DEB-ARCH]: set the array `apt_opts` to an apt
# configuration of its own under DIR that reads Debian's SUITE (main) for
# DEB-ARCH (default: the machine's), and fetch its package index if it has
# none (or REFRESH=1). The machine's /etc/apt is only read, never changed.
# APT_TYPES=deb-src: source packages instead (for `apt-get source`).
apt_private() {
	local dir=$1 suite=$2 arch=${3:-}
	apt_opts=(
		-o Dir::Etc::SourceList="$dir/sources.list"
		-o Dir::Etc::SourceParts=/dev/null
		-o Dir::State::Lists="$dir/lists"
		-o Dir::Cache="$dir/cache"
		-o Acquire::Languages=none
		-o APT::Sandbox::User="$(id -un)"
		-o Debug::NoLocking=1
	)
	local index=Packages
	[ "${APT_TYPES:-deb}" = deb ] || index=Sources
	[ -z "$arch" ] || apt_opts+=(-o APT::Architecture="$arch" -o APT::Architectures="$arch"
		-o Dir::State::status=/dev/null)
	if ! compgen -G "$dir/lists/*_$index*" >/dev/null || [ "${REFRESH:-0}" = 1 ]; then
		mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial"
		echo "${APT_TYPES:-deb} [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $(debian_archive "$suite") $suite main" \
			>"$dir/sources.list"
		logged "$dir/update.log" "reading Debian's $suite package index${arch:+ for $arch}" "5 s" \
			apt-get "${apt_opts[@]}" update
		# apt-get update exits 0 even when it fetched nothing.
		compgen -G "$dir/lists/*_$index*" >/dev/null ||
			die "Debian's package registry is unreachable for $suite (see $dir/update.log); check the network or set DEBIAN_MIRROR=URI"
	fi
}

# debian_codename: the machine's Debian release (bookworm, ...).
debian_codename() { sed -n "s/^VERSION_CODENAME=//p" /etc/os-release; }

# debian_archive SUITE: the archive that serves SUITE, read from the machine's
# own apt sources: the URI listed for SUITE itself, else the one for the
# release's main suite (backports live beside it). DEBIAN_MIRROR overrides.
debian_archive() {
	local codename uri s
	[ -n "${DEBIAN_MIRROR:-}" ] && { echo "$DEBIAN_MIRROR"; return; }
	codename=$(debian_codename)
	for s in "$1" "$codename"; do
		uri=$(apt-cache policy 2>/dev/null | awk -v s="$s/main" '$3 == s && u == "" { u = $2 } END { print u }')
		[ -n "$uri" ] && { echo "$uri"; return; }
	done
	die "no Debian archive found in the machine's apt sources; run 'apt-get update' or set DEBIAN_MIRROR=URI"
}
