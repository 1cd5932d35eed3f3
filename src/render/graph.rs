//! `floe graph`'s layouts of one environment's dependency graph: indented
//! text, Graphviz dot and a mermaid flowchart, each edge with its reason.

use crate::resolve::ResolvedEnv;

/// Each resource in dependency order, with what it depends on and why.
pub fn graph_text(resolved: &ResolvedEnv) -> String {
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
pub fn graph_dot(resolved: &ResolvedEnv) -> String {
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
pub fn graph_mermaid(resolved: &ResolvedEnv) -> String {
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
