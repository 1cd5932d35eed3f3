//! A live task as a `kind: Task` document, for `floe import`.

use serde_json::Value as Json;

use super::fields as f;
use crate::kinds::import::{Writer, escape_json, yaml};

/// The note on every imported task: the parameters SHOW TASKS does not list.
pub fn file_note() -> Option<String> {
    Some(format!(
        "`{}` and `{}` are task parameters SHOW TASKS does not list (only SHOW PARAMETERS \
         IN TASK, one statement per task): the tasks below take Snowflake's defaults \
         (3600000 and 10); declare the values they really have",
        f::TIMEOUT_MS,
        f::SUSPEND_AFTER_FAILURES
    ))
}

/// Writes the task's fields, those at Snowflake's default left out.
pub fn write(w: &mut Writer<'_>) {
    w.name("name", f::NAME);
    w.name(f::SCHEMA, f::SCHEMA);
    w.name(f::WAREHOUSE, f::WAREHOUSE);
    w.json(f::SCHEDULE, f::SCHEDULE);
    let after = w.name_list(f::AFTER);
    if !after.is_empty() {
        w.put(f::AFTER, after);
    }
    w.sql(f::WHEN, f::WHEN);
    if let Some(config @ Json::Object(_)) = w.get(f::CONFIG) {
        w.put(f::CONFIG, yaml(&escape_json(config)));
    }
    w.free_text(f::COMMENT, f::COMMENT);
    w.unless(f::ALLOW_OVERLAPPING_EXECUTION, Json::from(false));
    w.name(f::ERROR_INTEGRATION, f::ERROR_INTEGRATION);
    w.name(f::FINALIZE, f::FINALIZE);
    w.unless(f::ENABLED, Json::from(true));
    w.sql(f::SQL, f::SQL);
}
