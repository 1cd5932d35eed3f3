//! The attribute keys of `kind: Task`, written once for both its
//! declaration and its reconciler (see [`super`] for their values).

/// `database`.
pub const DATABASE: &str = "database";

/// `schema`.
pub const SCHEMA: &str = "schema";

/// `name`.
pub const NAME: &str = "name";

/// `warehouse`.
pub const WAREHOUSE: &str = "warehouse";

/// `schedule`.
pub const SCHEDULE: &str = "schedule";

/// `after`.
pub const AFTER: &str = "after";

/// `when`.
pub const WHEN: &str = "when";

/// `sql`.
pub const SQL: &str = "sql";

/// `config`.
pub const CONFIG: &str = "config";

/// `comment`.
pub const COMMENT: &str = "comment";

/// `timeout_ms`.
pub const TIMEOUT_MS: &str = "timeout_ms";

/// `suspend_after_failures`.
pub const SUSPEND_AFTER_FAILURES: &str = "suspend_after_failures";

/// `allow_overlapping_execution`.
pub const ALLOW_OVERLAPPING_EXECUTION: &str = "allow_overlapping_execution";

/// `error_integration`.
pub const ERROR_INTEGRATION: &str = "error_integration";

/// `finalize`.
pub const FINALIZE: &str = "finalize";

/// `enabled`.
pub const ENABLED: &str = "enabled";

/// Attribute keys `lifecycle.ignore_changes` may name.
pub const FIELDS: &[&str] = &[
    WAREHOUSE,
    SCHEDULE,
    AFTER,
    WHEN,
    SQL,
    CONFIG,
    COMMENT,
    TIMEOUT_MS,
    SUSPEND_AFTER_FAILURES,
    ALLOW_OVERLAPPING_EXECUTION,
    ERROR_INTEGRATION,
    FINALIZE,
    ENABLED,
];
