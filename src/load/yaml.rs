//! YAML with positions: a small node tree where every value knows its
//! file, line and column.
//!
//! serde_yaml's `Value` forgets where a value came from, and every floe error
//! must point at a place, so files are parsed here from saphyr's event stream
//! into [`Node`]s. Scalars are typed with the YAML 1.2 core schema (plain
//! `true`, `42`, `1.5`, `null`/`~`/empty; quoted scalars are always strings).
//! Anchors and aliases are expanded. This module only parses: it knows
//! nothing of environments, interpolation or resource kinds.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;
use std::sync::Arc;

use saphyr_parser::{Event, Parser, ScalarStyle};

use crate::diag::{Diagnostic, Span};

/// Deeper nesting than this is refused, so hostile input cannot exhaust the stack.
const MAX_DEPTH: usize = 64;

/// More values than this in one file (aliases counted expanded) is refused,
/// so a few lines of nested aliases cannot exhaust memory.
const MAX_VALUES: usize = 1_000_000;

/// One YAML value with the place it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The value.
    pub value: Value,
    /// Where the value starts.
    pub span: Span,
    /// How the scalar was written; `None` for collections.
    pub style: Option<Style>,
}

/// How a scalar was written, to place errors inside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Unquoted.
    Plain,
    /// Between `'` or `"`.
    Quoted,
    /// A `|` or `>` block.
    Block,
}

/// A YAML value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `null`, `~` or nothing.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A float, with the text it was written as.
    Float(f64, String),
    /// A string.
    Str(String),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping with string keys, in written order.
    Map(Vec<(Key, Node)>),
}

/// A mapping key with its place.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    /// The key text.
    pub name: String,
    /// Where the key is written.
    pub span: Span,
}

impl Node {
    /// A node holding `value` at `span` (no scalar style).
    pub fn new(value: Value, span: Span) -> Self {
        Node {
            value,
            span,
            style: None,
        }
    }

    /// The entry `key` of a mapping node.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|(k, _)| k.name == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The entry `key` of a mapping node together with its key.
    pub fn get_entry(&self, key: &str) -> Option<(&Key, &Node)> {
        match &self.value {
            Value::Map(entries) => entries
                .iter()
                .find(|(k, _)| k.name == key)
                .map(|(k, v)| (k, v)),
            _ => None,
        }
    }

    /// The string value, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The keys of a mapping node, in written order (empty otherwise).
    pub fn keys(&self) -> Vec<&str> {
        match &self.value {
            Value::Map(entries) => entries.iter().map(|(k, _)| k.name.as_str()).collect(),
            _ => Vec::new(),
        }
    }

    /// What kind of value this is, for messages (`a string`, `a mapping`).
    pub fn type_name(&self) -> &'static str {
        self.value.type_name()
    }

    /// The value as JSON (floats that JSON cannot hold become null).
    pub fn to_json(&self) -> serde_json::Value {
        self.value.to_json()
    }
}

