#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The exercise's own fixture (qemu/host/lab-build.sh runs it after the build,
# in the build directory, with the top of the tree as $1): lab_mit.ko with
# MIT written over its license string, as the guards suite's non_gpl_user.ko.
set -euo pipefail
"$1/scripts/ko-patch.py" lab_mit.ko lab_mit.ko license=GPL license=MIT
