//! `kind: Task`: a task in a task graph.
//!
//! YAML fields: `name` (no `$`), `schema` (a declared schema), `warehouse` (absent:
//! serverless), `schedule` (root tasks only, and required for them: a cron
//! with a time zone or an interval such as `60 minutes`), `after` (declared
//! tasks of the same schema, at most 100; a task with `after` has no
//! schedule), `when`, `sql`, `config` (a mapping, root only), `comment`,
//! `timeout_ms`, `suspend_after_failures`, `allow_overlapping_execution`,
//! `error_integration` (a notification integration), `finalize` (the root
//! task of the same schema this task is the finalizer of: a finalizer has no
//! schedule, no `after`, no `config` and no children, and a root has at most
//! one), `enabled`, plus the common fields.
//!
//! Address `task.NAME`, fqn `DB.SCHEMA.NAME`. Canonical attributes:
//!
//! | key | value | default |
//! |---|---|---|
//! | `database`, `schema`, `name` | resolved | |
//! | `warehouse` | resolved name or null (serverless) | null |
//! | `schedule` | canonical duration (`1 hour`) or cron `<5 fields> <TZ>`; null for children ([`crate::kinds::Schedule`] parses SHOW's form) | |
//! | `after` | resolved predecessor names, sorted (SHOW TASKS' `predecessors` are fully qualified and quoted: keep the resolved last part) | `[]` |
//! | `when` | string or null | null |
//! | `sql` | the body, trimmed, without a final `;` | |
//! | `config` | JSON object or null | null |
//! | `comment` | string or null | null |
//! | `timeout_ms` | USER_TASK_TIMEOUT_MS | `3600000` |
//! | `suspend_after_failures` | SUSPEND_TASK_AFTER_NUM_FAILURES | `10` |
//! | `allow_overlapping_execution` | boolean | `false` |
//! | `error_integration` | resolved integration name or null | null |
//! | `finalize` | resolved name of the finalized root task or null (SHOW TASKS' `task_relations.FinalizedRootTask`) | null |
//! | `enabled` | boolean: resumed (true) or suspended | `true` |
//!
//! The YAML side (fields, validation, canonical attributes) is
//! [`declaration`]; the account side (introspection, SHOW parsing, SQL) is
//! [`reconciler`].

pub mod declaration;
pub mod fields;
pub mod import;
pub mod json_schema;
pub mod reconciler;

pub use declaration::{MAX_PREDECESSORS, Task};
pub use fields::FIELDS;
pub use reconciler::TaskKind;
