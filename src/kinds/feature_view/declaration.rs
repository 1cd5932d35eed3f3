//! The YAML side of `kind: FeatureView`: the raw document, its validation and
//! its canonical attributes (listed in [`super`]'s documentation).

use std::fmt;

use serde::Deserialize;
use serde_json::json;

use crate::diag::{Diagnostic, Diagnostics, Span};
use crate::ident::{Ident, MAX_IDENTIFIER_CHARS};
use crate::kinds::common::{
    Common, FS_METADATA_TAG, FS_OBJECT_TAG, choice, empty_to_null, ident, ident_list,
    read_document, single_statement, trimmed_sql, upper,
};
use crate::kinds::schedule::{Cron, Duration, ScheduleError};
use crate::kinds::{Declaration, ReadContext, Reference, World};
use crate::load::de::Spanned;
use crate::load::yaml::Node;
use crate::model::{Address, Attributes, KindName};

use super::fields::{
    CLUSTER_BY, COLUMNS, DATABASE, DESCRIPTION, ENTITIES, ENTITY_TAGS, FEATURE_STORE_TAGS,
    FEATURE_VIEW, FIELDS, INITIALIZE, NAME, OBJECT, QUERY, REFRESH_FREQ, REFRESH_MODE, SCHEMA,
    TIMESTAMP_COL, VERSION, WAREHOUSE,
};

/// How a feature view is refreshed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefreshFreq {
    /// A dynamic table with this TARGET_LAG.
    Lag(Duration),
    /// A dynamic table with TARGET_LAG = DOWNSTREAM.
    Downstream,
    /// A dynamic table with TARGET_LAG = DOWNSTREAM refreshed by a task on this cron.
    Cron(Cron),
}

impl RefreshFreq {
    /// Parses a duration, `DOWNSTREAM` (any case) or a cron with time zone.
    pub fn parse(text: &str) -> Result<RefreshFreq, ScheduleError> {
        if text.trim().eq_ignore_ascii_case("downstream") {
            return Ok(RefreshFreq::Downstream);
        }
        match Duration::parse(text) {
            Ok(d) => Ok(RefreshFreq::Lag(d)),
            Err(e) if text.split_whitespace().count() <= 2 => Err(e),
            Err(_) => Cron::parse(text).map(RefreshFreq::Cron),
        }
    }

    /// The dynamic table's TARGET_LAG: a canonical duration or `DOWNSTREAM`.
    pub fn target_lag(&self) -> String {
        match self {
            RefreshFreq::Lag(d) => d.to_string(),
            _ => "DOWNSTREAM".to_string(),
        }
    }

    /// The refresh task's cron, for a cron refresh.
    pub fn cron(&self) -> Option<&Cron> {
        match self {
            RefreshFreq::Cron(c) => Some(c),
            _ => None,
        }
    }
}

impl fmt::Display for RefreshFreq {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RefreshFreq::Lag(d) => d.fmt(f),
            RefreshFreq::Downstream => f.write_str("DOWNSTREAM"),
            RefreshFreq::Cron(c) => c.fmt(f),
        }
    }
}

/// A declared column description.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Resolved column name.
    pub name: Ident,
    /// Comment.
    pub comment: Option<String>,
    /// Where the column's name is written.
    pub span: Span,
}

