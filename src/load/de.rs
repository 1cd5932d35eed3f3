//! serde deserialisation from [`Node`]s, with every error placed.
//!
//! Raw per-kind structs derive `Deserialize` with `deny_unknown_fields`; this
//! module turns a spanned node into them, so that an unknown field, a wrong
//! type or a missing field is reported at the line and column of the
//! offending key or value. [`Spanned`] lets a raw struct keep the place of
//! one field for the later validation pass. Nothing here knows resource kinds.

use std::cell::RefCell;
use std::fmt;
use std::marker::PhantomData;
use std::path::Path;
use std::sync::Arc;

use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::suggest::did_you_mean;
use super::yaml::{Key, Node, Value};
use crate::diag::{Diagnostic, Span};

/// A deserialisation problem, with the place it was found at.
#[derive(Debug, Clone, PartialEq)]
pub struct DeError {
    /// What is wrong.
    pub message: String,
    /// Where, once known.
    pub span: Option<Span>,
    /// How to fix it.
    pub hint: Option<String>,
}

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        DeError {
            message: msg.to_string(),
            span: None,
            hint: None,
        }
    }

    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Self {
        DeError {
            message: format!("unknown field `{field}`"),
            span: None,
            hint: Some(unknown_field_hint(field, expected)),
        }
    }

    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Self {
        let hint = match did_you_mean(variant, expected.iter().copied()) {
            Some(best) => format!("did you mean `{best}`? Allowed: {}", expected.join(", ")),
            None => format!("allowed: {}", expected.join(", ")),
        };
        DeError {
            message: format!("unknown value `{variant}`"),
            span: None,
            hint: Some(hint),
        }
    }

    fn invalid_type(unexpected: de::Unexpected<'_>, expected: &dyn de::Expected) -> Self {
        let expected = friendly(&expected.to_string());
        DeError {
            message: format!(
                "expected {expected}, found {}",
                friendly_unexpected(&unexpected)
            ),
            span: None,
            hint: Some(format!("write {expected} here")),
        }
    }

    fn invalid_value(unexpected: de::Unexpected<'_>, expected: &dyn de::Expected) -> Self {
        let expected = friendly(&expected.to_string());
        DeError {
            message: format!("{} is out of range", friendly_unexpected(&unexpected)),
            span: None,
            hint: Some(format!("write {expected} here")),
        }
    }

    fn missing_field(field: &'static str) -> Self {
        DeError {
            message: format!("missing field `{field}`"),
            span: None,
            hint: Some(format!("add `{field}:` to this mapping")),
        }
    }
}

/// The hint for the unknown key `field` of a mapping whose fields are
/// `expected`: the closest field, then all of them.
pub fn unknown_field_hint(field: &str, expected: &[&str]) -> String {
    match did_you_mean(field, expected.iter().copied()) {
        Some(best) => format!(
            "did you mean `{best}`? The fields here are: {}",
            expected.join(", ")
        ),
        None => format!("the fields here are: {}", expected.join(", ")),
    }
}

/// serde's type names in the user's words.
fn friendly(expected: &str) -> String {
    match expected {
        "i8" | "i16" | "i32" | "i64" | "isize" => "a whole number".to_string(),
        "u8" | "u16" | "u32" | "u64" | "usize" => "a whole number of at least 0".to_string(),
        "f32" | "f64" => "a number".to_string(),
        "a boolean" => "`true` or `false`".to_string(),
        "a sequence" => "a list".to_string(),
        "a map" => "a mapping".to_string(),
        e if e.starts_with("struct ") => "a mapping".to_string(),
        e => e.to_string(),
    }
}

fn friendly_unexpected(unexpected: &de::Unexpected<'_>) -> String {
    match unexpected {
        de::Unexpected::Unit => "nothing (null)".to_string(),
        de::Unexpected::Seq => "a list".to_string(),
        de::Unexpected::Map => "a mapping".to_string(),
        other => other.to_string(),
    }
}

impl DeError {
    fn at(mut self, span: &Span) -> Self {
        if self.span.is_none() {
            self.span = Some(span.clone());
        }
        self
    }

