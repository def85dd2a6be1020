//! `lectern check`: everything a build does except writing.

use crate::cli::CheckArgs;
use crate::pipeline::{self, Options, Target};

pub fn run(args: &CheckArgs) -> u8 {
    let opts = Options {
        target: Target::Check,
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
