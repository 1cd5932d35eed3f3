//! `floe graph`: the dependency graph of one environment's resources, as
//! indented text, Graphviz dot or a mermaid flowchart.

use std::io::Write;

use super::{Context, ExitCode};
use crate::cli::{GraphArgs, GraphFormat};
use crate::diag::Diagnostics;
use crate::load::Project;
use crate::resolve::{EnvSelection, ResolvedEnv};

/// Runs `floe graph`.
pub fn run(ctx: &Context, args: &GraphArgs, out: &mut dyn Write) -> Result<ExitCode, Diagnostics> {
    let resolved = Project::load(&ctx.project)?.resolve(&EnvSelection::from(&args.env))?;
    let text = match args.format {
        GraphFormat::Text => text(&resolved),
        GraphFormat::Dot => dot(&resolved),
        GraphFormat::Mermaid => mermaid(&resolved),
    };
    let _ = out.write_all(text.as_bytes());
    Ok(0)
}

/// Each resource in dependency order, with what it depends on and why.
fn text(resolved: &ResolvedEnv) -> String {
    let mut out = format!("# {} in dependency order\n", resolved.environment().name);
    for r in &resolved.resources {
        out.push_str(&format!("{}\n", r.address));
        for dep in &r.depends_on {
            let why = resolved
                .graph
                .reason(&r.address, dep)
                .map(|w| format!(" ({w})"))
                .unwrap_or_default();
            out.push_str(&format!("  depends on {dep}{why}\n"));
        }
    }
    out
}

fn dot_quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Graphviz: an edge `dependent -> dependency`.
fn dot(resolved: &ResolvedEnv) -> String {
    let mut out = String::from("digraph floe {\n  rankdir=LR;\n  node [shape=box];\n");
    for r in &resolved.resources {
        out.push_str(&format!("  {};\n", dot_quote(&r.address.to_string())));
    }
    for (dependent, dependency, why) in resolved.graph.edges() {
        out.push_str(&format!(
            "  {} -> {} [label={}];\n",
            dot_quote(&dependent.to_string()),
            dot_quote(&dependency.to_string()),
            dot_quote(&why.to_string())
        ));
    }
    out.push_str("}\n");
    out
}

/// Mermaid: an edge `dependent --> dependency`.
fn mermaid(resolved: &ResolvedEnv) -> String {
    let ids: Vec<String> = resolved
        .resources
        .iter()
        .map(|r| r.address.to_string())
        .collect();
    let id = |a: &str| {
        ids.iter()
            .position(|i| i == a)
            .map(|n| format!("n{n}"))
            .unwrap_or_default()
    };
    let label = |s: &str| s.replace('"', "#quot;");
    let mut out = String::from("flowchart LR\n");
    for (n, address) in ids.iter().enumerate() {
        out.push_str(&format!("  n{n}[\"{}\"]\n", label(address)));
    }
    for (dependent, dependency, why) in resolved.graph.edges() {
        out.push_str(&format!(
            "  {} -->|{}| {}\n",
            id(&dependent.to_string()),
            label(&why.to_string()),
            id(&dependency.to_string())
        ));
    }
    out
}
