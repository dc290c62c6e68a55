// SPDX-License-Identifier: GPL-2.0

//! Rust module that exports symbols to other modules, like C's `EXPORT_SYMBOL_GPL`.
//!
//! It offers a small registration API in the style of `register_filesystem()`: client modules
//! register a [`Client`] at init and unregister it at exit. Using any of these symbols makes the
//! client depend on this module: the loader refuses the client while this module is absent, and
//! refuses to unload this module while the client is loaded (the client is a *holder*).
//!
//! It also owns a character device, `/dev/rust_demo`: reading it lists the registered clients,
//! one per line, like `/proc/filesystems`. Its `file_operations.owner` is this module, so each
//! open file holds references on this module (two: docs/loader.md, "An open file"), and while a
//! file is open this module cannot be unloaded, even with no holder. Its major number is fixed
//! and named in an alias (`char-major-<major>-*`), so opening a node of it while this module is
//! not loaded makes the kernel load it (`request_module()`: docs/loader.md, "On-demand loading:
//! request_module()").
//!
//! The exports are written in Rust, with no C shim: [`export_symbol_gpl!`] and friends emit the
//! same `.export_symbol` records as `include/linux/export.h`, from which modpost generates this
//! module's `__ksymtab` entries.

use core::ptr;
use core::sync::atomic::{AtomicPtr, Ordering};
use kernel::error::{from_err_ptr, to_result};
use kernel::ffi::{c_char, c_int};
use kernel::prelude::*;
use kernel::sync::Mutex;
use kernel::{bindings, c_str, new_mutex};

#[macro_use]
#[path = "rust_demo_abi.rs"]
pub mod abi;
use abi::Client;

module_param_uint!(max_clients = 4, "Most clients at once (default 4)");

/// The largest `max_clients` accepted: the registry is allocated at init.
const MAX_CLIENTS_LIMIT: u32 = 64;

/// A registered client: the pointer its module passed to [`rust_demo_register`].
#[derive(Clone, Copy, PartialEq)]
struct ClientPtr(*mut Client);

// SAFETY: The registry only stores the pointer and reads the client's name under its lock; the
// client's module keeps the client valid until it unregisters it, from whichever thread.
unsafe impl Send for ClientPtr {}

/// `max_clients` slots, a free one `None`; a client's id is its slot number plus 1. A mutex, not
/// a spinlock: every caller is in process context (module init and exit, open), and building the
/// device's listing allocates.
type Registry = Mutex<KVec<Option<ClientPtr>>>;

/// The registry, set by init before anything can call in and cleared by exit after the last
/// caller is gone.
static REGISTRY: AtomicPtr<Registry> = AtomicPtr::new(ptr::null_mut());

/// Returns the registry.
fn registry() -> &'static Registry {
    // SAFETY: Other modules can call in only once this module's init has returned: while it is
    // Coming, `ref_module()` -> `strong_try_module_get()` refuses them (EBUSY) and the loader's
    // `resolve_symbol_wait()` waits (up to 30 s) for it to go Live. The device is registered
    // after `REGISTRY` is set; exit clears it only when no module uses this one (no holders), no
    // file is open (refcount 0), and the device is gone.
    unsafe { &*REGISTRY.load(Ordering::Acquire) }
}

/// Owns the registry while it is published in [`REGISTRY`].
struct Published {
    _registry: Pin<KBox<Registry>>,
}

impl Published {
    fn new(max: u32) -> Result<Self> {
        if max > MAX_CLIENTS_LIMIT {
            pr_err!("max_clients={} is more than {}\n", max, MAX_CLIENTS_LIMIT);
            return Err(EINVAL);
        }
        let mut slots = KVec::with_capacity(max as usize, GFP_KERNEL)?;
        for _ in 0..max {
            slots.push(None, GFP_KERNEL)?;
        }
        let registry = KBox::pin_init(new_mutex!(slots, "rust_demo_export::REGISTRY"), GFP_KERNEL)?;
        REGISTRY.store(ptr::from_ref(&*registry).cast_mut(), Ordering::Release);
        Ok(Self {
            _registry: registry,
        })
    }
}

impl Drop for Published {
    fn drop(&mut self) {
        REGISTRY.store(ptr::null_mut(), Ordering::Release);
    }
}

