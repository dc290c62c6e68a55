# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh disable=SC2154 # LAB_ID: qemu/host/lab-build.sh sets it
# cmdline: module_blacklist=rust_demo_blkd
#
# The check of lab exercise predict (lab/predict/README.md): each bad module
# of the guards suite (the fixtures, /demo/fixtures) is loaded with kmod's
# insmod; the errno the kernel returned (read from insmod's message) must be
# the student's, and the student's function the one whose check refused it
# (or a function on the way to it from load_module()'s list).

# shellcheck source=../../qemu/guest/ktap_helpers.sh
. /demo/ktap_helpers.sh

LAB=$DEMO_DIR/lab/$LAB_ID
FIX=$DEMO_DIR/fixtures
suite "$LAB_ID"

# errno_of MESSAGE: the errno that kmod's insmod names in MESSAGE (its
# mod_strerror() has words of its own for four; strerror() for the rest).
errno_of() {
	case $1 in
	*"Invalid module format"*) echo ENOEXEC ;;
	*"Unknown symbol in module"*) echo ENOENT ;;
	*"Invalid parameters"*) echo EINVAL ;;
	*"Operation not permitted"*) echo EPERM ;;
	*"Key was rejected by service"*) echo EKEYREJECTED ;;
	*"File exists"*) echo EEXIST ;;
	*) echo "(another)" ;;
	esac
}

# predict CASE FILE SECTION FUNCTION...: load FILE, which the kernel must
# refuse; the errno must be the one answers.txt gives for CASE, and its
# function one of FUNCTION... SECTION: where docs/loader.md explains it.
predict() {
	case=$1 file=$2 section=$3
	shift 3
	answer=$(awk -v c="$case" '$1 == c { print $2, $3 }' "$LAB/answers.txt")
	errno=${answer%% *} fn=${answer#* }
	expect "answers.txt has an errno and a function for $case" [ -n "$answer" ] && [ "$errno" != "?" ] && [ "$fn" != "?" ]
	run $KMOD_INSMOD "$file"
	expect "the kernel refused it" [ "$rc" != 0 ]
	expect "your errno for $case ($errno) is the one insmod's message names" [ "$errno" = "$(errno_of "$out")" ]
	hint "insmod printed the kernel's errno in words (kmod's mod_strerror(), or strerror()): which errno.h name?"
	known=""
	for f in "$@"; do [ "$fn" != "$f" ] || known=1; done
	expect "your function for $case ($fn) holds the check that refused it" [ -n "$known" ]
	[ -n "$known" ] || hint "the kernel's line above is its words; docs/loader.md, '$section', names the function"
}

step predict_bad_magic "bad_magic.ko"
predict bad_magic "$FIX/bad_magic.ko" "Not an ELF file" elf_validity_cache_copy elf_validity_ehdr
end

step predict_before_exporter "rust_demo_user.ko, with rust_demo_export not loaded"
predict before_exporter "$KO/$USR.ko" "A module that needs another one first" \
	simplify_symbols resolve_symbol_wait resolve_symbol find_symbol
end

step predict_blacklisted "blacklisted_user.ko (named rust_demo_blkd), with module_blacklist=rust_demo_blkd"
predict blacklisted "$FIX/blacklisted_user.ko" "A name in module_blacklist=" early_mod_check blacklisted
end

step predict_non_gpl "non_gpl_user.ko (license MIT)"
predict non_gpl "$FIX/non_gpl_user.ko" "A license that is not GPL-compatible" \
	simplify_symbols resolve_symbol_wait resolve_symbol find_symbol
end

step predict_other_vermagic "other_vermagic.ko (the version magic of another kernel)"
if feature config_modversions; then
	skip "with CONFIG_MODVERSIONS this fixture loads (its __versions make same_magic() skip the release word)"
else
	predict other_vermagic "$FIX/other_vermagic.ko" "Version magic of another kernel, and forcing it" \
		early_mod_check check_modinfo same_magic
fi
end

step predict_tampered "sig/tampered.ko (signed, then one byte of its code changed)"
if needs config_module_sig "Linux $(uname -r) has no CONFIG_MODULE_SIG: it checks no signature" &&
	needs module_signing_key "this kernel's signing key is not at hand: there is no signed fixture"; then
	predict tampered "$FIX/sig/tampered.ko" "Module signatures" module_sig_check mod_verify_sig verify_pkcs7_signature
fi
end

step predict_truncated "truncated.ko (the first half of rust_demo_user.ko)"
predict truncated "$FIX/truncated.ko" "A truncated image" elf_validity_cache_copy elf_validity_cache_sechdrs
end

step predict_twice "rust_demo_export.ko, loaded a second time"
run $BB_INSMOD "$KO/$EXP.ko"
same "busybox insmod $EXP exit status (the first time)" "$rc" 0
predict twice "$KO/$EXP.ko" "The same module twice" early_mod_check module_patient_check_exists
end

step predict_wrong_ns "wrong_ns_user.ko (imports RUST_DEMX, uses a symbol of RUST_DEMO)"
predict wrong_ns "$FIX/wrong_ns_user.ko" "A symbol from a namespace the module does not import" \
	simplify_symbols resolve_symbol verify_namespace_is_imported
end

clean_log_and_taint $((MOD_TAINT | TAINT_P))
