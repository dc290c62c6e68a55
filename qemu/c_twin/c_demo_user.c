// SPDX-License-Identifier: GPL-2.0
/*
 * c_demo_user: the C twin of rust_demo_user.rs (see c_demo_export.c), with
 * the same bench_calls parameter: time that many calls of rust_demo_add()
 * across the module boundary and log the cost per call.
 */
#include <linux/delay.h>
#include <linux/ktime.h>
#include <linux/module.h>

#include "rust_demo.h"

static unsigned int init_delay_ms, exit_delay_ms, bench_calls;
module_param(init_delay_ms, uint, 0444);
MODULE_PARM_DESC(init_delay_ms, "ms to sleep in init");
module_param(exit_delay_ms, uint, 0444);
MODULE_PARM_DESC(exit_delay_ms, "ms to sleep in exit");
module_param(bench_calls, uint, 0444);
MODULE_PARM_DESC(bench_calls, "time this many rust_demo_add calls in init");

static struct rust_demo_client client = {
	.name = "c_demo_user",
	.name_len = sizeof("c_demo_user") - 1,
};

static void bench(void)
{
	u32 i, sum = 0;
	u64 start, ns;

	start = ktime_get_ns();
	for (i = 0; i < bench_calls; i++) {
		sum = rust_demo_add(sum, i);
		barrier();
	}
	ns = ktime_get_ns() - start;
	pr_info("bench: %u calls of rust_demo_add in %llu ns (%llu ps per call; sum %u)\n",
		bench_calls, ns, ns * 1000 / bench_calls, sum);
}

static int __init c_demo_user_init(void)
{
	int err;

	if (init_delay_ms)
		msleep_interruptible(init_delay_ms);
	err = rust_demo_register(&client);
	if (err)
		return err;
	pr_info("registered as #%u of %u (API v%u); rust_demo_add(20, 22) = %u\n", client.id,
		rust_demo_client_count(), rust_demo_api_version(), rust_demo_add(20, 22));
	if (bench_calls)
		bench();
	return 0;
}
module_init(c_demo_user_init);

static void __exit c_demo_user_exit(void)
{
	if (exit_delay_ms)
		msleep_interruptible(exit_delay_ms);
	rust_demo_unregister(&client);
}
module_exit(c_demo_user_exit);

MODULE_INFO(import_ns, "RUST_DEMO");
MODULE_LICENSE("GPL");
MODULE_AUTHOR("rust-demo-kmod developers");
MODULE_DESCRIPTION("C twin of rust_demo_user");
