//! What every kind shares: the common fields (`kind`, `name`, `depends_on`,
//! `lifecycle`, `environments`), read once for all kinds by
//! [`read_document`], references, and the small readers that turn
//! raw strings into identifiers and enum values with located errors.

use serde::Deserialize;
use serde::de::{DeserializeOwned, IgnoredAny};

use crate::diag::{Diagnostic, Diagnostics, Place, Span};
use crate::ident::Ident;
use crate::load::de::{Spanned, from_entries, unknown_field_hint};
use crate::load::suggest::did_you_mean;
use crate::load::yaml::{Node, Value};
use crate::model::{Address, KindName, Lifecycle};
use crate::sql_refs;

/// The validated fields every kind has.
#[derive(Debug, Clone, PartialEq)]
pub struct Common {
    /// `kind.NAME`.
    pub address: Address,
    /// Where `name:`'s value is written.
    pub name_span: Span,
    /// Where the document starts.
    pub span: Span,
    /// `depends_on:` addresses with their places.
    pub depends_on: Vec<Spanned<Address>>,
    /// `lifecycle:`.
    pub lifecycle: Lifecycle,
}

/// One declared object named by another declaration.
#[derive(Debug, Clone, PartialEq)]
pub struct Reference {
    /// The object named.
    pub target: Address,
    /// Where it is named.
    pub span: Span,
    /// The field naming it (`warehouse`, `entities`, `after`, ...).
    pub field: &'static str,
}

impl Reference {
    /// A reference from `field` to `kind.name` written at `span`.
    pub fn new(kind: KindName, name: &Ident, span: &Span, field: &'static str) -> Reference {
        Reference {
            target: Address::new(kind, name.clone()),
            span: span.clone(),
            field,
        }
    }

    /// The references every object inside a schema makes: its `schema`, and
    /// the `warehouse` it runs on when it names one.
    pub fn placement(
        schema: &Spanned<Ident>,
        warehouse: Option<&Spanned<Ident>>,
    ) -> Vec<Reference> {
        let mut refs = vec![Reference::new(
            KindName::Schema,
            &schema.value,
            &schema.span,
            "schema",
        )];
        if let Some(w) = warehouse {
            refs.push(Reference::new(
                KindName::Warehouse,
                &w.value,
                &w.span,
                "warehouse",
            ));
        }
        refs
    }
}

/// `lifecycle:` as written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLifecycle {
    #[serde(default)]
    prevent_destroy: bool,
    #[serde(default)]
    ignore_changes: Vec<Spanned<String>>,
}

/// The fields every kind's document has, as written: `kind` and
/// `environments` are read before a kind is (to pick the kind and the
/// environments), so only their presence is accepted here.
#[derive(Debug, Deserialize)]
pub struct RawCommon {
    #[serde(rename = "kind")]
    _kind: IgnoredAny,
    /// `name:`.
    pub name: Spanned<String>,
    /// `depends_on:` as written.
    #[serde(default)]
    pub depends_on: Vec<Spanned<String>>,
    /// `lifecycle:` as written.
    #[serde(default)]
    pub lifecycle: Option<RawLifecycle>,
    #[serde(default, rename = "environments")]
    _environments: Option<IgnoredAny>,
}

impl RawCommon {
    /// Validates the common fields of the document `node`, which declares
    /// the object at `address`; `fields` are the kind's attribute keys that
    /// `ignore_changes` may name.
    pub fn validate(
        self,
        address: Address,
        node: &Node,
        fields: &[&str],
        problems: &mut Diagnostics,
    ) -> Common {
        Common::build(
            address,
            &self.name.span,
            &node.span,
            &self.depends_on,
            self.lifecycle,
            fields,
            problems,
        )
    }
}

/// The common keys written before a kind's own fields, and after them, in
/// the order an unknown-field hint lists them.
const COMMON_FIRST: &[&str] = &["kind", "name"];
const COMMON_LAST: &[&str] = &["depends_on", "lifecycle", "environments"];

