//! `floe config show`: the merged configuration tree of one environment,
//! each leaf with the file that set it.

use std::io::Write;

use super::{Context, ExitCode};
use crate::cli::ConfigCommand;
use crate::diag::Diagnostics;
use crate::load::Project;
use crate::render;
use crate::resolve::EnvSelection;

/// Runs `floe config`.
pub fn run(
    ctx: &Context,
    args: &ConfigCommand,
    out: &mut dyn Write,
) -> Result<ExitCode, Diagnostics> {
    let ConfigCommand::Show(env_args) = args;
    let project = Project::load(&ctx.project)?;
    let selection = project.select(&EnvSelection::from(env_args))?;
    let tree = project.config_tree(&selection.environment, &selection.git)?;
    let _ = write!(
        out,
        "{}",
        render::config_text(&selection.environment.name, &tree)
    );
    Ok(0)
}
