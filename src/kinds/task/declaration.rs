//! The YAML side of `kind: Task`: the raw document, its validation and
//! its canonical attributes (listed in [`super`]'s documentation).

use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::json;

use crate::diag::{Diagnostic, Diagnostics};
use crate::ident::Ident;
use crate::kinds::common::{
    Common, empty_to_null, ident, ident_list, read_document, single_statement, trimmed_sql,
};
use crate::kinds::schedule::Schedule;
use crate::kinds::{Declaration, ReadContext, Reference, World};
use crate::load::de::Spanned;
use crate::load::yaml::{Node, Value};
use crate::model::{Address, Attributes, KindName};

use super::fields::{
    AFTER, ALLOW_OVERLAPPING_EXECUTION, COMMENT, CONFIG, DATABASE, ENABLED, ERROR_INTEGRATION,
    FIELDS, FINALIZE, NAME, SCHEDULE, SCHEMA, SQL, SUSPEND_AFTER_FAILURES, TIMEOUT_MS, WAREHOUSE,
    WHEN,
};

/// Snowflake's limit of predecessors per task.
pub const MAX_PREDECESSORS: usize = 100;

/// A validated task declaration.
#[derive(Debug, Clone, PartialEq)]
pub struct Task {
    /// Common fields.
    pub common: Common,
    /// The environment's database.
    pub database: Ident,
    /// The schema.
    pub schema: Spanned<Ident>,
    /// The warehouse, or serverless.
    pub warehouse: Option<Spanned<Ident>>,
    /// Root tasks' schedule.
    pub schedule: Option<Schedule>,
    /// Predecessors, sorted.
    pub after: Vec<Spanned<Ident>>,
    /// `when`.
    pub when: Option<String>,
    /// The body.
    pub sql: String,
    /// `config` (root only).
    pub config: Option<serde_json::Map<String, serde_json::Value>>,
    /// `comment`.
    pub comment: Option<String>,
    /// `timeout_ms`.
    pub timeout_ms: u64,
    /// `suspend_after_failures`.
    pub suspend_after_failures: u64,
    /// `allow_overlapping_execution`.
    pub allow_overlapping_execution: bool,
    /// `error_integration`.
    pub error_integration: Option<Spanned<Ident>>,
    /// `finalize`: the root task this task finalizes.
    pub finalize: Option<Spanned<Ident>>,
    /// `enabled`.
    pub enabled: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    schema: Spanned<String>,
    #[serde(default)]
    warehouse: Option<Spanned<String>>,
    #[serde(default)]
    schedule: Option<Spanned<String>>,
    #[serde(default)]
    after: Vec<Spanned<String>>,
    #[serde(default)]
    when: Option<String>,
    sql: Spanned<String>,
    #[serde(default, rename = "config")]
    _config: Option<IgnoredAny>,
    #[serde(default)]
    comment: Option<String>,
    #[serde(default)]
    timeout_ms: Option<u64>,
    #[serde(default)]
    suspend_after_failures: Option<u64>,
    #[serde(default)]
    allow_overlapping_execution: Option<bool>,
    #[serde(default)]
    error_integration: Option<Spanned<String>>,
    #[serde(default)]
    finalize: Option<Spanned<String>>,
    #[serde(default)]
    enabled: Option<bool>,
}

impl Task {
    /// Reads an interpolated `kind: Task` document.
    pub fn read(node: &Node, ctx: &ReadContext<'_>) -> Result<Task, Diagnostics> {
        let (head, raw) = read_document::<Raw>(node)?;
        let mut p = Diagnostics::new();
        let name = ident(&head.name, "task", &mut p);
        if name.as_ref().is_some_and(|n| n.as_str().contains('$')) {
            p.push(
                Diagnostic::error("a task name cannot contain `$`")
                    .at(head.name.span.clone())
                    .hint("`NAME$VERSION` tasks are feature views' refresh tasks, which floe creates itself; rename the task"),
            );
        }
        let schema = ident(&raw.schema, "schema", &mut p);
        let warehouse = raw
            .warehouse
            .as_ref()
            .and_then(|w| ident(w, "warehouse", &mut p).map(|i| Spanned::new(i, w.span.clone())));
        let schedule = read_schedule(raw.schedule.as_ref(), &mut p);
        let spanned_ident = |written: &Option<Spanned<String>>, what: &str, p: &mut Diagnostics| {
            written
                .as_ref()
                .and_then(|w| ident(w, what, p).map(|i| Spanned::new(i, w.span.clone())))
        };
        let error_integration = spanned_ident(&raw.error_integration, "integration", &mut p);
        let finalize = spanned_ident(&raw.finalize, "task", &mut p);
        let mut after = ident_list(&raw.after, "task", &mut p);
        after.sort_by(|a, b| a.value.cmp(&b.value));
        check_graph_fields(node, &raw, &after, &mut p);
        let config = read_config(node, &mut p);
        single_statement(&raw.sql, "sql", true, &mut p);
        let sql = trimmed_sql(&raw.sql.value);
        if sql.is_empty() {
            p.push(
                Diagnostic::error("the task's sql is empty")
                    .at(raw.sql.span.clone())
                    .hint("write the statement the task runs"),
            );
        }
        let (Some(name), Some(schema)) = (name, schema) else {
            return Err(p);
        };
        if finalize.as_ref().is_some_and(|f| f.value == name) {
            p.push(
                Diagnostic::error(format!("the task `{name}` cannot finalize itself"))
                    .at(head.name.span.clone())
                    .hint("name the root task of the graph this task ends in `finalize`"),
            );
        }
        if after.iter().any(|a| a.value == name) {
            p.push(
                Diagnostic::error(format!("the task `{name}` lists itself in `after`"))
                    .at(head.name.span.clone())
                    .hint("remove it from its own `after` list"),
            );
        }
        let common = head.validate(Address::new(KindName::Task, name), node, FIELDS, &mut p);
        if !p.is_empty() {
            return Err(p);
        }
        Ok(Task {
            common,
            database: ctx.env.database.clone(),
            schema: Spanned::new(schema, raw.schema.span),
            warehouse,
            schedule,
            after,
            when: raw.when.map(|w| w.trim().to_string()),
            sql,
            config,
            comment: raw.comment,
            timeout_ms: raw.timeout_ms.unwrap_or(3_600_000),
            suspend_after_failures: raw.suspend_after_failures.unwrap_or(10),
            allow_overlapping_execution: raw.allow_overlapping_execution.unwrap_or(false),
            error_integration,
            finalize,
            enabled: raw.enabled.unwrap_or(true),
        })
    }

