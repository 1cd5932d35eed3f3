//! One function per command: typed arguments in, an exit code or the
//! diagnostics to show out. Commands write what people read to `out`
//! (stdout at the edge); progress and logs go to stderr. Rendering of
//! diagnostics and the process exit happen in `main.rs`.

use std::io::Write;
use std::path::PathBuf;

use crate::cli::{Cli, Command, EnvArgs};
use crate::diag::Diagnostics;
use crate::resolve::EnvSelection;

mod apply;
mod completions;
mod config;
mod drift;
mod engine;
mod env;
mod graph;
mod import;
mod init;
mod leftovers;
mod local;
mod plan;
mod schema;
mod state;
mod validate;

/// What every command gets besides its own arguments.
#[derive(Debug, Clone)]
pub struct Context {
    /// The project root (the folder holding `config/environments.yaml`).
    pub project: PathBuf,
    /// `-v` count.
    pub verbose: u8,
}

/// The process exit code of a command that ran to its end.
pub type ExitCode = u8;

impl From<&EnvArgs> for EnvSelection {
    fn from(args: &EnvArgs) -> Self {
        EnvSelection {
            env: args.env.clone(),
            branch: args.branch.clone(),
        }
    }
}

/// Runs the parsed command line.
pub fn run(cli: Cli, out: &mut dyn Write) -> Result<ExitCode, Diagnostics> {
    let ctx = Context {
        project: cli.project,
        verbose: cli.verbose,
    };
    match cli.command {
        Command::Init(args) => init::run(&ctx, &args, out),
        Command::Validate(args) => validate::run(&ctx, &args, out),
        Command::Env(args) => env::run(&ctx, &args, out),
        Command::Config(args) => config::run(&ctx, &args, out),
        Command::Graph(args) => graph::run(&ctx, &args, out),
        Command::Plan(args) => plan::run(&ctx, &args, out),
        Command::Apply(args) => apply::run(&ctx, &args, out),
        Command::Drift(args) => drift::run(&ctx, &args, out),
        Command::State(args) => state::run(&ctx, &args, out),
        Command::Import(args) => import::run(&ctx, &args, out),
        Command::Local(args) => local::run(&ctx, &args, out),
        Command::Completions(args) => completions::run(&args, out),
        Command::Schema => schema::run(out),
    }
}
