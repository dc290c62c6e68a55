// SPDX-License-Identifier: GPL-2.0

//! Lab exercise `refcount_leak`: a module that keeps `lab_target` loaded while it is.
//!
//! Your task (lab/refcount_leak/README.md): once this module is unloaded, `lab_target` can
//! never be. Find why, and fix it here.

use kernel::bindings;
use kernel::prelude::*;

#[macro_use]
#[path = "rust_demo_abi.rs"]
pub mod abi;

struct LabHolder;

impl kernel::Module for LabHolder {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let target = lab_target::lab_target_module();
        // SAFETY: `lab_target` is loaded: this module uses its symbol, so the loader loaded it
        // first and will not unload it before this one.
        if !unsafe { bindings::try_module_get(target) } {
            return Err(ENODEV);
        }
        pr_info!("holding lab_target\n");
        Ok(LabHolder)
    }
}

impl Drop for LabHolder {
    fn drop(&mut self) {
        // SAFETY: `init` took this reference on `lab_target`, which is still loaded.
        unsafe { bindings::module_put(lab_target::lab_target_module()) };
        pr_info!("let lab_target go\n");
    }
}

demo_module! {
    type: LabHolder,
    name: "lab_holder",
    author: "rust-demo-kmod",
    description: "Lab exercise refcount_leak: the module that holds",
    license: "GPL",
}
