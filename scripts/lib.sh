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
