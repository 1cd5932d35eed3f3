//! The SQL tokenizer of the local account.
//!
//! It turns statement text into tokens that keep their byte span, line and
//! column, so the parser can report Snowflake-style positions and cut the
//! verbatim text of a query or task body out of the source. It knows
//! Snowflake's lexical rules (quoted identifiers with `""`, `'...'` strings
//! with `''` and backslash escapes, `$$...$$` strings, `--`, `//` and `/* */`
//! comments) and nothing about statements.

use super::error::{self, SqlError};

/// What kind of token a [`Token`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// A bare word: keyword or unquoted identifier (`CREATE`, `ml_wh`, `SYSTEM$GET_TAG`).
    Word,
    /// A double-quoted identifier; `value` is unescaped, without quotes.
    QuotedIdent,
    /// A `'...'` string; `value` is unescaped.
    String,
    /// A `$$...$$` string; `value` is the text between the dollars.
    DollarString,
    /// A numeric literal.
    Number,
    /// A stage reference such as `@ML.MODELS/pudo/v3`.
    Stage,
    /// Punctuation or an operator (`(`, `=`, `<=`, `::`, ...).
    Symbol,
}

/// One token with its place in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// The token's kind.
    pub kind: TokenKind,
    /// The token's value (see [`TokenKind`] for what each kind holds).
    pub value: String,
    /// Byte offset of the first character.
    pub start: usize,
    /// Byte offset just past the last character.
    pub end: usize,
    /// 1-based line.
    pub line: usize,
    /// 0-based character position within the line, as Snowflake reports it.
    pub column: usize,
}

impl Token {
    /// True when this is the bare word `word` (case-insensitive).
    pub fn is_word(&self, word: &str) -> bool {
        self.kind == TokenKind::Word && self.value.eq_ignore_ascii_case(word)
    }

    /// True when this is the symbol `symbol`.
    pub fn is_symbol(&self, symbol: &str) -> bool {
        self.kind == TokenKind::Symbol && self.value == symbol
    }

    /// The token as Snowflake quotes it in a syntax error.
    pub fn display(&self) -> String {
        match self.kind {
            TokenKind::String => format!("'{}'", self.value),
            TokenKind::QuotedIdent => format!("\"{}\"", self.value),
            TokenKind::DollarString => format!("$${}$$", self.value),
            _ => self.value.clone(),
        }
    }
}

/// Tokenizes `source`; comments and whitespace are dropped.
pub fn tokenize(source: &str) -> Result<Vec<Token>, SqlError> {
    Lexer::new(source).run()
}

struct Lexer<'a> {
    src: &'a str,
    bytes: &'a [u8],
    pos: usize,
    line: usize,
    line_start: usize,
    tokens: Vec<Token>,
}

impl<'a> Lexer<'a> {
    fn new(src: &'a str) -> Self {
        Lexer {
            src,
            bytes: src.as_bytes(),
            pos: 0,
            line: 1,
            line_start: 0,
            tokens: Vec::new(),
        }
    }

    fn run(mut self) -> Result<Vec<Token>, SqlError> {
        while let Some(c) = self.peek_char() {
            let start = self.pos;
            let (line, column) = (self.line, self.column_of(start));
            if c.is_whitespace() {
                self.bump(c);
            } else if self.starts_with("--") || self.starts_with("//") {
                self.skip_line();
            } else if self.starts_with("/*") {
                self.skip_block_comment(line, column)?;
            } else {
                let (kind, value) = self.token(c, line, column)?;
                self.tokens.push(Token {
                    kind,
                    value,
                    start,
                    end: self.pos,
                    line,
                    column,
                });
            }
        }
        Ok(self.tokens)
    }

