//! `kind: Model`: a model-registry model and its versions.
//!
//! YAML fields: `name`, `schema` (a declared schema), `comment`, `versions`
//! (at least one: `{name, from, comment, metrics, aliases}`, where `from` is
//! a stage path `"@STAGE/path"` or a promotion `{env: STAGING, version: V3}`
//! from the same model declared in another environment), `default_version`
//! (one of the versions), `gate` (`{metric, better: higher|lower,
//! tolerance}`: the metric, a number in the default version's declared
//! metrics, a new default must not make worse than the live default's by
//! more than the tolerance; see [`crate::model::Gate`]), plus the common
//! fields.
//!
//! A stage path must hold a model package written by the Python model
//! registry (snowflake-ml-python's `log_model`/`save_model` output, with its
//! `MANIFEST.yml`): Snowflake creates a version `FROM @stage` only from such
//! a package (CREATE MODEL: "It is not possible to create models from
//! scratch in SQL"; the package layout is not documented). floe registers
//! the package, it does not build one; the local account accepts any path.
//!
//! Address `model.NAME`, fqn `DB.SCHEMA.NAME`. Canonical attributes:
//!
//! | key | value |
//! |---|---|
//! | `database`, `schema`, `name` | resolved |
//! | `comment` | string or null |
//! | `default_version` | resolved version name; default: the first declared version |
//! | `versions` | list, declared order, of `{name, from, comment, metrics, aliases}`: `name` resolved; `from` is `{"stage": "@..."}` or `{"env": "STAGING", "model": "DB.SCHEMA.NAME", "version": "V3"}` (`model` in SQL, parts quoted where needed); `comment` string or null; `metrics` a JSON object (`{}` when none); `aliases` resolved names, sorted |
//!
//! `gate` is plan-time policy, not an attribute: it is carried on the
//! resource ([`crate::model::Resource::gate`]) and judged by the plan, so it
//! never makes a diff of its own.
//!
//! The YAML side (fields, validation, canonical attributes) is
//! [`declaration`]; the account side (introspection, SHOW parsing, SQL) is
//! [`reconciler`].

pub mod declaration;
pub mod fields;
pub mod import;
pub mod json_schema;
pub mod reconciler;

pub use declaration::{Model, Source, Version};
pub use fields::FIELDS;
pub use reconciler::{FOREIGN_METADATA, ModelKind};