/// Returns the name of `client`, or `None` if it is not UTF-8 ([`rust_demo_register`] refuses
/// such a client, so a registered client always has a name).
///
/// # Safety
///
/// `client` must point to a valid [`Client`] with `name_len` readable bytes at `name`.
unsafe fn name<'a>(client: *const Client) -> Option<&'a str> {
    // SAFETY: The caller guarantees that `client` is valid and that `name` points to
    // `name_len` readable bytes.
    let bytes = unsafe { core::slice::from_raw_parts((*client).name, (*client).name_len) };
    core::str::from_utf8(bytes).ok()
}

/// Number of registered clients in `slots`.
fn count(slots: &[Option<ClientPtr>]) -> usize {
    slots.iter().filter(|s| s.is_some()).count()
}

/// Registers `client`; returns 0 or a negative errno: `EINVAL` for a null client or a name that
/// is not UTF-8, `EEXIST` if it is registered already, `ENOSPC` if all slots are taken.
///
/// # Safety
///
/// `client` must be null or point to a valid [`Client`] that stays valid and unmoved until it is
/// passed to [`rust_demo_unregister`].
#[no_mangle]
#[inline(never)]
pub unsafe extern "C" fn rust_demo_register(client: *mut Client) -> c_int {
    if client.is_null() {
        return EINVAL.to_errno();
    }
    // SAFETY: The caller guarantees that `client` is valid.
    let Some(name) = (unsafe { name(client) }) else {
        return EINVAL.to_errno();
    };
    let mut slots = registry().lock();
    if slots.contains(&Some(ClientPtr(client))) {
        return EEXIST.to_errno();
    }
    let Some(i) = slots.iter().position(Option::is_none) else {
        pr_info!(
            "client '{}' refused: all {} slots taken (max_clients={})\n",
            name,
            slots.len(),
            max_clients.get()
        );
        return ENOSPC.to_errno();
    };
    slots[i] = Some(ClientPtr(client));
    let id = i as u32 + 1;
    // SAFETY: The caller guarantees that `client` is valid.
    unsafe { (*client).id = id };
    pr_info!(
        "client '{}' registered as #{} ({} registered)\n",
        name,
        id,
        count(&slots)
    );
    0
}

/// Unregisters `client`.
///
/// # Safety
///
/// `client` must have been registered by [`rust_demo_register`] and still be valid.
#[no_mangle]
#[inline(never)]
pub unsafe extern "C" fn rust_demo_unregister(client: *mut Client) {
    let mut slots = registry().lock();
    let Some(slot) = slots.iter_mut().find(|s| **s == Some(ClientPtr(client))) else {
        pr_warn!("unregister of a client that is not registered\n");
        return;
    };
    *slot = None;
    // SAFETY: The caller guarantees that `client` is valid.
    let name = unsafe { name(client) }.unwrap_or_default();
    pr_info!(
        "client '{}' unregistered ({} registered)\n",
        name,
        count(&slots)
    );
}

/// Number of registered clients.
#[no_mangle]
#[inline(never)]
pub extern "C" fn rust_demo_client_count() -> u32 {
    count(&registry().lock()) as u32
}

/// Version of the interface: a plain export, usable by modules of any license.
#[no_mangle]
#[inline(never)]
pub extern "C" fn rust_demo_api_version() -> u32 {
    1
}

/// Returns `a + b`, saturating: a GPL export in namespace `RUST_DEMO`.
#[no_mangle]
#[inline(never)]
pub extern "C" fn rust_demo_add(a: u32, b: u32) -> u32 {
    a.saturating_add(b)
}

/// A client registered with this module, for Rust modules: made by [`Registration::new`],
/// unregistered when dropped, so a caller needs no `unsafe` and cannot forget to unregister.
/// The typed twin of [`rust_demo_register`] and [`rust_demo_unregister`], which C modules use.
pub struct Registration {
    client: KBox<Client>,
}

// SAFETY: The registry reads the client only under its lock; `name` points to a `'static` str.
unsafe impl Send for Registration {}
// SAFETY: `&Registration` only reads `id`, which nothing changes after registration.
unsafe impl Sync for Registration {}

impl Registration {
    /// Registers a client named `name`. Fails with `ENOSPC` when all `max_clients` slots are
    /// taken (and with `ENOMEM`).
    #[inline(never)]
    pub fn new(name: &'static str) -> Result<Self> {
        let mut client = KBox::new(
            Client {
                name: name.as_ptr(),
                name_len: name.len(),
                id: 0,
            },
            GFP_KERNEL,
        )?;
        // SAFETY: `client` is a valid `Client` on the heap: it does not move, and `Drop`
        // unregisters it before it is freed. On error it was not registered and is freed here.
        to_result(unsafe { rust_demo_register(&mut *client) })?;
        Ok(Self { client })
    }

