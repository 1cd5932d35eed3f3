//! What every kind shares: the common fields (`name`, `depends_on`,
//! `lifecycle`, `environments`), references, and the small readers that turn
//! raw strings into identifiers and enum values with located errors.

use serde::Deserialize;

use crate::diag::{Diagnostic, Diagnostics, Span};
use crate::ident::Ident;
use crate::load::de::Spanned;
use crate::load::suggest::did_you_mean;
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

impl Common {
    /// Validates the common fields; `fields` are the kind's attribute keys
    /// that `ignore_changes` may name.
    pub fn build(
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
