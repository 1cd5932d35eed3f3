//! The JSON Schema of resource documents, for editors (yaml-language-server)
//! and validators: the shapes every kind's `json_schema` module builds its
//! fields from, the common fields, and the document schema that picks a
//! kind's fields by `kind:`.
//!
//! The schema is draft-07: yaml-language-server validates and completes with
//! draft-07, its later drafts are not supported there. It follows the readers:
//! a field the reader refuses is refused (`additionalProperties: false`), an
//! enum accepts every spelling the reader accepts, and since `${...}` is
//! replaced before a document is read, a field that is not text also accepts
//! a string that is exactly one reference, and a keyword any string holding
//! one. This module reads no files and knows no kind's fields.

use serde_json::{Map, Value, json};

use crate::model::KindName;

/// The draft the schema is written in.
pub const DRAFT: &str = "http://json-schema.org/draft-07/schema#";

/// The definition of a string that is exactly one `${...}` reference.
const REFERENCE: &str = "#/definitions/reference";

/// The definition of a string holding a `${...}` reference.
const INTERPOLATED: &str = "#/definitions/interpolated";

/// One field of a kind's document.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The YAML key.
    pub key: &'static str,
    /// The field's schema.
    pub schema: Value,
    /// Whether a document must have it.
    pub required: bool,
}

/// An optional field.
pub fn field(key: &'static str, schema: Value) -> Field {
    Field {
        key,
        schema,
        required: false,
    }
}

/// A field every document of the kind must have.
pub fn required(key: &'static str, schema: Value) -> Field {
    Field {
        required: true,
        ..field(key, schema)
    }
}

/// How the reader compares a written keyword with its options.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spelling {
    /// Any case, surrounding whitespace trimmed
    /// (`upper` in `kinds::common`).
    Upper,
    /// Any case, spaces, `-` and `_` anywhere ignored
    /// (`loose` in `kinds::common`).
    Loose,
    /// Exactly as listed.
    Exact,
}

/// A text field; `null` is accepted when `nullable`.
pub fn text(description: &str, nullable: bool) -> Value {
    json!({"type": if nullable { json!(["string", "null"]) } else { json!("string") },
           "description": description})
}

/// A list of texts (names, addresses).
pub fn texts(description: &str, nullable: bool) -> Value {
    typed(
        description,
        json!({"type": "array", "items": {"type": "string"}}),
        nullable,
    )
}

/// A whole number in `min..=max`, with its default.
pub fn integer(
    description: &str,
    min: i64,
    max: Option<i64>,
    default: Option<i64>,
    nullable: bool,
) -> Value {
    let mut shape = json!({"type": "integer", "minimum": min});
    if let Some(max) = max {
        shape["maximum"] = json!(max);
    }
    with_default(
        typed(description, shape, nullable),
        default.map(Value::from),
    )
}

/// `true` or `false`, with its default.
pub fn boolean(description: &str, default: bool, nullable: bool) -> Value {
    with_default(
        typed(description, json!({"type": "boolean"}), nullable),
        Some(json!(default)),
    )
}

/// A mapping of any keys and values.
pub fn mapping(description: &str, nullable: bool) -> Value {
    typed(description, json!({"type": "object"}), nullable)
}

/// A keyword among `options` (the first spellings offered for completion),
/// accepted in every spelling the reader's comparison allows.
pub fn keyword(
    description: &str,
    options: &[&str],
    spelling: Spelling,
    default: Option<&str>,
    nullable: bool,
) -> Value {
    let mut any = vec![json!({"enum": options})];
    if spelling != Spelling::Exact {
        any.push(json!({"type": "string", "pattern": spellings_pattern(options, spelling)}));
    }
    any.push(json!({"$ref": INTERPOLATED}));
    if nullable {
        any.push(json!({"type": "null"}));
    }
    with_default(
        json!({"description": description, "anyOf": any}),
        default.map(Value::from),
    )
}

/// A list of mappings, each with exactly `fields`.
pub fn records(description: &str, fields: &[Field], min_items: usize) -> Value {
    let mut shape = json!({"type": "array", "items": object(fields)});
    if min_items > 0 {
        shape["minItems"] = json!(min_items);
    }
    typed(description, shape, false)
}

/// A mapping with exactly `fields`.
pub fn object(fields: &[Field]) -> Value {
    let properties: Map<String, Value> = fields
        .iter()
        .map(|f| (f.key.to_string(), f.schema.clone()))
        .collect();
    let required: Vec<&str> = fields
        .iter()
        .filter(|f| f.required)
        .map(|f| f.key)
        .collect();
    let mut shape = json!({
        "type": "object",
        "properties": properties,
        "additionalProperties": false,
    });
    if !required.is_empty() {
        shape["required"] = json!(required);
    }
    shape
}

