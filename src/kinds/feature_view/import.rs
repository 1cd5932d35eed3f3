//! A live feature view as a `kind: FeatureView` document, for `floe import`.

use serde_json::Value as Json;
use serde_yaml::{Mapping, Value};

use super::fields as f;
use crate::kinds::import::{Writer, escape};

/// No note for every feature view: what one lacks is noted on it.
pub fn file_note() -> Option<String> {
    None
}

/// Writes the feature view's fields, with a note on what cannot be declared
/// as the account holds it.
pub fn write(w: &mut Writer<'_>) {
    w.name("name", f::FEATURE_VIEW);
    w.name(f::SCHEMA, f::SCHEMA);
    w.json(f::VERSION, f::VERSION);
    let entities = w.name_list(f::ENTITIES);
    w.put(f::ENTITIES, entities);
    w.name(f::TIMESTAMP_COL, f::TIMESTAMP_COL);
    w.json(f::REFRESH_FREQ, f::REFRESH_FREQ);
    w.name(f::WAREHOUSE, f::WAREHOUSE);
    w.json(f::REFRESH_MODE, f::REFRESH_MODE);
    w.json(f::INITIALIZE, f::INITIALIZE);
    if w.get(f::CLUSTER_BY).is_some_and(|v| !v.is_null()) {
        let cluster_by = w.name_list(f::CLUSTER_BY);
        w.put(f::CLUSTER_BY, cluster_by);
    }
    w.free_text(f::DESCRIPTION, f::DESCRIPTION);
    columns(w);
    missing_tags(w);
    w.sql(f::QUERY, f::QUERY);
}

/// `columns:`; a comment on a join key or the timestamp column, which
/// the feature store never writes and a declaration refuses, is left out.
fn columns(w: &mut Writer<'_>) {
    let Some(Json::Array(columns)) = w.get(f::COLUMNS) else {
        return;
    };
    let mut keys: Vec<String> = match w.get(f::ENTITY_TAGS) {
        Some(Json::Object(tags)) => tags
            .values()
            .filter_map(Json::as_str)
            .flat_map(|k| k.split(',').map(str::to_string))
            .collect(),
        _ => Vec::new(),
    };
    keys.extend(w.text(f::TIMESTAMP_COL).map(str::to_string));
    let mut written = Vec::new();
    for column in columns {
        let Some(name) = column.get("name").and_then(Json::as_str) else {
            continue;
        };
        let mut entry = Mapping::new();
        entry.insert("name".into(), w.names().name(name).into());
        if let Some(comment) = column.get("comment").and_then(Json::as_str) {
            if keys.iter().any(|k| k == name) {
                w.todo(format!(
                    "column {name} has the comment {comment:?}, which a join key or the \
                     timestamp column cannot carry in a feature view; it is left out"
                ));
            } else {
                entry.insert("comment".into(), escape(comment).into());
            }
        }
        written.push(Value::Mapping(entry));
    }
    if !written.is_empty() {
        w.put(f::COLUMNS, written);
    }
}

/// A note when the object lacks the feature-store tags a declared
/// feature view carries (plan will set them).
fn missing_tags(w: &mut Writer<'_>) {
    let tags = w.strings(f::FEATURE_STORE_TAGS);
    if tags.len() < 2 {
        w.todo(format!(
            "the object carries {} of the two feature-store tags a feature view has \
             (SNOWML_FEATURE_STORE_OBJECT, SNOWML_FEATURE_VIEW_METADATA): plan sets them",
            tags.len()
        ));
    }
}
