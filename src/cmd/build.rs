//! `lectern build`: compute, check, render and write the site.

use crate::cli::BuildArgs;
use crate::pipeline::{self, Options};

pub fn run(args: &BuildArgs) -> u8 {
    let opts = Options {
        out: args.out.clone(),
        strict: args.common.strict,
        base_url: args.common.base_url.clone(),
        ..Options::new(&args.common.root)
    };
    let (sources, result) = pipeline::build(&opts);
    let code = super::finish(&args.common, &sources, result);
    // The process ends here: leave the sources (every file read) to the OS instead of freeing
    // them one by one.
    std::mem::forget(sources);
    code
}
