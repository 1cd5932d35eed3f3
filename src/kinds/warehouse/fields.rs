//! The warehouse's fields, in one table that both halves read: the YAML
//! declaration (attribute keys, the keys `ignore_changes` may name) and the
//! reconciler (SQL properties, SHOW WAREHOUSES columns, Enterprise-feature
//! defaults, the create-only field).

use serde_json::{Value, json};

/// `name`: the resolved warehouse name (an attribute and SHOW column, not a
/// field `ignore_changes` may name).
pub const NAME: &str = "name";
/// `size`: the canonical size.
pub const SIZE: &str = "size";
/// `type`: `STANDARD` or `SNOWPARK-OPTIMIZED`.
pub const TYPE: &str = "type";
/// `auto_suspend`: seconds, or null for never.
pub const AUTO_SUSPEND: &str = "auto_suspend";
/// `auto_resume`: boolean.
pub const AUTO_RESUME: &str = "auto_resume";
/// `min_cluster_count`: 1..10.
pub const MIN_CLUSTER_COUNT: &str = "min_cluster_count";
/// `max_cluster_count`: 1..10.
pub const MAX_CLUSTER_COUNT: &str = "max_cluster_count";
/// `scaling_policy`: `STANDARD` or `ECONOMY`.
pub const SCALING_POLICY: &str = "scaling_policy";
/// `initially_suspended`: boolean, create-only.
pub const INITIALLY_SUSPENDED: &str = "initially_suspended";
/// `resource_monitor`: resolved name or null.
pub const RESOURCE_MONITOR: &str = "resource_monitor";
/// `comment`: string or null.
pub const COMMENT: &str = "comment";
/// `enable_query_acceleration`: boolean.
pub const ENABLE_QUERY_ACCELERATION: &str = "enable_query_acceleration";
/// `query_acceleration_max_scale_factor`: 0..100.
pub const QUERY_ACCELERATION_MAX_SCALE_FACTOR: &str = "query_acceleration_max_scale_factor";

/// A value a feature field has on a warehouse that does not use the feature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeatureDefault {
    /// A whole number.
    Number(u32),
    /// A keyword.
    Text(&'static str),
    /// A boolean.
    Bool(bool),
}

impl FeatureDefault {
    /// The canonical attribute value.
    pub fn to_json(self) -> Value {
        match self {
            FeatureDefault::Number(n) => json!(n),
            FeatureDefault::Text(t) => json!(t),
            FeatureDefault::Bool(b) => json!(b),
        }
    }
}

/// One field of a warehouse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    /// The attribute key, also the YAML key.
    pub key: &'static str,
    /// The CREATE / ALTER WAREHOUSE property that sets it.
    pub property: &'static str,
    /// Whether SHOW WAREHOUSES shows it, in the column named `key`; a field
    /// it does not show only exists at creation (create-only).
    pub shown: bool,
    /// For the properties of Enterprise-edition features (multi-cluster
    /// warehouses, query acceleration): the value a warehouse without the
    /// feature has (Snowflake's CREATE WAREHOUSE default). A Standard-edition
    /// account refuses the property and its SHOW lacks some of the columns.
    pub feature_default: Option<FeatureDefault>,
}

const fn field(key: &'static str, property: &'static str) -> Field {
    Field {
        key,
        property,
        shown: true,
        feature_default: None,
    }
}

const fn feature(key: &'static str, property: &'static str, default: FeatureDefault) -> Field {
    Field {
        feature_default: Some(default),
        ..field(key, property)
    }
}

/// Every field `ignore_changes` may name, in the order SQL lists them.
pub const TABLE: [Field; 12] = [
    field(SIZE, "WAREHOUSE_SIZE"),
    field(TYPE, "WAREHOUSE_TYPE"),
    field(AUTO_SUSPEND, "AUTO_SUSPEND"),
    field(AUTO_RESUME, "AUTO_RESUME"),
    feature(
        MIN_CLUSTER_COUNT,
        "MIN_CLUSTER_COUNT",
        FeatureDefault::Number(1),
    ),
    feature(
        MAX_CLUSTER_COUNT,
        "MAX_CLUSTER_COUNT",
        FeatureDefault::Number(1),
    ),
    feature(
        SCALING_POLICY,
        "SCALING_POLICY",
        FeatureDefault::Text("STANDARD"),
    ),
    Field {
        shown: false,
        ..field(INITIALLY_SUSPENDED, "INITIALLY_SUSPENDED")
    },
    field(RESOURCE_MONITOR, "RESOURCE_MONITOR"),
    field(COMMENT, "COMMENT"),
    feature(
        ENABLE_QUERY_ACCELERATION,
        "ENABLE_QUERY_ACCELERATION",
        FeatureDefault::Bool(false),
    ),
    feature(
        QUERY_ACCELERATION_MAX_SCALE_FACTOR,
        "QUERY_ACCELERATION_MAX_SCALE_FACTOR",
        FeatureDefault::Number(8),
    ),
];

const fn keys<const N: usize>(table: &[Field; N]) -> [&'static str; N] {
    let mut out = [""; N];
    let mut i = 0;
    while i < N {
        out[i] = table[i].key;
        i += 1;
    }
    out
}

/// Attribute keys `lifecycle.ignore_changes` may name.
pub const FIELDS: &[&str] = &keys(&TABLE);

/// The field with attribute key `key`.
pub fn field_of(key: &str) -> Option<&'static Field> {
    TABLE.iter().find(|f| f.key == key)
}
