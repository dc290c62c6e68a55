// SPDX-License-Identifier: GPL-2.0

//! Rust module that uses the symbols exported by `rust_demo_export`.
//!
//! It uses the exporter's Rust API as a crate (`use rust_demo_export::...`): rustc reads the
//! exporter's metadata and type-checks every call against the real definitions; the calls are
//! to the exporter's exported symbols (its v0-mangled Rust functions, and the `extern "C"`
//! ones). Calling them makes modpost record `depends=rust_demo_export` in this module's
//! modinfo. The loader resolves them in `load_module()` (`simplify_symbols()` →
//! `resolve_symbol()`), before this module's init runs: without the exporter loaded this module
//! is refused ("Unknown symbol"); with it, `ref_module()` takes a reference on the exporter for
//! this module, so the exporter cannot be unloaded until this module is gone (docs/loader.md,
//! "Resolving the symbols").
//!
//! Two parameters make the module's states visible: `init_delay_ms` keeps it `Coming` (shown as
//! `Loading` in `/proc/modules`) and `exit_delay_ms` keeps it `Going` (`Unloading`). Each delay
//! is interruptible: a signal to the process in `finit_module()` or `delete_module()` ends it.

use kernel::bindings;
use kernel::prelude::*;
#[cfg(rust_demo_module_ns)]
use rust_demo_export::rust_demo_user_only;
use rust_demo_export::{
    rust_demo_add, rust_demo_api_version, rust_demo_client_count, Registration,
};

#[macro_use]
#[path = "rust_demo_abi.rs"]
pub mod abi;

module_param_uint!(init_delay_ms = 0, "ms to sleep in init");
module_param_uint!(exit_delay_ms = 0, "ms to sleep in exit");

module_param_uint!(
    bench_calls = 0,
    "time this many rust_demo_add calls in init"
);
module_param_uint!(
    init_errno = 0,
    "fail the init with this errno once registered, e.g. 17 (EEXIST); 0: succeed"
);

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

/// Times `n` calls of `rust_demo_add` across the module boundary (for `make bench`, against the
/// C twin's `c_demo_user`) and logs the cost of one.
fn bench(n: u32) {
    // SAFETY: `ktime_get()` has no preconditions.
    let start = unsafe { bindings::ktime_get() };
    let mut sum = 0u32;
    for i in 0..n {
        // `black_box`, like C's barrier(): each call must really happen.
        sum = core::hint::black_box(rust_demo_add(sum, i));
    }
    // SAFETY: As above.
    let ns = unsafe { bindings::ktime_get() } - start;
    pr_info!(
        "bench: {} calls of rust_demo_add in {} ns ({} ps per call; sum {})\n",
        n,
        ns,
        // No panic path (`n` is not 0 here): objtool would not know it does not return.
        (ns * 1000).checked_div(i64::from(n)).unwrap_or(0),
        sum
    );
}

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
        let registration = Registration::new(NAME)?;
        pr_info!(
            "registered as #{} of {} (API v{}); rust_demo_add(20, 22) = {}\n",
            registration.id(),
            rust_demo_client_count(),
            rust_demo_api_version(),
            rust_demo_add(20, 22)
        );
        #[cfg(rust_demo_module_ns)]
        pr_info!("rust_demo_user_only() = {}\n", rust_demo_user_only());
        let errno = init_errno.get();
        if errno != 0 {
            pr_info!("init fails with errno {} (init_errno)\n", errno);
            // An errno is 1 to MAX_ERRNO; anything else fails with EINVAL. `registration` is
            // dropped on the way out, which unregisters.
            return Err(i32::try_from(errno)
                .ok()
                .filter(|&e| e <= bindings::MAX_ERRNO as i32)
                .map_or(EINVAL, |e| Error::from_errno(-e)));
        }
        if bench_calls.get() > 0 {
            bench(bench_calls.get());
        }
        Ok(RustDemoUser { registration })
    }
}

impl Drop for RustDemoUser {
    fn drop(&mut self) {
        delay("exit", exit_delay_ms.get());
        // `registration` is dropped after this, which unregisters.
        pr_info!("unregistering #{}\n", self.registration.id());
    }
}
