//! The command line: clap derive. Each `///` is the `--help` text of its flag.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// lectern: a static site generator for lessons whose numbers are proven at build time.
#[derive(Debug, Parser)]
#[command(name = "lectern", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Options for `build`, which is what a bare `lectern` runs.
    #[command(flatten)]
    pub build: BuildArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Compute and check every matrix, render the site into site/ (the default command).
    Build(BuildArgs),
}

#[derive(Debug, Clone, Args)]
pub struct BuildArgs {
    /// The project folder, holding content/ and optionally templates/.
    #[arg(long, value_name = "DIR", default_value = ".", global = true)]
    pub root: PathBuf,
    /// Where to write the site (default: ROOT/site). It is replaced as a whole.
    #[arg(long, value_name = "DIR", global = true)]
    pub out: Option<PathBuf>,
    /// Print nothing on success.
    #[arg(long, short, global = true)]
    pub quiet: bool,
}
