//! The reconciler's view of registry models: `SHOW MODELS` plus one
//! `INFORMATION_SCHEMA.MODEL_VERSIONS` query per database, and the
//! `CREATE MODEL` / `ALTER MODEL` statements of the Snowflake registry, so
//! that `snowflake.ml.registry.Registry` reads what floe writes.
//!
//! Choices a reader should know:
//!
//! - **`from` cannot be observed.** Snowflake keeps no trace of where a
//!   version was copied from, so introspection reports `from: null` and
//!   [`Reconciler::complete_live`] copies the `from` state recorded for a version
//!   of the same name. Without state (an adopted model) `from` stays null:
//!   the plan shows `versions` changing from null to the declared source,
//!   and the update adopts it without touching the version (no statement),
//!   because re-creating a version floe did not watch being made would
//!   destroy it on a guess. After that apply state knows the source.
//! - **Version order.** Live versions come in creation order; completion
//!   puts the versions state knows in recorded (declared) order, so a
//!   version declared between two others, or re-created, is not a diff.
//! - **Metadata floe does not own.** A version's metadata may hold keys
//!   other than `metrics` and `snowpark_ml_schema_version` (set by the Python
//!   registry or a colleague). Introspection keeps them in the live-only
//!   attribute [`FOREIGN_METADATA`] (`{version: {key: value}}`, absent when
//!   there are none), which declarations never have and the diff therefore
//!   never compares; a metrics update writes them back unchanged
//!   (read-modify-write, as the Python registry does).
//! - **A version whose `from` changed** is dropped and added again from the
//!   new source, in place: the model, its other versions and their history
//!   stay. When that version is the default, another surviving version is
//!   made default first; when every version is re-sourced, the model is
//!   replaced instead.
//! - Moving the model to another schema replaces it.
//! - Aliases are set one statement each and moved with `UNSET` (naming the
//!   alias) before they are set on another version. Snowflake's `UNSET
//!   ALIAS` grammar suggests one user alias per version, as the local
//!   account keeps; a second alias declared on one version would then not
//!   stick.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::ident::{Ident, sql_string};
use crate::kinds::common::text_attr as text;
use crate::kinds::reconciler::{Change, LiveObject, ParseError, Query, Reconciler, Scope};
use crate::model::{Address, Attributes, KindName, Resource};
use crate::session::{Row, Rows};

use super::fields::{COMMENT, DATABASE, DEFAULT_VERSION, NAME, SCHEMA, VERSIONS};

/// Registry models and their versions.
pub struct ModelKind;

/// Live-only attribute: per version, the metadata keys floe does not own.
pub const FOREIGN_METADATA: &str = "foreign_metadata";

/// The metadata schema version the Python registry reads.
const SCHEMA_VERSION: &str = "2024-01-01";
/// The metadata key holding [`SCHEMA_VERSION`].
const SCHEMA_VERSION_KEY: &str = "snowpark_ml_schema_version";
/// The metadata key holding the metrics.
const METRICS_KEY: &str = "metrics";
/// Aliases Snowflake maintains itself.
const SYSTEM_ALIASES: [&str; 3] = ["DEFAULT", "FIRST", "LAST"];

fn id(name: &str) -> String {
    Ident::from_resolved(name).to_sql()
}

/// `DB.SCHEMA.MODEL`, each part quoted only when needed.
fn model_sql(attributes: &Attributes, fallback: &str) -> String {
    match (
        text(attributes, DATABASE),
        text(attributes, SCHEMA),
        text(attributes, NAME),
    ) {
        (Some(db), Some(schema), Some(name)) => format!("{}.{}.{}", id(db), id(schema), id(name)),
        _ => fallback.to_string(),
    }
}

/// The versions of a canonical attribute map.
fn versions(attributes: &Attributes) -> &[Value] {
    attributes
        .get(VERSIONS)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

fn name_of(version: &Value) -> &str {
    version.get("name").and_then(Value::as_str).unwrap_or("")
}

fn find<'a>(versions: &'a [Value], name: &str) -> Option<&'a Value> {
    versions.iter().find(|v| name_of(v) == name)
}

fn aliases_of(version: &Value) -> Vec<&str> {
    version
        .get("aliases")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

fn metrics_of(version: &Value) -> Value {
    version.get("metrics").cloned().unwrap_or_else(|| json!({}))
}

/// A stage path as SQL: verbatim when it is a plain `@stage/path` (the
/// form the registry writes), otherwise a string literal, so that no path
/// can end the statement or open a string of its own.
fn stage_sql(path: &str) -> String {
    let plain = path.strip_prefix('@').is_some_and(|rest| {
        !rest.is_empty()
            && rest
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "_./-=+%~".contains(c))
    });
    if plain {
        path.to_string()
    } else {
        sql_string(path)
    }
}

