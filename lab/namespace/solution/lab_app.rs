// SPDX-License-Identifier: GPL-2.0

//! Lab exercise `namespace`: a module that calls `lab_lib`'s [`lab_lib::lab_answer`].
//!
//! Your task (lab/namespace/README.md) is in lab_lib.rs and here.

use kernel::prelude::*;

#[macro_use]
#[path = "rust_demo_abi.rs"]
pub mod abi;

modinfo!("import_ns", "LAB_NS");

struct LabApp;

impl kernel::Module for LabApp {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        pr_info!("lab_answer() = {}\n", lab_lib::lab_answer());
        Ok(LabApp)
    }
}

demo_module! {
    type: LabApp,
    name: "lab_app",
    author: "rust-demo-kmod",
    description: "Lab exercise namespace: the user",
    license: "GPL",
}
