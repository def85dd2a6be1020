//! `lectern serve`: build, serve, watch, rebuild, reload.

use crate::cli::ServeArgs;
use crate::serve::{self, ServeOptions};

pub fn run(args: &ServeArgs) -> u8 {
    let opts = ServeOptions {
        root: args.root.clone(),
        bind: args.bind,
        port: args.port,
        open: args.open,
        poll: args.poll,
        color: super::use_color(),
    };
    match serve::run(&opts) {
        Ok(()) => 0,
        Err(e) => super::fail(&e),
    }
}
