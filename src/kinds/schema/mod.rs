//! `kind: Schema`: a schema in the environment's database.
//!
//! YAML fields: `name`, `comment`, `feature_store` (default false; a feature
//! store schema also gets the `SNOWML_FEATURE_STORE_OBJECT` and
//! `SNOWML_FEATURE_VIEW_METADATA` tags), plus the common fields.
//!
//! Address `schema.NAME`, fqn `DB.NAME`. Canonical attributes:
//!
//! | key | value |
//! |---|---|
//! | `database` | the environment's database, resolved |
//! | `name` | the schema name, resolved |
//! | `comment` | string, or null when absent or empty |
//! | `feature_store` | boolean |
//!
//! The YAML side (fields, validation, canonical attributes) is
//! [`declaration`]; the account side (introspection, SHOW parsing, SQL) is
//! [`reconciler`].

pub mod declaration;
pub mod fields;
pub mod import;
pub mod json_schema;
pub mod reconciler;

pub use declaration::Schema;
pub use fields::FIELDS;
pub use reconciler::SchemaKind;
