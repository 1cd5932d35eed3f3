//! The command line: clap types only, turned into typed commands.
//!
//! Nothing here reads files or talks to an account; `commands` does the work.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// floe keeps a Snowflake ML platform in the state its git repository declares.
///
/// Resources (warehouses, feature-store entities and feature views, registry
/// models, task graphs) are YAML files under `resources/`. The git branch picks
/// the environment (`feature/*` → DEV, `release/*` → STAGING, `main` → PROD, as
/// `config/environments.yaml` says); `plan` shows what would change, `apply`
/// does it, `drift` shows what changed behind the repository's back.
///
/// With no Snowflake connection configured, floe works against an embedded
/// local account, so every command can be tried on a fresh clone.
#[derive(Debug, Parser)]
#[command(name = "floe", version, propagate_version = true, max_term_width = 100)]
pub struct Cli {
    /// The floe project to work on (the folder holding `config/environments.yaml`).
    #[arg(
        short = 'C',
        long = "project",
        global = true,
        value_name = "DIR",
        default_value = "."
    )]
    pub project: PathBuf,

    /// Print more detail (statement counts and timings, each step as it runs).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// floe's commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new project in DIR (created if missing) and apply it to the local DEV account.
    Init(InitArgs),
    /// Load and check the whole project offline, for every environment (or one).
    Validate(EnvArgs),
    /// Show which environment a branch selects, and why.
    Env(EnvCommand),
    /// Inspect merged configuration overlays.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Print the dependency graph of the declared resources.
    Graph(GraphArgs),
    /// Compute what apply would change in the selected environment.
    Plan(PlanArgs),
    /// Execute a plan: the one in PLANFILE, or a fresh one after confirmation.
    Apply(ApplyArgs),
    /// Compare live, last applied and declared; exit 2 when they differ.
    Drift(DriftArgs),
    /// Inspect and repair the recorded state of an environment.
    #[command(subcommand)]
    State(StateCommand),
    /// Write resource files for what an environment already holds, and adopt it in state.
    Import(ImportArgs),
    /// Work with the embedded local account directly.
    #[command(subcommand)]
    Local(LocalCommand),
    /// Print a shell completion script, e.g. `floe completions bash > /etc/bash_completion.d/floe`.
    Completions(CompletionsArgs),
    /// Print the JSON Schema of resource files for editors, e.g. `floe schema > .floe/schema.json`.
    Schema,
}

/// `floe import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Environment selection.
    #[command(flatten)]
    pub env: EnvArgs,
    /// Connection selection.
    #[command(flatten)]
    pub connection: ConnectionArgs,
    /// Write the files under DIR instead of the project's resources/, for
    /// review: no state is recorded then. Existing files are never overwritten.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Import only this schema (repeatable); warehouses then only when an
    /// imported feature view or task runs on them.
    #[arg(long = "schema", value_name = "SCHEMA")]
    pub schemas: Vec<String>,
}

/// `floe completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// `floe init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder of the new project (default: the `-C` folder, `.`); never overwrites a file.
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

/// Choosing an environment: explicitly, or through a branch.
#[derive(Debug, Clone, Default, Args)]
pub struct EnvArgs {
    /// The environment by name (DEV, STAGING, PROD, ...).
    #[arg(long, value_name = "ENV", conflicts_with = "branch")]
    pub env: Option<String>,
    /// Resolve the environment from this branch instead of the checkout's.
    #[arg(long, value_name = "BRANCH")]
    pub branch: Option<String>,
}

/// Choosing the connection for a run.
#[derive(Debug, Clone, Default, Args)]
pub struct ConnectionArgs {
    /// A connection from connections.toml, or `local` for the embedded account.
    #[arg(long, value_name = "NAME")]
    pub connection: Option<String>,
}

/// `floe env`.
#[derive(Debug, Args)]
pub struct EnvCommand {
    /// `list` shows every environment and its branch patterns.
    #[command(subcommand)]
    pub list: Option<EnvList>,
    /// The branch to resolve (default: FLOE_BRANCH, CI variables, the checkout).
    #[arg(long, value_name = "BRANCH")]
    pub branch: Option<String>,
}

/// `floe env list`.
#[derive(Debug, Subcommand)]
pub enum EnvList {
    /// Every environment with its branch and tag patterns.
    List,
}

/// `floe config ...`.
#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print the merged configuration tree, each value with the file that set it.
    Show(EnvArgs),
}

/// Output formats of `floe graph`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    /// Indented text: each resource and what it depends on.
    #[default]
    Text,
    /// Graphviz dot.
    Dot,
    /// A mermaid flowchart.
    Mermaid,
}

