use std::process::ExitCode;

use clap::Parser;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = lectern::cli::Cli::parse();
    ExitCode::from(lectern::cmd::run(cli))
}