/// `@stage/path` or `MODEL <src> VERSION <v>`, the part after `FROM`.
fn source_sql(from: &Value) -> String {
    if let Some(path) = from.get("stage").and_then(Value::as_str) {
        return stage_sql(path);
    }
    // `model` is the source model's name in SQL already (see
    // `PromotionSource::fqn`): it is never split at dots.
    let model = from.get("model").and_then(Value::as_str).unwrap_or("");
    let version = from.get("version").and_then(Value::as_str).unwrap_or("");
    format!("MODEL {model} VERSION {}", id(version))
}

/// `SET COMMENT = '...'` text; null clears the comment.
fn comment_sql(comment: Option<&Value>) -> String {
    sql_string(comment.and_then(Value::as_str).unwrap_or(""))
}

/// The metadata floe writes: the keys it does not own, then the metrics in
/// the registry's shape.
fn metadata_json(foreign: Option<&Value>, metrics: Value) -> String {
    let mut metadata = foreign
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    metadata.insert(METRICS_KEY.into(), metrics);
    metadata.insert(SCHEMA_VERSION_KEY.into(), json!(SCHEMA_VERSION));
    python_json(&Value::Object(metadata))
}

/// JSON text as Python's `json.dumps` writes it (`", "` and `": "`
/// separators), so the metadata reads exactly as the registry's own.
fn python_json(value: &Value) -> String {
    let mut out = Vec::new();
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, PythonFormatter);
    // Writing a Value into a Vec cannot fail (its keys are strings); fall
    // back to the compact form rather than panic.
    match serde::Serialize::serialize(value, &mut serializer) {
        Ok(()) => String::from_utf8(out).unwrap_or_else(|_| value.to_string()),
        Err(_) => value.to_string(),
    }
}

/// serde_json's compact output with Python's separators.
struct PythonFormatter;

/// `, ` before every item but the first, as Python's `json.dumps` writes.
fn python_separator<W: ?Sized + std::io::Write>(
    writer: &mut W,
    first: bool,
) -> std::io::Result<()> {
    if first {
        Ok(())
    } else {
        writer.write_all(b", ")
    }
}

impl serde_json::ser::Formatter for PythonFormatter {
    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        python_separator(writer, first)
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        python_separator(writer, first)
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
    ) -> std::io::Result<()> {
        writer.write_all(b": ")
    }
}

/// Statements that write what differs between a version's declared
/// settings and its `current` ones (`None` for a version just added).
fn version_settings_sql(
    model: &str,
    declared: &Value,
    current: Option<&Value>,
    foreign: Option<&Value>,
) -> Vec<String> {
    let v = id(name_of(declared));
    let mut sql = Vec::new();
    let comment = declared.get("comment").filter(|c| !c.is_null());
    let current_comment = current
        .and_then(|c| c.get("comment"))
        .filter(|c| !c.is_null());
    if comment != current_comment {
        sql.push(format!(
            "ALTER MODEL {model} MODIFY VERSION {v} SET COMMENT = {}",
            comment_sql(comment)
        ));
    }
    let metrics = metrics_of(declared);
    let current_metrics = current.map_or_else(|| json!({}), metrics_of);
    if metrics != current_metrics {
        sql.push(format!(
            "ALTER MODEL {model} MODIFY VERSION {v} SET METADATA = {}",
            sql_string(&metadata_json(foreign, metrics))
        ));
    }
    let current_aliases = current.map(aliases_of).unwrap_or_default();
    for alias in aliases_of(declared) {
        if !current_aliases.contains(&alias) {
            sql.push(format!(
                "ALTER MODEL {model} VERSION {v} SET ALIAS = {}",
                id(alias)
            ));
        }
    }
    sql
}

impl Reconciler for ModelKind {
    fn kind(&self) -> KindName {
        KindName::Model
    }

    fn introspect(&self, scope: &Scope) -> Vec<Query> {
        let db = scope.database.to_sql();
        vec![
            Query::show(format!("SHOW MODELS IN DATABASE {db}")),
            Query::once(format!(
                "SELECT SCHEMA_NAME, MODEL_NAME, MODEL_VERSION_NAME, VERSION_ALIASES, COMMENT, METADATA \
                 FROM {db}.INFORMATION_SCHEMA.MODEL_VERSIONS \
                 ORDER BY SCHEMA_NAME, MODEL_NAME, CREATED"
            )),
        ]
    }

