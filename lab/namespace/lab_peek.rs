// SPDX-License-Identifier: GPL-2.0

//! Lab exercise `namespace`: a module that calls [`lab_lib::lab_answer`] and imports nothing.
//!
//! Nothing to change here: once `lab_answer` is in a namespace, the loader must refuse this one.

use kernel::prelude::*;

#[macro_use]
#[path = "rust_demo_abi.rs"]
pub mod abi;

struct LabPeek;

impl kernel::Module for LabPeek {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        pr_info!("lab_answer() = {}\n", lab_lib::lab_answer());
        Ok(LabPeek)
    }
}

demo_module! {
    type: LabPeek,
    name: "lab_peek",
    author: "rust-demo-kmod",
    description: "Lab exercise namespace: a user that imports nothing",
    license: "GPL",
}
