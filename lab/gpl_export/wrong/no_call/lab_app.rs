// SPDX-License-Identifier: GPL-2.0

//! Lab exercise `gpl_export`: a module that calls `lab_lib`'s [`lab_lib::lab_answer`].
//!
//! Nothing to change here: the task is in lab_lib.rs.

use kernel::prelude::*;

#[macro_use]
#[path = "rust_demo_abi.rs"]
pub mod abi;

struct LabApp;

impl kernel::Module for LabApp {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        pr_info!("lab_answer() = 42\n");
        Ok(LabApp)
    }
}

demo_module! {
    type: LabApp,
    name: "lab_app",
    author: "rust-demo-kmod",
    description: "Lab exercise gpl_export: the user",
    license: "GPL",
}
