//! The JSON Schema of `kind: Schema`'s own fields, with the defaults its
//! reader ([`super::declaration`]) applies.

use serde_json::Value;

use super::fields::{COMMENT, FEATURE_STORE, FIELDS};
use crate::kinds::json_schema::{boolean, field, kind_schema, text};
use crate::model::KindName;

/// The schema of a schema document.
pub fn schema() -> Value {
    kind_schema(
        KindName::Schema,
        FIELDS,
        vec![
            field(COMMENT, text("The schema's comment.", true)),
            field(
                FEATURE_STORE,
                boolean(
                    "Whether the schema is a feature store (tagged as Snowflake ML's feature store expects).",
                    false,
                    false,
                ),
            ),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::json_schema::testing::assert_schema_matches_reader;

    #[test]
    fn schema_has_exactly_the_fields_the_reader_accepts() {
        let lifecycle = "kind: Schema\nname: X\nlifecycle: {zz_unknown: 1}\n";
        assert_schema_matches_reader(
            KindName::Schema,
            &schema(),
            "kind: Schema
name: X
",
            &[(&["lifecycle"], lifecycle)],
        );
    }
}
