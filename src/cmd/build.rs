//! `lectern build`.

use crate::cli::BuildArgs;
use crate::pipeline::{self, Options};
use crate::report;

pub fn run(args: &BuildArgs) -> u8 {
    let opts = Options {
        root: args.root.clone(),
        out: args.out.clone(),
    };
    let (sources, result) = pipeline::build(&opts);
    match result {
        Ok(summary) => {
            if !args.quiet {
                println!("{summary}");
            }
            0
        }
        Err(e) => {
            eprint!("{}", report::render_error(&e, &sources, super::use_color()));
            e.exit_code()
        }
    }
}
