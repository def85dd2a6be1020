use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = lectern::cli::Cli::parse();
    ExitCode::from(lectern::cmd::run(cli))
}