/// `shape`, or a string that is one `${...}` reference (replaced by a value
/// of any type before the field is read), or `null` when `nullable`.
pub fn typed(description: &str, shape: Value, nullable: bool) -> Value {
    let mut any = vec![shape, json!({"$ref": REFERENCE})];
    if nullable {
        any.push(json!({"type": "null"}));
    }
    json!({"description": description, "anyOf": any})
}

/// `schema` with its `default`, if any.
pub fn with_default(mut schema: Value, default: Option<Value>) -> Value {
    if let Some(default) = default {
        schema["default"] = default;
    }
    schema
}

/// A pattern matching every spelling the reader's comparison accepts.
fn spellings_pattern(options: &[&str], spelling: Spelling) -> String {
    let mut alternatives: Vec<String> = options
        .iter()
        .map(|o| match spelling {
            Spelling::Loose => crate::kinds::common::loose(o)
                .chars()
                .map(any_case)
                .collect::<Vec<_>>()
                .join("[-_ ]*"),
            _ => o.chars().map(any_case).collect(),
        })
        .collect();
    alternatives.sort();
    alternatives.dedup();
    match spelling {
        Spelling::Loose => format!("^[-_ ]*({})[-_ ]*$", alternatives.join("|")),
        _ => format!("^\\s*({})\\s*$", alternatives.join("|")),
    }
}

/// A regular expression matching `c` in either case.
fn any_case(c: char) -> String {
    if c.is_ascii_alphabetic() {
        format!("[{}{}]", c.to_ascii_uppercase(), c.to_ascii_lowercase())
    } else if c.is_ascii_alphanumeric() {
        c.to_string()
    } else {
        format!("\\{c}")
    }
}

/// The common fields of a `kind` document whose attributes (those
/// `lifecycle.ignore_changes` may name) are `attributes`.
fn common_fields(kind: KindName, attributes: &[&str]) -> (Vec<Field>, Vec<Field>) {
    let lifecycle = object(&[
        field(
            "prevent_destroy",
            boolean(
                "Refuse every plan that would drop this object.",
                false,
                false,
            ),
        ),
        field(
            "ignore_changes",
            typed(
                "Attributes whose differences from the account are left alone.",
                json!({"type": "array", "items": keyword(
                    "An attribute of this kind.", attributes, Spelling::Exact, None, false)}),
                false,
            ),
        ),
    ]);
    let first = vec![
        required(
            "kind",
            json!({"const": kind.yaml_name(), "description": "The kind of object this document declares."}),
        ),
        required("name", text("The object's name.", false)),
    ];
    let last = vec![
        field(
            "depends_on",
            texts(
                "Addresses (`kind.NAME`) of declared objects to create before this one.",
                false,
            ),
        ),
        field(
            "lifecycle",
            typed("What plans may do to this object.", lifecycle, true),
        ),
        field(
            "environments",
            json!({
                "type": ["array", "null"],
                "items": {"type": "string"},
                "description": "The environments this object is declared in (absent: all); read as written, before interpolation.",
            }),
        ),
    ];
    (first, last)
}

/// The schema of one `kind` document: the common fields around the kind's
/// own `fields`; `attributes` are those `lifecycle.ignore_changes` may name.
pub fn kind_schema(kind: KindName, attributes: &[&str], fields: Vec<Field>) -> Value {
    let (first, last) = common_fields(kind, attributes);
    let every: Vec<Field> = first.into_iter().chain(fields).chain(last).collect();
    object(&every)
}

/// The schema of a resource document of any kind: `kinds` are each kind
/// with its document schema ([`kind_schema`]), chosen by `kind:`.
pub fn document_schema(kinds: Vec<(KindName, Value)>) -> Value {
    let names: Vec<&str> = kinds.iter().map(|(k, _)| k.yaml_name()).collect();
    let mut definitions = Map::new();
    definitions.insert(
        "reference".into(),
        json!({"type": "string", "pattern": "^\\$\\{[^}]*\\}$",
               "description": "A `${...}` reference, replaced by the value it names before the field is read."}),
    );
    definitions.insert(
        "interpolated".into(),
        json!({"type": "string", "pattern": "(^|[^$])\\$\\{",
               "description": "A text holding `${...}` references, replaced before the field is read."}),
    );
    let mut branches = Vec::new();
    for (kind, schema) in kinds {
        let name = kind.yaml_name();
        branches.push(json!({
            "if": {"properties": {"kind": {"const": name}}, "required": ["kind"]},
            "then": {"$ref": format!("#/definitions/{name}")},
        }));
        definitions.insert(name.to_string(), schema);
    }
    json!({
        "$schema": DRAFT,
        "title": "floe resource",
        "description": "One resource document of a floe project (a file under resources/ may hold several, separated by `---`).",
        "type": "object",
        "required": ["kind", "name"],
        "properties": {"kind": {"enum": names, "description": "The kind of object this document declares."}},
        "allOf": branches,
        "definitions": definitions,
    })
}

