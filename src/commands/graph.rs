//! `floe graph`: the dependency graph of one environment's resources, as
//! indented text, Graphviz dot or a mermaid flowchart.

use std::io::Write;

use super::{Context, ExitCode};
use crate::cli::{GraphArgs, GraphFormat};
use crate::diag::Diagnostics;
use crate::load::Project;
use crate::render;
use crate::resolve::EnvSelection;

/// Runs `floe graph`.
pub fn run(ctx: &Context, args: &GraphArgs, out: &mut dyn Write) -> Result<ExitCode, Diagnostics> {
    let resolved = Project::load(&ctx.project)?.resolve(&EnvSelection::from(&args.env))?;
    let text = match args.format {
        GraphFormat::Text => render::graph_text(&resolved),
        GraphFormat::Dot => render::graph_dot(&resolved),
        GraphFormat::Mermaid => render::graph_mermaid(&resolved),
    };
    let _ = out.write_all(text.as_bytes());
    Ok(0)
}
