# SPDX-License-Identifier: GPL-2.0
# KERNEL=debian (included by the Makefile): Debian 13's own stock kernel, no
# kernel build. The tree is Debian's headers, completed with the Rust
# metadata they lack (scripts/debian/debian-kernel.sh), made and used with the
# toolchain Debian built the kernel with: on a Debian 13 host its own (it is
# that toolchain: DEBIAN_TOOLCHAIN=host, the kernel's packages unpacked in a
# tree of their own), elsewhere a trixie root's (DEBIAN_TOOLCHAIN=root: every
# make of the tree runs in the root, scripts/debian/debian-bin/make). The VM boots
# Debian's own vmlinuz.
DEBIAN_TOOLCHAIN ?= $(if $(filter trixie,$(HOST_RELEASE)),host,root)
SETUP_MEANWHILE :=
# Debian's headers set ARCH, CC and the release themselves (.kernelvariables).
# modules_install: no signing (Debian's key is Debian's; the suites expect
# taint E for that), no .ko.xz (the suites find the .ko files by name).
ifeq ($(DEBIAN_TOOLCHAIN),host)
KDIR_CMD := scripts/debian/debian-kernel.sh $(ARCH) host $(RUSTC) $(BINDGEN)
KBUILD_VARS := $(RUST_VARS) CONFIG_MODULE_SIG_ALL= CONFIG_MODULE_COMPRESS_XZ=
else
KDIR_CMD := scripts/debian/debian-kernel.sh $(ARCH) root
KBUILD_VARS := CONFIG_MODULE_SIG_ALL= CONFIG_MODULE_COMPRESS_XZ=
endif
export PATH := $(CURDIR)/scripts/debian/debian-bin:$(PATH)
# KDIR is ROOT/usr/src/linux-headers-RELEASE; Debian's files of that release
# (linux-binary) are in ROOT/usr/lib/modules/RELEASE.
DEBIAN_MODULES = $(KDIR_RESOLVED)/../../lib/modules/$(patsubst linux-headers-%,%,$(notdir $(KDIR_RESOLVED)))
KERNEL_MODULES_INSTALL = install -D -m 0644 -t $(MODDIR)/root/lib/modules/$(patsubst linux-headers-%,%,$(notdir $(KDIR_RESOLVED))) \
	$(addprefix $(DEBIAN_MODULES)/,modules.builtin modules.builtin.modinfo modules.order)
export KERNEL_IMAGE = $(DEBIAN_MODULES)/vmlinuz

# make dkms-test KERNEL=debian: dkms builds and installs the pair in the trixie
# root (dkms.conf), and the suites run with what it installed.
# make mok-enroll KERNEL=debian SECURE_BOOT=1: the MOK enrolled through
# shim's MokManager, as a user does it (scripts/debian/secure-boot.mk).
DEBIAN_TARGETS := dkms-test mok-enroll
ifdef KDIR_RESOLVED
dkms-test: test
	@scripts/debian/debian-dkms-test.sh $(ARCH) $(KDIR_RESOLVED) $(MODDIR) $(RUN_ROOT) $(RUN_SUITES)
ifneq ($(SECURE_BOOT),1)
mok-enroll:
	@echo "error: make mok-enroll boots through shim's MokManager; run make mok-enroll KERNEL=debian SECURE_BOOT=1" >&2; exit 1
endif
endif

# Under multi-threaded TCG, Debian's kernel was seen (1 boot of about 30) to
# oops on an int3 in sched_clock_cpu() while late_initcall code flipped a
# static key (text_poke_bp() on one vCPU, the other still running the patched
# code): one host thread for both vCPUs keeps code patching coherent, at no
# measured cost here. ACCEL= (qemu/host/qemu.sh) still overrides.
ACCEL ?= tcg,thread=single
export ACCEL
