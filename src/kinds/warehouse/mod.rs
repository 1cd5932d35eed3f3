//! `kind: Warehouse`: its declaration (YAML fields, validation, canonical
//! attributes) in [`declaration`] and its reconciler (introspection, SHOW
//! parsing, SQL) in [`reconciler`].

pub mod declaration;
pub mod reconciler;

pub use declaration::{FIELDS, SIZES, Warehouse, canonical_size, canonical_type};
pub use reconciler::{FEATURE_FIELDS, RUNNING, WarehouseKind, feature_default};
