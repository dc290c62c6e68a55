// SPDX-License-Identifier: GPL-2.0

//! Lab exercise `param_check`: a module with a parameter, `level`, from 0 to 10.
//!
//! Your task (lab/param_check/README.md): refuse to load with a `level` above 10.

use kernel::prelude::*;

#[macro_use]
#[path = "rust_demo_abi.rs"]
pub mod abi;

module_param_uint!(level = 1, "How much to say, from 0 to 10 (default 1)");

/// The largest `level` there is.
const MAX_LEVEL: u32 = 10;

struct LabParam;

impl kernel::Module for LabParam {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        if level.get() > MAX_LEVEL {
            pr_err!("level={} is more than {}\n", level.get(), MAX_LEVEL);
            return Err(EINVAL);
        }
        pr_info!("level {} of {}\n", level.get(), MAX_LEVEL);
        Ok(LabParam)
    }
}

demo_module! {
    type: LabParam,
    name: "lab_param",
    author: "rust-demo-kmod",
    description: "Lab exercise param_check: a parameter with a range",
    license: "GPL",
}