    fn parse_live(&self, scope: &Scope, results: &[Rows]) -> Result<Vec<LiveObject>, ParseError> {
        let queries = self.introspect(scope);
        let reader = |i: usize| Reader {
            statement: &queries[i].sql,
        };
        let (Some(models), Some(versions)) = (results.first(), results.get(1)) else {
            return Err(reader(0).error("expected the results of two statements".into()));
        };
        let mut by_model = reader(1).versions(versions)?;
        let mut out = Vec::new();
        for row in models.iter() {
            let r = reader(0);
            let name = r.column(&row, "name")?;
            let schema = r.column(&row, "schema_name")?;
            let database = row.get("database_name").unwrap_or(scope.database.as_str());
            let found = by_model.remove(&(schema.to_string(), name.to_string()));
            let (versions, foreign) = found.unwrap_or_default();
            let mut attributes = Attributes::from([
                (DATABASE.to_string(), json!(database)),
                (SCHEMA.to_string(), json!(schema)),
                (NAME.to_string(), json!(name)),
                (COMMENT.to_string(), non_empty(row.get("comment"))),
                (
                    DEFAULT_VERSION.to_string(),
                    non_empty(row.get("default_version_name")),
                ),
                (VERSIONS.to_string(), Value::Array(versions)),
            ]);
            if !foreign.is_empty() {
                attributes.insert(FOREIGN_METADATA.to_string(), Value::Object(foreign));
            }
            out.push(LiveObject {
                address: Address::new(KindName::Model, Ident::from_resolved(name)),
                fqn: format!("{database}.{schema}.{name}"),
                schema: Some(Ident::from_resolved(schema)),
                attributes,
            });
        }
        Ok(out)
    }

    fn complete_live(&self, live: &Attributes, recorded: &Attributes) -> Option<Attributes> {
        let recorded = versions(recorded);
        let mut live = live.clone();
        let Some(Value::Array(seen)) = live.get_mut(VERSIONS) else {
            return None;
        };
        for version in seen.iter_mut() {
            let from = find(recorded, name_of(version)).and_then(|r| r.get("from"));
            if let (Some(from), Some(slot)) = (from, version.as_object_mut()) {
                slot.insert("from".into(), from.clone());
            }
        }
        let position = |v: &Value| {
            recorded
                .iter()
                .position(|r| name_of(r) == name_of(v))
                .unwrap_or(usize::MAX)
        };
        seen.sort_by_key(position);
        Some(live)
    }

    fn plan_change(&self, declared: &Resource, current: &Attributes, changed: &[String]) -> Change {
        if let Some(field) = changed.iter().find(|f| *f == DATABASE || *f == SCHEMA) {
            return Change::Replace {
                reason: format!("{field} changed"),
            };
        }
        let model = model_sql(&declared.attributes, &declared.fqn);
        // Fields not in `changed` (equal, or in `ignore_changes`) are left
        // as they are in the account.
        let mut target = declared.attributes.clone();
        for field in [COMMENT, DEFAULT_VERSION, VERSIONS] {
            if !changed.iter().any(|f| f == field) {
                target.insert(
                    field.into(),
                    current.get(field).cloned().unwrap_or(Value::Null),
                );
            }
        }
        match VersionPlan::new(&target, current) {
            Some(plan) => Change::Update(plan.statements(&model, &target, current)),
            None => Change::Replace {
                reason: "every version's `from` changed".into(),
            },
        }
    }

    fn create_sql(&self, resource: &Resource) -> Vec<String> {
        let model = model_sql(&resource.attributes, &resource.fqn);
        let all = versions(&resource.attributes);
        let Some((first, rest)) = all.split_first() else {
            return Vec::new();
        };
        let mut sql = vec![format!(
            "CREATE MODEL {model} WITH VERSION {} FROM {}",
            id(name_of(first)),
            source_sql(&first["from"])
        )];
        sql.extend(rest.iter().map(|v| add_version_sql(&model, v)));
        for v in all {
            sql.extend(version_settings_sql(&model, v, None, None));
        }
        let default = text(&resource.attributes, DEFAULT_VERSION);
        if let Some(default) = default.filter(|d| *d != name_of(first)) {
            sql.push(default_sql(&model, default));
        }
        if let Some(comment) = text(&resource.attributes, COMMENT) {
            sql.push(format!(
                "ALTER MODEL {model} SET COMMENT = {}",
                sql_string(comment)
            ));
        }
        sql
    }

