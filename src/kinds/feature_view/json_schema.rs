//! The JSON Schema of `kind: FeatureView`'s own fields, with the defaults
//! and spellings its reader ([`super::declaration`]) applies.

use serde_json::{Value, json};

use super::fields::{
    CLUSTER_BY, COLUMNS, DESCRIPTION, ENTITIES, FIELDS, INITIALIZE, QUERY, REFRESH_FREQ,
    REFRESH_MODE, SCHEMA, TIMESTAMP_COL, VERSION, WAREHOUSE,
};
use crate::kinds::json_schema::{
    Spelling, field, keyword, kind_schema, records, required, text, texts, typed,
};
use crate::model::KindName;

/// The schema of a feature view document.
pub fn schema() -> Value {
    kind_schema(
        KindName::FeatureView,
        FIELDS,
        vec![
            required(
                SCHEMA,
                text(
                    "The declared feature-store schema holding the feature view.",
                    false,
                ),
            ),
            required(VERSION, version()),
            required(
                ENTITIES,
                typed(
                    "The declared entities of the same schema the features are keyed by (at least one).",
                    json!({"type": "array", "items": {"type": "string"}, "minItems": 1}),
                    false,
                ),
            ),
            field(
                TIMESTAMP_COL,
                text("The column holding each row's event time.", true),
            ),
            required(
                QUERY,
                text("The one SELECT statement computing the features.", false),
            ),
            field(
                REFRESH_FREQ,
                text(
                    "How often the features refresh: a duration such as `1 day`, `DOWNSTREAM`, or a cron with a time zone; absent for a view.",
                    true,
                ),
            ),
            field(
                WAREHOUSE,
                text(
                    "The declared warehouse refreshing the dynamic table (required with refresh_freq).",
                    true,
                ),
            ),
            field(
                REFRESH_MODE,
                keyword(
                    "The dynamic table's refresh mode.",
                    &["AUTO", "FULL", "INCREMENTAL"],
                    Spelling::Upper,
                    Some("AUTO"),
                    true,
                ),
            ),
            field(
                INITIALIZE,
                keyword(
                    "When the dynamic table is first filled.",
                    &["ON_CREATE", "ON_SCHEDULE"],
                    Spelling::Upper,
                    Some("ON_CREATE"),
                    true,
                ),
            ),
            field(
                CLUSTER_BY,
                texts(
                    "The dynamic table's clustering columns (default: the entities' join keys, then timestamp_col).",
                    true,
                ),
            ),
            field(DESCRIPTION, text("The feature view's description.", true)),
            field(
                COLUMNS,
                records(
                    "Comments on feature columns (not on join keys or timestamp_col).",
                    &[
                        required("name", text("The feature column.", false)),
                        field("comment", text("The column's comment.", true)),
                    ],
                    0,
                ),
            ),
        ],
    )
}

/// `version`: used as written, so its form is checked here.
fn version() -> Value {
    json!({
        "description": "The feature view's version, part of the object name `NAME$VERSION` (letters, digits, `_`, `.`, `-`; at most 128).",
        "anyOf": [
            {"type": "string", "pattern": "^[a-zA-Z0-9][a-zA-Z0-9_.\\-]*$", "maxLength": 128},
            {"$ref": "#/definitions/interpolated"},
        ],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::json_schema::testing::assert_schema_matches_reader;

    #[test]
    fn schema_has_exactly_the_fields_the_reader_accepts() {
        let head =
            "kind: FeatureView\nname: X\nschema: S\nversion: V1\nentities: [E]\nquery: SELECT 1\n";
        let lifecycle = format!("{head}lifecycle: {{zz_unknown: 1}}\n");
        let columns = format!("{head}columns: [{{name: C, zz_unknown: 1}}]\n");
        assert_schema_matches_reader(
            KindName::FeatureView,
            &schema(),
            head,
            &[(&["lifecycle"], &lifecycle), (&["columns"], &columns)],
        );
    }
}
