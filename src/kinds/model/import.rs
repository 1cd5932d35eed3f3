//! A live registry model as a `kind: Model` document, for `floe import`.

use serde_json::Value as Json;
use serde_yaml::{Mapping, Value};

use super::fields as f;
use crate::kinds::import::{Names, Writer, escape, yaml};

/// The stage path written as the `from` of a model version whose source the
/// account does not record.
pub fn unknown_source(model: &str, version: &str) -> String {
    format!("@UNKNOWN_SOURCE/{model}/{version}")
}

/// No note for every model: the one on versions is on each model that has some.
pub fn file_note() -> Option<String> {
    None
}

/// Writes the model's fields and versions, each version's source a
/// placeholder ([`unknown_source`]) with a note saying so.
pub fn write(w: &mut Writer<'_>) {
    let model = w.text(f::NAME).unwrap_or_default();
    w.name("name", f::NAME);
    w.name(f::SCHEMA, f::SCHEMA);
    w.free_text(f::COMMENT, f::COMMENT);
    let Some(Json::Array(versions)) = w.get(f::VERSIONS) else {
        return;
    };
    let mut written = Vec::new();
    for version in versions {
        let Some(name) = version.get("name").and_then(Json::as_str) else {
            continue;
        };
        written.push(Value::Mapping(self::version(
            w.names(),
            model,
            name,
            version,
        )));
    }
    w.put(f::VERSIONS, written);
    w.name(f::DEFAULT_VERSION, f::DEFAULT_VERSION);
    if !versions.is_empty() {
        w.todo(format!(
            "Snowflake does not record where a model version was loaded from: each `from` \
             below is a placeholder ({}), recorded as the version's source so that plan \
             stays empty. Write the real stage path of the package (or a promotion) for \
             the record; changing `from` makes floe drop the version and add it again from there",
            unknown_source("<MODEL>", "<VERSION>")
        ));
    }
}

/// One entry of `versions:`, the version `name` of `model`.
fn version(names: &dyn Names, model: &str, name: &str, version: &Json) -> Mapping {
    let mut entry = Mapping::new();
    entry.insert("name".into(), names.name(name).into());
    entry.insert("from".into(), unknown_source(model, name).into());
    if let Some(comment) = version.get("comment").and_then(Json::as_str) {
        entry.insert("comment".into(), escape(comment).into());
    }
    match version.get("metrics") {
        Some(metrics @ Json::Object(m)) if !m.is_empty() => {
            entry.insert("metrics".into(), yaml(metrics));
        }
        _ => {}
    }
    if let Some(Json::Array(aliases)) = version.get("aliases") {
        let aliases: Vec<Value> = aliases
            .iter()
            .filter_map(Json::as_str)
            .map(|a| Value::from(names.name(a)))
            .collect();
        if !aliases.is_empty() {
            entry.insert("aliases".into(), Value::Sequence(aliases));
        }
    }
    entry
}