    fn delete_sql(&self, _address: &Address, fqn: &str, attributes: &Attributes) -> Vec<String> {
        vec![format!("DROP MODEL {}", model_sql(attributes, fqn))]
    }

    fn destroys_data(&self, _attributes: &Attributes) -> bool {
        true
    }
}

fn add_version_sql(model: &str, version: &Value) -> String {
    format!(
        "ALTER MODEL {model} ADD VERSION {} FROM {}",
        id(name_of(version)),
        source_sql(&version["from"])
    )
}

fn default_sql(model: &str, version: &str) -> String {
    format!("ALTER MODEL {model} SET DEFAULT_VERSION = {}", id(version))
}

/// A text cell as a canonical string, empty and NULL as null.
fn non_empty(cell: Option<&str>) -> Value {
    match cell {
        Some(c) if !c.is_empty() => json!(c),
        _ => Value::Null,
    }
}

/// The versions of each model and their metadata keys floe does not own.
type ModelVersions = BTreeMap<(String, String), (Vec<Value>, Map<String, Value>)>;

/// Reads the rows of one introspection statement.
struct Reader<'a> {
    statement: &'a str,
}

impl Reader<'_> {
    fn error(&self, message: String) -> ParseError {
        ParseError {
            kind: KindName::Model,
            statement: self.statement.to_string(),
            message,
        }
    }

    fn column<'r>(&self, row: &Row<'r>, column: &str) -> Result<&'r str, ParseError> {
        row.get(column)
            .ok_or_else(|| self.error(format!("column \"{column}\" is missing")))
    }

    fn json(&self, row: &Row<'_>, column: &str) -> Result<Option<Value>, ParseError> {
        match row.get(column) {
            None | Some("") => Ok(None),
            Some(cell) => serde_json::from_str(cell)
                .map(Some)
                .map_err(|e| self.error(format!("{column} is not JSON ({e}): {cell}"))),
        }
    }

    /// MODEL_VERSIONS rows, grouped by (schema, model), in result order.
    fn versions(&self, rows: &Rows) -> Result<ModelVersions, ParseError> {
        let mut out = ModelVersions::new();
        for row in rows.iter() {
            let schema = self.column(&row, "SCHEMA_NAME")?;
            let model = self.column(&row, "MODEL_NAME")?;
            let name = self.column(&row, "MODEL_VERSION_NAME")?;
            let aliases = self.aliases(&row)?;
            let metadata = match self.json(&row, "METADATA")? {
                None => Map::new(),
                Some(Value::Object(m)) => m,
                Some(other) => {
                    return Err(self.error(format!("METADATA is not an object: {other}")));
                }
            };
            let (metrics, foreign) = split_metadata(metadata);
            let entry = out
                .entry((schema.to_string(), model.to_string()))
                .or_default();
            entry.0.push(json!({
                "name": name,
                "from": null,
                "comment": non_empty(row.get("COMMENT")),
                "metrics": metrics,
                "aliases": aliases,
            }));
            if !foreign.is_empty() {
                entry.1.insert(name.to_string(), Value::Object(foreign));
            }
        }
        Ok(out)
    }

    /// VERSION_ALIASES without the system aliases, sorted.
    fn aliases(&self, row: &Row<'_>) -> Result<Vec<String>, ParseError> {
        let list = match self.json(row, "VERSION_ALIASES")? {
            None => Vec::new(),
            Some(Value::Array(items)) => items,
            Some(other) => {
                return Err(self.error(format!("VERSION_ALIASES is not a list: {other}")));
            }
        };
        let mut aliases: Vec<String> = list
            .iter()
            .filter_map(Value::as_str)
            .filter(|a| !SYSTEM_ALIASES.contains(a))
            .map(str::to_string)
            .collect();
        aliases.sort();
        Ok(aliases)
    }
}

/// The metrics as the Python registry reads them (only under its schema
/// version key; `{}` otherwise), and every key floe does not own.
fn split_metadata(mut metadata: Map<String, Value>) -> (Value, Map<String, Value>) {
    let versioned = metadata.remove(SCHEMA_VERSION_KEY).is_some();
    let metrics = metadata.remove(METRICS_KEY).filter(|_| versioned);
    (metrics.unwrap_or_else(|| json!({})), metadata)
}

