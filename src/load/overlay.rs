//! Configuration overlays: `config/<group>/base.yaml` and its per-environment
//! `<env>.override.yaml` files, deep-merged into the `config` tree.
//!
//! Mappings merge key by key, scalars and lists replace. Every node keeps the
//! span of the file that set it, so `floe config show` can name each leaf's
//! origin. Interpolation of the merged values is not done here.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::yaml::{Key, Node, Value, parse_single};
use crate::diag::{Diagnostic, Diagnostics, Span};

/// The suffix of an environment's overlay file.
pub const OVERRIDE_SUFFIX: &str = ".override.yaml";

/// One `config/<group>/` folder.
#[derive(Debug, Clone)]
pub struct Group {
    /// The folder name, the key under `config`.
    pub name: String,
    /// `base.yaml`.
    pub base: Node,
    /// `(env name lower-cased, overlay)` for each `<env>.override.yaml`.
    pub overrides: Vec<(String, Node)>,
}

/// Every configuration group of a project.
#[derive(Debug, Clone, Default)]
pub struct ConfigGroups {
    /// The groups, sorted by name.
    pub groups: Vec<Group>,
}

impl ConfigGroups {
    /// Reads every `config/<group>/base.yaml` with its overlays; `env_names`
    /// are the declared environments (an overlay for another name is an error).
    pub fn load(root: &Path, env_names: &[&str]) -> Result<ConfigGroups, Diagnostics> {
        let mut problems = Diagnostics::new();
        let mut groups = Vec::new();
        for dir in sorted_entries(&root.join("config")) {
            if !dir.is_dir() {
                continue;
            }
            let Some(name) = dir.file_name().and_then(|n| n.to_str()).map(str::to_string) else {
                continue;
            };
            let rel = Path::new("config").join(&name);
            match load_group(root, &rel, name, env_names) {
                Ok(Some(group)) => groups.push(group),
                Ok(None) => {}
                Err(d) => problems.0.extend(d.0),
            }
        }
        if problems.is_empty() {
            Ok(ConfigGroups { groups })
        } else {
            Err(problems)
        }
    }

    /// The merged `config` tree for the environment `env`.
    pub fn merged(&self, env: &str) -> Node {
        let env = env.to_lowercase();
        let entries = self
            .groups
            .iter()
            .map(|g| {
                let mut tree = g.base.clone();
                for (name, overlay) in &g.overrides {
                    if *name == env {
                        tree = merge(&tree, overlay);
                    }
                }
                (
                    Key {
                        name: g.name.clone(),
                        span: g.base.span.clone(),
                    },
                    tree,
                )
            })
            .collect();
        Node::new(Value::Map(entries), Span::file("config"))
    }
}

fn load_group(
    root: &Path,
    rel: &Path,
    name: String,
    env_names: &[&str],
) -> Result<Option<Group>, Diagnostics> {
    let base_path = rel.join("base.yaml");
    let overlay_files: Vec<PathBuf> = sorted_entries(&root.join(rel))
        .into_iter()
        .filter(|p| p.to_str().is_some_and(|s| s.ends_with(OVERRIDE_SUFFIX)))
        .collect();
    if !root.join(&base_path).is_file() {
        return match overlay_files.first() {
            Some(first) => Err(Diagnostic::error(format!(
                "`{}` has overlays but no base.yaml",
                rel.display()
            ))
            .at(Span::file(rel.join(first.file_name().unwrap_or_default())))
            .hint(format!(
                "create {} with the values shared by every environment",
                base_path.display()
            ))
            .into()),
            None => Ok(None),
        };
    }
    let base = read_mapping(root, &base_path).map_err(Diagnostics::from)?;
    let overrides = read_overlays(root, rel, overlay_files, env_names)?;
    Ok(Some(Group {
        name,
        base,
        overrides,
    }))
}

/// `(env, overlay)` for each overlay file, refusing names of unknown environments.
fn read_overlays(
    root: &Path,
    rel: &Path,
    files: Vec<PathBuf>,
    env_names: &[&str],
) -> Result<Vec<(String, Node)>, Diagnostics> {
    let mut problems = Diagnostics::new();
    let mut overrides = Vec::new();
    let known: Vec<String> = env_names.iter().map(|e| e.to_lowercase()).collect();
    for path in files {
        let file_name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        let env = file_name.trim_end_matches(OVERRIDE_SUFFIX).to_string();
        let rel_path = rel.join(&file_name);
        if !known.contains(&env) {
            let expected: Vec<String> = known
                .iter()
                .map(|e| format!("{e}{OVERRIDE_SUFFIX}"))
                .collect();
            problems.push(
                Diagnostic::error(format!(
                    "`{file_name}` is an overlay for `{env}`, which is not an environment"
                ))
                .at(Span::file(&rel_path))
                .hint(format!(
                    "name overlays after a declared environment, lower-cased: {}",
                    expected.join(", ")
                )),
            );
            continue;
        }
        match read_mapping(root, &rel_path) {
            Ok(node) => overrides.push((env, node)),
            Err(d) => problems.push(d),
        }
    }
    if problems.is_empty() {
        Ok(overrides)
    } else {
        Err(problems)
    }
}

