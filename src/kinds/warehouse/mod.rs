//! `kind: Warehouse`: its declaration (YAML fields, validation, canonical
//! attributes) in [`declaration`] and its reconciler (introspection, SHOW
//! parsing, SQL) in [`reconciler`].

pub mod declaration;
pub mod fields;
pub mod reconciler;

pub use declaration::{SIZES, Warehouse, canonical_size, canonical_type};
pub use fields::FIELDS;
pub use reconciler::{RUNNING, WarehouseKind, feature_default, feature_fields};
