/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The interface of c_demo_export, the C twin of rust_demo_export: what
 * rust_demo_abi.rs lists for C callers of the Rust exporter.
 */
#ifndef RUST_DEMO_H
#define RUST_DEMO_H

#include <linux/types.h>

struct rust_demo_client {
	const char *name;
	size_t name_len;
	u32 id;
};

int rust_demo_register(struct rust_demo_client *client);
void rust_demo_unregister(struct rust_demo_client *client);
u32 rust_demo_client_count(void);
u32 rust_demo_api_version(void);
u32 rust_demo_add(u32 a, u32 b);

#endif
