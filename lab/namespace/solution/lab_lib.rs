// SPDX-License-Identifier: GPL-2.0

//! Lab exercise `namespace`: a library module whose function only its importers may use.
//!
//! Your task (lab/namespace/README.md): export [`lab_answer`] in the namespace `LAB_NS`, and make
//! `lab_app` import it. The macros that export are in rust_demo_abi.rs.

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

export_symbol_ns_gpl!("LAB_NS", lab_answer);

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
    description: "Lab exercise namespace: the library",
    license: "GPL",
}
