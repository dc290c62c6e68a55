# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# kunit: the exporter's KUnit tests of its API's bad inputs (#[kunit_tests],
# Linux 7.x), which KUnit runs when the module loads on a kernel with
# CONFIG_KUNIT (the debug kernel); their KTAP is part of the verdict here.

# shellcheck source=../ktap_helpers.sh
. /demo/ktap_helpers.sh

suite kunit

step api_bad_inputs "KUnit tests of the exporter's API"
unload_all
if ! needs config_kunit "this kernel has no CONFIG_KUNIT (the debug kernel has: make test DEBUG=1 KERNEL=latest)"; then
	:
elif needs rust_kunit_tests "Linux $(uname -r)'s Rust has no #[kunit_tests] (it came after 6.12)"; then
	run $BB_INSMOD "$KO/$EXP.ko"
	same "busybox insmod $EXP exit status" "$rc" 0
	# (KUnit's lines as it printed them: without the time and task prefix.)
	ktap=$(printf '%s\n' "$klog" | klog_text |
		sed -n '/# Subtest: rust_demo_export/,/ok [0-9]* rust_demo_export$/p')
	expect "KUnit ran the suite rust_demo_export" [ -n "$ktap" ]
	for t in null_client_is_einval non_utf8_name_is_einval double_registration_is_eexist \
		full_registry_is_enospc unknown_unregister_changes_nothing; do
		expect "KUnit: ok $t" contains "$ktap" "^ *ok [0-9]* $t$"
	done
	expect "KUnit: no test failed" not contains "$ktap" "not ok"
	expect "the exporter reported the unknown client" contains "$klog" "$EXP: unregister of a client that is not registered"
	same "registered clients after the tests" "$(cat $DEV)" ""
	run $BB_RMMOD $EXP
	same "busybox rmmod $EXP exit status" "$rc" 0
	explain "When the exporter went Live, KUnit's module notifier ran the suite that" \
		"#[kunit_tests] put in its .kunit_test_suites section: a null client and a name" \
		"that is not UTF-8 are EINVAL, a second registration EEXIST, one more than" \
		"max_clients ENOSPC, and unregistering an unknown client is reported and changes" \
		"nothing. KUnit taints the kernel N (a test ran)."
fi
end

clean_log_and_taint $MOD_TAINT
