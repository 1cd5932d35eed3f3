//! The JSON Schema of `kind: Task`'s own fields, with the defaults its
//! reader ([`super::declaration`]) applies.

use serde_json::{Value, json};

use super::declaration::MAX_PREDECESSORS;
use super::fields::{
    AFTER, ALLOW_OVERLAPPING_EXECUTION, COMMENT, CONFIG, ENABLED, ERROR_INTEGRATION, FIELDS,
    FINALIZE, SCHEDULE, SCHEMA, SQL, SUSPEND_AFTER_FAILURES, TIMEOUT_MS, WAREHOUSE, WHEN,
};
use crate::kinds::json_schema::{
    boolean, field, integer, kind_schema, mapping, required, text, typed,
};
use crate::model::KindName;

/// The schema of a task document.
pub fn schema() -> Value {
    kind_schema(
        KindName::Task,
        FIELDS,
        vec![
            required(SCHEMA, text("The declared schema holding the task.", false)),
            field(
                WAREHOUSE,
                text("The warehouse the task runs on; absent: serverless.", true),
            ),
            field(
                SCHEDULE,
                text(
                    "When a root task runs: a cron with a time zone, or an interval such as `60 minutes`.",
                    true,
                ),
            ),
            field(
                AFTER,
                typed(
                    "The declared tasks of the same schema this task runs after.",
                    json!({"type": "array", "items": {"type": "string"}, "maxItems": MAX_PREDECESSORS}),
                    false,
                ),
            ),
            field(
                WHEN,
                text("A condition that must hold for the task to run.", true),
            ),
            required(
                SQL,
                text(
                    "The task's body: one statement, a procedure call or a Snowflake Scripting block.",
                    false,
                ),
            ),
            field(
                CONFIG,
                mapping(
                    "Configuration passed to the task graph (root tasks only).",
                    true,
                ),
            ),
            field(COMMENT, text("The task's comment.", true)),
            field(
                TIMEOUT_MS,
                integer(
                    "Milliseconds a run may take before it is cancelled (USER_TASK_TIMEOUT_MS).",
                    0,
                    None,
                    Some(3_600_000),
                    true,
                ),
            ),
            field(
                SUSPEND_AFTER_FAILURES,
                integer(
                    "Failed runs in a row after which the task is suspended (SUSPEND_TASK_AFTER_NUM_FAILURES).",
                    0,
                    None,
                    Some(10),
                    true,
                ),
            ),
            field(
                ALLOW_OVERLAPPING_EXECUTION,
                boolean(
                    "Whether a run of the graph may start while the previous one is running.",
                    false,
                    true,
                ),
            ),
            field(
                ERROR_INTEGRATION,
                text("The notification integration told about failures.", true),
            ),
            field(
                FINALIZE,
                text(
                    "The root task of the same schema this task is the finalizer of.",
                    true,
                ),
            ),
            field(
                ENABLED,
                boolean(
                    "Whether the task is resumed (true) or suspended.",
                    true,
                    true,
                ),
            ),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::json_schema::testing::assert_schema_matches_reader;

    #[test]
    fn schema_has_exactly_the_fields_the_reader_accepts() {
        let lifecycle =
            "kind: Task\nname: X\nschema: S\nsql: SELECT 1\nlifecycle: {zz_unknown: 1}\n";
        assert_schema_matches_reader(
            KindName::Task,
            &schema(),
            "kind: Task
name: X
schema: S
sql: SELECT 1
",
            &[(&["lifecycle"], lifecycle)],
        );
    }
}