/// Reads a kind's document: the common fields into [`RawCommon`], the
/// remaining keys into the kind's own `T` (a `deny_unknown_fields` struct
/// without the common fields). An unknown key is reported at its place
/// with a did-you-mean hint over every field, common ones included. When
/// both parts have an error, the one written first is reported.
pub fn read_document<T: DeserializeOwned>(node: &Node) -> Result<(RawCommon, T), Diagnostic> {
    // Both parts read the document in place, each passing over the other's
    // keys; a document that is not a mapping is refused by both alike.
    let own =
        from_entries::<T>(node, |k| !is_common(k)).map_err(|e| with_every_field::<T>(e, node));
    let common = from_entries::<RawCommon>(node, is_common);
    match (common, own) {
        (Ok(c), Ok(o)) => Ok((c, o)),
        (Err(e), Ok(_)) | (Ok(_), Err(e)) => Err(e),
        (Err(c), Err(o)) => Err(if place(&o) < place(&c) { o } else { c }),
    }
}

/// Whether `key` is one of the fields every kind has.
fn is_common(key: &str) -> bool {
    COMMON_FIRST.contains(&key) || COMMON_LAST.contains(&key)
}

/// Where a diagnostic points, for ordering.
fn place(d: &Diagnostic) -> (usize, usize) {
    match &d.place {
        Some(Place::Span(s)) => (s.line, s.column),
        _ => (0, 0),
    }
}

/// The unknown-field error of `T` at the top level of `document`, with its
/// hint listing the common fields too; any other error unchanged.
fn with_every_field<T: DeserializeOwned>(error: Diagnostic, document: &Node) -> Diagnostic {
    let fields = struct_fields::<T>();
    let Value::Map(entries) = &document.value else {
        return error;
    };
    let unknown = entries
        .iter()
        .map(|(k, _)| k)
        .filter(|k| !is_common(&k.name))
        .find(|k| !fields.contains(&k.name.as_str()));
    match unknown {
        Some(key) if error.place == Some(Place::Span(key.span.clone())) => {
            let every: Vec<&str> = COMMON_FIRST
                .iter()
                .chain(fields)
                .chain(COMMON_LAST)
                .copied()
                .collect();
            Diagnostic::error(format!("unknown field `{}`", key.name))
                .at(key.span.clone())
                .hint(unknown_field_hint(&key.name, &every))
        }
        _ => error,
    }
}

/// The field names serde derives for the struct `T`, read without any
/// input: `T`'s derived `Deserialize` names them in `deserialize_struct`.
fn struct_fields<T: DeserializeOwned>() -> &'static [&'static str] {
    #[derive(Debug)]
    struct Fields(&'static [&'static str]);
    impl std::fmt::Display for Fields {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("not a struct")
        }
    }
    impl std::error::Error for Fields {}
    impl serde::de::Error for Fields {
        fn custom<M: std::fmt::Display>(_: M) -> Self {
            Fields(&[])
        }
    }
    struct Probe;
    impl<'de> serde::Deserializer<'de> for Probe {
        type Error = Fields;
        fn deserialize_any<V: serde::de::Visitor<'de>>(self, _: V) -> Result<V::Value, Fields> {
            Err(Fields(&[]))
        }
        fn deserialize_struct<V: serde::de::Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Fields> {
            Err(Fields(fields))
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
            bytes byte_buf option unit unit_struct newtype_struct seq tuple
            tuple_struct map enum identifier ignored_any
        }
    }
    match T::deserialize(Probe) {
        Err(Fields(fields)) => fields,
        Ok(_) => &[],
    }
}

