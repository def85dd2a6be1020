//! One module per subcommand, each the same shape: turn the arguments into the library's
//! options, run, and report.

pub mod build;

use std::io::IsTerminal;

use crate::cli::{Cli, Command};

/// Runs the parsed command line; returns the process exit code.
pub fn run(cli: Cli) -> u8 {
    match cli.command {
        Some(Command::Build(args)) => build::run(&args),
        None => build::run(&cli.build),
    }
}

/// Colour only on a terminal, and never when `NO_COLOR` is set.
pub fn use_color() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal()
}
