//! A live warehouse as a `kind: Warehouse` document, for `floe import`.

use serde_json::Value as Json;
use serde_yaml::Value;

use super::fields as f;
use crate::kinds::import::{Writer, yaml};

/// The note on every imported warehouse: what SHOW WAREHOUSES never shows.
pub fn file_note() -> Option<String> {
    Some(format!(
        "`{}` applies only when a warehouse is created and SHOW WAREHOUSES does not show \
         it: the warehouses below take its default (false)",
        f::INITIALLY_SUSPENDED
    ))
}

/// Writes the warehouse's fields, those at Snowflake's default left out.
pub fn write(w: &mut Writer<'_>) {
    w.name("name", f::NAME);
    w.json(f::SIZE, f::SIZE);
    w.unless(f::TYPE, Json::from("STANDARD"));
    // Absent is Snowflake's default (600 s); null is "never".
    match w.get(f::AUTO_SUSPEND) {
        Some(Json::Null) => w.put(f::AUTO_SUSPEND, Value::Null),
        Some(value) => w.put(f::AUTO_SUSPEND, yaml(value)),
        None => {}
    }
    w.unless(f::AUTO_RESUME, Json::from(true));
    for field in &f::TABLE {
        if let Some(default) = field.feature_default {
            w.unless(field.key, default.to_json());
        }
    }
    w.name(f::RESOURCE_MONITOR, f::RESOURCE_MONITOR);
    w.free_text(f::COMMENT, f::COMMENT);
}