/// `floe graph`.
#[derive(Debug, Args)]
pub struct GraphArgs {
    /// Environment selection (default: from the branch).
    #[command(flatten)]
    pub env: EnvArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = GraphFormat::Text)]
    pub format: GraphFormat,
}

/// Output formats of `floe plan`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum PlanFormat {
    /// For people at a terminal.
    #[default]
    Text,
    /// The plan's JSON (format_version 1), as `--out` saves it.
    Json,
    /// A compact summary for a pull request comment.
    Markdown,
}

/// `floe plan`.
#[derive(Debug, Args)]
pub struct PlanArgs {
    /// Environment selection.
    #[command(flatten)]
    pub env: EnvArgs,
    /// Connection selection.
    #[command(flatten)]
    pub connection: ConnectionArgs,
    /// Save the plan to FILE for a later `floe apply FILE`.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Output format: text, json or markdown (a pull request comment).
    #[arg(long, value_enum, value_name = "FORMAT", conflicts_with = "json")]
    pub format: Option<PlanFormat>,
    /// Print the plan as JSON (format_version 1): short for `--format json`.
    #[arg(long)]
    pub json: bool,
    /// Also print the exact SQL statements of every step (text format).
    #[arg(long)]
    pub sql: bool,
    /// Limit the plan to these addresses and what they depend on.
    #[arg(long, value_name = "ADDR")]
    pub target: Vec<String>,
    /// Exit 2 when changes are pending, 0 when none.
    #[arg(long)]
    pub detailed_exitcode: bool,
}

impl PlanArgs {
    /// The output format `--format` or `--json` chose (text by default).
    pub fn output_format(&self) -> PlanFormat {
        match self.format {
            Some(format) => format,
            None if self.json => PlanFormat::Json,
            None => PlanFormat::Text,
        }
    }
}

/// `floe apply`.
#[derive(Debug, Args)]
pub struct ApplyArgs {
    /// A plan saved with `floe plan --out`; without it a fresh plan is made.
    #[arg(value_name = "PLANFILE")]
    pub plan_file: Option<PathBuf>,
    /// Environment selection.
    #[command(flatten)]
    pub env: EnvArgs,
    /// Connection selection.
    #[command(flatten)]
    pub connection: ConnectionArgs,
    /// Do not ask for confirmation.
    #[arg(long)]
    pub auto_approve: bool,
    /// Allow deletes and replaces of objects that hold data or history.
    #[arg(long)]
    pub allow_destroy: bool,
    /// Apply new model default versions even when their metrics gate refuses them.
    #[arg(long)]
    pub allow_regression: bool,
    /// How many statements may run at once.
    #[arg(long, value_name = "N", default_value_t = crate::apply::DEFAULT_PARALLELISM, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub parallelism: u16,
    /// Limit the apply to these addresses and what they depend on.
    #[arg(long, value_name = "ADDR")]
    pub target: Vec<String>,
}

/// `floe drift`.
#[derive(Debug, Args)]
pub struct DriftArgs {
    /// Environment selection.
    #[command(flatten)]
    pub env: EnvArgs,
    /// Connection selection.
    #[command(flatten)]
    pub connection: ConnectionArgs,
    /// Print the report as JSON (format_version 1).
    #[arg(long)]
    pub json: bool,
}

/// `floe state ...`.
#[derive(Debug, Subcommand)]
pub enum StateCommand {
    /// List every address recorded in the state.
    List(StateArgs),
    /// Show one recorded resource.
    Show(StateAddrArgs),
    /// Forget a resource without touching the account.
    Rm(StateAddrArgs),
    /// Adopt an existing object into the state.
    Import(StateImportArgs),
    /// Remove a stale apply lock.
    Unlock(StateArgs),
    /// List the kept serials, newest first, and the addresses each changed.
    History(StateHistoryArgs),
    /// Put the recorded state back as it was right after a serial (state only: the account is not touched).
    Restore(StateRestoreArgs),
    /// Move the environment's state to the other backend, files or snowflake, verified by reading it back.
    Migrate(StateMigrateArgs),
}

/// `floe state history`.
#[derive(Debug, Args)]
pub struct StateHistoryArgs {
    /// Only the serials that changed this address, e.g. `warehouse.ML_TRAINING_WH_DEV`.
    #[arg(value_name = "ADDR")]
    pub address: Option<String>,
    /// Show at most N serials.
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub limit: usize,
    /// Environment selection.
    #[command(flatten)]
    pub env: EnvArgs,
    /// Connection selection.
    #[command(flatten)]
    pub connection: ConnectionArgs,
}

