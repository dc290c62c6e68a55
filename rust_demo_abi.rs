// SPDX-License-Identifier: GPL-2.0

//! What `rust_demo_export` and `rust_demo_user` share, written once: the interface the exporter
//! offers C modules, and the few kernel facilities that some kernels' `module!` does not offer.
//!
//! Rust modules do not need this file to call the exporter: `rust_demo_user` uses the exporter
//! as a crate (`use rust_demo_export::Registration`), and rustc checks its calls against the
//! exporter's own metadata. C modules cannot: they call C-ABI symbols that the module loader
//! resolves in `load_module()`, where nothing checks types. [`rust_demo_exports!`] lists those
//! functions once, with their signatures, and the exporter passes it `assert_definitions`, which
//! fails the build if one of its `extern "C"` functions does not match the list.
//!
//! The rest is what the kernel's Rust does not offer, or `module!` writes on some kernels and not
//! on others, written here the way the kernel's C macros write it, so that one code path serves
//! Linux 6.12 and 7.x: [`export_symbol_gpl!`] and its family (`EXPORT_SYMBOL_GPL()` and the
//! others, inside [`exports!`]), [`modinfo!`] (`MODULE_INFO()`), [`module_param_uint!`]
//! (`module_param(name, uint, 0444)`) and [`demo_module!`] (`module!` with the author key the
//! kernel's macro takes). Any module can use them: the lab's exercises (lab/) do.

/// A client of `rust_demo_export`, like a `struct file_system_type` given to
/// `register_filesystem()`: owned by the module that registers it, which must keep it alive and
/// at the same address until it unregisters it.
#[repr(C)]
pub struct Client {
    /// The client's name (UTF-8, not NUL-terminated), shown in the exporter's log and device.
    pub name: *const u8,
    /// Length of `name` in bytes.
    pub name_len: usize,
    /// Set by `rust_demo_register`: the client's slot number, from 1.
    pub id: u32,
}

/// Calls `$m!` with the signature of every C-ABI function `rust_demo_export` exports.
#[allow(unused_macros)]
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

