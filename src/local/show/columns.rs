//! The columns of every SHOW, with Snowflake's names, order and types.

use crate::local::ast::ShowKind;
use crate::session::{Column, ColumnType};

use ColumnType::{Fixed as F, Text as T, TimestampLtz as TS};

const DATABASES: &[(&str, ColumnType)] = &[
    ("created_on", TS),
    ("name", T),
    ("is_default", T),
    ("is_current", T),
    ("origin", T),
    ("owner", T),
    ("comment", T),
    ("options", T),
    ("retention_time", T),
    ("kind", T),
    ("budget", T),
    ("owner_role_type", T),
];
const SCHEMAS: &[(&str, ColumnType)] = &[
    ("created_on", TS),
    ("name", T),
    ("is_default", T),
    ("is_current", T),
    ("database_name", T),
    ("owner", T),
    ("comment", T),
    ("options", T),
    ("retention_time", T),
    ("owner_role_type", T),
    ("budget", T),
];
const WAREHOUSES: &[(&str, ColumnType)] = &[
    ("name", T),
    ("state", T),
    ("type", T),
    ("size", T),
    ("min_cluster_count", F),
    ("max_cluster_count", F),
    ("started_clusters", F),
    ("running", F),
    ("queued", F),
    ("is_default", T),
    ("is_current", T),
    ("auto_suspend", F),
    ("auto_resume", T),
    ("available", T),
    ("provisioning", T),
    ("quiescing", T),
    ("other", T),
    ("created_on", TS),
    ("resumed_on", TS),
    ("updated_on", TS),
    ("owner", T),
    ("comment", T),
    ("enable_query_acceleration", T),
    ("query_acceleration_max_scale_factor", F),
    ("resource_monitor", T),
    ("actives", F),
    ("pendings", F),
    ("failed", F),
    ("suspended", F),
    ("uuid", T),
    ("scaling_policy", T),
    ("budget", T),
    ("owner_role_type", T),
    ("resource_constraint", T),
];
const TAGS: &[(&str, ColumnType)] = &[
    ("created_on", TS),
    ("name", T),
    ("database_name", T),
    ("schema_name", T),
    ("owner", T),
    ("comment", T),
    ("allowed_values", T),
    ("owner_role_type", T),
];
const TABLES: &[(&str, ColumnType)] = &[
    ("created_on", TS),
    ("name", T),
    ("database_name", T),
    ("schema_name", T),
    ("kind", T),
    ("comment", T),
    ("cluster_by", T),
    ("rows", F),
    ("bytes", F),
    ("owner", T),
    ("retention_time", T),
    ("automatic_clustering", T),
    ("change_tracking", T),
    ("search_optimization", T),
    ("search_optimization_progress", T),
    ("search_optimization_bytes", F),
    ("is_external", T),
    ("enable_schema_evolution", T),
    ("owner_role_type", T),
    ("is_event", T),
    ("budget", T),
    ("is_hybrid", T),
    ("is_iceberg", T),
    ("is_dynamic", T),
    ("is_immutable", T),
];
const VIEWS: &[(&str, ColumnType)] = &[
    ("created_on", TS),
    ("name", T),
    ("reserved", T),
    ("database_name", T),
    ("schema_name", T),
    ("owner", T),
    ("comment", T),
    ("text", T),
    ("is_secure", T),
    ("is_materialized", T),
    ("owner_role_type", T),
    ("change_tracking", T),
];
const DYNAMIC_TABLES: &[(&str, ColumnType)] = &[
    ("created_on", TS),
    ("name", T),
    ("reserved", T),
    ("database_name", T),
    ("schema_name", T),
    ("cluster_by", T),
    ("rows", F),
    ("bytes", F),
    ("owner", T),
    ("target_lag", T),
    ("refresh_mode", T),
    ("refresh_mode_reason", T),
    ("warehouse", T),
    ("comment", T),
    ("text", T),
    ("automatic_clustering", T),
    ("scheduling_state", T),
    ("last_suspended_on", TS),
    ("is_clone", T),
    ("is_replica", T),
    ("data_timestamp", TS),
    ("owner_role_type", T),
    ("initialization_warehouse", T),
];
const TASKS: &[(&str, ColumnType)] = &[
    ("created_on", TS),
    ("name", T),
    ("id", T),
    ("database_name", T),
    ("schema_name", T),
    ("owner", T),
    ("comment", T),
    ("warehouse", T),
    ("schedule", T),
    ("predecessors", T),
    ("state", T),
    ("definition", T),
    ("condition", T),
    ("allow_overlapping_execution", T),
    ("error_integration", T),
    ("last_committed_on", TS),
    ("last_suspended_on", TS),
    ("owner_role_type", T),
    ("config", T),
    ("budget", T),
    ("task_relations", T),
    ("last_suspended_reason", T),
];
const MODELS: &[(&str, ColumnType)] = &[
    ("created_on", TS),
    ("name", T),
    ("model_type", T),
    ("database_name", T),
    ("schema_name", T),
    ("comment", T),
    ("owner", T),
    ("default_version_name", T),
    ("versions", T),
    ("aliases", T),
];
const VERSIONS: &[(&str, ColumnType)] = &[
    ("created_on", TS),
    ("name", T),
    ("aliases", T),
    ("comment", T),
    ("database_name", T),
    ("schema_name", T),
    ("model_name", T),
    ("is_default_version", T),
    ("functions", T),
    ("metadata", T),
    ("user_data", T),
    ("model_attributes", T),
    ("size", F),
    ("environment", T),
    ("runnable_in", T),
    ("inference_services", T),
];
/// SHOW ONLINE FEATURE TABLES. The local account never lists a row; the
/// names follow SHOW DYNAMIC TABLES' and what snowflake-ml-python reads
/// (`store_type`).
const ONLINE_FEATURE_TABLES: &[(&str, ColumnType)] = &[
    ("created_on", TS),
    ("name", T),
    ("database_name", T),
    ("schema_name", T),
    ("owner", T),
    ("comment", T),
    ("target_lag", T),
    ("warehouse", T),
    ("refresh_mode", T),
    ("store_type", T),
];
/// SHOW FUNCTIONS IN MODEL ... VERSION: snowflake-ml-python reads `name`
/// and `return_type`.
const MODEL_FUNCTIONS: &[(&str, ColumnType)] = &[
    ("created_on", TS),
    ("name", T),
    ("schema_name", T),
    ("min_num_arguments", F),
    ("max_num_arguments", F),
    ("arguments", T),
    ("description", T),
    ("language", T),
    ("return_type", T),
];
const PARAMETERS: &[(&str, ColumnType)] = &[
    ("key", T),
    ("value", T),
    ("default", T),
    ("level", T),
    ("description", T),
    ("type", T),
];
const TERSE: &[(&str, ColumnType)] = &[
    ("created_on", TS),
    ("name", T),
    ("kind", T),
    ("database_name", T),
    ("schema_name", T),
];
const TERSE_TASKS: &[(&str, ColumnType)] = &[
    ("created_on", TS),
    ("name", T),
    ("kind", T),
    ("database_name", T),
    ("schema_name", T),
    ("schedule", T),
];