impl Value {
    /// The value as JSON (floats that JSON cannot hold become null).
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Int(i) => serde_json::Value::from(*i),
            Value::Float(f, _) => serde_json::Number::from_f64(*f)
                .map(serde_json::Value::Number)
                .unwrap_or(serde_json::Value::Null),
            Value::Str(s) => serde_json::Value::String(s.clone()),
            Value::Seq(items) => items.iter().map(Node::to_json).collect(),
            Value::Map(entries) => serde_json::Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.name.clone(), v.to_json()))
                    .collect(),
            ),
        }
    }

    /// What kind of value this is, for messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "an integer",
            Value::Float(..) => "a number",
            Value::Str(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }

    /// The scalar as text, as it would be written in YAML; `None` for collections.
    pub fn scalar_text(&self) -> Option<String> {
        match self {
            Value::Null => Some("null".to_string()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Int(i) => Some(i.to_string()),
            Value::Float(_, text) => Some(text.clone()),
            Value::Str(s) => Some(s.clone()),
            Value::Seq(_) | Value::Map(_) => None,
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.scalar_text() {
            Some(text) => f.write_str(&text),
            None => write!(f, "{}", self.to_json()),
        }
    }
}

/// Parses every document of a YAML file. `file` is the path shown in errors.
pub fn parse_documents(text: &str, file: &Path) -> Result<Vec<Node>, Diagnostic> {
    let mut builder = Builder {
        values: 0,
        stack: Vec::new(),
        anchors: HashMap::new(),
        documents: Vec::new(),
    };
    check_printable(text, file)?;
    let shared: Arc<Path> = Arc::from(file);
    let mut parser = Parser::new_from_str(text);
    while let Some(next) = parser.next_event() {
        let (event, span) = next.map_err(|e| {
            let m = e.marker();
            Diagnostic::error(format!("invalid YAML: {}", e.info()))
                .at(Span::new(file, m.line().max(1), m.col() + 1))
                .hint("fix the YAML syntax at this place (indentation, a missing `:` or an unclosed quote or bracket are the usual causes)")
        })?;
        let at = Span::in_file(&shared, span.start.line().max(1), span.start.col() + 1);
        builder.on_event(event, at)?;
    }
    Ok(builder.documents)
}

/// YAML's printable set (YAML 1.2, production `c-printable`): tab, line
/// breaks, and every other character but the C0 and C1 controls, DEL,
/// surrogates and U+FFFE/U+FFFF. The parser lets some through; a file
/// holding one is refused at its place, as the specification demands.
fn is_printable(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{85}')
        || matches!(c, '\u{20}'..='\u{7E}' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}')
        || c >= '\u{10000}'
}

fn check_printable(text: &str, file: &Path) -> Result<(), Diagnostic> {
    for (index, line) in text.split('\n').enumerate() {
        if let Some((column, c)) = line.chars().enumerate().find(|(_, c)| !is_printable(*c)) {
            return Err(Diagnostic::error(format!(
                "invalid YAML: the control character U+{:04X} is not allowed in a YAML file",
                u32::from(c)
            ))
            .at(Span::new(file, index + 1, column + 1))
            .hint("remove it; to put it in a value, write it as an escape in a double-quoted string, e.g. \"\\x01\""));
        }
    }
    Ok(())
}

/// Parses a file that must hold exactly one document (a missing or empty one is null).
pub fn parse_single(text: &str, file: &Path) -> Result<Node, Diagnostic> {
    let mut docs = parse_documents(text, file)?;
    match docs.len() {
        0 => Ok(Node::new(Value::Null, Span::file(file))),
        1 => Ok(docs.remove(0)),
        _ => Err(
            Diagnostic::error("this file must hold a single YAML document")
                .at(docs[1].span.clone())
                .hint("remove the `---` separator and merge the documents into one"),
        ),
    }
}

enum Open {
    Seq(Node, Vec<Node>, usize),
    Map(Node, Entries, Option<Key>, usize),
}

/// The entries of a mapping being built, with the position of each key so
/// a repeated key is found without scanning the entries before it.
#[derive(Default)]
struct Entries {
    entries: Vec<(Key, Node)>,
    positions: HashMap<String, usize>,
}

struct Builder {
    values: usize,
    stack: Vec<Open>,
    anchors: HashMap<usize, Node>,
    documents: Vec<Node>,
}

impl Builder {
    fn on_event(&mut self, event: Event<'_>, at: Span) -> Result<(), Diagnostic> {
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                self.count(1, &at)?;
                let node = scalar(&text, style, tag.is_some_and(|t| t.suffix == "str"), at);
                self.remember(anchor, &node);
                self.add(node)
            }
            Event::SequenceStart(anchor, _) => {
                self.count(1, &at)?;
                self.open(Open::Seq(Node::new(Value::Null, at), Vec::new(), anchor))
            }
            Event::MappingStart(anchor, _) => {
                self.count(1, &at)?;
                self.open(Open::Map(
                    Node::new(Value::Null, at),
                    Entries::default(),
                    None,
                    anchor,
                ))
            }
            Event::SequenceEnd | Event::MappingEnd => self.close(),
            Event::Alias(id) => {
                let node = self.anchors.get(&id).cloned().ok_or_else(|| {
                    Diagnostic::error("this alias names an anchor that is not defined before it")
                        .at(at.clone())
                        .hint("define the anchor (`&name`) before using `*name`")
                })?;
                self.count(size(&node), &at)?;
                self.add(Node { span: at, ..node })
            }
            _ => Ok(()),
        }
    }

    fn count(&mut self, values: usize, at: &Span) -> Result<(), Diagnostic> {
        self.values = self.values.saturating_add(values);
        if self.values > MAX_VALUES {
            return Err(Diagnostic::error(format!(
                "this file holds more than {MAX_VALUES} values once its aliases are expanded"
            ))
            .at(at.clone())
            .hint("use fewer or smaller aliases"));
        }
        Ok(())
    }

    fn remember(&mut self, anchor: usize, node: &Node) {
        if anchor != 0 {
            self.anchors.insert(anchor, node.clone());
        }
    }

    fn open(&mut self, open: Open) -> Result<(), Diagnostic> {
        if self.stack.len() >= MAX_DEPTH {
            let span = match &open {
                Open::Seq(n, ..) | Open::Map(n, ..) => n.span.clone(),
            };
            return Err(
                Diagnostic::error(format!("YAML nested deeper than {MAX_DEPTH} levels"))
                    .at(span)
                    .hint("flatten the structure; floe files never need this much nesting"),
            );
        }
        self.stack.push(open);
        Ok(())
    }

    fn close(&mut self) -> Result<(), Diagnostic> {
        let (node, anchor) = match self.stack.pop() {
            Some(Open::Seq(mut node, items, anchor)) => {
                node.value = Value::Seq(items);
                (node, anchor)
            }
            Some(Open::Map(mut node, entries, _, anchor)) => {
                node.value = Value::Map(entries.entries);
                (node, anchor)
            }
            None => return Ok(()),
        };
        self.remember(anchor, &node);
        self.add(node)
    }

    fn add(&mut self, node: Node) -> Result<(), Diagnostic> {
        match self.stack.last_mut() {
            None => self.documents.push(node),
            Some(Open::Seq(_, items, _)) => items.push(node),
            Some(Open::Map(_, entries, pending, _)) => match pending.take() {
                None => {
                    let name = node.value.scalar_text().ok_or_else(|| {
                        Diagnostic::error("mapping keys must be plain text, not lists or mappings")
                            .at(node.span.clone())
                            .hint("write the key as a plain word, e.g. `name:`")
                    })?;
                    if let Some(&at) = entries.positions.get(&name) {
                        let first = &entries.entries[at].0;
                        return Err(Diagnostic::error(format!(
                            "the key `{name}` appears twice in this mapping"
                        ))
                        .at(node.span.clone())
                        .caused_by(format!("it is first set at {}", first.span))
                        .hint("keep one of the two entries"));
                    }
                    *pending = Some(Key {
                        name,
                        span: node.span,
                    });
                }
                Some(key) => {
                    entries
                        .positions
                        .insert(key.name.clone(), entries.entries.len());
                    entries.entries.push((key, node));
                }
            },
        }
        Ok(())
    }
}

