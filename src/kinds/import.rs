//! Live objects back into resource documents, for `floe import`: the
//! [`Document`] every kind's `import` module writes, the [`Writer`] it
//! writes with (attributes in, YAML fields out), and the [`Names`] that say
//! how names and SQL are spelled in the written files.
//!
//! Each kind's `import.rs` knows its own fields; this module knows none.
//! Choosing objects, naming files and recording state are `crate::import`'s.

use serde_json::Value as Json;
use serde_yaml::{Mapping, Value};

use crate::model::Attributes;

/// How names read from the account are written in a document: the naming
/// of the environment imported (`crate::import::Naming`).
pub trait Names {
    /// How to write the resolved identifier `name` in YAML.
    fn name(&self, name: &str) -> String;
    /// How to write SQL or any other text that may hold names.
    fn text(&self, text: &str) -> String;
}

/// A resource document: its fields in writing order, and its notes.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// The fields, `kind` first.
    pub fields: Mapping,
    /// `# TODO:` notes written above it, one per line, without the prefix.
    pub todos: Vec<String>,
}

/// Builds one document from one object's attributes.
pub struct Writer<'a> {
    attrs: &'a Attributes,
    names: &'a dyn Names,
    fields: Mapping,
    todos: Vec<String>,
}

impl<'a> Writer<'a> {
    /// A writer of the document of an object with `attrs`, whose first
    /// field is `kind: <kind>`.
    pub fn new(kind: &str, attrs: &'a Attributes, names: &'a dyn Names) -> Writer<'a> {
        let mut writer = Writer {
            attrs,
            names,
            fields: Mapping::new(),
            todos: Vec::new(),
        };
        writer.put("kind", kind);
        writer
    }

    /// The document written.
    pub fn finish(self) -> Document {
        Document {
            fields: self.fields,
            todos: self.todos,
        }
    }

    /// The object's attribute `key`, if it has one.
    pub fn get(&self, key: &str) -> Option<&'a Json> {
        self.attrs.get(key)
    }

    /// How names are written.
    pub fn names(&self) -> &'a dyn Names {
        self.names
    }

    /// Writes the field `key`.
    pub fn put(&mut self, key: &str, value: impl Into<Value>) {
        self.fields.insert(Value::from(key), value.into());
    }

    /// Adds a `# TODO:` note above the document.
    pub fn todo(&mut self, note: String) {
        self.todos.push(note);
    }

    /// The attribute `key` as text, if it is text.
    pub fn text(&self, key: &str) -> Option<&'a str> {
        self.attrs.get(key).and_then(Json::as_str)
    }

    /// The name field `key`, from the attribute `from`, interpolated.
    pub fn name(&mut self, key: &str, from: &str) {
        if let Some(name) = self.text(from).map(|n| self.names.name(n)) {
            self.put(key, name);
        }
    }

    /// The free-text field `key` (comment, description), written when set.
    pub fn free_text(&mut self, key: &str, from: &str) {
        if let Some(text) = self.text(from).map(escape) {
            self.put(key, text);
        }
    }

    /// The SQL field `key`, its names interpolated.
    pub fn sql(&mut self, key: &str, from: &str) {
        if let Some(sql) = self.text(from).map(|t| self.names.text(t)) {
            self.put(key, sql);
        }
    }

    /// The attribute `from`, a list of names, interpolated.
    pub fn name_list(&self, from: &str) -> Vec<Value> {
        self.strings(from)
            .iter()
            .map(|n| Value::from(self.names.name(n)))
            .collect()
    }

    /// The strings of the list attribute `from` (none when it is not a list).
    pub fn strings(&self, from: &str) -> Vec<String> {
        match self.attrs.get(from) {
            Some(Json::Array(items)) => items
                .iter()
                .filter_map(|i| i.as_str().map(str::to_string))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The field `key`, the attribute `from` as YAML, when it is not null.
    pub fn json(&mut self, key: &str, from: &str) {
        match self.attrs.get(from) {
            None | Some(Json::Null) => {}
            Some(value) => self.put(key, yaml(value)),
        }
    }

    /// The field `key` from the attribute of the same key, written only
    /// when it differs from the kind's default.
    pub fn unless(&mut self, key: &str, default: Json) {
        match self.attrs.get(key) {
            Some(value) if *value != default => self.put(key, yaml(value)),
            _ => {}
        }
    }
}

/// Free text with every literal `${` escaped as `$${`.
pub fn escape(text: &str) -> String {
    text.replace("${", "$${")
}

/// Every `${` in the strings of a JSON value escaped as `$${`.
pub fn escape_json(value: &Json) -> Json {
    match value {
        Json::String(s) => Json::String(escape(s)),
        Json::Array(items) => Json::Array(items.iter().map(escape_json).collect()),
        Json::Object(map) => Json::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), escape_json(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// A JSON value as the same YAML value.
pub fn yaml(value: &Json) -> Value {
    // JSON values (strings, numbers, booleans, arrays, objects) are all YAML.
    serde_yaml::to_value(value).unwrap_or(Value::Null)
}
