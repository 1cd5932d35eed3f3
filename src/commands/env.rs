//! `floe env`: which environment the branch selects and why; `floe env list`:
//! every environment with its patterns.

use std::io::Write;

use super::{Context, ExitCode};
use crate::cli::{EnvCommand, EnvList};
use crate::diag::Diagnostics;
use crate::load::Project;
use crate::render;
use crate::resolve::EnvSelection;

/// Runs `floe env`.
pub fn run(ctx: &Context, args: &EnvCommand, out: &mut dyn Write) -> Result<ExitCode, Diagnostics> {
    let project = Project::load(&ctx.project)?;
    let text = match args.list {
        Some(EnvList::List) => render::env_list_text(&project),
        None => {
            let selection = EnvSelection {
                env: None,
                branch: args.branch.clone(),
            };
            render::env_text(&project, &project.select(&selection)?)
        }
    };
    let _ = out.write_all(text.as_bytes());
    Ok(0)
}