    /// The error as a diagnostic; `fallback` places it when nothing else did.
    pub fn into_diagnostic(self, fallback: &Span) -> Diagnostic {
        let mut d =
            Diagnostic::error(self.message).at(self.span.unwrap_or_else(|| fallback.clone()));
        if let Some(hint) = self.hint {
            d = d.hint(hint);
        }
        d
    }
}

/// Deserialises `T` from a node.
pub fn from_node<'a, T: Deserialize<'a>>(node: &'a Node) -> Result<T, Diagnostic> {
    T::deserialize(NodeDe(node)).map_err(|e| e.into_diagnostic(&node.span))
}

/// Deserialises `T` from the entries of the mapping `node` whose key `keep`
/// accepts, as if the others were not written; a node that is not a
/// mapping is read whole. Nothing is copied.
pub fn from_entries<'a, T: Deserialize<'a>>(
    node: &'a Node,
    keep: fn(&str) -> bool,
) -> Result<T, Diagnostic> {
    let result = match &node.value {
        Value::Map(entries) => T::deserialize(EntriesDe {
            entries: Entries {
                iter: entries.iter(),
                value: None,
                keep,
            },
        })
        .map_err(|e| e.at(&node.span)),
        _ => T::deserialize(NodeDe(node)),
    };
    result.map_err(|e| e.into_diagnostic(&node.span))
}

/// The serde deserializer of some entries of one mapping, read as a mapping.
struct EntriesDe<'a> {
    entries: Entries<'a>,
}

impl<'de> Deserializer<'de> for EntriesDe<'de> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_map(self.entries)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

/// A value together with where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// Where it was written.
    pub span: Span,
}

impl<T> Spanned<T> {
    /// `value` at `span`.
    pub fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }
}

const SPANNED: &str = "$floe::Spanned";
const SPANNED_FIELDS: &[&str] = &["file", "line", "column", "value"];

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Spanned<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_struct(SPANNED, SPANNED_FIELDS, SpannedVisitor(PhantomData))
    }
}

struct SpannedVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for SpannedVisitor<T> {
    type Value = Spanned<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let missing = || de::Error::custom("a spanned value needs a YAML node");
        let _: de::IgnoredAny = map.next_key()?.ok_or_else(missing)?;
        let file = map.next_value_seed(FileSeed)?;
        let _: de::IgnoredAny = map.next_key()?.ok_or_else(missing)?;
        let line: usize = map.next_value()?;
        let _: de::IgnoredAny = map.next_key()?.ok_or_else(missing)?;
        let column: usize = map.next_value()?;
        let _: de::IgnoredAny = map.next_key()?.ok_or_else(missing)?;
        let value: T = map.next_value()?;
        Ok(Spanned::new(value, Span::in_file(&file, line, column)))
    }
}

thread_local! {
    /// The file of the last spanned value read on this thread: the values
    /// of one document share its path rather than each holding a copy.
    static LAST_FILE: RefCell<Option<Arc<Path>>> = const { RefCell::new(None) };
}

/// Reads a spanned value's file name into a path shared with the values
/// read before it from the same file, without copying the name.
struct FileSeed;

impl<'de> DeserializeSeed<'de> for FileSeed {
    type Value = Arc<Path>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl Visitor<'_> for FileSeed {
    type Value = Arc<Path>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a file name")
    }

    fn visit_str<E: de::Error>(self, file: &str) -> Result<Self::Value, E> {
        Ok(LAST_FILE.with(|last| {
            let mut last = last.borrow_mut();
            match last.as_ref() {
                Some(path) if path.as_os_str() == file => Arc::clone(path),
                _ => Arc::clone(last.insert(Arc::from(Path::new(file)))),
            }
        }))
    }
}

/// The serde deserializer of one node.
pub struct NodeDe<'a>(pub &'a Node);

