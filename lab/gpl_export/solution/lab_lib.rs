// SPDX-License-Identifier: GPL-2.0

//! Lab exercise `gpl_export`: a library module with a function for other modules.
//!
//! Your task (lab/gpl_export/README.md): export [`lab_answer`] to GPL-compatible modules only,
//! so that `lab_app` can call it. The macros that export are in rust_demo_abi.rs.

use kernel::prelude::*;

#[macro_use]
#[path = "rust_demo_abi.rs"]
pub mod abi;

/// The answer other modules ask for.
///
/// `#[inline(never)]`: a Rust function that is exported must be (see `export_symbol_record!`
/// in rust_demo_abi.rs).
#[inline(never)]
pub fn lab_answer() -> u32 {
    42
}

export_symbol_gpl!(lab_answer);

struct LabLib;

impl kernel::Module for LabLib {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        pr_info!("loaded\n");
        Ok(LabLib)
    }
}

demo_module! {
    type: LabLib,
    name: "lab_lib",
    author: "rust-demo-kmod",
    description: "Lab exercise gpl_export: the library",
    license: "GPL",
}
