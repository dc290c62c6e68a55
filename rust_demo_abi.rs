// SPDX-License-Identifier: GPL-2.0

//! The interface between `rust_demo_export` and `rust_demo_user`, written once.
//!
//! Loadable modules cannot depend on each other as Rust crates: the user calls the exporter
//! through C-ABI symbols that the module loader resolves at `init_module` time. Nothing at that
//! point checks types, so both modules compile this one file (`#[path] mod abi;`) and pass
//! [`rust_demo_exports!`] the macro they need:
//!
//! - the exporter passes `assert_definitions`, which fails the build if one of its functions
//!   does not have exactly the signature listed here;
//! - the user passes `declare_imports`, which declares the same list as `extern "C"` items.
//!
//! A signature changed on one side only therefore fails to compile.

/// A client of `rust_demo_export`, like a `struct file_system_type` given to
/// `register_filesystem()`: owned by the module that registers it, which must keep it alive and
/// at the same address until it unregisters it.
#[repr(C)]
pub struct Client {
    /// The client's name (UTF-8, not NUL-terminated), shown in the exporter's log.
    pub name: *const u8,
    /// Length of `name` in bytes.
    pub name_len: usize,
    /// Set by `rust_demo_register`: the client's slot number, from 1.
    pub id: u32,
}

/// Calls `$m!` with the signature of every function `rust_demo_export` exports.
macro_rules! rust_demo_exports {
    ($m:ident) => {
        $m! {
            /// Registers `client`; returns 0 or a negative errno (`EINVAL`, `EEXIST`, `ENOSPC`).
            ///
            /// `client` must stay valid and unmoved until `rust_demo_unregister(client)`.
            fn rust_demo_register(client: *mut Client) -> c_int;
            /// Unregisters a client registered by `rust_demo_register`.
            fn rust_demo_unregister(client: *mut Client);
            /// Number of registered clients.
            fn rust_demo_client_count() -> u32;
            /// Version of this interface (a plain, non-GPL export).
            fn rust_demo_api_version() -> u32;
            /// Returns `a + b`, saturating (a GPL export in namespace `RUST_DEMO`: an importer
            /// must declare `import_ns=RUST_DEMO`, or modpost and the loader refuse it).
            fn rust_demo_add(a: u32, b: u32) -> u32;
        }
    };
}

/// Fails to compile unless each listed function is defined in scope with that signature.
#[allow(unused_macros)]
macro_rules! assert_definitions {
    ($($(#[$meta:meta])* fn $name:ident($($arg:ident: $ty:ty),*) $(-> $ret:ty)?;)*) => {
        $(const _: unsafe extern "C" fn($($ty),*) $(-> $ret)? = $name;)*
    };
}

/// Declares each listed function as an `extern "C"` item, resolved by the module loader.
#[allow(unused_macros)]
macro_rules! declare_imports {
    ($($(#[$meta:meta])* fn $name:ident($($arg:ident: $ty:ty),*) $(-> $ret:ty)?;)*) => {
        extern "C" {
            $($(#[$meta])* fn $name($($arg: $ty),*) $(-> $ret)?;)*
        }
    };
}
