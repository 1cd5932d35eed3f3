//! The JSON Schema of `kind: Model`'s own fields: its versions and where
//! each comes from, as its reader ([`super::declaration`]) takes them.

use serde_json::{Value, json};

use super::fields::{COMMENT, DEFAULT_VERSION, FIELDS, GATE, SCHEMA, VERSIONS};
use crate::kinds::json_schema::{
    Spelling, field, keyword, kind_schema, mapping, object, records, required, text, texts, typed,
    with_default,
};
use crate::model::KindName;

/// The schema of a model document.
pub fn schema() -> Value {
    kind_schema(
        KindName::Model,
        FIELDS,
        vec![
            required(
                SCHEMA,
                text("The declared schema holding the model registry.", false),
            ),
            field(COMMENT, text("The model's comment.", true)),
            required(
                VERSIONS,
                records(
                    "The model's versions (at least one).",
                    &[
                        required("name", text("The version's name.", false)),
                        required("from", source()),
                        field("comment", text("The version's comment.", true)),
                        field("metrics", mapping("Metric names and their values.", true)),
                        field(
                            "aliases",
                            texts("Aliases of this version, such as CHAMPION.", false),
                        ),
                    ],
                    1,
                ),
            ),
            field(
                DEFAULT_VERSION,
                text(
                    "The version used when none is named (default: the first declared).",
                    true,
                ),
            ),
            field(GATE, gate()),
        ],
    )
}

/// `gate`: the metric a new default version must not make worse.
fn gate() -> Value {
    let tolerance = typed(
        "How much worse than the live default the new default may be (0 or more).",
        json!({"type": "number", "minimum": 0}),
        false,
    );
    let gate = object(&[
        required(
            "metric",
            text("A metric the default version declares.", false),
        ),
        required(
            "better",
            keyword(
                "Which way the metric improves.",
                &["higher", "lower"],
                Spelling::Upper,
                None,
                false,
            ),
        ),
        field("tolerance", with_default(tolerance, Some(json!(0.0)))),
    ]);
    typed(
        "The metrics gate: apply refuses a new default version worse than the live default on this metric, unless --allow-regression.",
        gate,
        true,
    )
}

/// `from`: a stage path, or a promotion from another environment.
fn source() -> Value {
    let promotion = object(&[
        required(
            "env",
            text(
                "The environment whose declaration of this model holds the version.",
                false,
            ),
        ),
        required("version", text("The version there.", false)),
    ]);
    json!({
        "description": "Where the version comes from: a stage path `@STAGE/path` holding a model package, or `{env: ENV, version: V}` to copy it from another environment.",
        "anyOf": [
            {"type": "string", "pattern": "^\\s*@"},
            {"$ref": "#/definitions/interpolated"},
            promotion,
        ],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::json_schema::testing::assert_schema_matches_reader;

    #[test]
    fn schema_has_exactly_the_fields_the_reader_accepts() {
        let head = "kind: Model\nname: X\nschema: S\nversions: [{name: V1, from: '@S/p'}]\n";
        let lifecycle = format!("{head}lifecycle: {{zz_unknown: 1}}\n");
        let head2 = "kind: Model\nname: X\nschema: S\n";
        let version = format!("{head2}versions: [{{name: V1, from: '@S/p', zz_unknown: 1}}]\n");
        let gate = format!("{head}gate: {{metric: r2, better: higher, zz_unknown: 1}}\n");
        let promotion = format!(
            "{head2}versions: [{{name: V1, from: {{env: PROD, version: V1, zz_unknown: 1}}}}]\n"
        );
        assert_schema_matches_reader(
            KindName::Model,
            &schema(),
            head,
            &[
                (&["lifecycle"], &lifecycle),
                (&["versions"], &version),
                (&["versions", "from"], &promotion),
                (&["gate"], &gate),
            ],
        );
    }
}
