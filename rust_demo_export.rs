// SPDX-License-Identifier: GPL-2.0

//! Rust module that exports symbols to other modules, like C's `EXPORT_SYMBOL_GPL`.
//!
//! It offers a small registration API in the style of `register_filesystem()`: client modules
//! register a [`Client`] at init and unregister it at exit. Using any of these symbols makes the
//! client depend on this module: the loader refuses the client while this module is absent, and
//! refuses to unload this module while the client is loaded.
//!
//! The exports are written in Rust, with no C shim: [`export_symbol_gpl!`] and friends emit the
//! same `.export_symbol` records as `include/linux/export.h`, from which modpost generates this
//! module's `__ksymtab` entries.

use core::ptr;
use core::sync::atomic::{AtomicPtr, Ordering};
use kernel::ffi::c_int;
use kernel::prelude::*;

#[macro_use]
#[path = "rust_demo_abi.rs"]
pub mod abi;
use abi::Client;

/// Emits an `.export_symbol` record for `$sym` with license `$license` and namespace `$ns`.
///
/// This is `___EXPORT_SYMBOL()` from `include/linux/export.h`: a label `__export_symbol_<sym>`,
/// the license and namespace strings, then a pointer to the symbol. modpost reads the record,
/// checks that `<sym>` is a global symbol of that name, and writes the `__ksymtab` entry into
/// the module's `.mod.c`. The section is discarded at link time.
macro_rules! export_symbol_record {
    ($sym:ident, $license:literal, $ns:literal) => {
        core::arch::global_asm!(
            ".section \".export_symbol\",\"a\"",
            concat!("__export_symbol_", stringify!($sym), ":"),
            concat!(".asciz \"", $license, "\""),
            concat!(".asciz \"", $ns, "\""),
            symbol_pointer!(),
            ".previous",
            sym = sym $sym,
        );
    };
}

/// The pointer at the end of an `.export_symbol` record: `__EXPORT_SYMBOL_REF()`.
#[cfg(target_pointer_width = "64")]
macro_rules! symbol_pointer {
    () => {
        ".balign 8\n.quad {sym}"
    };
}

/// The pointer at the end of an `.export_symbol` record: `__EXPORT_SYMBOL_REF()`.
#[cfg(target_pointer_width = "32")]
macro_rules! symbol_pointer {
    () => {
        ".balign 4\n.long {sym}"
    };
}

/// Exports `$sym` to GPL-compatible modules only, like C's `EXPORT_SYMBOL_GPL(sym)`.
///
/// `$sym` must be a `#[no_mangle]` item of this module, so that its symbol name is its Rust name.
macro_rules! export_symbol_gpl {
    ($sym:ident) => {
        export_symbol_record!($sym, "GPL", "");
    };
}

/// Exports `$sym` to every module, like C's `EXPORT_SYMBOL(sym)`.
macro_rules! export_symbol {
    ($sym:ident) => {
        export_symbol_record!($sym, "", "");
    };
}

/// Exports `$sym` to GPL-compatible modules that import namespace `$ns`, like C's
/// `EXPORT_SYMBOL_NS_GPL(sym, ns)`.
macro_rules! export_symbol_ns_gpl {
    ($sym:ident, $ns:literal) => {
        export_symbol_record!($sym, "GPL", $ns);
    };
}

/// How many clients can be registered at once.
const MAX_CLIENTS: usize = 4;

/// Registered clients; a null slot is free. Slots change only by compare-exchange, so two
/// registrations never take the same slot.
static CLIENTS: [AtomicPtr<Client>; MAX_CLIENTS] =
    [const { AtomicPtr::new(ptr::null_mut()) }; MAX_CLIENTS];

/// Returns the name of `client`.
///
/// # Safety
///
/// `client` must point to a valid [`Client`] whose `name` is valid UTF-8 of `name_len` bytes.
unsafe fn name<'a>(client: *const Client) -> &'a str {
    // SAFETY: The caller guarantees that `client` is valid and that `name` points to
    // `name_len` readable bytes.
    let bytes = unsafe { core::slice::from_raw_parts((*client).name, (*client).name_len) };
    core::str::from_utf8(bytes).unwrap_or("(invalid name)")
}

