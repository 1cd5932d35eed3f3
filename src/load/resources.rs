//! Resource documents: every YAML document under `resources/`.
//!
//! Finds the files (any layout, `.yaml` or `.yml`, sorted for a stable order),
//! parses every document and checks the two fields every resource has: a
//! known `kind` and a `name`. The documents stay raw nodes here, because their
//! strings are interpolated per environment before they are read as a kind.

use std::path::{Path, PathBuf};

use super::overlay::sorted_entries;
use super::suggest::did_you_mean;
use super::yaml::{Node, Value, parse_documents};
use crate::diag::{Diagnostic, Diagnostics, Span};
use crate::model::KindName;

/// The folder holding resource files, relative to the project root.
pub const RESOURCES_DIR: &str = "resources";

/// One resource document, not yet interpolated.
#[derive(Debug, Clone)]
pub struct Document {
    /// The resource's kind.
    pub kind: KindName,
    /// The document (a mapping holding `kind` and `name`).
    pub node: Node,
}

/// Reads every resource document under `root/resources`, reporting every problem.
pub fn load_documents(root: &Path) -> Result<Vec<Document>, Diagnostics> {
    let mut files = Vec::new();
    collect_files(root, Path::new(RESOURCES_DIR), &mut files);
    let mut problems = Diagnostics::new();
    let mut documents = Vec::new();
    for rel in files {
        let text = match std::fs::read_to_string(root.join(&rel)) {
            Ok(text) => text,
            Err(e) => {
                problems.push(
                    Diagnostic::error(format!("cannot read {}: {e}", rel.display()))
                        .at(Span::file(&rel)),
                );
                continue;
            }
        };
        match parse_documents(&text, &rel) {
            Ok(nodes) => {
                for node in nodes {
                    match document(node) {
                        Ok(Some(doc)) => documents.push(doc),
                        Ok(None) => {}
                        Err(d) => problems.push(d),
                    }
                }
            }
            Err(d) => problems.push(d),
        }
    }
    if problems.is_empty() {
        Ok(documents)
    } else {
        Err(problems)
    }
}

fn collect_files(root: &Path, rel: &Path, out: &mut Vec<PathBuf>) {
    for path in sorted_entries(&root.join(rel)) {
        let Some(name) = path.file_name() else {
            continue;
        };
        let rel_path = rel.join(name);
        if path.is_dir() {
            collect_files(root, &rel_path, out);
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(rel_path);
        }
    }
}

/// The resource document `node` (one YAML document of a resource file):
/// `None` for an empty document, an error when it is no resource.
pub fn document(node: Node) -> Result<Option<Document>, Diagnostic> {
    match &node.value {
        Value::Null => return Ok(None),
        Value::Map(_) => {}
        _ => {
            return Err(Diagnostic::error(format!(
                "a resource must be a mapping, this is {}",
                node.type_name()
            ))
            .at(node.span.clone())
            .hint("start the document with `kind:` and `name:`"));
        }
    }
    let kinds: Vec<&str> = KindName::ALL.iter().map(|k| k.yaml_name()).collect();
    let kind_node = node.get("kind").ok_or_else(|| {
        Diagnostic::error("this resource has no `kind`")
            .at(node.span.clone())
            .hint(format!("add `kind:` with one of {}", kinds.join(", ")))
    })?;
    let kind_text = kind_node.value.scalar_text().unwrap_or_default();
    let kind = KindName::from_yaml_name(&kind_text).ok_or_else(|| {
        let d = Diagnostic::error(format!("unknown kind `{kind_text}`")).at(kind_node.span.clone());
        match did_you_mean(&kind_text, kinds.iter().copied()) {
            Some(best) => d.hint(format!(
                "did you mean `{best}`? Kinds: {}",
                kinds.join(", ")
            )),
            None => d.hint(format!("the kinds are {}", kinds.join(", "))),
        }
    })?;
    if node.get("name").is_none() {
        return Err(
            Diagnostic::error(format!("this {} has no `name`", kind.yaml_name()))
                .at(node.span.clone())
                .hint("add `name:` with the object's Snowflake name"),
        );
    }
    Ok(Some(Document { kind, node }))
}
