//! `floe drift`: what changed in the account behind floe's back.
//!
//! Reads the account like `plan` and reports, from the same three-way
//! comparison, the objects whose live attributes left what was applied,
//! the applied objects that are gone, and declared objects missing from the
//! account. Exit 2 when any exist, so a scheduled job can alert on it.

use std::io::Write;

use super::engine::{self, Workspace, color_stdout, write};
use super::{Context, ExitCode};
use crate::cli::DriftArgs;
use crate::diag::Diagnostics;
use crate::diff::DriftReport;
use crate::kinds::reconciler_kinds;
use crate::render::{self, TextOptions};

/// Runs `floe drift`.
pub fn run(ctx: &Context, args: &DriftArgs, out: &mut dyn Write) -> Result<ExitCode, Diagnostics> {
    let workspace = Workspace::open(&ctx.project, &args.env)?;
    let kinds = reconciler_kinds();
    let plan = engine::runtime()?.block_on(async {
        let session = workspace.connect(&args.connection).await?;
        let state = workspace
            .load_state_from(&workspace.backend(&session))
            .await?;
        let introspection = workspace.introspect(session, &kinds, &state).await?;
        if ctx.verbose > 0 {
            eprint!("{}", render::introspection_text(&introspection));
        }
        workspace.plan(&kinds, &state, &introspection, &[])
    })?;
    let report = DriftReport::from_plan(&plan);
    if args.json {
        write(out, &render::drift_json(&report))?;
    } else {
        let options = TextOptions {
            color: color_stdout(),
            sql: false,
        };
        write(out, &render::drift_text(&report, options))?;
    }
    Ok(if report.has_drift() { 2 } else { 0 })
}