    /// The client's id: its slot number, from 1.
    #[inline]
    pub fn id(&self) -> u32 {
        self.client.id
    }

    /// Unregisters the client (for `Drop`).
    #[inline(never)]
    fn unregister(&mut self) {
        // SAFETY: `self.client` was registered in `new` and is still alive.
        unsafe { rust_demo_unregister(&mut *self.client) };
    }
}

impl Drop for Registration {
    /// Unregisters the client. A destructor cannot be named, so it cannot be exported: it is
    /// `#[inline]`, copied into the caller's crate, and calls the exported `unregister`.
    #[inline]
    fn drop(&mut self) {
        self.unregister();
    }
}

/// A token for `rust_demo_user` alone: a module-restricted export (Linux 7.x).
#[cfg(rust_demo_module_ns)]
#[no_mangle]
#[inline(never)]
pub extern "C" fn rust_demo_user_only() -> u32 {
    7
}

// The exports, counted: modpost turns each record into a `__ksymtab` entry of this module.
exports! {
    export_symbol_gpl!(rust_demo_register);
    export_symbol_gpl!(rust_demo_unregister);
    export_symbol_gpl!(rust_demo_client_count);
    export_symbol!(rust_demo_api_version);
    export_symbol_ns_gpl!("RUST_DEMO", rust_demo_add);
    export_symbol_gpl!(Registration::new);
    export_symbol_gpl!(Registration::unregister);
    #[cfg(rust_demo_module_ns)]
    export_symbol_gpl_for_modules!("rust_demo_user", rust_demo_user_only);
}

/// The device's name: in `/proc/devices`, `/sys/class/` and `/dev/`.
const DEVICE_NAME: &CStr = c_str!("rust_demo");

/// The device's major number, as a literal for [`modinfo!`]: fixed, and from a range that
/// `Documentation/admin-guide/devices.txt` reserves for local/experimental use (docs/loader.md,
/// "On-demand loading: request_module()"), so that a node of it can name this module before
/// the module is loaded.
macro_rules! device_major {
    () => {
        120
    };
}

/// The device's major number, registered by [`ClientsDevice::register`].
const DEVICE_MAJOR: u32 = device_major!();

// `MODULE_ALIAS_CHARDEV_MAJOR(major)`: opening a node of this major while no driver has it makes
// the kernel ask for `char-major-<major>-<minor>` (`chrdev_open()` -> `base_probe()` ->
// `request_module()`), and depmod's `modules.alias` names this module for it.
modinfo!("alias", "char-major-", device_major!(), "-*");

/// The open file's text: the registered clients' names, one per line, as they were at open.
type Listing = KVec<u8>;

/// The registered clients' names, one per line.
fn listing() -> Result<KBox<Listing>> {
    let mut text = Listing::new();
    for client in registry().lock().iter().flatten() {
        // SAFETY: A registered client is valid until it is unregistered, which takes the lock
        // held here.
        let name = unsafe { name(client.0) }.unwrap_or_default();
        text.extend_from_slice(name.as_bytes(), GFP_KERNEL)?;
        text.push(b'\n', GFP_KERNEL)?;
    }
    Ok(KBox::new(text, GFP_KERNEL)?)
}

/// `open()` of `/dev/rust_demo`: takes a snapshot of the client list.
///
/// # Safety
///
/// Called by the VFS with a valid `file`.
unsafe extern "C" fn dev_open(_inode: *mut bindings::inode, file: *mut bindings::file) -> c_int {
    match listing() {
        // SAFETY: `file` is valid; `dev_release` takes the listing back.
        Ok(listing) => unsafe { (*file).private_data = KBox::into_raw(listing).cast() },
        Err(e) => return e.to_errno(),
    }
    0
}

/// `read()` of `/dev/rust_demo`.
///
/// # Safety
///
/// Called by the VFS with a valid `file` opened by [`dev_open`], and a user buffer of `count`
/// bytes.
unsafe extern "C" fn dev_read(
    file: *mut bindings::file,
    buf: *mut c_char,
    count: usize,
    pos: *mut bindings::loff_t,
) -> isize {
    // SAFETY: `dev_open` set `private_data` to a listing that lives until `dev_release`.
    let text = unsafe { &*(*file).private_data.cast::<Listing>() };
    // SAFETY: `buf` and `pos` come from the VFS; `text` is valid for `text.len()` bytes.
    unsafe {
        bindings::simple_read_from_buffer(buf.cast(), count, pos, text.as_ptr().cast(), text.len())
    }
}