    fn token(
        &mut self,
        c: char,
        line: usize,
        column: usize,
    ) -> Result<(TokenKind, String), SqlError> {
        if c == '\'' {
            return Ok((TokenKind::String, self.string(line, column)?));
        }
        if c == '"' {
            return Ok((TokenKind::QuotedIdent, self.quoted_ident(line, column)?));
        }
        if self.starts_with("$$") {
            return Ok((TokenKind::DollarString, self.dollar_string(line, column)?));
        }
        if c.is_ascii_digit() || (c == '.' && self.next_is_digit()) {
            return Ok((TokenKind::Number, self.number()));
        }
        if c.is_alphabetic() || c == '_' || c == '$' {
            return Ok((TokenKind::Word, self.word()));
        }
        if c == '@' {
            return Ok((TokenKind::Stage, self.stage()));
        }
        Ok((TokenKind::Symbol, self.symbol(c)))
    }

    fn peek_char(&self) -> Option<char> {
        self.src[self.pos..].chars().next()
    }

    fn starts_with(&self, s: &str) -> bool {
        self.src[self.pos..].starts_with(s)
    }

    fn next_is_digit(&self) -> bool {
        self.bytes.get(self.pos + 1).is_some_and(u8::is_ascii_digit)
    }

    fn column_of(&self, offset: usize) -> usize {
        self.src[self.line_start..offset].chars().count()
    }

    fn bump(&mut self, c: char) {
        self.pos += c.len_utf8();
        if c == '\n' {
            self.line += 1;
            self.line_start = self.pos;
        }
    }

    fn skip_line(&mut self) {
        while let Some(c) = self.peek_char() {
            if c == '\n' {
                break;
            }
            self.bump(c);
        }
    }

    fn skip_block_comment(&mut self, line: usize, column: usize) -> Result<(), SqlError> {
        self.pos += 2;
        loop {
            if self.starts_with("*/") {
                self.pos += 2;
                return Ok(());
            }
            match self.peek_char() {
                Some(c) => self.bump(c),
                None => return Err(error::unterminated("comment", line, column)),
            }
        }
    }

    fn string(&mut self, line: usize, column: usize) -> Result<String, SqlError> {
        self.pos += 1;
        let mut out = String::new();
        loop {
            let Some(c) = self.peek_char() else {
                return Err(error::unterminated("string", line, column));
            };
            self.bump(c);
            match c {
                '\'' if self.peek_char() == Some('\'') => {
                    self.pos += 1;
                    out.push('\'');
                }
                '\'' => return Ok(out),
                '\\' => {
                    let Some(escaped) = self.peek_char() else {
                        return Err(error::unterminated("string", line, column));
                    };
                    self.bump(escaped);
                    out.push(unescape(escaped));
                }
                _ => out.push(c),
            }
        }
    }

    fn quoted_ident(&mut self, line: usize, column: usize) -> Result<String, SqlError> {
        self.pos += 1;
        let mut out = String::new();
        loop {
            let Some(c) = self.peek_char() else {
                return Err(error::unterminated("identifier", line, column));
            };
            self.bump(c);
            if c == '"' {
                if self.peek_char() == Some('"') {
                    self.pos += 1;
                    out.push('"');
                } else {
                    return Ok(out);
                }
            } else {
                out.push(c);
            }
        }
    }

    fn dollar_string(&mut self, line: usize, column: usize) -> Result<String, SqlError> {
        self.pos += 2;
        let Some(len) = self.src[self.pos..].find("$$") else {
            return Err(error::unterminated("string", line, column));
        };
        let value = self.src[self.pos..self.pos + len].to_string();
        for c in value.chars() {
            self.bump(c);
        }
        self.pos += 2;
        Ok(value)
    }

    fn number(&mut self) -> String {
        let start = self.pos;
        let mut seen_exponent = false;
        while let Some(c) = self.peek_char() {
            let exponent_sign = seen_exponent
                && (c == '+' || c == '-')
                && matches!(self.src[..self.pos].chars().last(), Some('e' | 'E'));
            if c.is_ascii_digit() || c == '.' || exponent_sign {
                self.pos += 1;
            } else if (c == 'e' || c == 'E') && !seen_exponent {
                seen_exponent = true;
                self.pos += 1;
            } else {
                break;
            }
        }
        self.src[start..self.pos].to_string()
    }

