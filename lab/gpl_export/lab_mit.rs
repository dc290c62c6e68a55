// SPDX-License-Identifier: GPL-2.0

//! Lab exercise `gpl_export`: another module that calls [`lab_lib::lab_answer`], under a license
//! that is not GPL-compatible.
//!
//! Nothing to change here. modpost would refuse to build a module whose license is not
//! GPL-compatible and that uses a GPL-only export, so it is built as GPL and fixtures.sh then
//! writes `MIT` over its license string: the loader must refuse it the symbol.

use kernel::prelude::*;

#[macro_use]
#[path = "rust_demo_abi.rs"]
pub mod abi;

struct LabMit;

impl kernel::Module for LabMit {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        // Nothing printed: the kernel crate's own symbols (pr_info!'s) are GPL-only too.
        core::hint::black_box(lab_lib::lab_answer());
        Ok(LabMit)
    }
}

demo_module! {
    type: LabMit,
    name: "lab_mit",
    author: "rust-demo-kmod",
    description: "Lab exercise gpl_export: a user under MIT",
    license: "GPL",
}
