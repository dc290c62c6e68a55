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

# apt_install WHY USUAL-TIME PACKAGE...: install the machine's Debian PACKAGEs
# (none: nothing to do), which WHY needs; as root with apt-get, else stop with
# WHY and the command to run as root.
apt_install() {
	local why=$1 usual=$2 cmd
	shift 2
	[ $# -gt 0 ] || return 0
	cmd="apt-get update && apt-get install -y --no-install-recommends $*"
	[ "$(id -u)" = 0 ] || die "$why; run as root: $cmd"
	logged "${TMPDIR:-/tmp}/rust-demo-kmod-apt.log" "installing $* ($why)" "$usual" \
		sh -c "export DEBIAN_FRONTEND=noninteractive; $cmd"
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
		local uri
		uri=$(debian_archive "$suite")
		mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial"
		echo "${APT_TYPES:-deb} [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $uri $suite main" \
			>"$dir/sources.list"
		say "reading Debian's $suite package index from $uri${arch:+ for $arch} (log: $dir/update.log)"
		# apt-get update may exit 0 having fetched nothing: the index is what
		# counts, and apt's first complaint says why there is none.
		apt-get "${apt_opts[@]}" update >"$dir/update.log" 2>&1 || true
		if ! compgen -G "$dir/lists/*_$index*" >/dev/null; then
			local why
			why=$(grep -m 1 -E '^(E|W): ' "$dir/update.log" || true)
			die "no $suite package index from $uri (${why:-see $dir/update.log}); check the network, or set $(debian_archive_var "$suite")=URI to an archive that has $suite"
		fi
	fi
}

# debian_codename: the machine's Debian release (bookworm, ...).
debian_codename() { sed -n "s/^VERSION_CODENAME=//p" /etc/os-release; }

# debian_archive SUITE: the archive that serves Debian's SUITE, from the
# machine's own apt sources (either format, whether or not `apt-get update`
# ran): the URI listed for SUITE itself, else the one listed for the
# machine's release's suite of the same archive: a security suite
# (*-security) lives in Debian's security archive (.../debian-security), any
# other (backports, updates) beside the release (.../debian). So on Debian 13
# bookworm-security comes from where trixie-security does. The variable of
# debian_archive_var overrides.
debian_archive() {
	local suite=$1 var own uri
	var=$(debian_archive_var "$suite")
	[ -z "${!var:-}" ] || { echo "${!var}"; return; }
	own=$(debian_codename)
	[ "$var" = DEBIAN_MIRROR ] || own=$own-security
	# One line for each Release file apt would fetch:
	# 'URI/dists/SUITE/InRelease' NAME SIZE (flat repositories have no dists/).
	uri=$(apt-get -o Debug::NoLocking=1 update --print-uris 2>/dev/null | awk -v suite="$suite" -v own="$own" '
		{ gsub(/\047/, "", $1) }
		match($1, /\/dists\/[^\/]+\/InRelease$/) {
			s = substr($1, RSTART + 7, RLENGTH - 17)
			if (s == suite && u == "") u = substr($1, 1, RSTART - 1)
			if (s == own && o == "") o = substr($1, 1, RSTART - 1)
		}
		END { print (u != "" ? u : o) }')
	[ -n "$uri" ] ||
		die "the machine's apt sources list neither $suite nor $own, so the archive for $suite is unknown; set $var=URI"
	echo "$uri"
}

# debian_archive_var SUITE: the variable that sets SUITE's archive:
# DEBIAN_SECURITY_MIRROR for a security suite, DEBIAN_MIRROR for any other.
debian_archive_var() {
	case $1 in *-security) echo DEBIAN_SECURITY_MIRROR ;; *) echo DEBIAN_MIRROR ;; esac
}
