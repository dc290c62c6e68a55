// SPDX-License-Identifier: GPL-2.0

//! Lab exercise `sign`: a module that a kernel enforcing signatures must load.
//!
//! Nothing to change here: the task is in host.sh.

use kernel::prelude::*;

#[macro_use]
#[path = "rust_demo_abi.rs"]
pub mod abi;

struct LabSigned;

impl kernel::Module for LabSigned {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        pr_info!("loaded\n");
        Ok(LabSigned)
    }
}

demo_module! {
    type: LabSigned,
    name: "lab_signed",
    author: "rust-demo-kmod",
    description: "Lab exercise sign: a module to sign",
    license: "GPL",
}
