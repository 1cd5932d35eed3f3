//! `floe config show`'s listing: every leaf of an environment's merged
//! configuration tree as `config.group.key: value`, aligned, with the file
//! that set it.

use crate::load::overlay::leaves;
use crate::load::yaml::Node;

/// `config.group.key: value   # file` lines, aligned.
pub fn config_text(env: &str, tree: &Node) -> String {
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
