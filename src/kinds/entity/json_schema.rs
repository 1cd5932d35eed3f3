//! The JSON Schema of `kind: Entity`'s own fields, with the limits its
//! reader ([`super::declaration`]) checks.

use serde_json::{Value, json};

use super::fields::{DESCRIPTION, FIELDS, JOIN_KEYS, SCHEMA};
use crate::kinds::json_schema::{field, kind_schema, required, text, typed};
use crate::model::KindName;

/// The schema of an entity document.
pub fn schema() -> Value {
    kind_schema(
        KindName::Entity,
        FIELDS,
        vec![
            required(
                SCHEMA,
                text(
                    "The declared feature-store schema holding the entity.",
                    false,
                ),
            ),
            required(
                JOIN_KEYS,
                typed(
                    "The columns that identify the entity (1 to 300, no commas).",
                    json!({"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": 300}),
                    false,
                ),
            ),
            field(DESCRIPTION, text("The entity's description.", true)),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::json_schema::testing::assert_schema_matches_reader;

    #[test]
    fn schema_has_exactly_the_fields_the_reader_accepts() {
        let lifecycle =
            "kind: Entity\nname: X\nschema: S\njoin_keys: [K]\nlifecycle: {zz_unknown: 1}\n";
        assert_schema_matches_reader(
            KindName::Entity,
            &schema(),
            "kind: Entity
name: X
schema: S
join_keys: [K]
",
            &[(&["lifecycle"], lifecycle)],
        );
    }
}