/// A validated feature view declaration.
#[derive(Debug, Clone, PartialEq)]
pub struct FeatureView {
    /// Common fields (the address name is `NAME$VERSION`).
    pub common: Common,
    /// The environment's database.
    pub database: Ident,
    /// The feature-store schema.
    pub schema: Spanned<Ident>,
    /// `NAME`, resolved.
    pub name: Ident,
    /// `VERSION`, as written.
    pub version: String,
    /// Entities, declared order.
    pub entities: Vec<Spanned<Ident>>,
    /// `timestamp_col`.
    pub timestamp_col: Option<Ident>,
    /// The query, trimmed.
    pub query: String,
    /// `None` for a view.
    pub refresh_freq: Option<RefreshFreq>,
    /// The warehouse (kept for views too, as a dependency).
    pub warehouse: Option<Spanned<Ident>>,
    /// `AUTO`, `FULL` or `INCREMENTAL`.
    pub refresh_mode: &'static str,
    /// `ON_CREATE` or `ON_SCHEDULE`.
    pub initialize: &'static str,
    /// Declared `cluster_by`, if any.
    pub cluster_by: Option<Vec<Ident>>,
    /// `description`.
    pub description: Option<String>,
    /// `columns`.
    pub columns: Vec<Column>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawColumn {
    name: Spanned<String>,
    #[serde(default)]
    comment: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    schema: Spanned<String>,
    version: Spanned<String>,
    entities: Spanned<Vec<Spanned<String>>>,
    #[serde(default)]
    timestamp_col: Option<Spanned<String>>,
    query: Spanned<String>,
    #[serde(default)]
    refresh_freq: Option<Spanned<String>>,
    #[serde(default)]
    warehouse: Option<Spanned<String>>,
    #[serde(default)]
    refresh_mode: Option<Spanned<String>>,
    #[serde(default)]
    initialize: Option<Spanned<String>>,
    #[serde(default)]
    cluster_by: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    columns: Vec<RawColumn>,
}

fn valid_version(v: &str) -> bool {
    let mut chars = v.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
        && v.len() <= 128
}

impl FeatureView {
    /// Reads an interpolated `kind: FeatureView` document.
    pub fn read(node: &Node, ctx: &ReadContext<'_>) -> Result<FeatureView, Diagnostics> {
        let (head, raw) = read_document::<Raw>(node)?;
        let mut p = Diagnostics::new();
        let (name, version) = read_name_and_version(&head.name, &raw, &mut p);
        let schema = ident(&raw.schema, "schema", &mut p);
        let entities = read_entities(&raw, &mut p);
        let timestamp_col = raw
            .timestamp_col
            .as_ref()
            .and_then(|t| ident(t, "timestamp column", &mut p));
        let refresh = read_refresh(&raw, node, &mut p);
        let cluster_by = raw.cluster_by.as_ref().map(|c| {
            ident_list(c, "cluster_by column", &mut p)
                .into_iter()
                .map(|s| s.value)
                .collect()
        });
        let columns = read_columns(&raw, &mut p);
        single_statement(&raw.query, "query", false, &mut p);
        let query = trimmed_sql(&raw.query.value);
        if query.is_empty() {
            p.push(
                Diagnostic::error("the query is empty")
                    .at(raw.query.span.clone())
                    .hint("write the SELECT that computes the features"),
            );
        }
        let (Some(name), Some(schema), Some(refresh)) = (name, schema, refresh) else {
            return Err(p);
        };
        let object = name.concat(&format!("${version}"));
        if object.as_str().chars().count() > MAX_IDENTIFIER_CHARS {
            p.push(
                Diagnostic::error(format!(
                    "the feature view's object name `{}` is {} characters long, more than Snowflake's {MAX_IDENTIFIER_CHARS}",
                    object.to_sql(),
                    object.as_str().chars().count()
                ))
                .at(head.name.span.clone())
                .caused_by(format!(
                    "floe names the view or dynamic table `NAME$VERSION`, adding `${version}` to the name"
                ))
                .hint(format!(
                    "shorten the name to at most {} characters",
                    MAX_IDENTIFIER_CHARS.saturating_sub(version.chars().count() + 1)
                )),
            );
            return Err(p);
        }
        let address = Address::new(KindName::FeatureView, object);
        let common = head.validate(address, node, FIELDS, &mut p);
        if !p.is_empty() {
            return Err(p);
        }
        Ok(FeatureView {
            common,
            database: ctx.env.database.clone(),
            schema: Spanned::new(schema, raw.schema.span),
            name,
            version,
            entities,
            timestamp_col,
            query,
            refresh_freq: refresh.freq,
            warehouse: refresh.warehouse,
            refresh_mode: refresh.mode,
            initialize: refresh.initialize,
            cluster_by,
            description: raw.description,
            columns,
        })
    }

