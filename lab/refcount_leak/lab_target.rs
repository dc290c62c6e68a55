// SPDX-License-Identifier: GPL-2.0

//! Lab exercise `refcount_leak`: a module that hands out a pointer to itself.
//!
//! Nothing to change here: the leak is in lab_holder.rs.

use kernel::bindings;
use kernel::prelude::*;

#[macro_use]
#[path = "rust_demo_abi.rs"]
pub mod abi;

/// This module's `struct module`, for a caller that wants to keep it loaded while it uses it:
/// with `try_module_get()`, given back with `module_put()`.
#[inline(never)]
pub fn lab_target_module() -> *mut bindings::module {
    this_module_ptr!()
}

export_symbol_gpl!(lab_target_module);

struct LabTarget;

impl kernel::Module for LabTarget {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        Ok(LabTarget)
    }
}

demo_module! {
    type: LabTarget,
    name: "lab_target",
    author: "rust-demo-kmod",
    description: "Lab exercise refcount_leak: the module held",
    license: "GPL",
}