/// How many values a node holds, itself included.
fn size(node: &Node) -> usize {
    match &node.value {
        Value::Seq(items) => 1 + items.iter().map(size).sum::<usize>(),
        Value::Map(entries) => 1 + entries.iter().map(|(_, v)| size(v)).sum::<usize>(),
        _ => 1,
    }
}

fn scalar(text: &str, style: ScalarStyle, tagged_str: bool, at: Span) -> Node {
    let (value, style) = match style {
        ScalarStyle::Plain if !tagged_str => (plain_value(text), Style::Plain),
        ScalarStyle::Plain => (Value::Str(text.to_string()), Style::Plain),
        ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => {
            (Value::Str(text.to_string()), Style::Quoted)
        }
        _ => (Value::Str(text.to_string()), Style::Block),
    };
    Node {
        value,
        span: at,
        style: Some(style),
    }
}

/// Types a plain scalar with the YAML 1.2 core schema.
fn plain_value(text: &str) -> Value {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    if let Some(i) = parse_int(text) {
        return Value::Int(i);
    }
    let numeric = text
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_digit() || matches!(c, '-' | '+' | '.'))
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E'))
        && text.chars().any(|c| c.is_ascii_digit());
    if numeric && let Ok(f) = text.parse::<f64>() {
        return Value::Float(f, text.to_string());
    }
    Value::Str(text.to_string())
}