/// The columns SHOW returns for `kind`, in Snowflake's order.
pub fn columns(kind: ShowKind, terse: bool) -> Vec<Column> {
    let spec = match (kind, terse) {
        (ShowKind::Tasks, true) => TERSE_TASKS,
        (
            ShowKind::Warehouses
            | ShowKind::Versions
            | ShowKind::Models
            | ShowKind::Parameters
            | ShowKind::OnlineFeatureTables
            | ShowKind::Functions,
            _,
        )
        | (_, false) => match kind {
            ShowKind::Databases => DATABASES,
            ShowKind::Schemas => SCHEMAS,
            ShowKind::Warehouses => WAREHOUSES,
            ShowKind::Tags => TAGS,
            ShowKind::Tables => TABLES,
            ShowKind::Views => VIEWS,
            ShowKind::DynamicTables => DYNAMIC_TABLES,
            ShowKind::Tasks => TASKS,
            ShowKind::Models => MODELS,
            ShowKind::Versions => VERSIONS,
            ShowKind::Parameters => PARAMETERS,
            ShowKind::OnlineFeatureTables => ONLINE_FEATURE_TABLES,
            ShowKind::Functions => MODEL_FUNCTIONS,
        },
        (_, true) => TERSE,
    };
    spec.iter().map(|(n, t)| Column::new(*n, *t)).collect()
}
