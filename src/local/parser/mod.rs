//! The SQL front end: statement text in, [`Statement`]s out.
//!
//! A hand-written recursive-descent parser over the tokens of
//! [`super::lexer`]. It splits a script into statements at top-level `;`,
//! parses each into the AST of [`super::ast`], keeps verbatim slices of the
//! source where Snowflake keeps them (a view's CREATE text, a task's AS
//! body), and reports the first problem as Snowflake's `syntax error line L
//! at position P unexpected 'X'`. It never looks at the catalog.

mod alter;
mod create;
mod query;
mod select;
mod show;

pub(crate) use select::MODEL_VERSION_COLUMNS;

use super::ast::{Name, Prop, Statement, TagAssign, Value};
use super::error::{self, SqlError};
use super::lexer::{self, Token, TokenKind};
use crate::ident::Ident;

/// One parsed statement with its verbatim text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    /// The statement.
    pub statement: Statement,
    /// Its text, from its first token to its end, trailing whitespace trimmed.
    pub text: String,
}

/// Parses a script of one or more `;`-separated statements. Nothing is
/// returned unless every statement parses.
pub fn parse_script(source: &str) -> Result<Vec<Parsed>, SqlError> {
    let tokens = lexer::tokenize(source)?;
    let mut parsed = Vec::new();
    for (range, end) in split(&tokens, source.len()) {
        let slice = &tokens[range];
        let start = slice[0].start;
        let text = source[start..end].trim_end().to_string();
        let mut parser = Parser::new(source, slice, start + text.len());
        let mut statement = parser.statement()?;
        if let Statement::Create(create) = &mut statement {
            create.text = text.clone();
        }
        parsed.push(Parsed { statement, text });
    }
    if parsed.is_empty() {
        return Err(error::empty());
    }
    Ok(parsed)
}

/// Splits tokens at top-level `;` into (token range, byte end of the
/// statement). `;` inside a scripting block (`BEGIN ... END`) does not split.
fn split(tokens: &[Token], source_len: usize) -> Vec<(std::ops::Range<usize>, usize)> {
    let mut out = Vec::new();
    let mut begin = 0;
    let mut depth = 0usize;
    for (i, token) in tokens.iter().enumerate() {
        let next = tokens.get(i + 1);
        if token.is_word("BEGIN") && opens_block(next) || token.is_word("CASE") {
            if !(token.is_word("CASE") && i > 0 && tokens[i - 1].is_word("END")) {
                depth += 1;
            }
        } else if token.is_word("END") && depth > 0 && !closes_other(next) {
            depth -= 1;
        } else if token.is_symbol(";") && depth == 0 {
            if i > begin {
                out.push((begin..i, token.start));
            }
            begin = i + 1;
        }
    }
    if begin < tokens.len() {
        out.push((begin..tokens.len(), source_len));
    }
    out
}

fn opens_block(next: Option<&Token>) -> bool {
    match next {
        None => false,
        Some(t) => {
            !(t.is_symbol(";")
                || t.is_word("TRANSACTION")
                || t.is_word("WORK")
                || t.is_word("NAME"))
        }
    }
}

fn closes_other(next: Option<&Token>) -> bool {
    next.is_some_and(|t| {
        ["IF", "LOOP", "FOR", "WHILE", "REPEAT"]
            .iter()
            .any(|w| t.is_word(w))
    })
}

/// A cursor over the tokens of one statement.
pub(crate) struct Parser<'a> {
    src: &'a str,
    tokens: &'a [Token],
    pos: usize,
    end: usize,
}

impl<'a> Parser<'a> {
    fn new(src: &'a str, tokens: &'a [Token], end: usize) -> Self {
        Parser {
            src,
            tokens,
            pos: 0,
            end,
        }
    }

    fn statement(&mut self) -> Result<Statement, SqlError> {
        let first = self.peek().cloned().ok_or_else(|| self.unexpected())?;
        let statement = if first.is_word("CREATE") {
            self.create()?
        } else if first.is_word("ALTER") {
            self.alter()?
        } else if first.is_word("DROP") {
            self.drop()?
        } else if first.is_word("SHOW") {
            self.show()?
        } else if first.is_word("USE") {
            self.use_()?
        } else if first.is_word("SELECT") {
            self.select()?
        } else if first.is_word("WITH") || first.is_symbol("(") {
            Statement::Select {
                text: self.rest_text()?,
            }
        } else if first.is_word("DESC") || first.is_word("DESCRIBE") {
            self.describe()?
        } else if first.is_word("COMMENT") {
            self.comment_on()?
        } else if first.is_word("INSERT") {
            self.insert()?
        } else if first.is_word("UPDATE") {
            self.update()?
        } else if first.is_word("DELETE") {
            self.delete()?
        } else if first.is_word("MERGE") {
            self.merge()?
        } else if first.is_word("BEGIN")
            || first.is_word("START")
            || first.is_word("COMMIT")
            || first.is_word("ROLLBACK")
        {
            self.transaction()?
        } else if first.kind == TokenKind::Word {
            return Err(error::unsupported(&first.value.to_ascii_uppercase()));
        } else {
            return Err(self.unexpected());
        };
        self.finish()?;
        Ok(statement)
    }