impl Common {
    /// Validates the common fields; `fields` are the kind's attribute keys
    /// that `ignore_changes` may name.
    fn build(
        address: Address,
        name_span: &Span,
        span: &Span,
        depends_on: &[Spanned<String>],
        lifecycle: Option<RawLifecycle>,
        fields: &[&str],
        problems: &mut Diagnostics,
    ) -> Common {
        let depends_on = depends_on
            .iter()
            .filter_map(|d| match d.value.parse::<Address>() {
                Ok(a) if a == address => {
                    problems.push(
                        Diagnostic::error(format!("{address} depends on itself"))
                            .at(d.span.clone())
                            .hint(format!("remove `{}` from depends_on", d.value)),
                    );
                    None
                }
                Ok(a) => Some(Spanned::new(a, d.span.clone())),
                Err(e) => {
                    problems.push(
                        Diagnostic::error(format!("`{}` in depends_on is not an address", d.value))
                            .at(d.span.clone())
                            .caused_by(e.to_string())
                            .hint(
                                "write the address of a declared resource, e.g. `warehouse.ML_WH`",
                            ),
                    );
                    None
                }
            })
            .collect();
        let lifecycle = lifecycle.unwrap_or_default();
        for field in &lifecycle.ignore_changes {
            if !fields.contains(&field.value.as_str()) {
                let mut d = Diagnostic::error(format!(
                    "`{}` in ignore_changes is not a field of a {}",
                    field.value,
                    address.kind.yaml_name()
                ))
                .at(field.span.clone());
                if let Some(best) = did_you_mean(&field.value, fields.iter().copied()) {
                    d = d.hint(format!("did you mean `{best}`?"));
                }
                problems.push(d.hint(format!("fields: {}", fields.join(", "))));
            }
        }
        Common {
            address,
            name_span: name_span.clone(),
            span: span.clone(),
            depends_on,
            lifecycle: Lifecycle {
                prevent_destroy: lifecycle.prevent_destroy,
                ignore_changes: lifecycle
                    .ignore_changes
                    .into_iter()
                    .map(|f| f.value)
                    .collect(),
            },
        }
    }
}

/// Resolves a written identifier, recording a located error if it is not one.
pub fn ident(written: &Spanned<String>, what: &str, problems: &mut Diagnostics) -> Option<Ident> {
    match Ident::parse(&written.value) {
        Ok(ident) => Some(ident),
        Err(e) => {
            problems.push(
                Diagnostic::error(format!("invalid {what} name `{}`", written.value))
                    .at(written.span.clone())
                    .caused_by(e.to_string())
                    .hint("use letters, digits, `_` and `$`, or quote the name to keep it as written: '\"my name\"'"),
            );
            None
        }
    }
}

/// Resolves a list of identifiers (keeping their places), recording errors.
pub fn ident_list(
    written: &[Spanned<String>],
    what: &str,
    problems: &mut Diagnostics,
) -> Vec<Spanned<Ident>> {
    written
        .iter()
        .filter_map(|w| ident(w, what, problems).map(|i| Spanned::new(i, w.span.clone())))
        .collect()
}

/// Picks the option whose name matches `written` after `normalize`, or records
/// an error listing the allowed values.
pub fn choice<T: Copy>(
    written: &Spanned<String>,
    what: &str,
    options: &[(&'static str, T)],
    normalize: fn(&str) -> String,
    problems: &mut Diagnostics,
) -> Option<T> {
    let wanted = normalize(&written.value);
    if let Some((_, value)) = options.iter().find(|(name, _)| normalize(name) == wanted) {
        return Some(*value);
    }
    let names: Vec<&str> = options.iter().map(|(n, _)| *n).collect();
    let mut d = Diagnostic::error(format!("`{}` is not a valid {what}", written.value))
        .at(written.span.clone());
    if let Some(best) = did_you_mean(&written.value, names.iter().copied()) {
        d = d.hint(format!("did you mean `{best}`?"));
    }
    problems.push(d.hint(format!("allowed: {}", names.join(", "))));
    None
}

/// Upper-cases and drops spaces, `-` and `_`: `X-Small` → `XSMALL`.
pub fn loose(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, ' ' | '-' | '_'))
        .collect::<String>()
        .to_ascii_uppercase()
}

/// Upper-cases and trims: `on_create` → `ON_CREATE`.
pub fn upper(s: &str) -> String {
    s.trim().to_ascii_uppercase()
}

/// SQL text as stored: trimmed, without a final `;`.
pub fn trimmed_sql(sql: &str) -> String {
    sql.trim().trim_end_matches(';').trim_end().to_string()
}

