#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# lab-list.sh LAB-DIR [--names]: the lab's exercises, one a line, from each
# exercise's README.md (its title, then "Lesson N ... · about M minutes"), in
# the order of their lessons; --names: their names only.
set -euo pipefail
# shellcheck source=../../scripts/lib.sh
. "$(dirname "$0")/../../scripts/lib.sh"

[ $# -ge 1 ] || die "usage: $0 LAB-DIR [--names]"
lab=$1
for check in "$lab"/*/check.sh; do
	dir=${check%/check.sh} name=${check%/check.sh}
	name=${name##*/}
	title=$(sed -n '1s/^# [^:]*: //p' "$dir/README.md")
	lesson=$(sed -n '3s/^Lesson \([0-9]*\).*/\1/p' "$dir/README.md")
	minutes=$(sed -n '3s/.*about \([0-9]*\) minutes.*/\1/p' "$dir/README.md")
	if [ -z "$title" ] || [ -z "$lesson" ] || [ -z "$minutes" ]; then
		die "$dir/README.md must begin '# $name: TITLE', a blank line, 'Lesson N ... · about M minutes'"
	fi
	printf '%s\t%s\t%s\t%s\n' "$lesson" "$name" "$minutes" "$title"
done | sort -n -k1,1 -k2,2 | if [ "${2:-}" = --names ]; then cut -f 2; else
	echo "The lab's exercises (make lab EX=NAME checks yours; lab/NAME/README.md says what to do):"
	awk -F '\t' '{ printf "  %-15s lesson %s, about %2s min: %s\n", $2, $1, $3, $4 }'
fi
