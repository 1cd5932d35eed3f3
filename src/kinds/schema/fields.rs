//! The attribute keys of `kind: Schema`, written once for both its
//! declaration and its reconciler (see [`super`] for their values).

/// `database`.
pub const DATABASE: &str = "database";

/// `name`.
pub const NAME: &str = "name";

/// `comment`.
pub const COMMENT: &str = "comment";

/// `feature_store`.
pub const FEATURE_STORE: &str = "feature_store";

/// Attribute keys `lifecycle.ignore_changes` may name.
pub const FIELDS: &[&str] = &[COMMENT, FEATURE_STORE];