/// Records an error when the SQL of `field` holds more than one statement:
/// a view's query is one statement, and a task's body is one statement, a
/// procedure call or a Snowflake Scripting block (`scripting`: such a block
/// is let through, its statements end with `;`).
pub fn single_statement(
    written: &Spanned<String>,
    field: &str,
    scripting: bool,
    problems: &mut Diagnostics,
) {
    if scripting && sql_refs::is_scripting_block(&written.value) {
        return;
    }
    if let Some(at) = sql_refs::statement_separator(&written.value) {
        problems.push(
            Diagnostic::error(format!(
                "the {field} holds more than one statement: a `;` at line {}, column {} of the SQL ends the first",
                at.line, at.column
            ))
            .at(written.span.clone())
            .hint(format!(
                "keep one statement in `{field}` (a `;` inside a string, a comment or a $$ block is fine); \
                 several statements belong in a stored procedure or a Snowflake Scripting block (tasks), or in separate resources"
            )),
        );
    }
}

/// An optional text as JSON: absent or empty is null.
pub fn empty_to_null(text: &Option<String>) -> serde_json::Value {
    match text.as_deref() {
        None | Some("") => serde_json::Value::Null,
        Some(t) => serde_json::Value::String(t.to_string()),
    }
}

/// Deserialises a field that may be explicitly `null` (→ `Some(None)`) or absent (→ `None`).
pub fn explicit<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// The tag that marks a schema as a feature store, and each of its objects
/// (`{"type": ..., "pkg_version": ...}`).
pub const FS_OBJECT_TAG: &str = "SNOWML_FEATURE_STORE_OBJECT";

/// The tag holding a feature view's metadata JSON.
pub const FS_METADATA_TAG: &str = "SNOWML_FEATURE_VIEW_METADATA";

/// The string attribute `key`, if set.
pub fn text_attr<'a>(attributes: &'a crate::model::Attributes, key: &str) -> Option<&'a str> {
    attributes.get(key).and_then(serde_json::Value::as_str)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::load::yaml::parse_single;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Own {
        #[serde(default)]
        size: Option<String>,
        #[serde(default)]
        inner: Option<Inner>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Inner {
        #[serde(default)]
        depth: Option<i64>,
    }

    fn read(text: &str) -> Result<(RawCommon, Own), Diagnostic> {
        let node = parse_single(text, Path::new("w.yaml")).unwrap();
        read_document::<Own>(&node)
    }

    #[test]
    fn common_and_own_fields_are_read_from_one_document() {
        let (common, own) =
            read("kind: W\nname: wh\nsize: S\ndepends_on: [schema.A]\ninner: {depth: 2}\nenvironments: [DEV]\n")
                .unwrap();
        assert_eq!(common.name.value, "wh");
        assert_eq!(common.name.span.line, 2);
        assert_eq!(common.depends_on[0].value, "schema.A");
        assert_eq!(own.size.as_deref(), Some("S"));
        assert_eq!(own.inner.and_then(|i| i.depth), Some(2));
    }

    #[test]
    fn an_unknown_key_is_placed_and_hinted_over_every_field() {
        let err = read("kind: W\nname: wh\nsise: S\n").unwrap_err();
        assert_eq!(err.message, "unknown field `sise`");
        assert_eq!(err.place, Some(Place::Span(Span::new("w.yaml", 3, 1))));
        assert_eq!(
            err.hints,
            vec![
                "did you mean `size`? The fields here are: kind, name, size, inner, depends_on, lifecycle, environments"
            ]
        );
        let err = read("kind: W\nname: wh\ndepend_on: []\n").unwrap_err();
        assert!(
            err.hints[0].starts_with("did you mean `depends_on`?"),
            "{err:?}"
        );
    }

    #[test]
    fn a_nested_unknown_key_keeps_its_own_field_list() {
        let err = read("kind: W\nname: wh\ninner:\n  deep: 1\n").unwrap_err();
        assert_eq!(err.message, "unknown field `deep`");
        assert_eq!(err.hints, vec!["the fields here are: depth"]);
    }

    #[test]
    fn the_first_error_written_is_reported() {
        let err = read("kind: W\nname: [wh]\nsize: [S]\n").unwrap_err();
        assert_eq!(err.place, Some(Place::Span(Span::new("w.yaml", 2, 7))));
        let err = read("kind: W\nsize: [S]\nname: [wh]\n").unwrap_err();
        assert_eq!(err.place, Some(Place::Span(Span::new("w.yaml", 2, 7))));
        let err = read("kind: W\nsize: S\n").unwrap_err();
        assert_eq!(err.message, "missing field `name`");
    }
}