impl<'de> NodeDe<'de> {
    fn any<V: Visitor<'de>>(&self, visitor: V) -> Result<V::Value, DeError> {
        let node = self.0;
        match &node.value {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Int(i) => visitor.visit_i64(*i),
            Value::Float(f, _) => visitor.visit_f64(*f),
            Value::Str(s) => visitor.visit_borrowed_str(s),
            Value::Seq(items) => visitor.visit_seq(Items(items.iter())),
            Value::Map(entries) => visitor.visit_map(Entries {
                iter: entries.iter(),
                value: None,
                keep: |_| true,
            }),
        }
    }
}

macro_rules! forward_any {
    ($($method:ident)*) => {
        $(fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
            self.any(visitor).map_err(|e| e.at(&self.0.span))
        })*
    };
}

impl<'de> Deserializer<'de> for NodeDe<'de> {
    type Error = DeError;

    forward_any! {
        deserialize_any deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32
        deserialize_i64 deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64
        deserialize_f32 deserialize_f64 deserialize_char deserialize_bytes deserialize_byte_buf
        deserialize_unit deserialize_seq deserialize_map deserialize_identifier
        deserialize_ignored_any
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        // YAML reads `query: 42` as a number: a text field refuses it rather
        // than guess, and says how to write the text.
        let result = match &self.0.value {
            Value::Int(_) | Value::Float(..) | Value::Bool(_) => Err(not_text(&self.0.value)),
            _ => self.any(visitor),
        };
        result.map_err(|e| e.at(&self.0.span))
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let span = self.0.span.clone();
        match self.0.value {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
        .map_err(|e| e.at(&span))
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        v: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_unit(v)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        v: V,
    ) -> Result<V::Value, DeError> {
        v.visit_newtype_struct(self)
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, v: V) -> Result<V::Value, DeError> {
        self.deserialize_seq(v)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: usize,
        v: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_seq(v)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        if name == SPANNED {
            let span = &self.0.span;
            return visitor.visit_map(SpannedAccess {
                node: self.0,
                file: span.file.to_string_lossy(),
                step: 0,
            });
        }
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        let span = self.0.span.clone();
        match &self.0.value {
            Value::Str(s) => visitor.visit_enum(s.as_str().into_deserializer()),
            _ => Err(de::Error::invalid_type(unexpected(&self.0.value), &visitor)),
        }
        .map_err(|e: DeError| e.at(&span))
    }
}

/// A number or boolean where text is required.
fn not_text(value: &Value) -> DeError {
    let written = value.scalar_text().unwrap_or_default();
    DeError {
        message: format!(
            "expected a string, found {}",
            friendly_unexpected(&unexpected(value))
        ),
        span: None,
        hint: Some(format!(
            "YAML reads `{written}` as a {}: quote it to write the text, `'{written}'`",
            match value {
                Value::Bool(_) => "boolean",
                _ => "number",
            }
        )),
    }
}

fn unexpected(value: &Value) -> de::Unexpected<'_> {
    match value {
        Value::Null => de::Unexpected::Unit,
        Value::Bool(b) => de::Unexpected::Bool(*b),
        Value::Int(i) => de::Unexpected::Signed(*i),
        Value::Float(f, _) => de::Unexpected::Float(*f),
        Value::Str(s) => de::Unexpected::Str(s),
        Value::Seq(_) => de::Unexpected::Seq,
        Value::Map(_) => de::Unexpected::Map,
    }
}

struct Items<'a>(std::slice::Iter<'a, Node>);

impl<'de> SeqAccess<'de> for Items<'de> {
    type Error = DeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, DeError> {
        self.0
            .next()
            .map(|n| seed.deserialize(NodeDe(n)))
            .transpose()
    }
}

struct Entries<'a> {
    iter: std::slice::Iter<'a, (Key, Node)>,
    value: Option<&'a Node>,
    /// Whether an entry is read; the others are passed over as if not written.
    keep: fn(&str) -> bool,
}