    /// True when the object is a dynamic table (`refresh_freq` given).
    pub fn is_dynamic_table(&self) -> bool {
        self.refresh_freq.is_some()
    }

    /// Each entity's tag value on the feature view: its join keys, comma
    /// joined as the entity tag's allowed value (`{"PUDO": "PUDO_ID"}`).
    fn entity_tags(&self, world: &World<'_>) -> serde_json::Value {
        let tags: serde_json::Map<String, serde_json::Value> = self
            .entities
            .iter()
            .filter_map(|e| {
                let entity = world.entity(&e.value)?;
                let keys: Vec<&str> = entity.join_keys.iter().map(Ident::as_str).collect();
                Some((e.value.as_str().to_string(), json!(keys.join(","))))
            })
            .collect();
        serde_json::Value::Object(tags)
    }

    /// The clustering keys: declared, or the entities' join keys then `timestamp_col`.
    pub fn effective_cluster_by(&self, world: &World<'_>) -> Vec<Ident> {
        if let Some(declared) = &self.cluster_by {
            return declared.clone();
        }
        let mut keys: Vec<Ident> = Vec::new();
        for entity in &self.entities {
            for key in world
                .entity(&entity.value)
                .map(|e| e.join_keys.as_slice())
                .unwrap_or_default()
            {
                if !keys.contains(key) {
                    keys.push(key.clone());
                }
            }
        }
        if let Some(ts) = &self.timestamp_col
            && !keys.contains(ts)
        {
            keys.push(ts.clone());
        }
        keys
    }
}

impl FeatureView {
    /// The feature store describes feature columns only: its
    /// `attach_feature_desc` refuses any other name ("Feature name X is not
    /// found in FeatureView"), and `get_feature_view` fails the same way on
    /// a join key or timestamp column that carries a comment. Such a comment
    /// is refused here, where it is written.
    fn check_column_comments(&self, world: &World<'_>, problems: &mut Diagnostics) {
        for column in &self.columns {
            if column.comment.as_deref().is_none_or(str::is_empty) {
                continue;
            }
            let Some(role) = self.key_role(world, &column.name) else {
                continue;
            };
            let hint = if self.timestamp_col.as_ref() == Some(&column.name) {
                "remove its comment and list the column as `{name: ...}` only"
            } else {
                "remove its comment and list the column as `{name: ...}` only (describe the key in the entity's `description`)"
            };
            problems.push(
                Diagnostic::error(format!(
                    "column `{}` is {role}: the feature store takes descriptions of feature columns only",
                    column.name
                ))
                .at(column.span.clone())
                .hint(hint),
            );
        }
    }