#[cfg(test)]
pub(crate) mod testing {
    //! Checks that a kind's schema and its reader accept the same keys.

    use std::collections::BTreeSet;
    use std::path::Path;

    use serde_json::Value;

    use crate::diag::Diagnostics;
    use crate::kinds::{ReadContext, Spec, testing};
    use crate::load::yaml::parse_single;
    use crate::model::KindName;

    fn read(kind: KindName, yaml: &str) -> Result<Spec, Diagnostics> {
        let env = testing::environment("DEV", "DB");
        let ctx = ReadContext {
            env: &env,
            env_names: &["DEV", "PROD"],
        };
        let node = parse_single(yaml, Path::new("r.yaml")).unwrap();
        Spec::read(kind, &node, &ctx)
    }

    /// The fields the reader lists when `yaml` has the unknown key `zz_unknown`.
    pub(crate) fn reader_fields(kind: KindName, yaml: &str) -> BTreeSet<String> {
        let problems = read(kind, yaml).expect_err("an unknown key is refused");
        let hint = problems
            .0
            .iter()
            .find(|d| d.message == "unknown field `zz_unknown`")
            .and_then(|d| d.hints.first())
            .unwrap_or_else(|| panic!("no unknown-field error in {problems:?}"));
        let list = hint
            .split("fields here are: ")
            .nth(1)
            .expect("a field list");
        list.split(", ").map(str::to_string).collect()
    }

    /// Whether the reader refuses `key` as unknown in `yaml`.
    pub(crate) fn refuses_as_unknown(kind: KindName, yaml: &str, key: &str) -> bool {
        let unknown = format!("unknown field `{key}`");
        read(kind, yaml).is_err_and(|p| p.0.iter().any(|d| d.message == unknown))
    }

    /// The property names of the mapping schema `schema`.
    pub(crate) fn properties(schema: &Value) -> BTreeSet<String> {
        schema["properties"]
            .as_object()
            .expect("a mapping schema")
            .keys()
            .cloned()
            .collect()
    }

    /// The mapping schema inside `schema` (itself, or the mapping shape of
    /// its `anyOf`, or the items of such a list).
    pub(crate) fn mapping_in(schema: &Value) -> &Value {
        if schema.get("properties").is_some() {
            return schema;
        }
        if let Some(items) = schema.get("items") {
            return mapping_in(items);
        }
        let any = schema["anyOf"].as_array().expect("a mapping or anyOf");
        any.iter()
            .find_map(|s| {
                let t = s.get("type")?;
                (t == "object" || t == "array").then(|| mapping_in(s))
            })
            .expect("a mapping shape")
    }

    /// Asserts that the keys of `kind`'s document schema are the keys its
    /// reader accepts, at the top level and in each nested mapping. `head`
    /// is a document the reader accepts with its required fields; `nested`
    /// are `(path of keys to a nested schema, a document whose nested
    /// mapping there holds the unknown key `zz_unknown`)`.
    pub(crate) fn assert_schema_matches_reader(
        kind: KindName,
        schema: &Value,
        head: &str,
        nested: &[(&[&str], &str)],
    ) {
        let yaml_name = kind.yaml_name();
        let declared = properties(schema);
        let top = format!("{head}zz_unknown: 1\n");
        assert_eq!(
            declared,
            reader_fields(kind, &top),
            "{yaml_name}: top level"
        );
        for key in declared
            .iter()
            .filter(|k| !["kind", "name"].contains(&k.as_str()))
        {
            let kept: String = head
                .lines()
                .filter(|l| !l.starts_with(&format!("{key}:")))
                .map(|l| format!("{l}\n"))
                .collect();
            let doc = format!("{kept}{key}: {{zz: 1}}\n");
            assert!(
                !refuses_as_unknown(kind, &doc, key),
                "{yaml_name}: the reader refuses `{key}`"
            );
        }
        for (path, doc) in nested {
            let mut at = schema;
            for key in *path {
                at = mapping_in(&at["properties"][key]);
            }
            assert_eq!(
                properties(at),
                reader_fields(kind, doc),
                "{yaml_name}: {path:?}"
            );
        }
    }
}
