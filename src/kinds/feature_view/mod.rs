//! `kind: FeatureView`: a feature-store feature view, the object `NAME$VERSION`
//! in a feature-store schema: a view when `refresh_freq` is absent, otherwise
//! a dynamic table (plus a same-named refresh task for a cron `refresh_freq`).
//!
//! YAML fields: `name` (no `$`), `schema` (a declared feature-store schema),
//! `version` (`^[a-zA-Z0-9][a-zA-Z0-9_.\-]*$`, ≤ 128, used as written),
//! `entities` (declared entities of the same schema), `timestamp_col`,
//! `query`, `refresh_freq` (a duration such as `1 day`, `DOWNSTREAM`, or a
//! cron with a time zone), `warehouse` (required for dynamic tables),
//! `refresh_mode` (`AUTO`), `initialize` (`ON_CREATE`), `cluster_by` (default:
//! the entities' join keys, then `timestamp_col`), `description`,
//! `columns: [{name, comment}]`, plus the common fields. As in the feature
//! store's own `attach_feature_desc`, only feature columns take a comment: a
//! comment on a join key or on `timestamp_col` is refused at validation.
//!
//! Address `feature_view.NAME$VERSION`, fqn `DB.SCHEMA.NAME$VERSION`.
//! Canonical attributes:
//!
//! | key | value |
//! |---|---|
//! | `database`, `schema` | resolved |
//! | `name` | the object name `NAME$VERSION` |
//! | `feature_view`, `version` | `NAME` resolved, `VERSION` as written |
//! | `object` | `VIEW` or `DYNAMIC TABLE` |
//! | `entities` | resolved entity names, declared order |
//! | `entity_tags` | per entity, the value of its `SNOWML_FEATURE_STORE_ENTITY_<E>` tag on the object: the join keys, comma joined (`{"PUDO": "PUDO_ID"}`); read from the tag assignments |
//! | `feature_store_tags` | which of `SNOWML_FEATURE_STORE_OBJECT` and `SNOWML_FEATURE_VIEW_METADATA` are set on the object (declared: both); read from the tag assignments |
//! | `timestamp_col` | resolved identifier or null |
//! | `query` | the query, trimmed, without a final `;` |
//! | `refresh_freq` | null (view), a canonical duration (`1 day`), `DOWNSTREAM`, or a cron `<5 fields> <TZ>`; [`RefreshFreq`] splits it into TARGET_LAG and the refresh task's schedule |
//! | `warehouse` | resolved name; null for a view |
//! | `refresh_mode` | `AUTO` `FULL` `INCREMENTAL` as declared; null for a view (SHOW resolves `AUTO` to what Snowflake chose, so read the declared mode from the CREATE `text`) |
//! | `initialize` | `ON_CREATE` `ON_SCHEDULE`; null for a view |
//! | `cluster_by` | list of resolved identifiers; null for a view |
//! | `description` | string or null |
//! | `columns` | list of `{name, comment}` (resolved name, comment or null), declared order |
//!
//! The YAML side (fields, validation, canonical attributes) is
//! [`declaration`]; the account side (introspection, SHOW parsing, SQL) is
//! [`reconciler`].

pub mod declaration;
pub mod fields;
pub mod import;
pub mod json_schema;
pub mod reconciler;

pub use declaration::{Column, FeatureView, RefreshFreq};
pub use fields::FIELDS;
pub use reconciler::FeatureViewKind;