/// How the declared versions differ from the current ones.
struct VersionPlan<'a> {
    declared: &'a [Value],
    current: &'a [Value],
    /// Versions in both whose known `from` differs: dropped and added again.
    resourced: Vec<&'a str>,
    /// Current versions not declared.
    removed: Vec<&'a str>,
}

impl<'a> VersionPlan<'a> {
    /// `None` when every declared version must be re-created, so that no
    /// version could stay default while the others are dropped.
    fn new(declared: &'a Attributes, current: &'a Attributes) -> Option<Self> {
        let (declared, current) = (versions(declared), versions(current));
        let resourced: Vec<&str> = declared
            .iter()
            .filter(|d| {
                find(current, name_of(d)).is_some_and(|c| {
                    let from = c.get("from").filter(|f| !f.is_null());
                    from.is_some_and(|f| Some(f) != d.get("from"))
                })
            })
            .map(name_of)
            .collect();
        let removed: Vec<&str> = current
            .iter()
            .map(name_of)
            .filter(|n| find(declared, n).is_none())
            .collect();
        let plan = VersionPlan {
            declared,
            current,
            resourced,
            removed,
        };
        let survivor = declared.iter().any(|d| plan.survives(name_of(d)));
        (survivor || plan.resourced.is_empty()).then_some(plan)
    }

    /// True for a current version that stays as it is.
    fn keeps(&self, name: &str) -> bool {
        !self.removed.contains(&name) && !self.resourced.contains(&name)
    }

    fn is_new(&self, name: &str) -> bool {
        find(self.current, name).is_none()
    }

    /// The statements, in an order Snowflake accepts: new versions, the
    /// default moved off versions about to go, aliases freed, versions
    /// dropped and re-added, then comments, metrics, aliases and the
    /// declared default.
    fn statements(&self, model: &str, declared: &Attributes, current: &Attributes) -> Vec<String> {
        let mut sql: Vec<String> = Vec::new();
        if text(declared, COMMENT) != text(current, COMMENT) {
            sql.push(format!(
                "ALTER MODEL {model} SET COMMENT = {}",
                comment_sql(declared.get("comment"))
            ));
        }
        let new: Vec<&Value> = self
            .declared
            .iter()
            .filter(|d| self.is_new(name_of(d)))
            .collect();
        sql.extend(new.iter().map(|v| add_version_sql(model, v)));
        let wanted = text(declared, DEFAULT_VERSION).unwrap_or("");
        let mut default = text(current, DEFAULT_VERSION).unwrap_or("").to_string();
        if !self.keeps(&default) {
            // Snowflake refuses to drop the default version: move it first.
            let interim = Some(wanted)
                .filter(|w| self.survives(w))
                .or_else(|| self.declared.iter().map(name_of).find(|n| self.survives(n)));
            if let Some(interim) = interim {
                sql.push(default_sql(model, interim));
                default = interim.to_string();
            }
        }
        sql.extend(self.freed_aliases(model));
        for name in self.removed.iter().chain(&self.resourced) {
            sql.push(format!("ALTER MODEL {model} DROP VERSION {}", id(name)));
        }
        for d in self
            .declared
            .iter()
            .filter(|d| self.resourced.contains(&name_of(d)))
        {
            sql.push(add_version_sql(model, d));
        }
        let foreign = current.get(FOREIGN_METADATA);
        for d in self.declared {
            let name = name_of(d);
            let seen = find(self.current, name).filter(|_| self.keeps(name));
            let kept = foreign.and_then(|f| f.get(name)).filter(|_| seen.is_some());
            sql.extend(version_settings_sql(model, d, seen, kept));
        }
        // A default kept under ignore_changes may be a version being dropped:
        // it cannot be set back, the default moved off it above stays.
        if default != wanted && find(self.declared, wanted).is_some() {
            sql.push(default_sql(model, wanted));
        }
        sql
    }

    /// True for a version that exists once new versions are added and
    /// before anything is dropped or re-added.
    fn survives(&self, name: &str) -> bool {
        self.keeps(name) || (self.is_new(name) && find(self.declared, name).is_some())
    }