    /// What a non-feature column is: a join key of one of the entities, or
    /// the timestamp column; `None` for a feature.
    fn key_role(&self, world: &World<'_>, column: &Ident) -> Option<String> {
        if self.timestamp_col.as_ref() == Some(column) {
            return Some("the timestamp column".to_string());
        }
        self.entities.iter().find_map(|e| {
            let entity = world.entity(&e.value)?;
            entity
                .join_keys
                .contains(column)
                .then(|| format!("a join key of entity `{}`", e.value))
        })
    }
}

/// The name (without `$`) and the version (Snowflake ML's rules).
fn read_name_and_version(
    written: &Spanned<String>,
    raw: &Raw,
    p: &mut Diagnostics,
) -> (Option<Ident>, String) {
    let name = ident(written, "feature view", p);
    if name.as_ref().is_some_and(|n| n.as_str().contains('$')) {
        p.push(
            Diagnostic::error("a feature view name cannot contain `$`")
                .at(written.span.clone())
                .hint(
                    "Snowflake ML names the object `NAME$VERSION`; put the version in `version:`",
                ),
        );
    }
    let version = raw.version.value.trim().to_string();
    if !valid_version(&version) {
        p.push(
            Diagnostic::error(format!("`{version}` is not a valid feature view version"))
                .at(raw.version.span.clone())
                .hint("start with a letter or digit, then letters, digits, `_`, `.` or `-`, at most 128 characters (e.g. `V1`)"),
        );
    }
    (name, version)
}

fn read_entities(raw: &Raw, p: &mut Diagnostics) -> Vec<Spanned<Ident>> {
    if raw.entities.value.is_empty() {
        p.push(
            Diagnostic::error("a feature view needs at least one entity")
                .at(raw.entities.span.clone())
                .hint("list the entities it is keyed by, e.g. `entities: [PUDO]`"),
        );
    }
    ident_list(&raw.entities.value, "entity", p)
}

fn read_columns(raw: &Raw, p: &mut Diagnostics) -> Vec<Column> {
    raw.columns
        .iter()
        .filter_map(|c| {
            let name = ident(&c.name, "column", p)?;
            Some(Column {
                name,
                comment: c.comment.clone(),
                span: c.name.span.clone(),
            })
        })
        .collect()
}

/// How the feature view refreshes.
struct Refresh {
    freq: Option<RefreshFreq>,
    warehouse: Option<Spanned<Ident>>,
    mode: &'static str,
    initialize: &'static str,
}

fn read_refresh(raw: &Raw, node: &Node, p: &mut Diagnostics) -> Option<Refresh> {
    let freq = raw.refresh_freq.as_ref().and_then(|r| match RefreshFreq::parse(&r.value) {
        Ok(f) => Some(f),
        Err(e) => {
            p.push(
                Diagnostic::error(format!("invalid refresh_freq `{}`", r.value))
                    .at(r.span.clone())
                    .caused_by(e.to_string())
                    .hint("write a duration (`1 day`, `30 minutes`), `DOWNSTREAM`, or a cron with a time zone (`0 6 * * * UTC`)"),
            );
            None
        }
    });
    let warehouse = raw
        .warehouse
        .as_ref()
        .and_then(|w| ident(w, "warehouse", p).map(|i| Spanned::new(i, w.span.clone())));
    if raw.refresh_freq.is_some() && raw.warehouse.is_none() {
        p.push(
            Diagnostic::error("a feature view with refresh_freq is a dynamic table and needs a warehouse")
                .at(node.span.clone())
                .hint("add `warehouse:` naming a declared warehouse, or remove refresh_freq to make it a view"),
        );
    }
    let modes = [
        ("AUTO", "AUTO"),
        ("FULL", "FULL"),
        ("INCREMENTAL", "INCREMENTAL"),
    ];
    let mode = match &raw.refresh_mode {
        None => Some("AUTO"),
        Some(m) => choice(m, "refresh_mode", &modes, upper, p),
    };
    let inits = [("ON_CREATE", "ON_CREATE"), ("ON_SCHEDULE", "ON_SCHEDULE")];
    let initialize = match &raw.initialize {
        None => Some("ON_CREATE"),
        Some(i) => choice(i, "initialize", &inits, upper, p),
    };
    Some(Refresh {
        freq,
        warehouse,
        mode: mode?,
        initialize: initialize?,
    })
}

impl Declaration for FeatureView {
    fn common(&self) -> &Common {
        &self.common
    }

    fn references(&self) -> Vec<Reference> {
        let mut refs = Reference::placement(&self.schema, self.warehouse.as_ref());
        refs.extend(
            self.entities
                .iter()
                .map(|e| Reference::new(KindName::Entity, &e.value, &e.span, "entities")),
        );
        refs
    }

    fn sql(&self) -> Option<&str> {
        Some(&self.query)
    }

