// SPDX-License-Identifier: GPL-2.0

//! Rust module that uses the symbols exported by `rust_demo_export`.
//!
//! Calling them makes modpost record `depends=rust_demo_export` in this module's modinfo. The
//! loader resolves them in `load_module()` (`simplify_symbols()` → `resolve_symbol()`), before
//! this module's init runs: without the exporter loaded this module is refused ("Unknown
//! symbol"); with it, `ref_module()` takes a reference on the exporter for this module, so the
//! exporter cannot be unloaded until this module is gone.
//!
//! Two parameters make the module's states visible: `init_delay_ms` keeps it `Coming` (shown as
//! `Loading` in `/proc/modules`) and `exit_delay_ms` keeps it `Going` (`Unloading`). Each delay
//! is interruptible: a signal to the process in `finit_module()` or `delete_module()` ends it.

use kernel::bindings;
use kernel::error::to_result;
use kernel::ffi::c_int;
use kernel::prelude::*;

#[macro_use]
#[path = "rust_demo_abi.rs"]
pub mod abi;
use abi::Client;

rust_demo_exports!(declare_imports);

// A module-restricted export (Linux 7.x): only this module may use it.
#[cfg(rust_demo_module_ns)]
extern "C" {
    fn rust_demo_user_only() -> u32;
}

module_param_uint!(init_delay_ms = 0, "ms to sleep in init");
module_param_uint!(exit_delay_ms = 0, "ms to sleep in exit");

// Symbols of namespace RUST_DEMO may be used only by a module that imports it; this is the
// modinfo string that C's MODULE_IMPORT_NS(RUST_DEMO) and 7.x's `imports_ns` write.
modinfo!("import_ns", "RUST_DEMO");

/// The client name this module registers with.
const NAME: &str = "rust_demo_user";

/// Sleeps up to `ms` milliseconds in `what`, unless a signal ends the sleep early.
fn delay(what: &str, ms: u32) {
    if ms == 0 {
        return;
    }
    pr_info!("{}: sleeping up to {} ms\n", what, ms);
    // SAFETY: Called from process context (module init or exit), where sleeping is allowed.
    let left = unsafe { bindings::msleep_interruptible(ms) };
    if left > 0 {
        pr_info!("{}: woken early by a signal\n", what);
    }
}

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

// SAFETY: The exporter only reads and writes the `Client` during register and unregister, and
// while listing clients under its lock; its raw `name` pointer points to a `'static` string, so
// sharing or moving the `Registration` across threads is safe.
unsafe impl Send for Registration {}
// SAFETY: See `Send` above; `Registration` offers no access through `&self`.
unsafe impl Sync for Registration {}

demo_module! {
    type: RustDemoUser,
    name: "rust_demo_user",
    author: "rust-demo-kmod developers",
    description: "Uses symbols exported by rust_demo_export (the consumer of the pair)",
    license: "GPL",
    alias: ["rust-demo-consumer"],
}

struct RustDemoUser {
    registration: Registration,
}

impl kernel::Module for RustDemoUser {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        delay("init", init_delay_ms.get());
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
        #[cfg(rust_demo_module_ns)]
        {
            // SAFETY: It has no preconditions.
            let token = unsafe { rust_demo_user_only() };
            pr_info!("rust_demo_user_only() = {}\n", token);
        }
        Ok(RustDemoUser { registration })
    }
}

impl Drop for RustDemoUser {
    fn drop(&mut self) {
        delay("exit", exit_delay_ms.get());
        // `registration` is dropped after this, which unregisters.
        pr_info!("unregistering #{}\n", self.registration.0.id);
    }
}
