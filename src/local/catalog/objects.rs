//! The stored form of each object kind: every property SHOW reports or
//! floe compares, in resolved form. Plain data; no rules, no I/O.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Millis, QualifiedName, Tags};
use crate::ident::Ident;

/// Canonical size keywords and their SHOW display.
pub(crate) const SIZES: &[(&str, &str)] = &[
    ("XSMALL", "X-Small"),
    ("SMALL", "Small"),
    ("MEDIUM", "Medium"),
    ("LARGE", "Large"),
    ("XLARGE", "X-Large"),
    ("XXLARGE", "2X-Large"),
    ("XXXLARGE", "3X-Large"),
    ("X4LARGE", "4X-Large"),
    ("X5LARGE", "5X-Large"),
    ("X6LARGE", "6X-Large"),
];

/// The SHOW WAREHOUSES display of a canonical size (`XSMALL` → `X-Small`).
pub(crate) fn size_display(size: &str) -> &'static str {
    SIZES
        .iter()
        .find(|(k, _)| *k == size)
        .map_or("X-Small", |(_, d)| d)
}

/// A warehouse and every property SHOW WAREHOUSES reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warehouse {
    /// Resolved name.
    pub name: Ident,
    /// When it was created.
    pub created_on: Millis,
    /// When it was last resumed.
    pub resumed_on: Millis,
    /// When it was last altered.
    pub updated_on: Millis,
    /// STARTED or SUSPENDED.
    pub state: String,
    /// STANDARD, SNOWPARK-OPTIMIZED or ADAPTIVE.
    pub warehouse_type: String,
    /// Canonical size keyword: XSMALL, SMALL, ..., X6LARGE.
    pub size: String,
    /// MIN_CLUSTER_COUNT.
    pub min_cluster_count: u32,
    /// MAX_CLUSTER_COUNT.
    pub max_cluster_count: u32,
    /// STANDARD or ECONOMY.
    pub scaling_policy: String,
    /// Seconds, or `None` for NULL (never).
    pub auto_suspend: Option<u64>,
    /// AUTO_RESUME.
    pub auto_resume: bool,
    /// RESOURCE_MONITOR.
    pub resource_monitor: Option<Ident>,
    /// COMMENT.
    pub comment: Option<String>,
    /// ENABLE_QUERY_ACCELERATION.
    pub enable_query_acceleration: bool,
    /// QUERY_ACCELERATION_MAX_SCALE_FACTOR.
    pub query_acceleration_max_scale_factor: u32,
    /// RESOURCE_CONSTRAINT, when set.
    pub resource_constraint: Option<String>,
    /// GENERATION, when set.
    pub generation: Option<String>,
    /// MAX_CONCURRENCY_LEVEL.
    pub max_concurrency_level: u32,
    /// STATEMENT_QUEUED_TIMEOUT_IN_SECONDS.
    pub statement_queued_timeout_in_seconds: u64,
    /// STATEMENT_TIMEOUT_IN_SECONDS.
    pub statement_timeout_in_seconds: u64,
    /// Tags set on the warehouse.
    pub tags: Tags,
}

/// A database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Database {
    /// Resolved name.
    pub name: Ident,
    /// When it was created.
    pub created_on: Millis,
    /// COMMENT.
    pub comment: Option<String>,
    /// Tags set on the database.
    pub tags: Tags,
}

/// A schema.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schema {
    /// The database it lives in.
    pub database: Ident,
    /// Resolved name.
    pub name: Ident,
    /// When it was created.
    pub created_on: Millis,
    /// COMMENT.
    pub comment: Option<String>,
    /// WITH MANAGED ACCESS.
    pub managed_access: bool,
    /// Tags set on the schema.
    pub tags: Tags,
}

/// A column of a table, view or dynamic table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    /// Resolved name.
    pub name: Ident,
    /// Data type as written, if any.
    pub data_type: Option<String>,
    /// Column comment.
    pub comment: Option<String>,
    /// NOT NULL.
    pub not_null: bool,
    /// DEFAULT expression as written.
    pub default: Option<String>,
}

/// One stored row of a table: an id unique in the account (updates and
/// deletes name rows by it, so changes committed by other sessions in the
/// meantime do not shift them) and one cell per column, in the text
/// Snowflake's JSON result format carries (`None` for NULL).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Row {
    /// The row's id.
    pub id: u64,
    /// One cell per column, in column order.
    pub cells: Vec<Option<String>>,
}