    fn word(&mut self) -> String {
        let start = self.pos;
        while let Some(c) = self.peek_char() {
            if c.is_alphanumeric() || c == '_' || c == '$' {
                self.pos += c.len_utf8();
            } else {
                break;
            }
        }
        self.src[start..self.pos].to_string()
    }

    fn stage(&mut self) -> String {
        let start = self.pos;
        self.pos += 1;
        while let Some(c) = self.peek_char() {
            if c.is_whitespace() || matches!(c, ';' | ')' | ',' | '(') {
                break;
            }
            if c == '"' {
                // A quoted part of a stage name: copy it whole.
                self.pos += 1;
                while let Some(q) = self.peek_char() {
                    self.pos += q.len_utf8();
                    if q == '"' {
                        break;
                    }
                }
                continue;
            }
            self.pos += c.len_utf8();
        }
        self.src[start..self.pos].to_string()
    }

    fn symbol(&mut self, c: char) -> String {
        const TWO: [&str; 8] = ["<=", ">=", "<>", "!=", "||", "::", "=>", "->"];
        for op in TWO {
            if self.starts_with(op) {
                self.pos += 2;
                return op.to_string();
            }
        }
        self.pos += c.len_utf8();
        c.to_string()
    }
}

fn unescape(c: char) -> char {
    match c {
        'n' => '\n',
        't' => '\t',
        'r' => '\r',
        'b' => '\u{8}',
        'f' => '\u{c}',
        '0' => '\0',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(sql: &str) -> Vec<(TokenKind, String)> {
        tokenize(sql)
            .unwrap()
            .into_iter()
            .map(|t| (t.kind, t.value))
            .collect()
    }

    #[test]
    fn strings_unescape_quotes_and_backslashes() {
        assert_eq!(
            kinds(r"'it''s' 'a\'b\\c\n'"),
            vec![
                (TokenKind::String, "it's".into()),
                (TokenKind::String, "a'b\\c\n".into())
            ]
        );
    }

    #[test]
    fn quoted_identifiers_keep_case_and_unescape() {
        assert_eq!(
            kinds(r#""my""View" x$1"#),
            vec![
                (TokenKind::QuotedIdent, "my\"View".into()),
                (TokenKind::Word, "x$1".into())
            ]
        );
    }

    #[test]
    fn comments_are_skipped_and_dollar_strings_kept_raw() {
        let tokens = kinds("-- a\nSELECT /* b */ $$x 'y'$$ // c\n;");
        assert_eq!(
            tokens,
            vec![
                (TokenKind::Word, "SELECT".into()),
                (TokenKind::DollarString, "x 'y'".into()),
                (TokenKind::Symbol, ";".into())
            ]
        );
    }

    #[test]
    fn positions_are_line_and_zero_based_column() {
        let tokens = tokenize("SELECT\n  foo").unwrap();
        assert_eq!((tokens[1].line, tokens[1].column), (2, 2));
    }

    #[test]
    fn stage_paths_are_one_token() {
        assert_eq!(
            kinds("FROM @ML.MODELS/pudo/v3;"),
            vec![
                (TokenKind::Word, "FROM".into()),
                (TokenKind::Stage, "@ML.MODELS/pudo/v3".into()),
                (TokenKind::Symbol, ";".into())
            ]
        );
    }

    #[test]
    fn unterminated_input_is_a_syntax_error() {
        for sql in ["SELECT 'abc", "SELECT \"abc", "SELECT /* x", "SELECT $$x"] {
            let err = tokenize(sql).unwrap_err();
            assert_eq!(err.code, "001003", "{sql}");
        }
    }
}
