//! The attribute keys of `kind: FeatureView`, written once for both its
//! declaration and its reconciler (see [`super`] for their values).

/// `database`.
pub const DATABASE: &str = "database";

/// `schema`.
pub const SCHEMA: &str = "schema";

/// `name`.
pub const NAME: &str = "name";

/// `feature_view`.
pub const FEATURE_VIEW: &str = "feature_view";

/// `version`.
pub const VERSION: &str = "version";

/// `object`.
pub const OBJECT: &str = "object";

/// `entities`.
pub const ENTITIES: &str = "entities";

/// `entity_tags`.
pub const ENTITY_TAGS: &str = "entity_tags";

/// `feature_store_tags`.
pub const FEATURE_STORE_TAGS: &str = "feature_store_tags";

/// `timestamp_col`.
pub const TIMESTAMP_COL: &str = "timestamp_col";

/// `query`.
pub const QUERY: &str = "query";

/// `refresh_freq`.
pub const REFRESH_FREQ: &str = "refresh_freq";

/// `warehouse`.
pub const WAREHOUSE: &str = "warehouse";

/// `refresh_mode`.
pub const REFRESH_MODE: &str = "refresh_mode";

/// `initialize`.
pub const INITIALIZE: &str = "initialize";

/// `cluster_by`.
pub const CLUSTER_BY: &str = "cluster_by";

/// `description`.
pub const DESCRIPTION: &str = "description";

/// `columns`.
pub const COLUMNS: &str = "columns";

/// Attribute keys `lifecycle.ignore_changes` may name.
pub const FIELDS: &[&str] = &[
    ENTITIES,
    TIMESTAMP_COL,
    QUERY,
    REFRESH_FREQ,
    WAREHOUSE,
    REFRESH_MODE,
    INITIALIZE,
    CLUSTER_BY,
    DESCRIPTION,
    COLUMNS,
];
