//! `floe plan`: read the environment, compare, and show what apply would do.
//!
//! The plan is printed as text, JSON (`--format json`, or `--json`) or
//! markdown for a pull request comment (`--format markdown`), optionally saved
//! with `--out` for `floe apply PLANFILE`. With `-v` the statements issued
//! to read the account, and their time, go to stderr. Planning never
//! changes the account or the state, so it takes no lock.

use std::io::Write;

use super::engine::{self, Workspace, color_stdout, write};
use super::leftovers;
use super::{Context, ExitCode};
use crate::atomic_file::write_atomic;
use crate::cli::{PlanArgs, PlanFormat};
use crate::diag::{Diagnostic, Diagnostics};
use crate::kinds::reconciler_kinds;
use crate::render::{self, TextOptions};

/// Runs `floe plan`.
pub fn run(ctx: &Context, args: &PlanArgs, out: &mut dyn Write) -> Result<ExitCode, Diagnostics> {
    let mut workspace = Workspace::open(&ctx.project, &args.env)?;
    let targets = engine::targets(&args.target)?;
    let kinds = reconciler_kinds();
    // From here on only the resources are compared: the declarations they
    // were read from go before the account's records and the plan come in.
    drop(std::mem::take(&mut workspace.resolved.specs));
    let (mut plan, introspection, state) = engine::runtime()?.block_on(async {
        let session = workspace.connect(&args.connection).await?;
        let state = workspace
            .load_state_from(&workspace.backend(&session))
            .await?;
        if let Some(run) =
            leftovers::interrupted_run(&workspace.store, &workspace.resolved, &state, &kinds)
        {
            eprint!("{}", render::interrupted_run_text(&run));
        }
        let introspection = workspace.introspect(session, &kinds, &state).await?;
        let plan = workspace.plan_moving_resources(&kinds, &state, &introspection, &targets)?;
        Ok::<_, Diagnostics>((plan, introspection, state))
    })?;
    plan.origin = workspace.origin(&args.connection);
    if ctx.verbose > 0 {
        eprint!("{}", render::introspection_text(&introspection));
    }
    if let Some(path) = &args.out {
        write_atomic(path, render::plan_json(&plan).as_bytes()).map_err(|e| {
            Diagnostic::error(format!("cannot save the plan to {}: {e}", path.display()))
        })?;
    }
    match args.output_format() {
        PlanFormat::Json => write(out, &render::plan_json(&plan))?,
        PlanFormat::Markdown => write(out, &render::plan_markdown(&plan, &plan.origin))?,
        PlanFormat::Text => {
            let options = TextOptions {
                color: color_stdout(),
                sql: args.sql,
            };
            write(out, &render::plan_text(&plan, options))?;
            if let Some(path) = &args.out {
                write(out, &render::plan_saved_text(path))?;
            }
        }
    }
    let code = if args.detailed_exitcode && plan.has_changes() {
        2
    } else {
        0
    };
    // The process ends with this command: freeing every declared, recorded
    // and live record one by one (a tenth of a 10,000-object plan's CPU)
    // would only hand memory back to a process about to exit.
    std::mem::forget((workspace, state, introspection, plan));
    Ok(code)
}
