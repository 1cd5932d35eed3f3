//! SHOW PARAMETERS IN TASK / IN WAREHOUSE: the object parameters that SHOW
//! TASKS and SHOW WAREHOUSES do not list (timeouts, failure limits,
//! concurrency), with their defaults and the level that set them.

use super::columns::columns;
use super::like_matches;
use crate::local::ast::{Name, Scope, Show, ShowKind};
use crate::local::catalog::{Catalog, Namespace, Object, QualifiedName};
use crate::local::error::{self, SqlError};
use crate::session::Rows;

/// (key, default, type, description) of task parameters.
const TASK: &[(&str, &str, &str, &str)] = &[
    (
        "SUSPEND_TASK_AFTER_NUM_FAILURES",
        "10",
        "NUMBER",
        "Number of consecutive failed task runs after which the task is suspended automatically.",
    ),
    (
        "TASK_AUTO_RETRY_ATTEMPTS",
        "0",
        "NUMBER",
        "Number of times a failed task graph is retried automatically.",
    ),
    (
        "USER_TASK_TIMEOUT_MS",
        "3600000",
        "NUMBER",
        "Timeout of a single task run in milliseconds.",
    ),
];

/// (key, default, type, description) of warehouse parameters.
const WAREHOUSE: &[(&str, &str, &str, &str)] = &[
    (
        "MAX_CONCURRENCY_LEVEL",
        "8",
        "NUMBER",
        "Maximum number of SQL statements a warehouse cluster runs concurrently.",
    ),
    (
        "STATEMENT_QUEUED_TIMEOUT_IN_SECONDS",
        "0",
        "NUMBER",
        "Timeout in seconds for queued statements: statements are canceled if they are queued for longer.",
    ),
    (
        "STATEMENT_TIMEOUT_IN_SECONDS",
        "172800",
        "NUMBER",
        "Timeout in seconds for statements: statements are canceled if they run for longer.",
    ),
];

/// Runs SHOW PARAMETERS; `qualify` resolves a task name against the session.
pub(super) fn show(
    catalog: &Catalog,
    show: &Show,
    qualify: impl Fn(&Name) -> Result<QualifiedName, SqlError>,
) -> Result<Rows, SqlError> {
    let (level, specs, values): (&str, _, Vec<Option<String>>) = match &show.scope {
        Scope::Task(name) => {
            let q = qualify(name)?;
            let Some(Object::Task(task)) = catalog.object(&q, Namespace::Task) else {
                return Err(error::object_missing(&q.display()));
            };
            let values = TASK
                .iter()
                .map(|(k, ..)| task.parameters.get(*k).cloned())
                .collect();
            ("TASK", TASK, values)
        }
        Scope::Warehouse(name) => {
            let w = catalog
                .warehouses
                .get(name.last())
                .ok_or_else(|| error::object_missing(&name.to_sql()))?;
            let values = [
                w.max_concurrency_level.to_string(),
                w.statement_queued_timeout_in_seconds.to_string(),
                w.statement_timeout_in_seconds.to_string(),
            ]
            .into_iter()
            .zip(WAREHOUSE)
            .map(|(v, (_, default, ..))| (v != *default).then_some(v))
            .collect();
            ("WAREHOUSE", WAREHOUSE, values)
        }
        _ => return Err(error::unsupported("SHOW PARAMETERS")),
    };
    let like = show.like.as_deref().map(str::to_lowercase);
    let rows = specs
        .iter()
        .zip(values)
        .filter(|((key, ..), _)| {
            like.as_deref()
                .is_none_or(|p| like_matches(p, &key.to_lowercase()))
        })
        .map(|((key, default, ty, description), value)| {
            vec![
                Some(key.to_string()),
                Some(value.clone().unwrap_or_else(|| default.to_string())),
                Some(default.to_string()),
                Some(if value.is_some() { level } else { "" }.to_string()),
                Some(description.to_string()),
                Some(ty.to_string()),
            ]
        })
        .collect();
    Ok(Rows {
        columns: columns(ShowKind::Parameters, false),
        rows,
        query_id: None,
    })
}
