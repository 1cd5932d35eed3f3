//! `config/environments.yaml`: the project's environments and branch rules.
//!
//! Reads the file into [`Environments`]: each environment's branch and tag
//! patterns (with their places, so `floe env` can say which one matched),
//! database, protection, connection and `vars`, plus the local account's seed
//! files and the Snowflake edition it emulates. Matching a branch against the
//! patterns is `resolve`'s job.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde::de::IgnoredAny;

use super::de::{Spanned, from_node};
use super::yaml::{Node, Value, parse_single};
use crate::diag::{Diagnostic, Diagnostics, Span};
use crate::ident::Ident;
use crate::local::Edition;

/// Where the environments file lives, relative to the project root.
pub const ENVIRONMENTS_FILE: &str = "config/environments.yaml";

/// The parsed `config/environments.yaml`.
#[derive(Debug, Clone)]
pub struct Environments {
    /// `project:`.
    pub project: Option<String>,
    /// `default_connection:`.
    pub default_connection: Option<String>,
    /// Where `default_connection:`'s value is written.
    pub default_connection_span: Option<Span>,
    /// The environments, in file order (branch matching tries them in this order).
    pub environments: Vec<Environment>,
    /// `local.seed`: SQL files run when a local account is created, relative to the root.
    pub local_seed: Vec<PathBuf>,
    /// `local.edition`: the Snowflake edition the local account emulates
    /// (`standard` or `enterprise`, the default).
    pub local_edition: Edition,
    /// Where `environments:` is written.
    pub span: Span,
}