/// A table: declared columns and the rows DML stored in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    /// Resolved name.
    pub name: Ident,
    /// When it was created.
    pub created_on: Millis,
    /// Columns.
    pub columns: Vec<Column>,
    /// COMMENT.
    pub comment: Option<String>,
    /// CLUSTER BY expressions.
    pub cluster_by: Vec<String>,
    /// The rows, in insertion order. Accounts written before tables kept
    /// rows stored only a count, which is not read back.
    #[serde(default)]
    pub data: Vec<Row>,
    /// Tags set on the table.
    pub tags: Tags,
}

/// A view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct View {
    /// Resolved name.
    pub name: Ident,
    /// When it was created.
    pub created_on: Millis,
    /// The CREATE statement, verbatim.
    pub text: String,
    /// Declared columns.
    pub columns: Vec<Column>,
    /// COMMENT.
    pub comment: Option<String>,
    /// SECURE.
    pub secure: bool,
    /// Tags set on the view.
    pub tags: Tags,
}

/// A dynamic table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DynamicTable {
    /// Resolved name.
    pub name: Ident,
    /// When it was created.
    pub created_on: Millis,
    /// The CREATE statement, verbatim.
    pub text: String,
    /// Declared columns.
    pub columns: Vec<Column>,
    /// TARGET_LAG as given (`5 minutes`, `DOWNSTREAM`).
    pub target_lag: String,
    /// WAREHOUSE.
    pub warehouse: Ident,
    /// INITIALIZATION_WAREHOUSE.
    pub initialization_warehouse: Option<Ident>,
    /// REFRESH_MODE, resolved (INCREMENTAL or FULL).
    pub refresh_mode: String,
    /// INITIALIZE (ON_CREATE or ON_SCHEDULE).
    pub initialize: String,
    /// CLUSTER BY expressions.
    pub cluster_by: Vec<String>,
    /// COMMENT.
    pub comment: Option<String>,
    /// ACTIVE or SUSPENDED.
    pub scheduling_state: String,
    /// When it was last suspended.
    pub last_suspended_on: Option<Millis>,
    /// Tags set on the dynamic table.
    pub tags: Tags,
}

/// A task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Task {
    /// Resolved name.
    pub name: Ident,
    /// Account-unique id, as SHOW TASKS prints it.
    pub id: String,
    /// When it was created.
    pub created_on: Millis,
    /// WAREHOUSE (serverless when `None`).
    pub warehouse: Option<Ident>,
    /// SCHEDULE as given.
    pub schedule: Option<String>,
    /// AFTER: the predecessors.
    pub predecessors: Vec<QualifiedName>,
    /// `started` or `suspended`.
    pub state: String,
    /// The AS body, verbatim.
    pub definition: String,
    /// The WHEN expression, verbatim.
    pub condition: Option<String>,
    /// ALLOW_OVERLAPPING_EXECUTION.
    pub allow_overlapping_execution: bool,
    /// CONFIG.
    pub config: Option<String>,
    /// COMMENT.
    pub comment: Option<String>,
    /// Other parameters (USER_TASK_TIMEOUT_MS, ...), upper-cased keys, values as written.
    pub parameters: BTreeMap<String, String>,
    /// When the task was last resumed.
    pub last_committed_on: Option<Millis>,
    /// When the task was last suspended.
    pub last_suspended_on: Option<Millis>,
    /// Tags set on the task.
    pub tags: Tags,
    /// FINALIZE: the root task this finalizer task is attached to.
    #[serde(default)]
    pub finalize: Option<QualifiedName>,
    /// ERROR_INTEGRATION.
    #[serde(default)]
    pub error_integration: Option<Ident>,
}

/// A tag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tag {
    /// Resolved name.
    pub name: Ident,
    /// When it was created.
    pub created_on: Millis,
    /// ALLOWED_VALUES, in order.
    pub allowed_values: Option<Vec<String>>,
    /// COMMENT.
    pub comment: Option<String>,
}

/// A version of a registry model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelVersion {
    /// Resolved name.
    pub name: Ident,
    /// When it was created.
    pub created_on: Millis,
    /// COMMENT.
    pub comment: Option<String>,
    /// The user alias, if any.
    pub alias: Option<Ident>,
    /// METADATA, as compact JSON.
    pub metadata: Option<String>,
    /// Where it came from (`@stage/path` or `DB.S.M VERSION V`).
    pub source: String,
}

/// A registry model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Model {
    /// Resolved name.
    pub name: Ident,
    /// When it was created.
    pub created_on: Millis,
    /// COMMENT.
    pub comment: Option<String>,
    /// DEFAULT_VERSION.
    pub default_version: Ident,
    /// Versions in creation order.
    pub versions: Vec<ModelVersion>,
    /// Tags set on the model.
    pub tags: Tags,
}
