//! A live entity tag as a `kind: Entity` document, for `floe import`.

use super::fields as f;
use crate::kinds::import::Writer;

/// No note: the entity tag shows every field of an entity.
pub fn file_note() -> Option<String> {
    None
}

/// Writes the entity's fields.
pub fn write(w: &mut Writer<'_>) {
    w.name("name", f::NAME);
    w.name(f::SCHEMA, f::SCHEMA);
    let keys = w.name_list(f::JOIN_KEYS);
    w.put(f::JOIN_KEYS, keys);
    w.free_text(f::DESCRIPTION, f::DESCRIPTION);
}
