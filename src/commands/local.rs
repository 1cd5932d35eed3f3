//! `floe local`: run SQL against the project's embedded local account,
//! reset it, or serve it.
//!
//! The account is one per project, shared by every environment
//! (`crate::local::project`). `exec` opens (or creates and seeds) it, makes
//! the database of the environment `--env` or `--branch` selects current,
//! executes the statement and prints the rows as `crate::render` lays them
//! out (an aligned table or JSON). The account is `crate::local`.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use super::engine::open_local_account;
use super::{Context, ExitCode};
use crate::cli::{AccountWideArgs, LocalCommand, LocalExecArgs, LocalResetArgs, LocalServeArgs};
use crate::connect::Secret;
use crate::diag::{Diagnostic, Diagnostics};
use crate::load::Project;
use crate::local::{self, LocalAccount};
use crate::render;
use crate::resolve::EnvSelection;
use crate::session::LoginContext;
use crate::wire::{self, ServeOptions, Warnings};

/// Runs `floe local`.
pub fn run(
    ctx: &Context,
    args: &LocalCommand,
    out: &mut dyn Write,
) -> Result<ExitCode, Diagnostics> {
    match args {
        LocalCommand::Exec(exec) => run_exec(ctx, exec, out),
        LocalCommand::Reset(reset) => run_reset(ctx, reset, out),
        LocalCommand::Serve(serve) => run_serve(ctx, serve, out),
    }
}

fn run_exec(
    ctx: &Context,
    args: &LocalExecArgs,
    out: &mut dyn Write,
) -> Result<ExitCode, Diagnostics> {
    let project = Project::load(&ctx.project)?;
    let account = open(ctx, &project, super::engine::local_latency()?)?;
    let chosen = args.env.env.is_some() || args.env.branch.is_some();
    let (account, current) = if chosen {
        let selection = project.select(&EnvSelection::from(&args.env))?;
        let env = &selection.environment;
        let login = LoginContext {
            database: Some(env.database.to_sql()),
            ..LoginContext::default()
        };
        let account = account.logged_in(&login).map_err(|e| sql_error(&e, None))?;
        (
            account,
            Some(format!("with the database of {} current", env.name)),
        )
    } else {
        (account, None)
    };
    let rows = account
        .execute_sync(&args.sql)
        .map_err(|e| sql_error(&e, current.as_deref()))?;
    let text = if args.json {
        render::rows_json(&rows)
    } else {
        render::rows_table(&rows)
    };
    out.write_all(text.as_bytes())
        .map_err(|e| Diagnostic::error(format!("cannot write the result: {e}")))?;
    Ok(0)
}

/// Snowflake's error for a statement, with where it ran.
fn sql_error(e: &crate::session::SqlError, current: Option<&str>) -> Diagnostics {
    let place = match current {
        Some(current) => format!("the statement ran against the project's local account, {current}"),
        None => "the statement ran against the project's local account, with no database current (`--env ENV` makes an environment's current)".to_string(),
    };
    Diagnostic::error(format!("{} ({}): {}", e.code, e.sql_state, e.message))
        .hint(place)
        .into()
}

fn run_reset(
    ctx: &Context,
    args: &LocalResetArgs,
    out: &mut dyn Write,
) -> Result<ExitCode, Diagnostics> {
    if let Some(given) = args.env.given() {
        return Err(Diagnostic::error(format!(
            "`floe local reset` takes no `{given}`: the local account is the project's, shared by every environment, and a reset deletes it for all of them"
        ))
        .hint("run `floe local reset` without it to delete the whole local account; to start one environment over, destroy its objects with floe instead")
        .into());
    }
    let reset =
        local::project::reset(&ctx.project).map_err(|e| Diagnostic::error(e.to_string()))?;
    let message = render::reset_text(&reset, &local::account_path(&ctx.project));
    out.write_all(message.as_bytes())
        .map_err(|e| Diagnostic::error(format!("cannot write: {e}")))?;
    Ok(0)
}

/// Opens the project's account with its seed files and edition.
fn open(
    ctx: &Context,
    project: &Project,
    latency: Option<std::time::Duration>,
) -> Result<LocalAccount, Diagnostics> {
    let seeds: Vec<PathBuf> = project
        .seed_files()
        .iter()
        .map(|p| ctx.project.join(p))
        .collect();
    Ok(open_local_account(&ctx.project, &seeds, latency)?.with_edition(project.local_edition()))
}

/// The warning for `--env`/`--branch` given to `serve`, which selects nothing.
fn ignored_selection(args: &AccountWideArgs) -> Option<String> {
    args.given().map(|given| {
        format!(
            "`{given}` is ignored: the served local account is the project's, shared by every environment; clients choose their database and schema when they log in"
        )
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
    let project = Project::load(&ctx.project)?;
    if let Some(message) = ignored_selection(&args.env) {
        eprint!("{}", render::warning_text(&message));
    }
    // The server sleeps FLOE_LOCAL_LATENCY_MS per query itself; the account must not sleep again.
    let account = open(ctx, &project, None)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serve_warns_that_an_environment_selects_nothing_and_is_quiet_without_one() {
        let env = AccountWideArgs {
            env: Some("DEV".into()),
            branch: None,
        };
        let warning = ignored_selection(&env).expect("a warning");
        assert!(warning.starts_with("`--env DEV` is ignored"), "{warning}");
        let branch = AccountWideArgs {
            env: None,
            branch: Some("main".into()),
        };
        assert!(ignored_selection(&branch).is_some_and(|w| w.contains("`--branch main`")));
        assert_eq!(ignored_selection(&AccountWideArgs::default()), None);
    }
}