/// One environment.
#[derive(Debug, Clone)]
pub struct Environment {
    /// The name as written (`DEV`).
    pub name: String,
    /// `branches:` glob patterns.
    pub branches: Vec<Spanned<String>>,
    /// `tags:` glob patterns, matched when the checkout is exactly at a tag.
    pub tags: Vec<Spanned<String>>,
    /// `database:`, resolved.
    pub database: Ident,
    /// `protected:`.
    pub protected: bool,
    /// `connection:`.
    pub connection: Option<String>,
    /// Where `connection:`'s value is written.
    pub connection_span: Option<Span>,
    /// `vars:` (a mapping node, or null).
    pub vars: Node,
    /// Where the environment's key is written.
    pub span: Span,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    project: Option<String>,
    #[serde(default)]
    default_connection: Option<String>,
    #[serde(rename = "environments")]
    _environments: IgnoredAny,
    #[serde(default)]
    local: Option<RawLocal>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLocal {
    #[serde(default)]
    seed: Vec<Spanned<String>>,
    #[serde(default)]
    edition: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEnv {
    #[serde(default)]
    branches: Vec<Spanned<String>>,
    #[serde(default)]
    tags: Vec<Spanned<String>>,
    database: Spanned<String>,
    #[serde(default)]
    protected: bool,
    #[serde(default)]
    connection: Option<String>,
    #[serde(default, rename = "vars")]
    _vars: Option<IgnoredAny>,
}

impl Environments {
    /// Reads `config/environments.yaml` under `root`.
    pub fn load(root: &Path) -> Result<Environments, Diagnostics> {
        let file = Path::new(ENVIRONMENTS_FILE);
        let text = std::fs::read_to_string(root.join(file)).map_err(|e| {
            Diagnostic::error(format!("cannot read {ENVIRONMENTS_FILE}: {e}"))
                .hint(format!(
                    "run floe in a project folder (one holding {ENVIRONMENTS_FILE}) or point at one with `-C DIR`"
                ))
        })?;
        let doc = parse_single(&text, file)?;
        if !matches!(doc.value, Value::Map(_)) {
            return Err(
                Diagnostic::error(format!("{ENVIRONMENTS_FILE} must be a mapping"))
                    .at(doc.span.clone())
                    .hint("start with `project:` and `environments:`")
                    .into(),
            );
        }
        let raw: RawFile = from_node(&doc)?;
        let mut problems = Diagnostics::new();
        let environments = match doc.get("environments") {
            Some(node) => read_environments(node, &mut problems),
            None => Vec::new(),
        };
        let local = raw.local.unwrap_or_default();
        let local_edition = read_edition(local.edition.as_ref(), &mut problems);
        let local_seed = local
            .seed
            .into_iter()
            .filter_map(|seed| {
                let path = PathBuf::from(&seed.value);
                if root.join(&path).is_file() {
                    Some(path)
                } else {
                    problems.push(
                        Diagnostic::error(format!("the seed file `{}` does not exist", seed.value))
                            .at(seed.span)
                            .hint("seed paths are relative to the project root, e.g. `config/local/seed.sql`"),
                    );
                    None
                }
            })
            .collect();
        if !problems.is_empty() {
            return Err(problems);
        }
        let span = doc
            .get_entry("environments")
            .map(|(k, _)| k.span.clone())
            .unwrap_or_else(|| Span::file(file));
        Ok(Environments {
            span,
            project: raw.project,
            default_connection: raw.default_connection,
            default_connection_span: doc.get("default_connection").map(|n| n.span.clone()),
            environments,
            local_seed,
            local_edition,
        })
    }

    /// The environment named `name` (case-insensitive).
    pub fn get(&self, name: &str) -> Option<&Environment> {
        self.environments
            .iter()
            .find(|e| e.name.eq_ignore_ascii_case(name))
    }

    /// Every environment name, in file order.
    pub fn names(&self) -> Vec<&str> {
        self.environments.iter().map(|e| e.name.as_str()).collect()
    }
}

/// `local.edition`, enterprise when absent.
fn read_edition(written: Option<&Spanned<String>>, problems: &mut Diagnostics) -> Edition {
    let Some(written) = written else {
        return Edition::default();
    };
    Edition::parse(&written.value).unwrap_or_else(|| {
        problems.push(
            Diagnostic::error(format!(
                "`{}` is not a Snowflake edition the local account emulates",
                written.value
            ))
            .at(written.span.clone())
            .hint("write `edition: standard` or `edition: enterprise` (the default)"),
        );
        Edition::default()
    })
}

fn read_environments(node: &Node, problems: &mut Diagnostics) -> Vec<Environment> {
    let Value::Map(entries) = &node.value else {
        problems.push(
            Diagnostic::error("`environments` must be a mapping of environment names")
                .at(node.span.clone())
                .hint(
                    "write `environments:` followed by `  DEV: {branches: [dev], database: MY_DB}`",
                ),
        );
        return Vec::new();
    };
    if entries.is_empty() {
        problems.push(
            Diagnostic::error("no environment is declared")
                .at(node.span.clone())
                .hint("declare at least one, e.g. `DEV: {branches: [\"*\"], database: MY_DB}`"),
        );
    }
    let mut out: Vec<Environment> = Vec::new();
    for (key, value) in entries {
        if key.name.is_empty()
            || !key
                .name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            problems.push(
                Diagnostic::error(format!("`{}` is not a valid environment name", key.name))
                    .at(key.span.clone())
                    .hint("use letters, digits and `_` only, e.g. `DEV`"),
            );
            continue;
        }
        if let Some(first) = out.iter().find(|e| e.name.eq_ignore_ascii_case(&key.name)) {
            problems.push(
                Diagnostic::error(format!("the environment `{}` is declared twice", key.name))
                    .at(key.span.clone())
                    .caused_by(format!("`{}` is declared at {}", first.name, first.span))
                    .hint("environment names are compared without case; rename or remove one"),
            );
            continue;
        }
        match read_environment(key.name.clone(), key.span.clone(), value) {
            Ok(env) => out.push(env),
            Err(d) => problems.push(d),
        }
    }
    out
}

fn read_environment(name: String, span: Span, node: &Node) -> Result<Environment, Diagnostic> {
    let raw: RawEnv = from_node(node)?;
    let database = Ident::parse(&raw.database.value).map_err(|e| {
        Diagnostic::error(format!("invalid database name: {e}"))
            .at(raw.database.span.clone())
            .hint("write a Snowflake identifier, e.g. `database: ML_PLATFORM`")
    })?;
    for pattern in raw.branches.iter().chain(&raw.tags) {
        if pattern.value.trim().is_empty() {
            return Err(
                Diagnostic::error("an empty branch or tag pattern matches nothing")
                    .at(pattern.span.clone())
                    .hint("write a branch name or a glob such as `feature/*`"),
            );
        }
    }
    let vars = node
        .get("vars")
        .cloned()
        .unwrap_or_else(|| Node::new(Value::Null, span.clone()));
    if !matches!(vars.value, Value::Map(_) | Value::Null) {
        return Err(Diagnostic::error("`vars` must be a mapping")
            .at(vars.span.clone())
            .hint("write `vars: {key: value}`"));
    }
    Ok(Environment {
        name,
        branches: raw.branches,
        tags: raw.tags,
        database,
        protected: raw.protected,
        connection: raw.connection,
        connection_span: node.get("connection").map(|n| n.span.clone()),
        vars,
        span,
    })
}