/// Last `close()` of a file of `/dev/rust_demo`.
///
/// # Safety
///
/// Called by the VFS once per file opened by [`dev_open`].
unsafe extern "C" fn dev_release(_inode: *mut bindings::inode, file: *mut bindings::file) -> c_int {
    // SAFETY: `dev_open` made `private_data` with `KBox::into_raw`; nothing uses it after this.
    drop(unsafe { KBox::from_raw((*file).private_data.cast::<Listing>()) });
    0
}

/// The device's file operations, owned by this module.
struct FileOperations(bindings::file_operations);

// SAFETY: Only the kernel reads it, and it is never written.
unsafe impl Sync for FileOperations {}

/// `.owner = THIS_MODULE` is what pins this module while a file is open: `chrdev_open()` takes
/// two references on it and `__fput()` gives them back (docs/loader.md, "An open file").
static FOPS: FileOperations = FileOperations(bindings::file_operations {
    owner: this_module_ptr!(),
    open: Some(dev_open),
    read: Some(dev_read),
    release: Some(dev_release),
    // SAFETY: All zeroes is a valid `file_operations`: null pointers and no flags.
    ..unsafe { core::mem::zeroed() }
});

/// `/dev/rust_demo`: a character device region, and a class and device so that devtmpfs makes
/// the node and `/sys/class/rust_demo/rust_demo/dev` shows its number.
struct ClientsDevice {
    major: u32,
    class: *mut bindings::class,
}

// SAFETY: The class pointer is only passed back to the kernel, from any thread.
unsafe impl Send for ClientsDevice {}
// SAFETY: `ClientsDevice` offers no access through `&self`.
unsafe impl Sync for ClientsDevice {}

impl ClientsDevice {
    fn devt(major: u32) -> bindings::dev_t {
        major << bindings::MINORBITS
    }

    fn register() -> Result<Self> {
        let major = DEVICE_MAJOR;
        // SAFETY: `FOPS` and `DEVICE_NAME` are static. With a major given, it returns 0 (or
        // `EBUSY` if another driver has the major).
        to_result(unsafe {
            bindings::__register_chrdev(major, 0, 1, DEVICE_NAME.as_char_ptr(), &FOPS.0)
        })?;
        let unregister = || {
            // SAFETY: Registered above with the same numbers and name.
            unsafe { bindings::__unregister_chrdev(major, 0, 1, DEVICE_NAME.as_char_ptr()) }
        };
        // SAFETY: `DEVICE_NAME` is static.
        let class = match from_err_ptr(unsafe { bindings::class_create(DEVICE_NAME.as_char_ptr()) })
        {
            Ok(class) => class,
            Err(e) => {
                unregister();
                return Err(e);
            }
        };
        // SAFETY: `class` was just created; the name is a format string without conversions.
        let device = unsafe {
            bindings::device_create(
                class,
                ptr::null_mut(),
                Self::devt(major),
                ptr::null_mut(),
                DEVICE_NAME.as_char_ptr(),
            )
        };
        if let Err(e) = from_err_ptr(device) {
            // SAFETY: `class` has no device.
            unsafe { bindings::class_destroy(class) };
            unregister();
            return Err(e);
        }
        Ok(Self { major, class })
    }
}

impl Drop for ClientsDevice {
    fn drop(&mut self) {
        // SAFETY: Made in `register`; the loader calls exit only with no file open.
        unsafe {
            bindings::device_destroy(self.class, Self::devt(self.major));
            bindings::class_destroy(self.class);
            bindings::__unregister_chrdev(self.major, 0, 1, DEVICE_NAME.as_char_ptr());
        }
    }
}

rust_demo_exports!(assert_definitions);

// The API's bad inputs, as KUnit tests (kernels whose Rust has `#[kunit_tests]`, 7.x; they run
// when this module loads on a kernel with CONFIG_KUNIT).

// A failed KUnit assertion ends the test's thread at once (`__kunit_abort()`): no destructor
// runs. So each test registers, records the results and unregisters everything first, and only
// then asserts: a failure never leaves a client (on the test's stack) registered. Other clients
// may register meanwhile: the module is Live, and so usable, before KUnit's notifier runs.
#[cfg(rust_demo_kunit)]
#[kunit_tests(rust_demo_export)]
mod tests {
    use super::*;

