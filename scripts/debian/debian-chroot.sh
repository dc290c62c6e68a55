#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# debian-chroot.sh ROOT CMD [ARG...]
#
# Run CMD inside the trixie root ROOT (scripts/debian/debian-root.sh) in the current
# directory, in a mount namespace of its own: /proc, /dev, /tmp and this
# project's directory are the machine's, at the same paths, and ROOT's own
# path leads to / inside, so that a path under ROOT (a kernel tree in it)
# means the same file inside and out.
set -euo pipefail
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"

[ $# -ge 2 ] || die "usage: $0 ROOT CMD [ARG...]"
root=$(cd "$1" && pwd)
shift
[ -f "$root/.rust-demo-kmod-root" ] || die "$root is not a finished trixie root; make it with scripts/debian/debian-root.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)
# Inside, ROOT's path must be the link to /, which a bind mount over /tmp or
# this project would hide (Kbuild would then see a second path to the tree).
case $root/ in /tmp/* | "$top"/*)
	die "the trixie root $root is under /tmp or this project, which are mounted into it; set CACHE= to a directory elsewhere" ;;
esac
if [ ! -L "$root$root" ]; then
	mkdir -p "$root${root%/*}"
	ln -s / "$root$root"
fi
# shellcheck disable=SC2016 # expanded by the inner shell
exec unshare --mount --propagation private -- sh -euc '
	root=$1 top=$2 cwd=$3
	shift 3
	mount -t proc proc "$root/proc"
	mount --rbind /dev "$root/dev"
	mount --bind /tmp "$root/tmp"
	mkdir -p "$root$top"
	mount --bind "$top" "$root$top"
	exec chroot "$root" /usr/bin/env -u LIBCLANG_PATH -C "$cwd" PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"
' sh "$root" "$top" "$PWD" "$@"
