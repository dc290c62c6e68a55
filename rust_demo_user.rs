// SPDX-License-Identifier: GPL-2.0

//! Rust module that uses the symbols exported by `rust_demo_export`.
//!
//! Calling them makes modpost record `depends=rust_demo_export` in this module's modinfo, and
//! makes the loader resolve them against the exporter's symbol table at `init_module` time:
//! without the exporter loaded this module is refused ("Unknown symbol"); once loaded, the
//! exporter holds a reference for it and cannot be unloaded until this module is gone.

use kernel::error::to_result;
use kernel::ffi::c_int;
use kernel::prelude::*;

#[macro_use]
#[path = "rust_demo_abi.rs"]
pub mod abi;
use abi::Client;

rust_demo_exports!(declare_imports);

/// The client name this module registers with.
const NAME: &str = "rust_demo_user";

/// A registered [`Client`], unregistered on drop.
struct Registration(KBox<Client>);

impl Registration {
    fn new() -> Result<Self> {
        let mut client = KBox::new(
            Client {
                name: NAME.as_ptr(),
                name_len: NAME.len(),
                id: 0,
            },
            GFP_KERNEL,
        )?;
        // SAFETY: `client` is a valid `Client` on the heap: it does not move, and `Drop`
        // unregisters it before it is freed. On error it was not registered and is freed here.
        to_result(unsafe { rust_demo_register(&mut *client) })?;
        Ok(Self(client))
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        // SAFETY: `self.0` was registered in `new` and is still alive.
        unsafe { rust_demo_unregister(&mut *self.0) };
    }
}

// SAFETY: The exporter only reads and writes the `Client` during register and unregister;
// otherwise it is not accessed through its raw `name` pointer, which points to a `'static`
// string, so sharing or moving the `Registration` across threads is safe.
unsafe impl Send for Registration {}
// SAFETY: See `Send` above; `Registration` offers no access through `&self`.
unsafe impl Sync for Registration {}

#[cfg(not(rust_demo_module_v2))]
module! {
    type: RustDemoUser,
    name: "rust_demo_user",
    author: "rust-demo-kmod developers",
    description: "Uses symbols exported by rust_demo_export (the consumer of the pair)",
    license: "GPL",
    alias: ["rust-demo-consumer"],
}

// Linux 6.12's `module!` has no `imports_ns`; this is the modinfo string it would emit.
#[cfg(all(MODULE, not(rust_demo_module_v2)))]
#[link_section = ".modinfo"]
#[used(compiler)]
static IMPORT_NS: [u8; 20] = *b"import_ns=RUST_DEMO\0";

#[cfg(rust_demo_module_v2)]
module! {
    type: RustDemoUser,
    name: "rust_demo_user",
    authors: ["rust-demo-kmod developers"],
    description: "Uses symbols exported by rust_demo_export (the consumer of the pair)",
    license: "GPL",
    alias: ["rust-demo-consumer"],
    imports_ns: ["RUST_DEMO"],
}

struct RustDemoUser {
    registration: Registration,
}

impl kernel::Module for RustDemoUser {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let registration = Registration::new()?;
        // SAFETY: These exported functions have no preconditions.
        let (version, count, sum) = unsafe {
            (
                rust_demo_api_version(),
                rust_demo_client_count(),
                rust_demo_add(20, 22),
            )
        };
        pr_info!(
            "registered as #{} of {} (API v{}); rust_demo_add(20, 22) = {}\n",
            registration.0.id,
            count,
            version,
            sum
        );
        Ok(RustDemoUser { registration })
    }
}

impl Drop for RustDemoUser {
    fn drop(&mut self) {
        pr_info!("unregistering #{}\n", self.registration.0.id);
    }
}
