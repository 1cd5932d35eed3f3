//! `floe config show`: the merged configuration tree of one environment,
//! each leaf with the file that set it.

use std::io::Write;

use super::{Context, ExitCode};
use crate::cli::ConfigCommand;
use crate::diag::Diagnostics;
use crate::load::Project;
use crate::load::overlay::leaves;
use crate::load::yaml::Node;
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
    let _ = write!(out, "{}", render(&selection.environment.name, &tree));
    Ok(0)
}

/// `config.group.key: value   # file` lines, aligned.
fn render(env: &str, tree: &Node) -> String {
    let rows: Vec<(String, String)> = leaves("config", tree)
        .into_iter()
        .filter(|(path, _)| path != "config")
        .map(|(path, node)| {
            let value = node
                .value
                .scalar_text()
                .unwrap_or_else(|| node.to_json().to_string());
            (
                format!("{path}: {value}"),
                node.span.file.display().to_string(),
            )
        })
        .collect();
    if rows.is_empty() {
        return format!("# {env}: no configuration (add config/<group>/base.yaml)\n");
    }
    let width = rows
        .iter()
        .map(|(l, _)| l.chars().count())
        .max()
        .unwrap_or(0);
    let mut out = format!("# configuration for {env}\n");
    for (line, origin) in rows {
        let pad = width - line.chars().count();
        out.push_str(&format!("{line}{}   # {origin}\n", " ".repeat(pad)));
    }
    out
}
