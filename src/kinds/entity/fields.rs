//! The attribute keys of `kind: Entity`, written once for both its
//! declaration and its reconciler (see [`super`] for their values).

/// `database`.
pub const DATABASE: &str = "database";

/// `schema`.
pub const SCHEMA: &str = "schema";

/// `name`.
pub const NAME: &str = "name";

/// `tag`.
pub const TAG: &str = "tag";

/// `join_keys`.
pub const JOIN_KEYS: &str = "join_keys";

/// `description`.
pub const DESCRIPTION: &str = "description";

/// Attribute keys `lifecycle.ignore_changes` may name.
pub const FIELDS: &[&str] = &[JOIN_KEYS, DESCRIPTION];