/// Registers `client`; returns 0 or a negative errno.
///
/// # Safety
///
/// `client` must be null or point to a valid [`Client`] that stays valid and unmoved until it is
/// passed to [`rust_demo_unregister`], and must not be registered by two callers at once (a
/// client that is already registered is refused with `EEXIST`, but the check and the insertion
/// are separate atomic steps).
#[no_mangle]
pub unsafe extern "C" fn rust_demo_register(client: *mut Client) -> c_int {
    if client.is_null() {
        return EINVAL.to_errno();
    }
    if CLIENTS.iter().any(|c| c.load(Ordering::Acquire) == client) {
        return EEXIST.to_errno();
    }
    for (i, slot) in CLIENTS.iter().enumerate() {
        if slot
            .compare_exchange(ptr::null_mut(), client, Ordering::AcqRel, Ordering::Acquire)
            .is_ok()
        {
            let id = i as u32 + 1;
            // SAFETY: The caller guarantees that `client` is valid, and it is not shared yet.
            unsafe { (*client).id = id };
            // SAFETY: The caller guarantees that `client` is valid.
            let name = unsafe { name(client) };
            pr_info!(
                "client '{}' registered as #{} ({} registered)\n",
                name,
                id,
                rust_demo_client_count()
            );
            return 0;
        }
    }
    ENOSPC.to_errno()
}
export_symbol_gpl!(rust_demo_register);

/// Unregisters `client`.
///
/// # Safety
///
/// `client` must have been registered by [`rust_demo_register`] and still be valid.
#[no_mangle]
pub unsafe extern "C" fn rust_demo_unregister(client: *mut Client) {
    let Some(slot) = CLIENTS.iter().find(|c| c.load(Ordering::Acquire) == client) else {
        pr_warn!("unregister of a client that is not registered\n");
        return;
    };
    slot.store(ptr::null_mut(), Ordering::Release);
    // SAFETY: The caller guarantees that `client` is valid.
    let name = unsafe { name(client) };
    pr_info!(
        "client '{}' unregistered ({} registered)\n",
        name,
        rust_demo_client_count()
    );
}
export_symbol_gpl!(rust_demo_unregister);

/// Number of registered clients.
#[no_mangle]
pub extern "C" fn rust_demo_client_count() -> u32 {
    CLIENTS
        .iter()
        .filter(|c| !c.load(Ordering::Acquire).is_null())
        .count() as u32
}
export_symbol_gpl!(rust_demo_client_count);

/// Version of the interface: a plain export, usable by modules of any license.
#[no_mangle]
pub extern "C" fn rust_demo_api_version() -> u32 {
    1
}
export_symbol!(rust_demo_api_version);

/// Returns `a + b`, saturating: a GPL export in namespace `RUST_DEMO`.
#[no_mangle]
pub extern "C" fn rust_demo_add(a: u32, b: u32) -> u32 {
    a.saturating_add(b)
}
export_symbol_ns_gpl!(rust_demo_add, "RUST_DEMO");

rust_demo_exports!(assert_definitions);

#[cfg(not(rust_demo_module_v2))]
module! {
    type: RustDemoExport,
    name: "rust_demo_export",
    author: "rust-demo-kmod developers",
    description: "Exports GPL-only symbols from Rust (the provider of the pair)",
    license: "GPL",
    alias: ["rust-demo-provider"],
}

#[cfg(rust_demo_module_v2)]
module! {
    type: RustDemoExport,
    name: "rust_demo_export",
    authors: ["rust-demo-kmod developers"],
    description: "Exports GPL-only symbols from Rust (the provider of the pair)",
    license: "GPL",
    alias: ["rust-demo-provider"],
}

struct RustDemoExport;

impl kernel::Module for RustDemoExport {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        pr_info!("loaded; exporting rust_demo_register and 4 more symbols\n");
        Ok(RustDemoExport)
    }
}

impl Drop for RustDemoExport {
    fn drop(&mut self) {
        // The loader does not unload a module that has holders, so no client is left.
        pr_info!("unloaded with {} clients\n", rust_demo_client_count());
    }
}
