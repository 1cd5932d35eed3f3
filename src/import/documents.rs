//! One live object as a resource document: its canonical attributes back
//! into the YAML fields of its kind, with the `# TODO:` notes on what the
//! account does not show.

use serde_json::Value as Json;
use serde_yaml::{Mapping, Value};

use super::names::Naming;
use crate::kinds::reconciler::LiveObject;
use crate::kinds::{entity, feature_view as fv, model, schema, task, warehouse};
use crate::model::{Attributes, KindName};

/// A resource document: its fields in writing order, and its notes.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// The fields, `kind` first.
    pub fields: Mapping,
    /// `# TODO:` notes written above it, one per line, without the prefix.
    pub todos: Vec<String>,
}

/// The stage path written as the `from` of a model version whose source the
/// account does not record.
pub fn unknown_source(model: &str, version: &str) -> String {
    format!("@UNKNOWN_SOURCE/{model}/{version}")
}

/// The `# TODO:` note that holds for every object of `kind` in a file
/// (without the prefix), if any: what SHOW never shows for that kind.
pub fn kind_note(kind: KindName) -> Option<String> {
    match kind {
        KindName::Warehouse => Some(format!(
            "`{}` applies only when a warehouse is created and SHOW WAREHOUSES does not show \
             it: the warehouses below take its default (false)",
            warehouse::fields::INITIALLY_SUSPENDED
        )),
        KindName::Task => Some(format!(
            "`{}` and `{}` are task parameters SHOW TASKS does not list (only SHOW PARAMETERS \
             IN TASK, one statement per task): the tasks below take Snowflake's defaults \
             (3600000 and 10); declare the values they really have",
            task::fields::TIMEOUT_MS,
            task::fields::SUSPEND_AFTER_FAILURES
        )),
        _ => None,
    }
}

/// The document declaring `object`.
pub fn document(object: &LiveObject, naming: &Naming) -> Document {
    let mut doc = Writer {
        attrs: &object.attributes,
        naming,
        fields: Mapping::new(),
        todos: Vec::new(),
    };
    doc.put("kind", object.address.kind.yaml_name());
    match object.address.kind {
        KindName::Warehouse => doc.warehouse(),
        KindName::Schema => doc.schema(),
        KindName::Entity => doc.entity(),
        KindName::FeatureView => doc.feature_view(),
        KindName::Model => doc.model(),
        KindName::Task => doc.task(),
    }
    Document {
        fields: doc.fields,
        todos: doc.todos,
    }
}

/// Builds one document from one object's attributes.
struct Writer<'a> {
    attrs: &'a Attributes,
    naming: &'a Naming,
    fields: Mapping,
    todos: Vec<String>,
}