fn read_mapping(root: &Path, rel: &Path) -> Result<Node, Diagnostic> {
    let text = std::fs::read_to_string(root.join(rel)).map_err(|e| {
        Diagnostic::error(format!("cannot read {}: {e}", rel.display())).at(Span::file(rel))
    })?;
    let node = parse_single(&text, rel)?;
    match node.value {
        Value::Map(_) => Ok(node),
        Value::Null => Ok(Node::new(Value::Map(Vec::new()), Span::file(rel))),
        _ => Err(Diagnostic::error(format!(
            "{} must be a mapping of keys to values",
            rel.display()
        ))
        .at(node.span)
        .hint("write `key: value` lines")),
    }
}

/// The entries of a folder, sorted by name (empty when it cannot be read).
pub(crate) fn sorted_entries(dir: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    entries.sort();
    entries
}

/// Deep-merges `over` onto `base`: mappings key by key, anything else replaced.
pub fn merge(base: &Node, over: &Node) -> Node {
    match (&base.value, &over.value) {
        (Value::Map(base_entries), Value::Map(over_entries)) => {
            let overrides: HashMap<&str, &Node> = over_entries
                .iter()
                .map(|(k, v)| (k.name.as_str(), v))
                .collect();
            let in_base: HashSet<&str> =
                base_entries.iter().map(|(k, _)| k.name.as_str()).collect();
            let mut entries: Vec<(Key, Node)> = base_entries
                .iter()
                .map(|(k, v)| match overrides.get(k.name.as_str()) {
                    Some(ov) => (k.clone(), merge(v, ov)),
                    None => (k.clone(), v.clone()),
                })
                .collect();
            for (k, v) in over_entries {
                if !in_base.contains(k.name.as_str()) {
                    entries.push((k.clone(), v.clone()));
                }
            }
            Node {
                value: Value::Map(entries),
                span: base.span.clone(),
                style: base.style,
            }
        }
        _ => over.clone(),
    }
}

/// Every leaf of a tree as `(dotted path, node)`, in order; empty mappings
/// and lists are leaves too.
pub fn leaves<'a>(prefix: &str, node: &'a Node) -> Vec<(String, &'a Node)> {
    match &node.value {
        Value::Map(entries) if !entries.is_empty() => entries
            .iter()
            .flat_map(|(k, v)| leaves(&format!("{prefix}.{}", k.name), v))
            .collect(),
        _ => vec![(prefix.to_string(), node)],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::yaml::parse_documents;

    fn node(text: &str, file: &str) -> Node {
        parse_documents(text, Path::new(file)).unwrap().remove(0)
    }

    #[test]
    fn mappings_merge_scalars_and_lists_replace_origins_kept() {
        let base = node(
            "train_days: 90\nlr: 0.05\nfeatures: [a, b]\nnested: {x: 1, y: 2}\n",
            "base.yaml",
        );
        let over = node(
            "train_days: 365\nfeatures: [c]\nnested: {y: 3}\nextra: true\n",
            "prod.override.yaml",
        );
        let merged = merge(&base, &over);
        assert_eq!(
            merged.to_json(),
            serde_json::json!({"train_days": 365, "lr": 0.05, "features": ["c"], "nested": {"x": 1, "y": 3}, "extra": true})
        );
        let origins: Vec<(String, String)> = leaves("config.t", &merged)
            .into_iter()
            .map(|(k, n)| (k, n.span.file.display().to_string()))
            .collect();
        assert_eq!(
            origins[0],
            ("config.t.train_days".into(), "prod.override.yaml".into())
        );
        assert_eq!(origins[1], ("config.t.lr".into(), "base.yaml".into()));
        assert_eq!(origins[3], ("config.t.nested.x".into(), "base.yaml".into()));
        assert_eq!(
            origins[4],
            ("config.t.nested.y".into(), "prod.override.yaml".into())
        );
    }

    #[test]
    fn a_scalar_can_replace_a_mapping() {
        let merged = merge(&node("a: {b: 1}\n", "b.yaml"), &node("a: off\n", "o.yaml"));
        assert_eq!(merged.to_json(), serde_json::json!({"a": "off"}));
    }
}