fn parse_int(text: &str) -> Option<i64> {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if let Some(hex) = digits.strip_prefix("0x") {
        let v = i64::from_str_radix(hex, 16).ok()?;
        return Some(if text.starts_with('-') { -v } else { v });
    }
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Vec<Node>, Diagnostic> {
        parse_documents(text, Path::new("t.yaml"))
    }

    #[test]
    fn scalars_are_typed_and_positioned() {
        let docs = parse("a: 1\nb: '1'\nc: true\nd: 1.50\ne:\nf: text\n").unwrap();
        let doc = &docs[0];
        assert_eq!(doc.get("a").unwrap().value, Value::Int(1));
        assert_eq!(doc.get("b").unwrap().value, Value::Str("1".into()));
        assert_eq!(doc.get("c").unwrap().value, Value::Bool(true));
        assert_eq!(
            doc.get("d").unwrap().value,
            Value::Float(1.5, "1.50".into())
        );
        assert_eq!(doc.get("e").unwrap().value, Value::Null);
        let f = doc.get("f").unwrap();
        assert_eq!((f.span.line, f.span.column), (6, 4));
        let (key, _) = doc.get_entry("f").unwrap();
        assert_eq!((key.span.line, key.span.column), (6, 1));
    }

    /// Finite doubles from a fixed-seed xorshift over their bit patterns.
    pub(crate) fn random_doubles(count: usize) -> Vec<f64> {
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut out = Vec::with_capacity(count);
        while out.len() < count {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let f = f64::from_bits(state);
            if f.is_finite() {
                out.push(f);
            }
        }
        out
    }

    #[test]
    fn floats_survive_yaml_then_json_text_exactly() {
        let mut written: Vec<String> = ["94.52706955539223", "0.009221885624698875"]
            .map(String::from)
            .to_vec();
        for f in random_doubles(500) {
            written.push(format!("{f}"));
            written.push(format!("{f:e}"));
            // Short decimals, as people write metrics and thresholds.
            written.push(format!("{}", (f.abs().fract() * 1e6).round() / 1e6));
        }
        for text in written {
            let expected: f64 = text.parse().unwrap();
            let docs = parse(&format!("x: {text}\n")).unwrap();
            let json = docs[0].get("x").unwrap().to_json();
            let printed = serde_json::to_string(&json).unwrap();
            let read: serde_json::Value = serde_json::from_str(&printed).unwrap();
            assert_eq!(
                read.as_f64().map(f64::to_bits),
                Some(expected.to_bits()),
                "{text} was printed as {printed} and read back as {read}"
            );
        }
    }

    #[test]
    fn several_documents_and_aliases() {
        let docs = parse("kind: A\nx: &v [1, 2]\ny: *v\n---\nkind: B\n").unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(
            docs[0].get("y").unwrap().to_json(),
            serde_json::json!([1, 2])
        );
        assert_eq!(docs[1].span.line, 5);
    }

    #[test]
    fn syntax_errors_and_duplicate_keys_are_located() {
        let err = parse("a: [1, 2\nb: 3\n").unwrap_err();
        assert!(err.message.starts_with("invalid YAML"), "{err}");
        let err = parse("a: 1\nb: 2\na: 3\n").unwrap_err();
        assert!(err.message.contains("`a` appears twice"));
        assert_eq!(
            err.to_string(),
            "the key `a` appears twice in this mapping (at t.yaml:3:1)"
        );
    }

    #[test]
    fn control_characters_are_refused_at_their_place() {
        let err = parse("a: 1\nb: x\u{1}y\n").unwrap_err();
        assert!(err.message.contains("U+0001"), "{}", err.message);
        assert_eq!(
            err.place,
            Some(crate::diag::Place::Span(Span::new("t.yaml", 2, 5)))
        );
        assert!(parse("a: \"x\\x01y\"\r\nb: \tc\n").is_ok());
        assert!(parse("a: \u{7f}\n").is_err());
        assert!(parse("a: caf\u{e9} \u{1F600}\n").is_ok());
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..9 {
            let p = i - 1;
            text.push_str(&format!("a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"));
        }
        let err = parse(&text).unwrap_err();
        assert!(err.message.contains("more than 1000000 values"), "{err}");
    }

    #[test]
    fn deep_nesting_is_refused() {
        let text = "[".repeat(500);
        assert!(parse(&text).is_err());
    }
}
