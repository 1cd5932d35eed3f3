//! `kind: Warehouse`: an account-level virtual warehouse.
//!
//! Address `warehouse.NAME`, fqn `NAME`. Canonical attributes (Snowflake's
//! defaults filled in):
//!
//! | key | value | default |
//! |---|---|---|
//! | `name` | resolved name | |
//! | `size` | `XSMALL` `SMALL` `MEDIUM` `LARGE` `XLARGE` `XXLARGE` `XXXLARGE` `X4LARGE` `X5LARGE` `X6LARGE` (YAML may say `X-Small`, `2X-Large`, ...; SHOW's display form goes through [`canonical_size`]) | `XSMALL` |
//! | `type` | `STANDARD` or `SNOWPARK-OPTIMIZED` | `STANDARD` |
//! | `auto_suspend` | seconds, or null for never (0 is null) | `600` |
//! | `auto_resume` | boolean | `true` |
//! | `min_cluster_count`, `max_cluster_count` | 1..10, min ≤ max | `1`, `1` |
//! | `scaling_policy` | `STANDARD` or `ECONOMY` | `STANDARD` |
//! | `initially_suspended` | boolean; create-only, SHOW does not show it (the live side should carry the state's value) | `false` |
//! | `resource_monitor` | resolved name or null (SHOW may say `null`, NULL or empty: all null) | null |
//! | `comment` | string or null | null |
//! | `enable_query_acceleration` | boolean | `false` |
//! | `query_acceleration_max_scale_factor` | 0..100 | `8` |
//!
//! The cluster counts, `scaling_policy` and the two query-acceleration
//! fields configure Enterprise-edition features; at the defaults above a
//! warehouse does not use them, and [`reconciler`] then leaves
//! them out of CREATE WAREHOUSE so that a Standard-edition account accepts
//! it.
//!
//! The YAML side (fields, validation, canonical attributes) is
//! [`declaration`]; the account side (introspection, SHOW parsing, SQL) is
//! [`reconciler`]. Its fields, with their SQL properties and SHOW columns, are listed once
//! in [`fields`].

pub mod declaration;
pub mod fields;
pub mod import;
pub mod json_schema;
pub mod reconciler;

pub use declaration::{SIZES, Warehouse, canonical_size, canonical_type};
pub use fields::FIELDS;
pub use reconciler::{RUNNING, WarehouseKind, feature_default, feature_fields};
