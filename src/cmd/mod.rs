//! One module per subcommand, each the same shape: turn the arguments into the library's
//! options, run, and report.

pub mod build;
pub mod check;
pub mod init;
pub mod new;
pub mod serve;

use std::io::IsTerminal;

use crate::cli::{BuildArgs, Cli, Command, Common, MessageFormat};
use crate::error::Error;
use crate::pipeline::Summary;
use crate::report;
use crate::source::Sources;

/// Runs the parsed command line; returns the process exit code.
pub fn run(cli: Cli) -> u8 {
    match cli.command {
        Some(Command::Build(args)) => build::run(&args),
        Some(Command::Check(args)) => check::run(&args),
        Some(Command::Serve(args)) => serve::run(&args),
        Some(Command::New(command)) => new::run(&command),
        Some(Command::Init(args)) => init::run(&args),
        None => build::run(&BuildArgs {
            common: cli.common,
            out: cli.out,
        }),
    }
}

/// Prints the outcome of a build or check the way `common` asks; returns the exit code.
pub fn finish(common: &Common, sources: &Sources, result: Result<Summary, Error>) -> u8 {
    let json = common.message_format == MessageFormat::Json;
    match result {
        Ok(summary) => {
            if json {
                for w in &summary.warnings {
                    println!("{}", report::json(w, sources));
                }
                println!("{}", report::json_summary(&summary));
            } else {
                for w in &summary.warnings {
                    eprintln!("{}\n", report::render(w, sources, None, use_color()));
                }
                if !common.quiet {
                    println!("{summary}");
                }
            }
            0
        }
        Err(e) => {
            if json {
                match &e {
                    Error::Content(ds) => ds
                        .iter()
                        .for_each(|d| println!("{}", report::json(d, sources))),
                    other => println!("{}", report::json_failure(other)),
                }
            } else {
                eprint!("{}", report::render_error(&e, sources, use_color()));
            }
            e.exit_code()
        }
    }
}

/// Prints a usage or I/O error the way `build` does; returns the exit code. For commands that
/// have no content to report on.
pub fn fail(e: &Error) -> u8 {
    eprint!(
        "{}",
        report::render_error(e, &Sources::default(), use_color())
    );
    e.exit_code()
}

/// Colour only on a terminal, and never when `NO_COLOR` is set.
pub fn use_color() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal()
}
