//! A live schema as a `kind: Schema` document, for `floe import`.

use serde_json::Value as Json;

use super::fields as f;
use crate::kinds::import::Writer;

/// No note: SHOW SCHEMAS shows every field of a schema.
pub fn file_note() -> Option<String> {
    None
}

/// Writes the schema's fields.
pub fn write(w: &mut Writer<'_>) {
    w.name("name", f::NAME);
    w.free_text(f::COMMENT, f::COMMENT);
    if w.get(f::FEATURE_STORE) == Some(&Json::Bool(true)) {
        w.put(f::FEATURE_STORE, true);
    }
}
