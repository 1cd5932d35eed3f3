//! Snowflake identifiers: resolution and quoting.
//!
//! An identifier is kept in its *resolved* form, the one Snowflake stores and
//! SHOW returns: an unquoted name is upper-cased, a double-quoted name keeps
//! its case with `""` unescaped to `"`. floe compares resolved forms only, and
//! quotes a name in SQL only when the unquoted spelling would not resolve to
//! the same name. This module does no I/O and knows nothing of resources.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A resolved Snowflake identifier (`ML_WH`, `MY_FV$v1`, `myView`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Ident(String);

/// Why a written identifier is not a valid Snowflake identifier.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdentError {
    /// Nothing was written.
    #[error("an identifier cannot be empty")]
    Empty,
    /// A quoted identifier was not closed, or has a lone `"` inside.
    #[error(
        "the quoted identifier {0} is not closed properly: a `\"` inside a quoted name is written `\"\"`"
    )]
    BadQuoting(String),
    /// An unquoted identifier with characters Snowflake does not allow unquoted.
    #[error(
        "`{0}` is not a valid unquoted identifier: use letters, digits, `_` and `$`, starting with a letter or `_`, or quote it (`{quoted}`)",
        quoted = yaml_quoted(.0)
    )]
    BadUnquoted(String),
    /// Longer than Snowflake's 255 characters.
    #[error("the identifier `{0}` is longer than Snowflake's 255 characters")]
    TooLong(String),
}

/// The longest identifier Snowflake takes, in characters.
pub const MAX_IDENTIFIER_CHARS: usize = 255;

impl Ident {
    /// Resolves an identifier as written in YAML or SQL: `ml_wh` → `ML_WH`,
    /// `"myView"` → `myView`.
    pub fn parse(written: &str) -> Result<Ident, IdentError> {
        let written = written.trim();
        if written.is_empty() {
            return Err(IdentError::Empty);
        }
        let resolved = if let Some(inner) = written.strip_prefix('"') {
            let inner = inner
                .strip_suffix('"')
                .ok_or_else(|| IdentError::BadQuoting(written.to_string()))?;
            if inner.is_empty() {
                return Err(IdentError::Empty);
            }
            unescape_quoted(inner).ok_or_else(|| IdentError::BadQuoting(written.to_string()))?
        } else {
            if !is_unquoted_identifier(written) {
                return Err(IdentError::BadUnquoted(written.to_string()));
            }
            written.to_ascii_uppercase()
        };
        if resolved.chars().count() > MAX_IDENTIFIER_CHARS {
            return Err(IdentError::TooLong(written.to_string()));
        }
        Ok(Ident(resolved))
    }

    /// Wraps a name that is already in resolved form (as SHOW returns it).
    pub fn from_resolved(resolved: impl Into<String>) -> Ident {
        Ident(resolved.into())
    }

    /// The resolved name, as SHOW returns it.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The name as it must be written in SQL: bare when Snowflake would
    /// resolve the bare spelling to the same name, double-quoted otherwise.
    pub fn to_sql(&self) -> String {
        if needs_quotes(&self.0) {
            format!("\"{}\"", self.0.replace('"', "\"\""))
        } else {
            self.0.clone()
        }
    }

    /// A new identifier made of this one followed by `suffix`, both resolved
    /// (`PUDO_DAILY` + `$V1` → `PUDO_DAILY$V1`).
    pub fn concat(&self, suffix: &str) -> Ident {
        Ident(format!("{}{}", self.0, suffix))
    }
}

impl fmt::Display for Ident {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// How to write `name` in YAML so that it resolves to exactly `name`: a
/// double-quoted identifier (`"` doubled inside) in a single-quoted YAML
/// string (`'` doubled inside): `a"b` → `'"a""b"'`.
pub fn yaml_quoted(name: &str) -> String {
    format!("'\"{}\"'", name.replace('"', "\"\"").replace('\'', "''"))
}

/// True when `s` may be written unquoted: `[A-Za-z_][A-Za-z0-9_$]*`.
pub fn is_unquoted_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if c.is_ascii_alphabetic() || c == '_' => {}
        _ => return false,
    }
    chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
}