    fn client(name: &'static [u8]) -> Client {
        Client {
            name: name.as_ptr(),
            name_len: name.len(),
            id: 0,
        }
    }

    /// What registering must return for the first client when `max_clients` is 0.
    fn first() -> c_int {
        if max_clients.get() == 0 {
            ENOSPC.to_errno()
        } else {
            0
        }
    }

    #[test]
    fn null_client_is_einval() {
        // SAFETY: A null client is allowed and refused.
        let ret = unsafe { rust_demo_register(ptr::null_mut()) };
        assert_eq!(ret, EINVAL.to_errno());
    }

    #[test]
    fn non_utf8_name_is_einval() {
        let mut c = client(b"kunit-\xff");
        // SAFETY: `c` is unregistered below if it was registered (it must not be).
        let ret = unsafe { rust_demo_register(&mut c) };
        if ret == 0 {
            // SAFETY: Registered just above.
            unsafe { rust_demo_unregister(&mut c) };
        }
        assert_eq!(ret, EINVAL.to_errno());
    }

    #[test]
    fn double_registration_is_eexist() {
        let mut c = client(b"kunit-double");
        // SAFETY: `c` is unregistered before this block ends if it was registered.
        let (once, twice) = unsafe {
            let once = rust_demo_register(&mut c);
            let twice = rust_demo_register(&mut c);
            if once == 0 {
                rust_demo_unregister(&mut c);
            }
            (once, twice)
        };
        assert_eq!(once, first());
        if once == 0 {
            assert_eq!(twice, EEXIST.to_errno());
        }
    }

    #[test]
    fn full_registry_is_enospc() {
        let max = max_clients.get() as usize;
        let mut clients = KVec::with_capacity(max + 1, GFP_KERNEL).unwrap();
        for _ in 0..=max {
            clients
                .push((client(b"kunit-full"), 0), GFP_KERNEL)
                .unwrap();
        }
        // SAFETY: `clients` never grows past its capacity, so its elements do not move, and each
        // registered one is unregistered before this block ends.
        unsafe {
            for (c, ret) in clients.iter_mut() {
                *ret = rust_demo_register(c);
            }
            for (c, ret) in clients.iter_mut() {
                if *ret == 0 {
                    rust_demo_unregister(c);
                }
            }
        }
        let taken = clients.iter().filter(|(_, ret)| *ret == 0).count();
        assert!(taken <= max);
        assert_eq!(clients[max].1, ENOSPC.to_errno());
    }

    #[test]
    fn unknown_unregister_changes_nothing() {
        let mut known = client(b"kunit-known");
        let mut unknown = client(b"kunit-unknown");
        // SAFETY: `known` is unregistered before this block ends if it was registered;
        // `unknown` is never registered, which the exporter reports and ignores.
        let (once, again) = unsafe {
            let once = rust_demo_register(&mut known);
            rust_demo_unregister(&mut unknown);
            // Still registered: registering it again is EEXIST.
            let again = rust_demo_register(&mut known);
            if once == 0 {
                rust_demo_unregister(&mut known);
            }
            (once, again)
        };
        assert_eq!(once, first());
        if once == 0 {
            assert_eq!(again, EEXIST.to_errno());
        }
    }
}

demo_module! {
    type: RustDemoExport,
    name: "rust_demo_export",
    author: "rust-demo-kmod developers",
    description: "Exports GPL-only symbols from Rust (the provider of the pair)",
    license: "GPL",
    alias: ["rust-demo-provider"],
}

/// The module's state; fields drop in order: the device first, then the registry.
struct RustDemoExport {
    _device: ClientsDevice,
    _registry: Published,
}

impl kernel::Module for RustDemoExport {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let registry = Published::new(max_clients.get())?;
        let device = ClientsDevice::register()?;
        pr_info!(
            "loaded (max_clients={}, /dev/rust_demo is {}:0); exporting rust_demo_register and {} more symbols\n",
            max_clients.get(),
            device.major,
            EXPORTS - 1
        );
        Ok(RustDemoExport {
            _device: device,
            _registry: registry,
        })
    }
}

impl Drop for RustDemoExport {
    fn drop(&mut self) {
        // The loader does not unload a module that has holders, so no client is left.
        pr_info!("unloaded with {} clients\n", rust_demo_client_count());
    }
}