impl<'de> MapAccess<'de> for Entries<'de> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        let keep = self.keep;
        match self.iter.find(|(key, _)| keep(&key.name)) {
            None => Ok(None),
            Some((key, value)) => {
                self.value = Some(value);
                let de: de::value::BorrowedStrDeserializer<'de, DeError> =
                    de::value::BorrowedStrDeserializer::new(&key.name);
                seed.deserialize(de).map(Some).map_err(|e| e.at(&key.span))
            }
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        let value = self.value.take().ok_or_else(|| {
            <DeError as de::Error>::custom("a mapping value was read before its key")
        })?;
        seed.deserialize(NodeDe(value))
    }
}

struct SpannedAccess<'a> {
    node: &'a Node,
    file: std::borrow::Cow<'a, str>,
    step: usize,
}

impl<'de> MapAccess<'de> for SpannedAccess<'de> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        let Some(key) = SPANNED_FIELDS.get(self.step) else {
            return Ok(None);
        };
        seed.deserialize(de::value::BorrowedStrDeserializer::<DeError>::new(key))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        let span = &self.node.span;
        let step = self.step;
        self.step += 1;
        match step {
            0 => seed.deserialize(de::value::StrDeserializer::<DeError>::new(&self.file)),
            1 => seed.deserialize((span.line as u64).into_deserializer()),
            2 => seed.deserialize((span.column as u64).into_deserializer()),
            _ => seed.deserialize(NodeDe(self.node)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::yaml::parse_documents;
    use std::path::Path;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Wh {
        name: Spanned<String>,
        #[serde(default)]
        max_cluster_count: Option<u32>,
        #[serde(default)]
        tags: Vec<String>,
    }

    fn node(text: &str) -> Node {
        parse_documents(text, Path::new("w.yaml"))
            .unwrap()
            .remove(0)
    }

    #[test]
    fn spanned_fields_keep_their_place() {
        let doc = node("name: ml_wh\nmax_cluster_count: 3\ntags: [a, '1']\n");
        let wh: Wh = from_node(&doc).unwrap();
        assert_eq!(wh.name.value, "ml_wh");
        assert_eq!(wh.name.span, Span::new("w.yaml", 1, 7));
        assert_eq!(wh.tags, vec!["a", "1"]);
    }

    #[test]
    fn numbers_and_booleans_are_not_text() {
        let err = from_node::<Wh>(&node("name: 42\n")).unwrap_err();
        assert_eq!(err.message, "expected a string, found integer `42`");
        assert_eq!(
            err.place,
            Some(crate::diag::Place::Span(Span::new("w.yaml", 1, 7)))
        );
        assert_eq!(
            err.hints,
            vec!["YAML reads `42` as a number: quote it to write the text, `'42'`"]
        );
        let err = from_node::<Wh>(&node("name: x\ntags: [a, true]\n")).unwrap_err();
        assert_eq!(err.message, "expected a string, found boolean `true`");
        assert!(from_node::<Wh>(&node("name: x\ntags: [a, 1.5]\n")).is_err());
    }

    #[test]
    fn unknown_fields_are_placed_at_the_key_with_a_suggestion() {
        let doc = node("name: x\nmax_cluster_cont: 3\n");
        let err = from_node::<Wh>(&doc).unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown field `max_cluster_cont` (at w.yaml:2:1)"
        );
        assert!(err.hints[0].starts_with("did you mean `max_cluster_count`?"));
    }

    #[test]
    fn wrong_types_and_missing_fields_are_placed() {
        let err = from_node::<Wh>(&node("name: x\nmax_cluster_count: lots\n")).unwrap_err();
        assert_eq!(
            err.message,
            "expected a whole number of at least 0, found string \"lots\""
        );
        assert_eq!(
            err.place,
            Some(crate::diag::Place::Span(Span::new("w.yaml", 2, 20)))
        );
        let err = from_node::<Wh>(&node("max_cluster_count: 1\n")).unwrap_err();
        assert_eq!(err.to_string(), "missing field `name` (at w.yaml:1:1)");
        let err = from_node::<Wh>(&node("name: x\nmax_cluster_count: -1\n")).unwrap_err();
        assert_eq!(err.message, "integer `-1` is out of range");
        assert_eq!(err.hints, vec!["write a whole number of at least 0 here"]);
    }
}
