//! The attribute keys of `kind: Model`, written once for both its
//! declaration and its reconciler (see [`super`] for their values).

/// `database`.
pub const DATABASE: &str = "database";

/// `schema`.
pub const SCHEMA: &str = "schema";

/// `name`.
pub const NAME: &str = "name";

/// `comment`.
pub const COMMENT: &str = "comment";

/// `default_version`.
pub const DEFAULT_VERSION: &str = "default_version";

/// `versions`.
pub const VERSIONS: &str = "versions";

/// `gate`: the metrics gate, plan-time policy and never an attribute.
pub const GATE: &str = "gate";

/// Attribute keys `lifecycle.ignore_changes` may name.
pub const FIELDS: &[&str] = &[COMMENT, DEFAULT_VERSION, VERSIONS];
