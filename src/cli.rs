//! The command line: clap derive. Each `///` is the `--help` text of its flag.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// lectern: a static site generator for lessons whose numbers are proven at build time.
#[derive(Debug, Parser)]
#[command(name = "lectern", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub common: Common,
    /// Where to write the site (default: ROOT/site). It is replaced as a whole.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Compute and check every matrix, render the site into site/ (what a bare `lectern` does).
    Build(BuildArgs),
    /// Run everything a build runs (content, computations, expectations, templates, links)
    /// without writing anything. For CI and pre-commit hooks.
    Check(CheckArgs),
    /// Build into a temporary folder, serve it on 127.0.0.1 under base_url's path, rebuild on
    /// every change and reload open pages; errors show in the browser. Ctrl-C stops.
    Serve(ServeArgs),
    /// Create a lesson or a step from a starter, without overwriting anything.
    #[command(subcommand)]
    New(NewCommand),
    /// Create a new project (content/site.yaml and an example lesson) that builds at once.
    Init(InitArgs),
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// The project folder, holding content/ and optionally templates/.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
    /// The port to listen on; 0 picks a free one (the address is printed on stdout).
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// The address to listen on. Only this machine can connect unless you change it
    /// (e.g. `--bind 0.0.0.0` to test from a phone on your network).
    #[arg(long, value_name = "IP", default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Open the site in the default browser.
    #[arg(long)]
    pub open: bool,
    /// Look for changes by polling every file (for file systems without change notifications).
    #[arg(long)]
    pub poll: bool,
}

#[derive(Debug, Subcommand)]
pub enum NewCommand {
    /// Create content/SLUG/ with a lesson.md holding front matter and a starter matrix.
    Lesson(NewLessonArgs),
    /// Create the next step of LESSON: NN-SLUG.md with front matter and a starter matrix.
    Step(NewStepArgs),
}

#[derive(Debug, Clone, Args)]
pub struct NewLessonArgs {
    /// The lesson's folder name and URL: lowercase letters, digits and dashes.
    pub slug: String,
    /// The lesson's title (default: made from the slug).
    #[arg(long)]
    pub title: Option<String>,
    /// The project folder.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
}

#[derive(Debug, Clone, Args)]
pub struct NewStepArgs {
    /// The lesson's folder name under content/.
    pub lesson: String,
    /// The step's name after its number: lowercase letters, digits and dashes.
    pub slug: String,
    /// The step's title (default: made from the slug).
    #[arg(long)]
    pub title: Option<String>,
    /// The project folder.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
}

#[derive(Debug, Clone, Args)]
pub struct InitArgs {
    /// Where to create the project (created if missing).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
}

#[derive(Debug, Clone, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub common: Common,
    /// Where to write the site (default: ROOT/site). It is replaced as a whole.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub common: Common,
}

/// Flags every command takes.
#[derive(Debug, Clone, Args)]
pub struct Common {
    /// The project folder, holding content/ and optionally templates/.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
    /// Treat warnings (e.g. a hidden matrix that nothing uses) as errors.
    #[arg(long)]
    pub strict: bool,
    /// How to print problems: `human` (rustc-style, on stderr) or `json` (one object per line
    /// on stdout, for editors and CI).
    #[arg(long, value_enum, value_name = "FORMAT", default_value = "human")]
    pub message_format: MessageFormat,
    /// Print nothing on success.
    #[arg(long, short)]
    pub quiet: bool,
    /// Use this base_url instead of site.yaml's, for this run only (`/`, a subpath such as
    /// `/lessons/`, or an absolute URL): for CI that knows the address only at build time.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MessageFormat {
    Human,
    Json,
}
