//! `kind: Entity`: a feature-store entity, stored by Snowflake ML as the tag
//! `SNOWML_FEATURE_STORE_ENTITY_<NAME>` in its feature-store schema, with the
//! join keys as the tag's single allowed value `'K1,K2'`.
//!
//! YAML fields: `name` (≤ 32 characters, no comma), `schema` (a declared
//! `feature_store: true` schema), `join_keys` (1..300 identifiers without
//! commas; `'K1,K2'` at most 256 characters), `description`, plus the common
//! fields.
//!
//! Address `entity.NAME`, fqn `DB.SCHEMA.SNOWML_FEATURE_STORE_ENTITY_NAME`.
//! Canonical attributes:
//!
//! | key | value |
//! |---|---|
//! | `database`, `schema` | resolved |
//! | `name` | the entity name, resolved |
//! | `tag` | `SNOWML_FEATURE_STORE_ENTITY_<NAME>` |
//! | `join_keys` | list of resolved identifiers, declared order |
//! | `description` | string, or null when absent or empty (the tag comment) |
//!
//! The YAML side (fields, validation, canonical attributes) is
//! [`declaration`]; the account side (introspection, SHOW parsing, SQL) is
//! [`reconciler`].

pub mod declaration;
pub mod fields;
pub mod import;
pub mod json_schema;
pub mod reconciler;

pub use declaration::{ENTITY_TAG_PREFIX, Entity};
pub use fields::FIELDS;
pub use reconciler::EntityKind;
