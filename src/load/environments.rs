//! `config/environments.yaml`: the project's environments and branch rules.
//!
//! Reads the file into [`Environments`]: each environment's branch and tag
//! patterns (with their places, so `floe env` can say which one matched),
//! database, protection, connection and `vars`, plus the local account's seed
//! files and the Snowflake edition it emulates, and where each environment's
//! state is kept (`state:`, top level and per environment). Matching a branch
//! against the patterns is `resolve`'s job.

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
    /// Where its state is kept: its own `state:` over the top-level one.
    pub state: StateSetting,
    /// Where the environment's key is written.
    pub span: Span,
}

/// Where floe keeps an environment's state (`state:` in environments.yaml).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StateBackendKind {
    /// `files`: `state/<ENV>.json` and its journal and lock (the default).
    #[default]
    Files,
    /// `snowflake`: tables in a schema of the environment's database.
    Snowflake,
}

/// The schema of the state tables when `state.schema` is not written.
pub const DEFAULT_STATE_SCHEMA: &str = "FLOE";

/// An environment's `state:` setting, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateSetting {
    /// `state.backend`.
    pub backend: StateBackendKind,
    /// `state.schema`: the schema, in the environment's database, holding
    /// the state tables (created on first use).
    pub schema: Ident,
}

impl Default for StateSetting {
    fn default() -> Self {
        StateSetting {
            backend: StateBackendKind::Files,
            schema: Ident::from_resolved(DEFAULT_STATE_SCHEMA),
        }
    }
}

/// `state:` as written, before the environment's is laid over the top level's.
#[derive(Debug, Clone, Default)]
struct PartialState {
    backend: Option<StateBackendKind>,
    schema: Option<Ident>,
}

impl PartialState {
    /// `self` where written, `base` elsewhere.
    fn over(&self, base: &PartialState) -> StateSetting {
        let default = StateSetting::default();
        StateSetting {
            backend: self.backend.or(base.backend).unwrap_or(default.backend),
            schema: self
                .schema
                .clone()
                .or_else(|| base.schema.clone())
                .unwrap_or(default.schema),
        }
    }
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawState {
    #[serde(default)]
    backend: Option<Spanned<String>>,
    #[serde(default)]
    schema: Option<Spanned<String>>,
}

impl RawState {
    /// Validates the backend's name and the schema's identifier.
    fn read(&self) -> Result<PartialState, Diagnostic> {
        let backend = match &self.backend {
            None => None,
            Some(written) => Some(match written.value.to_ascii_lowercase().as_str() {
                "files" => StateBackendKind::Files,
                "snowflake" => StateBackendKind::Snowflake,
                _ => {
                    return Err(Diagnostic::error(format!(
                        "`{}` is not a state backend",
                        written.value
                    ))
                    .at(written.span.clone())
                    .hint("write `backend: files` (state/ in the project, the default) or `backend: snowflake` (tables in the environment's database)"));
                }
            }),
        };
        let schema = match &self.schema {
            None => None,
            Some(written) => Some(Ident::parse(&written.value).map_err(|e| {
                Diagnostic::error(format!("invalid state schema name: {e}"))
                    .at(written.span.clone())
                    .hint("write a Snowflake identifier, e.g. `schema: FLOE`")
            })?),
        };
        Ok(PartialState { backend, schema })
    }
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
    #[serde(default)]
    state: Option<RawState>,
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
    #[serde(default)]
    state: Option<RawState>,
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
        let state = raw
            .state
            .as_ref()
            .map(RawState::read)
            .transpose()
            .unwrap_or_else(|d| {
                problems.push(d);
                None
            })
            .unwrap_or_default();
        let environments = match doc.get("environments") {
            Some(node) => read_environments(node, &state, &mut problems),
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

fn read_environments(
    node: &Node,
    state: &PartialState,
    problems: &mut Diagnostics,
) -> Vec<Environment> {
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
        match read_environment(key.name.clone(), key.span.clone(), value, state) {
            Ok(env) => out.push(env),
            Err(d) => problems.push(d),
        }
    }
    out
}

fn read_environment(
    name: String,
    span: Span,
    node: &Node,
    top: &PartialState,
) -> Result<Environment, Diagnostic> {
    let raw: RawEnv = from_node(node)?;
    let state = raw.state.as_ref().map(RawState::read).transpose()?;
    let state = state.unwrap_or_default().over(top);
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
        state,
        span,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(yaml: &str) -> Result<Environments, Diagnostics> {
        let dir = tempfile::tempdir().expect("a temporary folder");
        std::fs::create_dir_all(dir.path().join("config")).expect("config/");
        std::fs::write(dir.path().join(ENVIRONMENTS_FILE), yaml).expect("written");
        Environments::load(dir.path())
    }

    #[test]
    fn state_is_kept_in_files_unless_an_environment_or_the_top_level_says_otherwise() {
        let envs = load(
            "state: {backend: snowflake}\nenvironments:\n  DEV: {branches: [dev], database: D, state: {backend: files}}\n  PROD: {branches: [main], database: P, state: {schema: OPS}}\n",
        )
        .expect("valid");
        let dev = &envs.get("DEV").expect("DEV").state;
        assert_eq!(dev.backend, StateBackendKind::Files);
        assert_eq!(dev.schema.as_str(), "FLOE");
        let prod = &envs.get("PROD").expect("PROD").state;
        assert_eq!(prod.backend, StateBackendKind::Snowflake);
        assert_eq!(prod.schema.as_str(), "OPS");
        let plain = load("environments:\n  DEV: {branches: [dev], database: D}\n").expect("valid");
        assert_eq!(plain.environments[0].state, StateSetting::default());
    }

    #[test]
    fn an_unknown_backend_is_refused_at_its_line_with_the_choices() {
        let err = load(
            "environments:\n  DEV:\n    branches: [dev]\n    database: D\n    state:\n      backend: s3\n",
        )
        .expect_err("refused")
        .render(Path::new("."));
        assert!(err.contains("`s3` is not a state backend"), "{err}");
        assert!(err.contains(":6:"), "{err}");
        assert!(err.contains("backend: snowflake"), "{err}");
    }

    #[test]
    fn a_state_schema_that_is_no_identifier_is_refused_at_its_line() {
        let err = load(
            "state:\n  schema: \"a b\"\nenvironments:\n  DEV: {branches: [dev], database: D}\n",
        )
        .expect_err("refused")
        .render(Path::new("."));
        assert!(err.contains("invalid state schema name"), "{err}");
        assert!(err.contains(":2:"), "{err}");
    }
}