    fn check(&self, world: &World<'_>, problems: &mut Diagnostics) {
        world.require_feature_store(&self.schema, "a feature view", problems);
        for e in &self.entities {
            if let Some(entity) = world.entity(&e.value)
                && entity.schema.value != self.schema.value
            {
                problems.push(
                    Diagnostic::error(format!(
                        "the entity `{}` is in schema `{}`, not in this feature view's schema `{}`",
                        e.value, entity.schema.value, self.schema.value
                    ))
                    .at(e.span.clone())
                    .hint("a feature view and its entities must live in the same feature store"),
                );
            }
        }
        self.check_column_comments(world, problems);
    }

    fn fqn(&self) -> String {
        format!(
            "{}.{}.{}",
            self.database, self.schema.value, self.common.address.name
        )
    }

    fn attributes(&self, world: &World<'_>) -> Attributes {
        let dt = self.is_dynamic_table();
        let when_dt = |v: serde_json::Value| if dt { v } else { serde_json::Value::Null };
        let columns: Vec<serde_json::Value> = self
            .columns
            .iter()
            .map(|c| json!({"name": c.name.as_str(), "comment": empty_to_null(&c.comment)}))
            .collect();
        Attributes::from([
            (DATABASE.to_string(), json!(self.database.as_str())),
            (SCHEMA.to_string(), json!(self.schema.value.as_str())),
            (NAME.to_string(), json!(self.common.address.name.as_str())),
            (FEATURE_VIEW.to_string(), json!(self.name.as_str())),
            (VERSION.to_string(), json!(self.version)),
            (
                OBJECT.to_string(),
                json!(if dt { "DYNAMIC TABLE" } else { "VIEW" }),
            ),
            (
                ENTITIES.to_string(),
                json!(
                    self.entities
                        .iter()
                        .map(|e| e.value.as_str())
                        .collect::<Vec<_>>()
                ),
            ),
            (ENTITY_TAGS.to_string(), self.entity_tags(world)),
            (
                FEATURE_STORE_TAGS.to_string(),
                json!([FS_OBJECT_TAG, FS_METADATA_TAG]),
            ),
            (
                TIMESTAMP_COL.to_string(),
                json!(self.timestamp_col.as_ref().map(Ident::as_str)),
            ),
            (QUERY.to_string(), json!(self.query)),
            (
                REFRESH_FREQ.to_string(),
                json!(self.refresh_freq.as_ref().map(ToString::to_string)),
            ),
            (
                WAREHOUSE.to_string(),
                when_dt(json!(self.warehouse.as_ref().map(|w| w.value.as_str()))),
            ),
            (REFRESH_MODE.to_string(), when_dt(json!(self.refresh_mode))),
            (INITIALIZE.to_string(), when_dt(json!(self.initialize))),
            (
                CLUSTER_BY.to_string(),
                when_dt(json!(
                    self.effective_cluster_by(world)
                        .iter()
                        .map(Ident::as_str)
                        .collect::<Vec<_>>()
                )),
            ),
            (DESCRIPTION.to_string(), empty_to_null(&self.description)),
            (COLUMNS.to_string(), json!(columns)),
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refresh_freq_is_a_lag_downstream_or_a_cron() {
        assert_eq!(RefreshFreq::parse("1 day").unwrap().to_string(), "1 day");
        assert_eq!(
            RefreshFreq::parse("downstream").unwrap(),
            RefreshFreq::Downstream
        );
        let cron = RefreshFreq::parse("0 6 * * * Europe/Paris").unwrap();
        assert_eq!(cron.target_lag(), "DOWNSTREAM");
        assert_eq!(cron.cron().unwrap().to_string(), "0 6 * * * Europe/Paris");
        assert!(matches!(
            RefreshFreq::parse("0 6 * * *"),
            Err(ScheduleError::CronWithoutTimeZone(_))
        ));
        assert!(RefreshFreq::parse("often").is_err());
    }

    #[test]
    fn versions_follow_snowflake_ml_rules() {
        assert!(valid_version("V1"));
        assert!(valid_version("1.0-rc_2"));
        assert!(!valid_version("-v1"));
        assert!(!valid_version("v 1"));
        assert!(!valid_version(&"v".repeat(129)));
    }
}
