//! `floe local`: run SQL against an environment's embedded local account,
//! or reset it.
//!
//! The command resolves the environment, opens (or creates and seeds) its
//! account, executes the statement and prints the rows as `crate::render`
//! lays them out (an aligned table or JSON). The account is `crate::local`.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use super::{Context, ExitCode};
use crate::cli::{EnvArgs, LocalCommand, LocalExecArgs, LocalServeArgs};
use crate::connect::Secret;
use crate::diag::{Diagnostic, Diagnostics};
use crate::load::Project;
use crate::local::{self, LocalAccount};
use crate::render;
use crate::resolve::EnvSelection;
use crate::wire::{self, ServeOptions, Warnings};

/// Runs `floe local`.
pub fn run(
    ctx: &Context,
    args: &LocalCommand,
    out: &mut dyn Write,
) -> Result<ExitCode, Diagnostics> {
    match args {
        LocalCommand::Exec(exec) => run_exec(ctx, exec, out),
        LocalCommand::Reset(env) => run_reset(ctx, env, out),
        LocalCommand::Serve(serve) => run_serve(ctx, serve, out),
    }
}

fn run_exec(
    ctx: &Context,
    args: &LocalExecArgs,
    out: &mut dyn Write,
) -> Result<ExitCode, Diagnostics> {
    let env = target(ctx, &args.env)?;
    let path = local::account_path(&ctx.project, &env.name);
    let account = LocalAccount::open(&path, &env.seeds, super::engine::local_latency()?)
        .map_err(|e| Diagnostic::error(e.to_string()))?
        .with_edition(env.edition);
    let rows = account.execute_sync(&args.sql).map_err(|e| {
        Diagnostic::error(format!("{} ({}): {}", e.code, e.sql_state, e.message)).hint(format!(
            "the statement ran against the local account of {}",
            env.name
        ))
    })?;
    let text = if args.json {
        render::rows_json(&rows)
    } else {
        render::rows_table(&rows)
    };
    out.write_all(text.as_bytes())
        .map_err(|e| Diagnostic::error(format!("cannot write the result: {e}")))?;
    Ok(0)
}

fn run_reset(ctx: &Context, args: &EnvArgs, out: &mut dyn Write) -> Result<ExitCode, Diagnostics> {
    let env = target(ctx, args)?;
    let path = local::account_path(&ctx.project, &env.name);
    let existed = local::reset(&path).map_err(|e| Diagnostic::error(e.to_string()))?;
    let message = render::reset_text(&env.name, existed);
    out.write_all(message.as_bytes())
        .map_err(|e| Diagnostic::error(format!("cannot write: {e}")))?;
    Ok(0)
}

/// The environment a `floe local` run works on.
struct Target {
    /// The environment's name, as written in environments.yaml.
    name: String,
    /// Seed files for a new account, resolved against the project root.
    seeds: Vec<PathBuf>,
    /// The edition the account emulates.
    edition: crate::local::Edition,
}

/// Resolves the environment as every other command does (`--env`, `--branch`,
/// `FLOE_BRANCH`, CI variables, the checkout).
fn target(ctx: &Context, args: &EnvArgs) -> Result<Target, Diagnostics> {
    let project = Project::load(&ctx.project)?;
    let selection = project.select(&EnvSelection::from(args))?;
    let seeds = project
        .seed_files()
        .iter()
        .map(|p| ctx.project.join(p))
        .collect();
    Ok(Target {
        name: selection.environment.name.clone(),
        seeds,
        edition: project.local_edition(),
    })
}

/// `floe local serve`: the account over Snowflake's HTTP protocol until the
/// process is stopped. The password comes from `FLOE_LOCAL_PASSWORD` only, so
/// it never shows in a process list or shell history.
fn run_serve(
    ctx: &Context,
    args: &LocalServeArgs,
    out: &mut dyn Write,
) -> Result<ExitCode, Diagnostics> {
    let password = std::env::var("FLOE_LOCAL_PASSWORD").ok().filter(|p| !p.is_empty()).ok_or_else(|| {
        Diagnostic::error("`floe local serve` needs a password for its clients")
            .hint("set FLOE_LOCAL_PASSWORD in the environment (it is never read from the command line)")
    })?;
    let env = target(ctx, &args.env)?;
    let path = local::account_path(&ctx.project, &env.name);
    // The server sleeps FLOE_LOCAL_LATENCY_MS per query itself; the account must not sleep again.
    let account = LocalAccount::open(&path, &env.seeds, None)
        .map_err(|e| Diagnostic::error(e.to_string()))?
        .with_edition(env.edition);
    let mut options = ServeOptions::new(
        args.host.clone(),
        args.port,
        args.user.clone(),
        Secret::new(password),
    );
    options.warnings = Warnings::to(|message| eprint!("{}", render::warning_text(message)));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Diagnostic::error(format!("cannot start the server runtime: {e}")))?;
    runtime
        .block_on(wire::serve(Arc::new(account), options, out))
        .map_err(|e| Diagnostic::error(e.to_string()).hint(e.hint()))?;
    Ok(0)
}