/// Fails to compile unless each listed function is defined in scope with that signature (C
/// modules declare their own prototypes, which nothing checks: this list is what they must match).
#[allow(unused_macros)]
macro_rules! assert_definitions {
    ($($(#[$meta:meta])* fn $name:ident($($arg:ident: $ty:ty),*) $(-> $ret:ty)?;)*) => {
        $(const _: unsafe extern "C" fn($($ty),*) $(-> $ret)? = $name;)*
    };
}

/// Copies `s` into an array of its length, for [`modinfo!`].
pub const fn bytes<const N: usize>(s: &str) -> [u8; N] {
    let mut out = [0; N];
    let mut i = 0;
    while i < N {
        out[i] = s.as_bytes()[i];
        i += 1;
    }
    out
}

/// Emits an `.export_symbol` record for the function `$sym` with license `$license` and
/// namespace `$ns`.
///
/// This is `___EXPORT_SYMBOL()` from `include/linux/export.h`: a label `__export_symbol_<sym>`,
/// the license and namespace strings, then a pointer to the symbol. modpost reads the record,
/// checks that `<sym>` is a global symbol of that name, and writes the `__ksymtab` entry into
/// the module's `.mod.c`. The section is discarded at link time.
///
/// The symbol's name comes from the `sym` operand, so `$sym` may be any function path: a
/// `#[no_mangle] extern "C"` function (named as in C, for C modules) or a Rust function or
/// method (its v0-mangled name, for Rust modules that `use` this crate). A Rust function must be
/// `#[inline(never)]`: rustc treats a small non-generic function as inlinable across crates and
/// gives its copy in the defining crate local linkage, whether or not anything calls it, which
/// modpost refuses ("local symbol ... was exported"; the Makefile then says so). A generic
/// function cannot be exported: each caller instantiates its own.
///
/// Use the family below ([`export_symbol_gpl!`] and the others) inside [`exports!`], which
/// also counts them.
#[allow(unused_macros)]
macro_rules! export_symbol_record {
    ($license:literal, $ns:expr, $($path:ident)::+ ::< $($generic:tt)*) => {
        compile_error!(concat!(
            "cannot export ", stringify!($($path)::+), "::<..>: a generic function is ",
            "instantiated by each caller, so no module would use this one"
        ));
    };
    ($license:literal, $ns:expr, $($sym:tt)+) => {
        core::arch::global_asm!(
            ".section \".export_symbol\",\"a\"",
            "__export_symbol_{sym}:",
            concat!(".asciz \"", $license, "\""),
            concat!(".asciz \"", $ns, "\""),
            symbol_pointer!(),
            ".previous",
            sym = sym $($sym)+,
        );
    };
}

/// The pointer at the end of an `.export_symbol` record: `__EXPORT_SYMBOL_REF()`.
#[cfg(target_pointer_width = "64")]
#[allow(unused_macros)]
macro_rules! symbol_pointer {
    () => {
        ".balign 8\n.quad {sym}"
    };
}

/// The pointer at the end of an `.export_symbol` record: `__EXPORT_SYMBOL_REF()`.
#[cfg(target_pointer_width = "32")]
#[allow(unused_macros)]
macro_rules! symbol_pointer {
    () => {
        ".balign 4\n.long {sym}"
    };
}

/// Exports the function `$sym` to GPL-compatible modules only, like C's `EXPORT_SYMBOL_GPL(sym)`.
#[allow(unused_macros)]
macro_rules! export_symbol_gpl {
    ($($sym:tt)+) => {
        export_symbol_record!("GPL", "", $($sym)+);
    };
}

/// Exports the function `$sym` to every module, like C's `EXPORT_SYMBOL(sym)`.
#[allow(unused_macros)]
macro_rules! export_symbol {
    ($($sym:tt)+) => {
        export_symbol_record!("", "", $($sym)+);
    };
}

/// Exports the function `$sym` to GPL-compatible modules that import namespace `$ns`, like C's
/// `EXPORT_SYMBOL_NS_GPL(sym, ns)`.
#[allow(unused_macros)]
macro_rules! export_symbol_ns_gpl {
    ($ns:literal, $($sym:tt)+) => {
        export_symbol_record!("GPL", $ns, $($sym)+);
    };
}

/// Exports `$sym` to the GPL-compatible modules named in `$mods` only (comma-separated, a
/// trailing `*` matches a prefix), like C's `EXPORT_SYMBOL_GPL_FOR_MODULES(sym, mods)` (6.12)
/// or `EXPORT_SYMBOL_FOR_MODULES(sym, mods)` (7.x): namespace `module:<mods>`, which 7.x's
/// modpost and loader (`verify_module_namespace()`) let only those modules use.
#[cfg(rust_demo_module_ns)]
#[allow(unused_macros)]
macro_rules! export_symbol_gpl_for_modules {
    ($mods:literal, $($sym:tt)+) => {
        export_symbol_record!("GPL", concat!("module:", $mods), $($sym)+);
    };
}

/// Every export of this module, one invocation of the family above each (optionally under a
/// `#[cfg(..)]`), and [`EXPORTS`], how many of them this build has: counted here, at compile
/// time, from the same list.
#[allow(unused_macros)]
macro_rules! exports {
    ($($(#[cfg($cfg:meta)])* $export:ident!($($args:tt)+);)+) => {
        $($(#[cfg($cfg)])* $export!($($args)+);)+

        /// How many symbols this module exports (in this build: some are under a `cfg`).
        const EXPORTS: usize = {
            // One entry per export: whether this build has it (`all()` of no cfg is true).
            let built = [$(cfg!(all($($cfg),*))),+];
            let mut n = 0;
            let mut i = 0;
            while i < built.len() {
                n += built[i] as usize;
                i += 1;
            }
            n
        };
    };
}

/// Adds the string `key=value` to this module's `.modinfo` section, like C's
/// `MODULE_INFO(key, value)`: modinfo prints it, and the loader and modpost read some keys
/// (`import_ns`, `license`, `vermagic`).
///
/// `#[used(compiler)]`, as `module!` writes it, not plain `#[used]`: since Rust 1.89
/// (rust-lang/rust#140872) plain `#[used]` means `#[used(linker)]` on ELF, for which LLVM puts
/// each string in a section of its own, also named `.modinfo`, with the `SHF_GNU_RETAIN` flag.
/// modpost's `parse_elf()` keeps only the last section of that name, so every other string of
/// the module is lost (`module!`'s `license=` included: modpost then stops the build).
#[allow(unused_macros)]
macro_rules! modinfo {
    ($key:expr, $($value:expr),+) => {
        const _: () = {
            const S: &str = concat!($key, "=", $($value),+, "\0");
            #[link_section = ".modinfo"]
            #[used(compiler)]
            static MODINFO: [u8; S.len()] = $crate::abi::bytes(S);
        };
    };
}

/// `THIS_MODULE` as a pointer for statics that the kernel reads (`file_operations.owner`,
/// `kernel_param.mod`); `module!` offers it only at run time.
#[allow(unused_macros)]
macro_rules! this_module_ptr {
    () => {{
        // Only its address is used, so the layout of `struct module` does not matter here.
        #[allow(improper_ctypes)]
        extern "C" {
            static __this_module: kernel::types::Opaque<kernel::bindings::module>;
        }
        #[allow(unused_unsafe)]
        // SAFETY: Only the address is taken; modpost defines `__this_module` in the `.mod.c`.
        unsafe {
            core::ptr::addr_of!(__this_module)
                .cast::<kernel::bindings::module>()
                .cast_mut()
        }
    }};
}

/// The value of an unsigned integer module parameter, written by the kernel's
/// `param_ops_uint.set` (`param_set_uint()`) while `load_module()` parses the arguments.
pub struct ParamUint(core::cell::UnsafeCell<kernel::ffi::c_uint>);

// SAFETY: The kernel writes the value only in `parse_args()`, before the module's init runs and
// so before any reader; the parameter is read-only in sysfs (0444), so nothing writes it later.
unsafe impl Sync for ParamUint {}

impl ParamUint {
    /// A parameter whose value is `default` unless the loader is given another.
    pub const fn new(default: kernel::ffi::c_uint) -> Self {
        Self(core::cell::UnsafeCell::new(default))
    }

    /// Where `param_set_uint()` writes the value.
    pub const fn as_ptr(&'static self) -> *mut kernel::ffi::c_void {
        self.0.get().cast()
    }

    /// The value the module was loaded with.
    pub fn get(&self) -> kernel::ffi::c_uint {
        // SAFETY: No writer runs once init has started (see `Sync` above).
        unsafe { *self.0.get() }
    }
}

/// A `struct kernel_param` in the `__param` section, which `load_module()` hands to
/// `parse_args()`.
#[repr(transparent)]
pub struct KernelParam(pub kernel::bindings::kernel_param);

// SAFETY: The kernel only reads it; its pointers are to `'static` data.
unsafe impl Sync for KernelParam {}

/// Declares `$name` an unsigned integer module parameter readable in
/// `/sys/module/<module>/parameters/$name`, like C's `module_param($name, uint, 0444)` with
/// `MODULE_PARM_DESC($name, $desc)`, and defines a static `$name` of type [`ParamUint`].
///
/// The kernel's own `param_ops_uint` parses it (`param_set_uint()`; which values fail the load,
/// and with which errno: docs/loader.md, "Parameters"). 7.x's `module!` has `params`, but
/// registers them with permission 0, so they do not appear in sysfs; 6.12's has none.
#[allow(unused_macros)]
macro_rules! module_param_uint {
    ($name:ident = $default:expr, $desc:literal) => {
        #[allow(non_upper_case_globals)]
        static $name: $crate::abi::ParamUint = $crate::abi::ParamUint::new($default);

        const _: () = {
            #[link_section = "__param"]
            #[used(compiler)]
            static PARAM: $crate::abi::KernelParam =
                $crate::abi::KernelParam(kernel::bindings::kernel_param {
                    name: concat!(stringify!($name), "\0").as_ptr().cast(),
                    mod_: this_module_ptr!(),
                    #[allow(unused_unsafe)]
                    // SAFETY: Only the address is taken.
                    ops: unsafe { core::ptr::addr_of!(kernel::bindings::param_ops_uint) },
                    perm: 0o444,
                    level: -1,
                    flags: 0,
                    __bindgen_anon_1: kernel::bindings::kernel_param__bindgen_ty_1 {
                        arg: $name.as_ptr(),
                    },
                });
        };
        modinfo!("parmtype", stringify!($name), ":uint");
        modinfo!("parm", stringify!($name), ":", $desc);
    };
}

/// `module!` with one author, in the spelling this kernel's macro takes: `author:` (6.12) or
/// `authors: [..]` (later kernels). Kbuild passes `--cfg rust_demo_module_authors` for the second.
#[cfg(not(rust_demo_module_authors))]
macro_rules! demo_module {
    (type: $t:tt, name: $n:tt, author: $a:tt, description: $d:tt, license: $l:tt, $(alias: $al:tt,)?) => {
        module! { type: $t, name: $n, author: $a, description: $d, license: $l, $(alias: $al,)? }
    };
}

/// `module!` with one author, in the spelling this kernel's macro takes: `author:` (6.12) or
/// `authors: [..]` (later kernels). Kbuild passes `--cfg rust_demo_module_authors` for the second.
#[cfg(rust_demo_module_authors)]
macro_rules! demo_module {
    (type: $t:tt, name: $n:tt, author: $a:tt, description: $d:tt, license: $l:tt, $(alias: $al:tt,)?) => {
        module! { type: $t, name: $n, authors: [$a], description: $d, license: $l, $(alias: $al,)? }
    };
}
