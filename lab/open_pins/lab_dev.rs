// SPDX-License-Identifier: GPL-2.0

//! Lab exercise `open_pins`: a character device, `lab_dev`, whose open files must pin this
//! module.
//!
//! Your task (lab/open_pins/README.md): while a file of this device is open, this module must
//! not be unloadable.

use core::ptr;
use kernel::prelude::*;
use kernel::{bindings, c_str};

#[macro_use]
#[path = "rust_demo_abi.rs"]
pub mod abi;

/// The device's file operations.
struct FileOperations(bindings::file_operations);

// SAFETY: Only the kernel reads it, and it is never written.
unsafe impl Sync for FileOperations {}

/// No methods of its own: the kernel's defaults (an open that succeeds, no read or write).
static FOPS: FileOperations = FileOperations(bindings::file_operations {
    owner: ptr::null_mut(),
    // SAFETY: All zeroes is a valid `file_operations`: null pointers and no flags.
    ..unsafe { core::mem::zeroed() }
});

/// The device's name, in /proc/devices.
const NAME: &CStr = c_str!("lab_dev");

/// The character device region: major number `major`, minor 0.
struct LabDev {
    major: u32,
}

impl kernel::Module for LabDev {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        // SAFETY: `FOPS` and `NAME` are static. With major 0 the kernel picks one and returns it.
        let major = unsafe { bindings::__register_chrdev(0, 0, 1, NAME.as_char_ptr(), &FOPS.0) };
        if major < 0 {
            return Err(Error::from_errno(major));
        }
        pr_info!("major {}\n", major);
        Ok(LabDev {
            major: major as u32,
        })
    }
}

impl Drop for LabDev {
    fn drop(&mut self) {
        // SAFETY: Registered in `init` with the same numbers and name.
        unsafe { bindings::__unregister_chrdev(self.major, 0, 1, NAME.as_char_ptr()) };
    }
}

demo_module! {
    type: LabDev,
    name: "lab_dev",
    author: "rust-demo-kmod",
    description: "Lab exercise open_pins: a character device",
    license: "GPL",
}