    /// The task name, resolved.
    pub fn name(&self) -> &Ident {
        &self.common.address.name
    }

    /// Checks `finalize` against the graph: a declared root task of the same
    /// schema, finalized by this task only.
    fn check_finalize(&self, world: &World<'_>, problems: &mut Diagnostics) {
        let Some(f) = &self.finalize else {
            return;
        };
        let Some(root) = world.task(&f.value) else {
            return;
        };
        let problem = if root.schema.value != self.schema.value {
            Some(format!(
                "the task `{}` is in schema `{}`, but a finalizer lives in its graph's schema (`{}`)",
                f.value, root.schema.value, self.schema.value
            ))
        } else if !root.is_root() {
            Some(format!(
                "the task `{}` is not a root task: only a graph's root task has a finalizer",
                f.value
            ))
        } else {
            let first = world.specs.iter().find_map(|s| match s {
                crate::kinds::Spec::Task(t)
                    if t.finalize.as_ref().is_some_and(|g| g.value == f.value) =>
                {
                    Some(t.name())
                }
                _ => None,
            });
            first.filter(|n| *n != self.name()).map(|n| {
                format!(
                    "the root task `{}` already has the finalizer `{n}`",
                    f.value
                )
            })
        };
        if let Some(message) = problem {
            problems.push(
                Diagnostic::error(message)
                    .at(f.span.clone())
                    .hint("a root task has at most one finalizer, in the same schema; name the graph's root task in `finalize`"),
            );
        }
    }

    /// True for a root task (no predecessors, not a finalizer).
    pub fn is_root(&self) -> bool {
        self.after.is_empty() && self.finalize.is_none()
    }
}

fn read_schedule(written: Option<&Spanned<String>>, p: &mut Diagnostics) -> Option<Schedule> {
    let written = written?;
    Schedule::parse(&written.value)
        .map_err(|e| {
            p.push(
                Diagnostic::error(format!("invalid schedule `{}`", written.value))
                    .at(written.span.clone())
                    .caused_by(e.to_string())
                    .hint("write an interval (`60 minutes`) or a cron with a time zone (`0 6 * * * UTC`)"),
            )
        })
        .ok()
}

fn read_config(
    node: &Node,
    p: &mut Diagnostics,
) -> Option<serde_json::Map<String, serde_json::Value>> {
    let c = node.get("config")?;
    match c.to_json() {
        serde_json::Value::Object(map) => Some(map),
        serde_json::Value::Null => None,
        _ => {
            p.push(
                Diagnostic::error("`config` must be a mapping")
                    .at(c.span.clone())
                    .hint("write `config: {key: value}`; floe passes it to the graph as JSON"),
            );
            None
        }
    }
}

fn check_graph_fields(node: &Node, raw: &Raw, after: &[Spanned<Ident>], p: &mut Diagnostics) {
    for (i, a) in after.iter().enumerate() {
        if after[..i].iter().any(|b| b.value == a.value) {
            p.push(
                Diagnostic::error(format!("`{}` is listed twice in `after`", a.value))
                    .at(a.span.clone())
                    .hint("list each predecessor once"),
            );
        }
    }
    if after.len() > MAX_PREDECESSORS {
        p.push(
            Diagnostic::error(format!(
                "a task has at most {MAX_PREDECESSORS} predecessors, this one has {}",
                after.len()
            ))
            .at(node.span.clone())
            .hint("split the graph with an intermediate task"),
        );
    }
    if let Some(f) = &raw.finalize {
        check_finalizer_fields(node, raw, f, p);
        return;
    }
    match (&raw.schedule, raw.after.is_empty()) {
        (Some(s), false) => p.push(Diagnostic::error("a task with `after` cannot have a schedule").at(s.span.clone())
            .hint("only the root task of a graph is scheduled; remove `schedule` or `after`")),
        (None, true) => p.push(Diagnostic::error("a root task (no `after`) needs a schedule").at(node.span.clone())
            .hint("add `schedule: 60 minutes` or a cron such as `schedule: 0 6 * * * UTC`, run it `after` another task, or make it the `finalize` task of a root")),
        _ => {}
    }
    if let Some(c) = node.get("config")
        && !raw.after.is_empty()
        && !matches!(c.value, Value::Null)
    {
        p.push(
            Diagnostic::error("only a root task can carry `config`")
                .at(c.span.clone())
                .hint("move `config` to the root task of the graph"),
        );
    }
}