/// `floe state restore`.
#[derive(Debug, Args)]
pub struct StateRestoreArgs {
    /// The serial to return to, from `floe state history`.
    #[arg(value_name = "SERIAL")]
    pub serial: u64,
    /// Do not ask for confirmation.
    #[arg(long)]
    pub auto_approve: bool,
    /// Environment selection.
    #[command(flatten)]
    pub env: EnvArgs,
    /// Connection selection.
    #[command(flatten)]
    pub connection: ConnectionArgs,
}

/// `floe state migrate`.
#[derive(Debug, Args)]
pub struct StateMigrateArgs {
    /// The backend to move the state into; it is read from the other one.
    #[arg(long, value_enum, value_name = "BACKEND")]
    pub to: StateBackendArg,
    /// Environment selection.
    #[command(flatten)]
    pub env: EnvArgs,
    /// Connection selection.
    #[command(flatten)]
    pub connection: ConnectionArgs,
}

/// A state backend, as `state.backend` in environments.yaml names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StateBackendArg {
    /// `state/<ENV>.json` in the project.
    Files,
    /// Tables in the environment's database.
    Snowflake,
}

/// Arguments shared by the state commands.
#[derive(Debug, Args)]
pub struct StateArgs {
    /// Environment selection.
    #[command(flatten)]
    pub env: EnvArgs,
    /// Connection selection, for state kept in the account.
    #[command(flatten)]
    pub connection: ConnectionArgs,
}

/// A state command about one address.
#[derive(Debug, Args)]
pub struct StateAddrArgs {
    /// The resource address, e.g. `warehouse.ML_TRAINING_WH_DEV`.
    #[arg(value_name = "ADDR")]
    pub address: String,
    /// Environment selection.
    #[command(flatten)]
    pub env: EnvArgs,
    /// Connection selection, for state kept in the account.
    #[command(flatten)]
    pub connection: ConnectionArgs,
}

/// `floe state import`.
#[derive(Debug, Args)]
pub struct StateImportArgs {
    /// The declared resource address to adopt the live object for.
    #[arg(value_name = "ADDR")]
    pub address: String,
    /// Environment selection.
    #[command(flatten)]
    pub env: EnvArgs,
    /// Connection selection.
    #[command(flatten)]
    pub connection: ConnectionArgs,
}

/// `floe local ...`.
#[derive(Debug, Subcommand)]
pub enum LocalCommand {
    /// Run SQL against the project's local account (every environment's) and print the last result;
    /// `--env` or `--branch` makes that environment's database current.
    Exec(LocalExecArgs),
    /// Delete the project's local account, for every environment (re-created and re-seeded on next use).
    Reset(LocalResetArgs),
    /// Serve the project's local account over Snowflake's HTTP query protocol.
    Serve(LocalServeArgs),
}

/// `floe local exec`.
#[derive(Debug, Args)]
pub struct LocalExecArgs {
    /// The statement, e.g. `SHOW WAREHOUSES`.
    #[arg(value_name = "SQL")]
    pub sql: String,
    /// The environment whose database is current (none without `--env` or `--branch`).
    #[command(flatten)]
    pub env: EnvArgs,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `--env` and `--branch` where older floe chose one account per
/// environment: the account is now the project's, so they select nothing.
#[derive(Debug, Clone, Default, Args)]
pub struct AccountWideArgs {
    /// Accepted from older command lines; the account is shared by every environment.
    #[arg(long, value_name = "ENV", hide = true)]
    pub env: Option<String>,
    /// Accepted from older command lines; the account is shared by every environment.
    #[arg(long, value_name = "BRANCH", hide = true)]
    pub branch: Option<String>,
}

impl AccountWideArgs {
    /// The option given, as written (`--env DEV`), when one was.
    pub fn given(&self) -> Option<String> {
        match (&self.env, &self.branch) {
            (Some(env), _) => Some(format!("--env {env}")),
            (None, Some(branch)) => Some(format!("--branch {branch}")),
            (None, None) => None,
        }
    }
}

/// `floe local reset`.
#[derive(Debug, Args)]
pub struct LocalResetArgs {
    /// Refused: a reset deletes the account of every environment.
    #[command(flatten)]
    pub env: AccountWideArgs,
}

/// `floe local serve`.
#[derive(Debug, Args)]
pub struct LocalServeArgs {
    /// Ignored, with a warning: clients choose their database and schema when they log in.
    #[command(flatten)]
    pub env: AccountWideArgs,
    /// TCP port to listen on (0 picks a free one and prints it).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Address to listen on; loopback unless you say otherwise.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: String,
    /// The user name clients log in with (password from FLOE_LOCAL_PASSWORD).
    #[arg(long, default_value = "floe")]
    pub user: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }
}
