//! `kind: Model`: its declaration (YAML fields, validation, canonical
//! attributes) in [`declaration`] and its reconciler (introspection, SHOW
//! parsing, SQL) in [`reconciler`].

pub mod declaration;
pub mod reconciler;

pub use declaration::{FIELDS, Model, Source, Version};
pub use reconciler::{FOREIGN_METADATA, ModelKind};
