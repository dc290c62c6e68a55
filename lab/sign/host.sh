#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Lab exercise sign: `make lab EX=sign` runs this on the host after the build,
# in the build directory (lab_signed.ko is here), with the kernel's build
# directory as $1, before it puts the module in the VM.
#
# Your task (lab/sign/README.md): sign lab_signed.ko so that the kernel,
# booted with module.sig_enforce=1, loads it.
set -euo pipefail
kdir=$1
echo "kernel build directory: $kdir"