/// A finalizer runs when its root's graph run ends: Snowflake gives it no
/// schedule, no predecessors, and the graph's `config` stays on the root.
fn check_finalizer_fields(node: &Node, raw: &Raw, finalize: &Spanned<String>, p: &mut Diagnostics) {
    let refuse = |p: &mut Diagnostics, what: &str, span: crate::diag::Span| {
        p.push(
            Diagnostic::error(format!("a finalizer task (`finalize`) cannot have {what}"))
                .at(span)
                .hint(format!(
                    "the finalizer runs when a run of `{}` ends; remove {what} or `finalize`",
                    finalize.value
                )),
        )
    };
    if let Some(s) = &raw.schedule {
        refuse(p, "a schedule", s.span.clone());
    }
    if let Some(a) = raw.after.first() {
        refuse(p, "`after`", a.span.clone());
    }
    if let Some(c) = node.get("config")
        && !matches!(c.value, Value::Null)
    {
        refuse(p, "`config`", c.span.clone());
    }
}

impl Declaration for Task {
    fn common(&self) -> &Common {
        &self.common
    }

    fn references(&self) -> Vec<Reference> {
        let mut refs = Reference::placement(&self.schema, self.warehouse.as_ref());
        refs.extend(
            self.after
                .iter()
                .map(|a| Reference::new(KindName::Task, &a.value, &a.span, "after")),
        );
        refs.extend(
            self.finalize
                .iter()
                .map(|f| Reference::new(KindName::Task, &f.value, &f.span, "finalize")),
        );
        refs
    }

    fn sql(&self) -> Option<&str> {
        Some(&self.sql)
    }

    fn check(&self, world: &World<'_>, problems: &mut Diagnostics) {
        self.check_finalize(world, problems);
        for a in &self.after {
            if let Some(parent) = world.task(&a.value)
                && parent.finalize.is_some()
            {
                problems.push(
                    Diagnostic::error(format!(
                        "the task `{}` is a finalizer task, which cannot have children",
                        a.value
                    ))
                    .at(a.span.clone())
                    .hint("run this task `after` a task of the graph, not after its finalizer"),
                );
            }
            if let Some(parent) = world.task(&a.value)
                && parent.schema.value != self.schema.value
            {
                problems.push(Diagnostic::error(format!("the task `{}` is in schema `{}`, but a task graph lives in one schema (`{}`)", a.value, parent.schema.value, self.schema.value))
                    .at(a.span.clone())
                    .hint("put every task of the graph in the same schema"));
            }
        }
    }

    fn fqn(&self) -> String {
        format!("{}.{}.{}", self.database, self.schema.value, self.name())
    }

    fn attributes(&self, _world: &World<'_>) -> Attributes {
        Attributes::from([
            (DATABASE.to_string(), json!(self.database.as_str())),
            (SCHEMA.to_string(), json!(self.schema.value.as_str())),
            (NAME.to_string(), json!(self.name().as_str())),
            (
                WAREHOUSE.to_string(),
                json!(self.warehouse.as_ref().map(|w| w.value.as_str())),
            ),
            (
                SCHEDULE.to_string(),
                json!(self.schedule.as_ref().map(ToString::to_string)),
            ),
            (
                AFTER.to_string(),
                json!(
                    self.after
                        .iter()
                        .map(|a| a.value.as_str())
                        .collect::<Vec<_>>()
                ),
            ),
            (WHEN.to_string(), empty_to_null(&self.when)),
            (SQL.to_string(), json!(self.sql)),
            (CONFIG.to_string(), json!(self.config)),
            (COMMENT.to_string(), empty_to_null(&self.comment)),
            (TIMEOUT_MS.to_string(), json!(self.timeout_ms)),
            (
                SUSPEND_AFTER_FAILURES.to_string(),
                json!(self.suspend_after_failures),
            ),
            (
                ALLOW_OVERLAPPING_EXECUTION.to_string(),
                json!(self.allow_overlapping_execution),
            ),
            (
                ERROR_INTEGRATION.to_string(),
                json!(self.error_integration.as_ref().map(|i| i.value.as_str())),
            ),
            (
                FINALIZE.to_string(),
                json!(self.finalize.as_ref().map(|f| f.value.as_str())),
            ),
            (ENABLED.to_string(), json!(self.enabled)),
        ])
    }
}