    /// UNSET ALIAS for every alias a kept version holds but should not,
    /// named by the alias itself, before any alias is set elsewhere.
    fn freed_aliases(&self, model: &str) -> Vec<String> {
        let mut sql = Vec::new();
        for c in self.current.iter().filter(|c| self.keeps(name_of(c))) {
            let declared = find(self.declared, name_of(c))
                .map(aliases_of)
                .unwrap_or_default();
            for alias in aliases_of(c).into_iter().filter(|a| !declared.contains(a)) {
                sql.push(format!(
                    "ALTER MODEL {model} VERSION {} UNSET ALIAS",
                    id(alias)
                ));
            }
        }
        sql
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::schema::reconciler::SchemaKind;
    use crate::kinds::testing::{account, live, resolve, run};
    use crate::local::LocalAccount;

    const RESOURCES: &str = r#"
kind: Schema
name: reg
---
kind: Model
name: pudo
schema: REG
comment: PUDO capacity
default_version: V2
versions:
  - name: V1
    from: "@ML_DB.REG.MODELS/pudo/v1"
    comment: first try
    metrics: {mape: 0.2}
    aliases: [old]
  - name: V2
    from: "@ML_DB.REG.MODELS/pudo/v2"
    metrics: {mape: 0.12, rmse: 3}
    aliases: [prod]
"#;

    /// The declared schema and model of `resources`.
    fn declared(resources: &str) -> (Resource, Resource) {
        let env = resolve(resources);
        let get = |a: &str| env.resource(&a.parse().unwrap()).unwrap().clone();
        (get("schema.REG"), get("model.PUDO"))
    }

    /// An account holding the schema and `model` created by floe.
    fn created(model: &Resource) -> (tempfile::TempDir, LocalAccount) {
        let (schema, _) = declared(RESOURCES);
        let (dir, account) = account();
        run(&account, &SchemaKind.create_sql(&schema));
        run(&account, &ModelKind.create_sql(model));
        (dir, account)
    }

    /// The one live model, completed with `recorded` as the diff does.
    fn current(account: &LocalAccount, recorded: &Attributes) -> Attributes {
        let mut objects = live(&ModelKind, account);
        assert_eq!(objects.len(), 1, "{objects:?}");
        let attributes = objects.remove(0).attributes;
        ModelKind
            .complete_live(&attributes, recorded)
            .unwrap_or(attributes)
    }

    /// The changed top-level fields, as the diff computes them.
    fn changed(declared: &Resource, current: &Attributes) -> Vec<String> {
        declared
            .attributes
            .iter()
            .filter(|(k, v)| current.get(*k) != Some(*v))
            .map(|(k, _)| k.clone())
            .collect()
    }

    /// Plans the in-place change from `current` to `declared` and runs it.
    fn update(account: &LocalAccount, declared: &Resource, current: &Attributes) -> Vec<String> {
        let fields = changed(declared, current);
        assert!(!fields.is_empty(), "nothing to change");
        let Change::Update(sql) = ModelKind.plan_change(declared, current, &fields) else {
            panic!("expected an in-place update");
        };
        run(account, &sql);
        sql
    }

    fn without_foreign(mut attributes: Attributes) -> Attributes {
        attributes.remove(FOREIGN_METADATA);
        attributes
    }

    #[test]
    fn a_created_model_reads_back_as_declared() {
        let (_, model) = declared(RESOURCES);
        let (_dir, account) = created(&model);
        let objects = live(&ModelKind, &account);
        assert_eq!(objects[0].address, model.address);
        assert_eq!(objects[0].fqn, model.fqn);
        assert_eq!(objects[0].schema, Some(Ident::from_resolved("REG")));
        let read = &objects[0].attributes;
        assert_eq!(read["versions"][0]["from"], Value::Null, "not observable");
        assert_eq!(read["versions"][1]["aliases"], json!(["PROD"]));
        assert_eq!(current(&account, &model.attributes), model.attributes);
    }

    #[test]
    fn the_python_registry_reads_metrics_in_its_own_shape() {
        let (_, model) = declared(RESOURCES);
        let (_dir, account) = created(&model);
        let rows = account
            .execute_sync("SHOW VERSIONS LIKE 'V2' IN MODEL ML_DB.REG.PUDO")
            .unwrap();
        let row = rows.iter().next().unwrap();
        let metadata: Value = serde_json::from_str(row.get("metadata").unwrap()).unwrap();
        assert_eq!(
            metadata,
            json!({"metrics": {"mape": 0.12, "rmse": 3}, "snowpark_ml_schema_version": "2024-01-01"})
        );
        assert_eq!(row.get("is_default_version"), Some("true"));
        let written = r#"ALTER MODEL ML_DB.REG.PUDO MODIFY VERSION V2 SET METADATA = '{"metrics": {"mape": 0.12, "rmse": 3}, "snowpark_ml_schema_version": "2024-01-01"}'"#;
        assert!(ModelKind.create_sql(&model).contains(&written.to_string()));
    }

    #[test]
    fn adding_a_version_and_moving_an_alias_and_the_default_round_trip_in_place() {
        let (_, before) = declared(RESOURCES);
        let after_yaml = RESOURCES
            .replace("default_version: V2", "default_version: V3")
            .replace("    aliases: [prod]\n", "    aliases: [shadow]\n")
            .replace(
                "  - name: V2\n",
                "  - name: V3\n    from: \"@ML_DB.REG.MODELS/pudo/v3\"\n    aliases: [prod]\n  - name: V2\n",
            );
        let (_, after) = declared(&after_yaml);
        let (_dir, account) = created(&before);
        let sql = update(&account, &after, &current(&account, &before.attributes));
        let unset = sql
            .iter()
            .position(|s| s.ends_with("VERSION PROD UNSET ALIAS"));
        let set = sql
            .iter()
            .position(|s| s.ends_with("VERSION V3 SET ALIAS = PROD"));
        assert!(unset < set && unset.is_some(), "{sql:#?}");
        assert_eq!(current(&account, &after.attributes), after.attributes);
    }

    #[test]
    fn removing_the_default_version_moves_the_default_first() {
        let (_, before) = declared(RESOURCES);
        let without_v2 = RESOURCES
            .replace("default_version: V2\n", "")
            .split("  - name: V2\n")
            .next()
            .unwrap()
            .to_string();
        let (_, after) = declared(&without_v2);
        let (_dir, account) = created(&before);
        update(&account, &after, &current(&account, &before.attributes));
        assert_eq!(current(&account, &after.attributes), after.attributes);
    }

    #[test]
    fn a_metrics_update_keeps_metadata_keys_floe_does_not_own() {
        let (_, before) = declared(RESOURCES);
        let (_, after) = declared(&RESOURCES.replace("rmse: 3", "rmse: 2.5"));
        let (_dir, account) = created(&before);
        run(
            &account,
            &[r#"ALTER MODEL ML_DB.REG.PUDO MODIFY VERSION V2 SET METADATA = '{"metrics": {"mape": 0.12, "rmse": 3}, "snowpark_ml_schema_version": "2024-01-01", "owner_note": "keep me"}'"#.to_string()],
        );
        let seen = current(&account, &before.attributes);
        assert_eq!(
            seen[FOREIGN_METADATA],
            json!({"V2": {"owner_note": "keep me"}})
        );
        assert_eq!(
            without_foreign(seen.clone()),
            before.attributes,
            "not a diff"
        );
        update(&account, &after, &seen);
        let rows = account
            .execute_sync(
                "SELECT METADATA FROM ML_DB.INFORMATION_SCHEMA.MODEL_VERSIONS WHERE MODEL_VERSION_NAME = 'V2'",
            )
            .unwrap();
        let metadata: Value = serde_json::from_str(rows.rows[0][0].as_deref().unwrap()).unwrap();
        assert_eq!(
            metadata,
            json!({"owner_note": "keep me", "metrics": {"mape": 0.12, "rmse": 2.5}, "snowpark_ml_schema_version": "2024-01-01"})
        );
        let seen = current(&account, &after.attributes);
        assert_eq!(without_foreign(seen), after.attributes);
    }

    #[test]
    fn a_version_can_be_promoted_from_another_model() {
        let (_, source) = declared(RESOURCES);
        let (_dir, account) = created(&source);
        run(&account, &["CREATE SCHEMA ML_DB.PROD_REG".to_string()]);
        let (_, mut target) = declared(
            RESOURCES
                .replace("default_version: V2\n", "")
                .split("  - name: V2\n")
                .next()
                .unwrap(),
        );
        target.attributes.insert("schema".into(), json!("PROD_REG"));
        target.fqn = "ML_DB.PROD_REG.PUDO".into();
        let from = json!({"env": "STAGING", "model": "ML_DB.REG.PUDO", "version": "V1"});
        target.attributes.get_mut("versions").unwrap()[0]["from"] = from;
        let sql = ModelKind.create_sql(&target);
        assert_eq!(
            sql[0],
            "CREATE MODEL ML_DB.PROD_REG.PUDO WITH VERSION V1 FROM MODEL ML_DB.REG.PUDO VERSION V1"
        );
        run(&account, &sql);
        let promoted = live(&ModelKind, &account)
            .into_iter()
            .find(|o| o.fqn == "ML_DB.PROD_REG.PUDO")
            .unwrap();
        let completed = ModelKind.complete_live(&promoted.attributes, &target.attributes);
        assert_eq!(completed.as_ref(), Some(&target.attributes));
    }

    #[test]
    fn comments_and_stage_paths_cannot_break_out_of_their_statements() {
        let nasty = r"it's $$; DROP SCHEMA ML_DB.REG; --$$ \' done";
        let yaml = RESOURCES
            .replace("comment: PUDO capacity", &format!("comment: {nasty:?}"))
            .replace("comment: first try", &format!("comment: {nasty:?}"))
            .replace(
                "@ML_DB.REG.MODELS/pudo/v2",
                "@ML_DB.REG.MODELS/v2'; DROP SCHEMA ML_DB.REG; --",
            );
        let (_, model) = declared(&yaml);
        let sql = ModelKind.create_sql(&model);
        assert!(
            sql[1].ends_with(r"FROM '@ML_DB.REG.MODELS/v2''; DROP SCHEMA ML_DB.REG; --'"),
            "{}",
            sql[1]
        );
        let (_dir, account) = created(&model);
        let seen = current(&account, &model.attributes);
        assert_eq!(seen["comment"], json!(nasty));
        assert_eq!(seen["versions"][0]["comment"], json!(nasty));
        assert_eq!(seen, model.attributes);
        assert_eq!(stage_sql("@~/staged"), "@~/staged");
        assert_eq!(stage_sql("@S/a$$b"), "'@S/a$$b'");
    }

    #[test]
    fn a_re_sourced_default_version_is_re_created_in_place() {
        let (_, before) = declared(RESOURCES);
        let (_, after) = declared(&RESOURCES.replace("pudo/v2", "pudo/v2b"));
        let (_dir, account) = created(&before);
        let sql = update(&account, &after, &current(&account, &before.attributes));
        assert_eq!(
            sql[..3],
            [
                "ALTER MODEL ML_DB.REG.PUDO SET DEFAULT_VERSION = V1",
                "ALTER MODEL ML_DB.REG.PUDO DROP VERSION V2",
                "ALTER MODEL ML_DB.REG.PUDO ADD VERSION V2 FROM @ML_DB.REG.MODELS/pudo/v2b",
            ]
        );
        assert_eq!(current(&account, &after.attributes), after.attributes);
        let single = RESOURCES
            .replace("default_version: V2\n", "")
            .split("  - name: V2\n")
            .next()
            .unwrap()
            .to_string();
        let (_, one) = declared(&single);
        let (_, moved) = declared(&single.replace("pudo/v1", "pudo/v9"));
        let versions = vec!["versions".to_string()];
        assert_eq!(
            ModelKind.plan_change(&moved, &one.attributes, &versions),
            Change::Replace {
                reason: "every version's `from` changed".into()
            }
        );
    }

    #[test]
    fn only_the_changed_fields_are_altered() {
        let (_, before) = declared(RESOURCES);
        let (_, after) = declared(
            &RESOURCES
                .replace("comment: PUDO capacity", "comment: new")
                .replace("mape: 0.2", "mape: 0.1"),
        );
        let comment = vec!["comment".to_string()];
        assert_eq!(
            ModelKind.plan_change(&after, &before.attributes, &comment),
            Change::Update(vec![
                "ALTER MODEL ML_DB.REG.PUDO SET COMMENT = 'new'".to_string()
            ]),
            "versions are ignored, so their metrics are not written"
        );
        let schema = vec!["schema".to_string()];
        assert!(matches!(
            ModelKind.plan_change(&after, &before.attributes, &schema),
            Change::Replace { .. }
        ));
    }

    #[test]
    fn an_adopted_model_takes_the_declared_sources_without_touching_versions() {
        let (_, model) = declared(RESOURCES);
        let (_dir, account) = created(&model);
        let adopted = live(&ModelKind, &account).remove(0).attributes;
        assert_eq!(changed(&model, &adopted), ["versions"]);
        assert_eq!(
            ModelKind.plan_change(&model, &adopted, &["versions".to_string()]),
            Change::Update(Vec::new())
        );
        assert_eq!(
            ModelKind.delete_sql(&model.address, &model.fqn, &adopted),
            ["DROP MODEL ML_DB.REG.PUDO"]
        );
    }
}
