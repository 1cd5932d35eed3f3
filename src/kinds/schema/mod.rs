//! `kind: Schema`: its declaration (YAML fields, validation, canonical
//! attributes) in [`declaration`] and its reconciler (introspection, SHOW
//! parsing, SQL) in [`reconciler`].

pub mod declaration;
pub mod reconciler;

pub use declaration::{FIELDS, Schema};
pub use reconciler::SchemaKind;