impl Writer<'_> {
    fn put(&mut self, key: &str, value: impl Into<Value>) {
        self.fields.insert(Value::from(key), value.into());
    }

    fn text(&self, key: &str) -> Option<&str> {
        self.attrs.get(key).and_then(Json::as_str)
    }

    /// A name field, interpolated.
    fn name(&mut self, key: &str, from: &str) {
        if let Some(name) = self.text(from).map(|n| self.naming.name(n)) {
            self.put(key, name);
        }
    }

    /// A free-text field (comment, description), written when set.
    fn free_text(&mut self, key: &str, from: &str) {
        if let Some(text) = self.text(from).map(|t| t.replace("${", "$${")) {
            self.put(key, text);
        }
    }

    /// A SQL field, its names interpolated.
    fn sql(&mut self, key: &str, from: &str) {
        if let Some(sql) = self.text(from).map(|t| self.naming.text(t)) {
            self.put(key, sql);
        }
    }

    /// A list of names, interpolated.
    fn names(&self, from: &str) -> Vec<Value> {
        self.strings(from)
            .iter()
            .map(|n| Value::from(self.naming.name(n)))
            .collect()
    }

    fn strings(&self, from: &str) -> Vec<String> {
        match self.attrs.get(from) {
            Some(Json::Array(items)) => items
                .iter()
                .filter_map(|i| i.as_str().map(str::to_string))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// A JSON value as YAML, when it is not null.
    fn json(&mut self, key: &str, from: &str) {
        match self.attrs.get(from) {
            None | Some(Json::Null) => {}
            Some(value) => self.put(key, yaml(value)),
        }
    }

    /// A value written only when it differs from the kind's default.
    fn unless(&mut self, key: &str, default: Json) {
        match self.attrs.get(key) {
            Some(value) if *value != default => self.put(key, yaml(value)),
            _ => {}
        }
    }

    fn warehouse(&mut self) {
        use warehouse::fields as f;
        self.name("name", f::NAME);
        self.json(f::SIZE, f::SIZE);
        self.unless(f::TYPE, Json::from("STANDARD"));
        // Absent is Snowflake's default (600 s); null is "never".
        match self.attrs.get(f::AUTO_SUSPEND) {
            Some(Json::Null) => self.put(f::AUTO_SUSPEND, Value::Null),
            Some(value) => self.put(f::AUTO_SUSPEND, yaml(value)),
            None => {}
        }
        self.unless(f::AUTO_RESUME, Json::from(true));
        for field in &f::TABLE {
            if let Some(default) = field.feature_default {
                self.unless(field.key, default.to_json());
            }
        }
        self.name(f::RESOURCE_MONITOR, f::RESOURCE_MONITOR);
        self.free_text(f::COMMENT, f::COMMENT);
    }

    fn schema(&mut self) {
        use schema::fields as f;
        self.name("name", f::NAME);
        self.free_text(f::COMMENT, f::COMMENT);
        if self.attrs.get(f::FEATURE_STORE) == Some(&Json::Bool(true)) {
            self.put(f::FEATURE_STORE, true);
        }
    }

    fn entity(&mut self) {
        use entity::fields as f;
        self.name("name", f::NAME);
        self.name(f::SCHEMA, f::SCHEMA);
        let keys = self.names(f::JOIN_KEYS);
        self.put(f::JOIN_KEYS, keys);
        self.free_text(f::DESCRIPTION, f::DESCRIPTION);
    }

    fn feature_view(&mut self) {
        use fv::fields as f;
        self.name("name", f::FEATURE_VIEW);
        self.name(f::SCHEMA, f::SCHEMA);
        self.json(f::VERSION, f::VERSION);
        let entities = self.names(f::ENTITIES);
        self.put(f::ENTITIES, entities);
        self.name(f::TIMESTAMP_COL, f::TIMESTAMP_COL);
        self.json(f::REFRESH_FREQ, f::REFRESH_FREQ);
        self.name(f::WAREHOUSE, f::WAREHOUSE);
        self.json(f::REFRESH_MODE, f::REFRESH_MODE);
        self.json(f::INITIALIZE, f::INITIALIZE);
        if self.attrs.get(f::CLUSTER_BY).is_some_and(|v| !v.is_null()) {
            let cluster_by = self.names(f::CLUSTER_BY);
            self.put(f::CLUSTER_BY, cluster_by);
        }
        self.free_text(f::DESCRIPTION, f::DESCRIPTION);
        self.columns();
        self.missing_tags();
        self.sql(f::QUERY, f::QUERY);
    }

    /// `columns:`; a comment on a join key or the timestamp column, which
    /// the feature store never writes and a declaration refuses, is left out.
    fn columns(&mut self) {
        use fv::fields as f;
        let Some(Json::Array(columns)) = self.attrs.get(f::COLUMNS).cloned() else {
            return;
        };
        let mut keys: Vec<String> = match self.attrs.get(f::ENTITY_TAGS) {
            Some(Json::Object(tags)) => tags
                .values()
                .filter_map(Json::as_str)
                .flat_map(|k| k.split(',').map(str::to_string))
                .collect(),
            _ => Vec::new(),
        };
        keys.extend(self.text(f::TIMESTAMP_COL).map(str::to_string));
        let mut written = Vec::new();
        for column in &columns {
            let Some(name) = column.get("name").and_then(Json::as_str) else {
                continue;
            };
            let mut entry = Mapping::new();
            entry.insert("name".into(), self.naming.name(name).into());
            if let Some(comment) = column.get("comment").and_then(Json::as_str) {
                if keys.iter().any(|k| k == name) {
                    self.todos.push(format!(
                        "column {name} has the comment {comment:?}, which a join key or the \
                         timestamp column cannot carry in a feature view; it is left out"
                    ));
                } else {
                    entry.insert("comment".into(), comment.replace("${", "$${").into());
                }
            }
            written.push(Value::Mapping(entry));
        }
        if !written.is_empty() {
            self.put(f::COLUMNS, written);
        }
    }

    /// A note when the object lacks the feature-store tags a declared
    /// feature view carries (plan will set them).
    fn missing_tags(&mut self) {
        use fv::fields as f;
        let tags = self.strings(f::FEATURE_STORE_TAGS);
        if tags.len() < 2 {
            self.todos.push(format!(
                "the object carries {} of the two feature-store tags a feature view has \
                 (SNOWML_FEATURE_STORE_OBJECT, SNOWML_FEATURE_VIEW_METADATA): plan sets them",
                tags.len()
            ));
        }
    }

    fn model(&mut self) {
        use model::fields as f;
        let model = self.text(f::NAME).unwrap_or_default().to_string();
        self.name("name", f::NAME);
        self.name(f::SCHEMA, f::SCHEMA);
        self.free_text(f::COMMENT, f::COMMENT);
        let Some(Json::Array(versions)) = self.attrs.get(f::VERSIONS).cloned() else {
            return;
        };
        let mut written = Vec::new();
        for version in &versions {
            let Some(name) = version.get("name").and_then(Json::as_str) else {
                continue;
            };
            written.push(Value::Mapping(self.version(&model, name, version)));
        }
        self.put(f::VERSIONS, written);
        self.name(f::DEFAULT_VERSION, f::DEFAULT_VERSION);
        if !versions.is_empty() {
            self.todos.push(format!(
                "Snowflake does not record where a model version was loaded from: each `from` \
                 below is a placeholder ({}), recorded as the version's source so that plan \
                 stays empty. Write the real stage path of the package (or a promotion) for \
                 the record; changing `from` makes floe drop the version and add it again from there",
                unknown_source("<MODEL>", "<VERSION>")
            ));
        }
    }

    fn version(&self, model: &str, name: &str, version: &Json) -> Mapping {
        let mut entry = Mapping::new();
        entry.insert("name".into(), self.naming.name(name).into());
        entry.insert("from".into(), unknown_source(model, name).into());
        if let Some(comment) = version.get("comment").and_then(Json::as_str) {
            entry.insert("comment".into(), comment.replace("${", "$${").into());
        }
        match version.get("metrics") {
            Some(Json::Object(m)) if !m.is_empty() => {
                entry.insert("metrics".into(), yaml(&Json::Object(m.clone())));
            }
            _ => {}
        }
        if let Some(Json::Array(aliases)) = version.get("aliases") {
            let aliases: Vec<Value> = aliases
                .iter()
                .filter_map(Json::as_str)
                .map(|a| Value::from(self.naming.name(a)))
                .collect();
            if !aliases.is_empty() {
                entry.insert("aliases".into(), Value::Sequence(aliases));
            }
        }
        entry
    }

    fn task(&mut self) {
        use task::fields as f;
        self.name("name", f::NAME);
        self.name(f::SCHEMA, f::SCHEMA);
        self.name(f::WAREHOUSE, f::WAREHOUSE);
        self.json(f::SCHEDULE, f::SCHEDULE);
        let after = self.names(f::AFTER);
        if !after.is_empty() {
            self.put(f::AFTER, after);
        }
        self.sql(f::WHEN, f::WHEN);
        if let Some(config @ Json::Object(_)) = self.attrs.get(f::CONFIG) {
            let escaped = escape_json(config);
            self.put(f::CONFIG, yaml(&escaped));
        }
        self.free_text(f::COMMENT, f::COMMENT);
        self.unless(f::ALLOW_OVERLAPPING_EXECUTION, Json::from(false));
        self.name(f::ERROR_INTEGRATION, f::ERROR_INTEGRATION);
        self.name(f::FINALIZE, f::FINALIZE);
        self.unless(f::ENABLED, Json::from(true));
        self.sql(f::SQL, f::SQL);
    }
}

/// Every `${` in the strings of a JSON value escaped as `$${`.
fn escape_json(value: &Json) -> Json {
    match value {
        Json::String(s) => Json::String(s.replace("${", "$${")),
        Json::Array(items) => Json::Array(items.iter().map(escape_json).collect()),
        Json::Object(map) => Json::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), escape_json(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// A JSON value as the same YAML value.
fn yaml(value: &Json) -> Value {
    // JSON values (strings, numbers, booleans, arrays, objects) are all YAML.
    serde_yaml::to_value(value).unwrap_or(Value::Null)
}
