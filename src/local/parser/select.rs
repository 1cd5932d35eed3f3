//! The SELECT forms floe sends (task graph enable, tag lookups) and INSERT
//! into seed tables. Any other SELECT is outside the emulated subset.

use super::Parser;
use crate::local::ast::{SelectItem, SelectValue, Statement, TagReferencesQuery};
use crate::local::error::{self, SqlError};
use crate::local::lexer::TokenKind;

/// Context functions a FROM-less SELECT may call.
const CONTEXT_FUNCTIONS: &[&str] = &[
    "CURRENT_DATABASE",
    "CURRENT_SCHEMA",
    "CURRENT_WAREHOUSE",
    "CURRENT_ROLE",
    "CURRENT_VERSION",
    "CURRENT_ACCOUNT",
];

const TAG_REFERENCE_COLUMNS: &[&str] = &[
    "TAG_DATABASE",
    "TAG_SCHEMA",
    "TAG_NAME",
    "TAG_VALUE",
    "LEVEL",
    "OBJECT_DATABASE",
    "OBJECT_SCHEMA",
    "OBJECT_NAME",
    "DOMAIN",
    "COLUMN_NAME",
];

impl Parser<'_> {
    pub(super) fn select(&mut self) -> Result<Statement, SqlError> {
        self.expect_word("SELECT")?;
        if self.peek_word("SYSTEM$TASK_DEPENDENTS_ENABLE") {
            let (column, args) = self.function_call(1)?;
            return Ok(Statement::TaskDependentsEnable {
                column,
                task: args[0].clone(),
            });
        }
        if self.peek_word("SYSTEM$GET_TAG") {
            let (column, args) = self.function_call(3)?;
            return Ok(Statement::GetTag {
                column,
                tag: args[0].clone(),
                object: args[1].clone(),
                domain: args[2].clone(),
            });
        }
        if let Some(items) = self.select_values()? {
            return Ok(Statement::SelectValues(items));
        }
        self.tag_references()
    }

    /// Literals and context functions without FROM; `None` (nothing
    /// consumed) when the select list is something else.
    fn select_values(&mut self) -> Result<Option<Vec<SelectItem>>, SqlError> {
        let start = self.position();
        let mut items = Vec::new();
        loop {
            let from = self.position();
            let value = match self.peek() {
                Some(t) if t.kind == TokenKind::Number => {
                    self.advance();
                    SelectValue::Literal(t.value.clone())
                }
                Some(t) if t.kind == TokenKind::String => {
                    self.advance();
                    SelectValue::Literal(t.value.clone())
                }
                Some(t)
                    if CONTEXT_FUNCTIONS.iter().any(|f| t.is_word(f))
                        && self.peek_at(1).is_some_and(|p| p.is_symbol("("))
                        && self.peek_at(2).is_some_and(|p| p.is_symbol(")")) =>
                {
                    self.advance();
                    self.advance();
                    self.advance();
                    SelectValue::Context(t.value.to_ascii_uppercase())
                }
                _ => {
                    self.rewind(start);
                    return Ok(None);
                }
            };
            let mut column = self
                .text_between(from, self.position())
                .to_ascii_uppercase();
            if self.eat_word("AS")
                || self
                    .peek()
                    .is_some_and(|t| t.kind == TokenKind::Word || t.kind == TokenKind::QuotedIdent)
            {
                column = self.ident()?.as_str().to_string();
            }
            items.push(SelectItem { column, value });
            if !self.eat_symbol(",") {
                break;
            }
        }
        if !self.at_end() {
            self.rewind(start);
            return Ok(None);
        }
        Ok(Some(items))
    }

    /// `NAME('a', ...) [[AS] alias]` with exactly `arity` string arguments;
    /// returns the result column's name and the arguments.
    fn function_call(&mut self, arity: usize) -> Result<(String, Vec<String>), SqlError> {
        let from = self.position();
        self.advance();
        self.expect_symbol("(")?;
        let mut args = vec![self.string()?];
        while self.eat_symbol(",") {
            args.push(self.string()?);
        }
        if args.len() != arity {
            return Err(self.unexpected());
        }
        self.expect_symbol(")")?;
        let mut column = self
            .text_between(from, self.position())
            .to_ascii_uppercase();
        if self.eat_word("AS") || self.peek().is_some_and(|t| t.kind != TokenKind::Symbol) {
            column = self.ident()?.as_str().to_string();
        }
        Ok((column, args))
    }

    fn tag_references(&mut self) -> Result<Statement, SqlError> {
        let columns = self.projection()?;
        self.expect_word("FROM")?;
        if !self.eat_word("TABLE") {
            return Err(error::unsupported("SELECT"));
        }
        self.expect_symbol("(")?;
        let function = self.name()?;
        let (database, rest) = match function.parts.as_slice() {
            [db, schema, f] => (Some(db.clone()), [schema, f]),
            [schema, f] => (None, [schema, f]),
            _ => return Err(error::unsupported("SELECT")),
        };
        if rest[0].as_str() != "INFORMATION_SCHEMA" || rest[1].as_str() != "TAG_REFERENCES" {
            return Err(error::unsupported("SELECT"));
        }
        self.expect_symbol("(")?;
        let object = self.string()?;
        self.expect_symbol(",")?;
        let domain = self.string()?;
        self.expect_symbol(")")?;
        self.expect_symbol(")")?;
        if self.eat_word("AS")
            || self
                .peek()
                .is_some_and(|t| t.kind == TokenKind::Word && !t.is_word("WHERE"))
        {
            self.ident()?;
        }
        let filters = self.filters()?;
        Ok(Statement::TagReferences(TagReferencesQuery {
            database,
            object,
            domain,
            columns,
            filters,
        }))
    }

    fn projection(&mut self) -> Result<Vec<String>, SqlError> {
        if self.eat_symbol("*") {
            return Ok(Vec::new());
        }
        let mut columns = Vec::new();
        loop {
            let column = self.tag_reference_column()?;
            columns.push(column);
            if !self.eat_symbol(",") {
                break;
            }
        }
        Ok(columns)
    }

    fn tag_reference_column(&mut self) -> Result<String, SqlError> {
        let ident = self.ident();
        match ident {
            Ok(ident)
                if TAG_REFERENCE_COLUMNS
                    .contains(&ident.as_str().to_ascii_uppercase().as_str()) =>
            {
                Ok(ident.as_str().to_ascii_uppercase())
            }
            Ok(_) => Err(error::unsupported("SELECT")),
            Err(_) => Err(error::unsupported("SELECT")),
        }
    }

    fn filters(&mut self) -> Result<Vec<(String, String)>, SqlError> {
        let mut filters = Vec::new();
        if !self.eat_word("WHERE") {
            return Ok(filters);
        }
        loop {
            let column = self.tag_reference_column()?;
            self.expect_symbol("=")?;
            let value = self.string()?;
            filters.push((column, value));
            if !self.eat_word("AND") {
                break;
            }
        }
        Ok(filters)
    }

    pub(super) fn insert(&mut self) -> Result<Statement, SqlError> {
        self.expect_word("INSERT")?;
        self.eat_word("OVERWRITE");
        self.expect_word("INTO")?;
        let table = self.name()?;
        if self.eat_symbol("(") {
            self.skip_until(|t| t.is_symbol(")"))?;
            self.expect_symbol(")")?;
        }
        let mut rows = 0;
        if self.eat_word("VALUES") {
            loop {
                self.expect_symbol("(")?;
                self.skip_until(|t| t.is_symbol(")"))?;
                self.expect_symbol(")")?;
                rows += 1;
                if !self.eat_symbol(",") {
                    break;
                }
            }
        } else if self.peek_word("SELECT") || self.peek_word("WITH") {
            self.rest_text()?;
        } else {
            return Err(self.unexpected());
        }
        Ok(Statement::Insert { table, rows })
    }
}
