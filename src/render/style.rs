//! Symbols, colours and value formatting shared by the text renderers.

use serde_json::Value;

use crate::diff::Action;

/// ANSI colours used in text output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Color {
    Green,
    Yellow,
    Red,
    Magenta,
    Bold,
}

/// `text` wrapped in `color` when colours are on.
pub fn paint(text: &str, color: Color, on: bool) -> String {
    if !on {
        return text.to_string();
    }
    let code = match color {
        Color::Green => "32",
        Color::Yellow => "33",
        Color::Red => "31",
        Color::Magenta => "35",
        Color::Bold => "1",
    };
    format!("\x1b[{code}m{text}\x1b[0m")
}

/// The plan symbol of an action and its colour.
pub fn symbol(action: Action) -> (&'static str, Color) {
    match action {
        Action::Create => ("+", Color::Green),
        Action::Update => ("~", Color::Yellow),
        Action::Replace => ("-/+", Color::Magenta),
        Action::Delete => ("-", Color::Red),
        Action::NoOp => (" ", Color::Bold),
    }
}

const MAX_VALUE: usize = 60;

/// A value as people read it: plain words bare, other text quoted, long
/// values cut with `…`, absent as `(none)`.
pub fn value(v: Option<&Value>) -> String {
    let text = match v {
        None | Some(Value::Null) => return "(none)".into(),
        Some(Value::String(s)) if is_word(s) => s.clone(),
        Some(other) => other.to_string(),
    };
    if text.chars().count() > MAX_VALUE {
        let cut: String = text.chars().take(MAX_VALUE - 1).collect();
        format!("{cut}…")
    } else {
        text
    }
}

fn is_word(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '$' | '@' | '/' | ':'))
}

/// `1 thing` / `2 things`.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