/// True when a resolved name must be double-quoted in SQL to keep its
/// spelling: anything but `[A-Z_][A-Z0-9_$]*`.
pub fn needs_quotes(resolved: &str) -> bool {
    !is_unquoted_identifier(resolved) || resolved.chars().any(|c| c.is_ascii_lowercase())
}

fn unescape_quoted(inner: &str) -> Option<String> {
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '"' {
            if chars.peek() == Some(&'"') {
                chars.next();
            } else {
                return None;
            }
        }
        out.push(c);
    }
    Some(out)
}

/// A single-quoted SQL string literal with `'` and `\` escaped, so that no
/// value can end its statement early.
pub fn sql_string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('\'');
    for c in value.chars() {
        match c {
            '\'' => out.push_str("''"),
            '\\' => out.push_str("\\\\"),
            _ => out.push(c),
        }
    }
    out.push('\'');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unquoted_names_are_upper_cased() {
        assert_eq!(
            Ident::parse("ml_training_wh").unwrap().as_str(),
            "ML_TRAINING_WH"
        );
        assert_eq!(
            Ident::parse("Pudo_Daily$V1").unwrap().as_str(),
            "PUDO_DAILY$V1"
        );
    }

    #[test]
    fn quoted_names_keep_case_and_unescape() {
        assert_eq!(Ident::parse("\"myView\"").unwrap().as_str(), "myView");
        assert_eq!(Ident::parse("\"a\"\"b\"").unwrap().as_str(), "a\"b");
    }

    #[test]
    fn bad_identifiers_are_refused() {
        assert_eq!(Ident::parse(""), Err(IdentError::Empty));
        assert_eq!(Ident::parse("\"\""), Err(IdentError::Empty));
        assert!(matches!(
            Ident::parse("\"abc"),
            Err(IdentError::BadQuoting(_))
        ));
        assert!(matches!(
            Ident::parse("\"a\"b\""),
            Err(IdentError::BadQuoting(_))
        ));
        assert!(matches!(
            Ident::parse("1abc"),
            Err(IdentError::BadUnquoted(_))
        ));
        assert!(matches!(
            Ident::parse("my-wh"),
            Err(IdentError::BadUnquoted(_))
        ));
        assert!(matches!(
            Ident::parse(&"A".repeat(256)),
            Err(IdentError::TooLong(_))
        ));
    }

    #[test]
    fn the_quoting_hint_is_itself_a_valid_name() {
        let err = Ident::parse("a\"b").unwrap_err();
        assert!(err.to_string().contains("(`'\"a\"\"b\"'`)"), "{err}");
        assert_eq!(yaml_quoted("it's"), "'\"it''s\"'");
        // The suggestion, read back as YAML reads a single-quoted string, is the name.
        for name in ["a\"b", "it's", "my name"] {
            let suggested = yaml_quoted(name);
            let yaml_value = suggested[1..suggested.len() - 1].replace("''", "'");
            assert_eq!(Ident::parse(&yaml_value).unwrap().as_str(), name);
        }
    }

    #[test]
    fn sql_quotes_only_when_needed() {
        assert_eq!(Ident::from_resolved("ML_WH").to_sql(), "ML_WH");
        assert_eq!(Ident::from_resolved("MY_FV$V1").to_sql(), "MY_FV$V1");
        assert_eq!(Ident::from_resolved("MY_FV$v1").to_sql(), "\"MY_FV$v1\"");
        assert_eq!(Ident::from_resolved("MY FV").to_sql(), "\"MY FV\"");
        assert_eq!(Ident::from_resolved("a\"b").to_sql(), "\"a\"\"b\"");
        assert_eq!(Ident::from_resolved("1.0").to_sql(), "\"1.0\"");
    }

    #[test]
    fn parse_and_to_sql_round_trip() {
        for written in ["ml_wh", "\"myView\"", "\"a\"\"b\"", "\"MY FV\"", "X$1"] {
            let ident = Ident::parse(written).unwrap();
            assert_eq!(Ident::parse(&ident.to_sql()).unwrap(), ident, "{written}");
        }
    }

    #[test]
    fn string_literals_cannot_break_out() {
        assert_eq!(sql_string("it's"), "'it''s'");
        assert_eq!(sql_string("a\\'; DROP"), "'a\\\\''; DROP'");
    }
}