    // ---- cursor -------------------------------------------------------

    pub(crate) fn peek(&self) -> Option<&'a Token> {
        self.tokens.get(self.pos)
    }

    pub(crate) fn peek_at(&self, n: usize) -> Option<&'a Token> {
        self.tokens.get(self.pos + n)
    }

    pub(crate) fn at_end(&self) -> bool {
        self.pos >= self.tokens.len()
    }

    pub(crate) fn advance(&mut self) -> Option<&'a Token> {
        let token = self.tokens.get(self.pos);
        if token.is_some() {
            self.pos += 1;
        }
        token
    }

    pub(crate) fn peek_word(&self, word: &str) -> bool {
        self.peek().is_some_and(|t| t.is_word(word))
    }

    pub(crate) fn peek_words(&self, words: &[&str]) -> bool {
        words
            .iter()
            .enumerate()
            .all(|(i, w)| self.peek_at(i).is_some_and(|t| t.is_word(w)))
    }

    pub(crate) fn eat_word(&mut self, word: &str) -> bool {
        let hit = self.peek_word(word);
        if hit {
            self.pos += 1;
        }
        hit
    }

    pub(crate) fn eat_words(&mut self, words: &[&str]) -> bool {
        let hit = self.peek_words(words);
        if hit {
            self.pos += words.len();
        }
        hit
    }

    pub(crate) fn expect_word(&mut self, word: &str) -> Result<(), SqlError> {
        if self.eat_word(word) {
            Ok(())
        } else {
            Err(self.unexpected())
        }
    }

    pub(crate) fn peek_symbol(&self, symbol: &str) -> bool {
        self.peek().is_some_and(|t| t.is_symbol(symbol))
    }

    pub(crate) fn eat_symbol(&mut self, symbol: &str) -> bool {
        let hit = self.peek_symbol(symbol);
        if hit {
            self.pos += 1;
        }
        hit
    }

    pub(crate) fn expect_symbol(&mut self, symbol: &str) -> Result<(), SqlError> {
        if self.eat_symbol(symbol) {
            Ok(())
        } else {
            Err(self.unexpected())
        }
    }

    /// Snowflake's syntax error at the current token (or at the end).
    pub(crate) fn unexpected(&self) -> SqlError {
        match self.peek() {
            Some(token) => error::syntax(token.line, token.column, &token.display()),
            None => {
                let (line, column) = self.end_position();
                error::syntax(line, column, "<EOF>")
            }
        }
    }

    fn end_position(&self) -> (usize, usize) {
        let before = &self.src[..self.end];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        (line, before[line_start..].chars().count())
    }

    pub(crate) fn finish(&self) -> Result<(), SqlError> {
        if self.at_end() {
            Ok(())
        } else {
            Err(self.unexpected())
        }
    }

    // ---- building blocks ------------------------------------------------

    /// One identifier part, resolved.
    pub(crate) fn ident(&mut self) -> Result<Ident, SqlError> {
        let token = self.peek().ok_or_else(|| self.unexpected())?;
        let ident = match token.kind {
            TokenKind::Word => Ident::parse(&token.value).ok(),
            TokenKind::QuotedIdent if !token.value.is_empty() => (token.value.chars().count()
                <= 255)
                .then(|| Ident::from_resolved(token.value.clone())),
            _ => None,
        };
        let ident = ident.ok_or_else(|| self.unexpected())?;
        self.pos += 1;
        Ok(ident)
    }

    /// A name of one to three dotted parts.
    pub(crate) fn name(&mut self) -> Result<Name, SqlError> {
        let mut parts = vec![self.ident()?];
        while self.peek_symbol(".") {
            if parts.len() == 3 {
                return Err(self.unexpected());
            }
            self.pos += 1;
            parts.push(self.ident()?);
        }
        Ok(Name { parts })
    }

    /// A comma-separated list of names.
    pub(crate) fn name_list(&mut self) -> Result<Vec<Name>, SqlError> {
        let mut names = vec![self.name()?];
        while self.eat_symbol(",") {
            names.push(self.name()?);
        }
        Ok(names)
    }

    /// A `'...'` or `$$...$$` string.
    pub(crate) fn string(&mut self) -> Result<String, SqlError> {
        match self.peek() {
            Some(t) if matches!(t.kind, TokenKind::String | TokenKind::DollarString) => {
                self.pos += 1;
                Ok(t.value.clone())
            }
            _ => Err(self.unexpected()),
        }
    }

    /// A non-negative integer literal.
    pub(crate) fn unsigned(&mut self) -> Result<u64, SqlError> {
        match self.peek() {
            Some(t) if t.kind == TokenKind::Number => {
                let n = t
                    .value
                    .parse::<u64>()
                    .map_err(|_| error::invalid_value("LIMIT", &t.value))?;
                self.pos += 1;
                Ok(n)
            }
            _ => Err(self.unexpected()),
        }
    }

    /// A property value: string, number (optionally signed), NULL or name.
    pub(crate) fn value(&mut self) -> Result<Value, SqlError> {
        let token = self.peek().ok_or_else(|| self.unexpected())?;
        match token.kind {
            TokenKind::String | TokenKind::DollarString => {
                self.pos += 1;
                Ok(Value::Str(token.value.clone()))
            }
            TokenKind::Number => {
                self.pos += 1;
                Ok(Value::Number(token.value.clone()))
            }
            TokenKind::Symbol if token.value == "-" || token.value == "+" => {
                match self.peek_at(1) {
                    Some(n) if n.kind == TokenKind::Number => {
                        self.pos += 2;
                        Ok(Value::Number(format!("{}{}", token.value, n.value)))
                    }
                    _ => {
                        self.pos += 1;
                        Err(self.unexpected())
                    }
                }
            }
            TokenKind::Word if token.is_word("NULL") => {
                self.pos += 1;
                Ok(Value::Null)
            }
            TokenKind::Word | TokenKind::QuotedIdent => Ok(Value::Name(self.name()?)),
            _ => Err(self.unexpected()),
        }
    }

    /// `KEY = value` where KEY is one of `known` (any word when `known` is empty).
    pub(crate) fn prop(&mut self, known: &[&str]) -> Result<Prop, SqlError> {
        let token = self.peek().ok_or_else(|| self.unexpected())?;
        let key = token.value.to_ascii_uppercase();
        if token.kind != TokenKind::Word || (!known.is_empty() && !known.contains(&key.as_str())) {
            return Err(self.unexpected());
        }
        self.pos += 1;
        self.expect_symbol("=")?;
        let value = self.value()?;
        Ok(Prop { key, value })
    }

    /// True when the next tokens are `WORD =`.
    pub(crate) fn at_prop(&self) -> bool {
        self.peek().is_some_and(|t| t.kind == TokenKind::Word)
            && self.peek_at(1).is_some_and(|t| t.is_symbol("="))
    }

    /// `( tag = 'value', ... )` after TAG.
    pub(crate) fn tag_list(&mut self) -> Result<Vec<TagAssign>, SqlError> {
        self.expect_symbol("(")?;
        let mut tags = Vec::new();
        loop {
            tags.push(self.tag_assign()?);
            if !self.eat_symbol(",") {
                break;
            }
        }
        self.expect_symbol(")")?;
        Ok(tags)
    }

    /// `tag = 'value'`.
    pub(crate) fn tag_assign(&mut self) -> Result<TagAssign, SqlError> {
        let tag = self.name()?;
        self.expect_symbol("=")?;
        let value = self.string()?;
        Ok(TagAssign { tag, value })
    }

    /// `[WITH] TAG (...)` when present at the cursor.
    pub(crate) fn maybe_tags(&mut self) -> Result<Option<Vec<TagAssign>>, SqlError> {
        if self.peek_words(&["WITH", "TAG"]) {
            self.pos += 2;
        } else if self.peek_word("TAG") && self.peek_at(1).is_some_and(|t| t.is_symbol("(")) {
            self.pos += 1;
        } else {
            return Ok(None);
        }
        self.tag_list().map(Some)
    }

    /// The source text from the current token to the statement's end; all
    /// remaining tokens are consumed. An empty rest is a syntax error.
    pub(crate) fn rest_text(&mut self) -> Result<String, SqlError> {
        let first = self.peek().ok_or_else(|| self.unexpected())?;
        let text = self.src[first.start..self.end].to_string();
        self.pos = self.tokens.len();
        Ok(text)
    }

    /// The verbatim source of tokens `from..to` (indices into this statement).
    pub(crate) fn text_between(&self, from: usize, to: usize) -> String {
        if from >= to {
            return String::new();
        }
        self.src[self.tokens[from].start..self.tokens[to - 1].end].to_string()
    }

    /// Advances over tokens until `stop` holds at parenthesis depth 0 (or
    /// the end); returns the index where it stopped.
    pub(crate) fn skip_until(&mut self, stop: impl Fn(&Token) -> bool) -> Result<usize, SqlError> {
        let mut depth = 0usize;
        while let Some(token) = self.peek() {
            if depth == 0 && stop(token) {
                break;
            }
            if token.is_symbol("(") {
                depth += 1;
            } else if token.is_symbol(")") {
                if depth == 0 {
                    return Err(self.unexpected());
                }
                depth -= 1;
            }
            self.pos += 1;
        }
        Ok(self.pos)
    }

    /// The tokens of this statement from index `from` to the end.
    pub(crate) fn tokens_from(&self, from: usize) -> &'a [Token] {
        &self.tokens[from.min(self.tokens.len())..]
    }

    pub(crate) fn position(&self) -> usize {
        self.pos
    }

    pub(crate) fn rewind(&mut self, to: usize) {
        self.pos = to;
    }
}

/// Parses a name given as a string argument (`'DB.S.X'`), as Snowflake does
/// for SYSTEM$GET_TAG and TAG_REFERENCES.
pub fn parse_name(text: &str) -> Result<Name, SqlError> {
    let tokens = lexer::tokenize(text)?;
    let mut parser = Parser::new(text, &tokens, text.len());
    let name = parser.name()?;
    parser.finish()?;
    Ok(name)
}
