//! The SELECT forms floe sends (task graph enable, tag lookups), the DML
//! statements (INSERT, UPDATE, DELETE, MERGE: the table named, the text
//! kept for the evaluator) and the transaction statements.

use super::Parser;
use crate::ident::Ident;
use crate::local::ast::{
    ModelVersionsQuery, Name, ObjectType, SelectItem, SelectValue, Statement, TagReferencesQuery,
    TransactionControl,
};
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

/// The columns of `INFORMATION_SCHEMA.MODEL_VERSIONS`, in Snowflake's order.
pub(crate) const MODEL_VERSION_COLUMNS: &[&str] = &[
    "DATABASE_NAME",
    "SCHEMA_NAME",
    "MODEL_NAME",
    "MODEL_VERSION_NAME",
    "VERSION_ALIASES",
    "COMMENT",
    "OWNER",
    "CREATED",
    "LAST_ALTERED",
    "FUNCTIONS",
    "MODEL_TYPE",
    "PYTHON_VERSION",
    "LANGUAGE",
    "DEPENDENCIES",
    "METADATA",
    "USERDATA",
];

/// Any column outside `known` is outside the emulated subset.
fn check_columns(columns: &[String], known: &[&str]) -> Result<(), SqlError> {
    match columns.iter().all(|c| known.contains(&c.as_str())) {
        true => Ok(()),
        false => Err(error::unsupported("SELECT")),
    }
}

/// The database of `[<db>.]INFORMATION_SCHEMA.<object>`; anything else is unsupported.
fn information_schema_database(name: &Name, object: &str) -> Result<Option<Ident>, SqlError> {
    let (database, rest) = match name.parts.as_slice() {
        [db, schema, o] => (Some(db.clone()), [schema, o]),
        [schema, o] => (None, [schema, o]),
        _ => return Err(error::unsupported("SELECT")),
    };
    if rest[0].as_str() != "INFORMATION_SCHEMA" || rest[1].as_str() != object {
        return Err(error::unsupported("SELECT"));
    }
    Ok(database)
}

impl Parser<'_> {
    /// A SELECT: one of the forms floe sends (parsed here), any other
    /// query kept as text for the evaluator.
    pub(super) fn select(&mut self) -> Result<Statement, SqlError> {
        let start = self.position();
        match self.select_form() {
            Ok(statement) if self.at_end() => Ok(statement),
            _ => {
                self.rewind(start);
                Ok(Statement::Select {
                    text: self.rest_text()?,
                })
            }
        }
    }

    /// `DESC[RIBE] TABLE | VIEW | DYNAMIC TABLE name`.
    pub(super) fn describe(&mut self) -> Result<Statement, SqlError> {
        if !self.eat_word("DESC") {
            self.expect_word("DESCRIBE")?;
        }
        let kind = if self.eat_word("VIEW") {
            ObjectType::View
        } else if self.eat_words(&["DYNAMIC", "TABLE"]) {
            ObjectType::DynamicTable
        } else if self.eat_word("TABLE") {
            ObjectType::Table
        } else {
            return match self.peek() {
                Some(t) if t.kind == TokenKind::Word => Err(error::unsupported(&format!(
                    "DESCRIBE {}",
                    t.value.to_ascii_uppercase()
                ))),
                _ => Err(self.unexpected()),
            };
        };
        let name = self.name()?;
        Ok(Statement::Describe { kind, name })
    }

    fn select_form(&mut self) -> Result<Statement, SqlError> {
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
        self.information_schema()
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

    /// `SELECT <columns> FROM ...` over one of the two information-schema
    /// sources floe reads: the TAG_REFERENCES table function or the
    /// MODEL_VERSIONS view.
    fn information_schema(&mut self) -> Result<Statement, SqlError> {
        let columns = self.projection()?;
        let known = |c: &String| {
            TAG_REFERENCE_COLUMNS.contains(&c.as_str())
                || MODEL_VERSION_COLUMNS.contains(&c.as_str())
        };
        if !columns.iter().all(known) {
            return Err(error::unsupported("SELECT"));
        }
        self.expect_word("FROM")?;
        if self.eat_word("TABLE") {
            check_columns(&columns, TAG_REFERENCE_COLUMNS)?;
            return self.tag_references(columns);
        }
        let view = self.name()?;
        let database = information_schema_database(&view, "MODEL_VERSIONS")?;
        check_columns(&columns, MODEL_VERSION_COLUMNS)?;
        self.table_alias()?;
        let filters = self.filters(MODEL_VERSION_COLUMNS)?;
        let order_by = self.order_by(MODEL_VERSION_COLUMNS)?;
        Ok(Statement::ModelVersions(ModelVersionsQuery {
            database,
            columns,
            filters,
            order_by,
        }))
    }

    fn tag_references(&mut self, columns: Vec<String>) -> Result<Statement, SqlError> {
        self.expect_symbol("(")?;
        let function = self.name()?;
        let database = information_schema_database(&function, "TAG_REFERENCES")?;
        self.expect_symbol("(")?;
        let object = self.string()?;
        self.expect_symbol(",")?;
        let domain = self.string()?;
        self.expect_symbol(")")?;
        self.expect_symbol(")")?;
        self.table_alias()?;
        let filters = self.filters(TAG_REFERENCE_COLUMNS)?;
        Ok(Statement::TagReferences(TagReferencesQuery {
            database,
            object,
            domain,
            columns,
            filters,
        }))
    }

    /// An optional `[AS] alias` after a FROM source.
    fn table_alias(&mut self) -> Result<(), SqlError> {
        if self.eat_word("AS")
            || self.peek().is_some_and(|t| {
                t.kind == TokenKind::Word && !t.is_word("WHERE") && !t.is_word("ORDER")
            })
        {
            self.ident()?;
        }
        Ok(())
    }

    /// `*` (empty) or a list of column names, upper-cased.
    fn projection(&mut self) -> Result<Vec<String>, SqlError> {
        if self.eat_symbol("*") {
            return Ok(Vec::new());
        }
        let mut columns = Vec::new();
        loop {
            columns.push(self.column()?);
            if !self.eat_symbol(",") {
                break;
            }
        }
        Ok(columns)
    }

    fn column(&mut self) -> Result<String, SqlError> {
        match self.ident() {
            Ok(ident) => Ok(ident.as_str().to_ascii_uppercase()),
            Err(_) => Err(error::unsupported("SELECT")),
        }
    }

    /// One column of `known`, upper-cased.
    fn known_column(&mut self, known: &[&str]) -> Result<String, SqlError> {
        let column = self.column()?;
        check_columns(std::slice::from_ref(&column), known)?;
        Ok(column)
    }

    fn filters(&mut self, known: &[&str]) -> Result<Vec<(String, String)>, SqlError> {
        let mut filters = Vec::new();
        if !self.eat_word("WHERE") {
            return Ok(filters);
        }
        loop {
            let column = self.known_column(known)?;
            self.expect_symbol("=")?;
            let value = self.string()?;
            filters.push((column, value));
            if !self.eat_word("AND") {
                break;
            }
        }
        Ok(filters)
    }

    fn order_by(&mut self, known: &[&str]) -> Result<Vec<(String, bool)>, SqlError> {
        let mut order = Vec::new();
        if !self.eat_words(&["ORDER", "BY"]) {
            return Ok(order);
        }
        loop {
            let column = self.known_column(known)?;
            let descending = if self.eat_word("DESC") {
                true
            } else {
                self.eat_word("ASC");
                false
            };
            order.push((column, descending));
            if !self.eat_symbol(",") {
                break;
            }
        }
        Ok(order)
    }

    /// `INSERT [OVERWRITE] INTO t ...`: the table, and the whole text for
    /// the evaluator.
    pub(super) fn insert(&mut self) -> Result<Statement, SqlError> {
        let start = self.position();
        self.expect_word("INSERT")?;
        self.eat_word("OVERWRITE");
        self.expect_word("INTO")?;
        let table = self.name()?;
        self.rest_text()?;
        let text = self.text_between(start, self.position());
        Ok(Statement::Insert { table, text })
    }

    /// `UPDATE t ...`: the table, and the whole text for the evaluator.
    pub(super) fn update(&mut self) -> Result<Statement, SqlError> {
        let start = self.position();
        self.expect_word("UPDATE")?;
        let table = self.name()?;
        self.rest_text()?;
        let text = self.text_between(start, self.position());
        Ok(Statement::Update { table, text })
    }

    /// `DELETE FROM t ...`: the table, and the whole text for the evaluator.
    pub(super) fn delete(&mut self) -> Result<Statement, SqlError> {
        let start = self.position();
        self.expect_word("DELETE")?;
        self.expect_word("FROM")?;
        let table = self.name()?;
        if !self.at_end() {
            self.rest_text()?;
        }
        let text = self.text_between(start, self.position());
        Ok(Statement::Delete { table, text })
    }

    /// `MERGE INTO t ...`: the target table, and the whole text for the
    /// evaluator.
    pub(super) fn merge(&mut self) -> Result<Statement, SqlError> {
        let start = self.position();
        self.expect_word("MERGE")?;
        self.expect_word("INTO")?;
        let table = self.name()?;
        self.rest_text()?;
        let text = self.text_between(start, self.position());
        Ok(Statement::Merge { table, text })
    }

    /// `BEGIN [WORK | TRANSACTION] [NAME n]`, `START TRANSACTION [NAME n]`,
    /// `COMMIT [WORK]`, `ROLLBACK [WORK]`.
    pub(super) fn transaction(&mut self) -> Result<Statement, SqlError> {
        let control = if self.eat_word("BEGIN") {
            if !self.eat_word("WORK") {
                self.eat_word("TRANSACTION");
            }
            TransactionControl::Begin
        } else if self.eat_words(&["START", "TRANSACTION"]) {
            TransactionControl::Begin
        } else if self.eat_word("COMMIT") {
            self.eat_word("WORK");
            return Ok(Statement::Transaction(TransactionControl::Commit));
        } else {
            self.expect_word("ROLLBACK")?;
            self.eat_word("WORK");
            return Ok(Statement::Transaction(TransactionControl::Rollback));
        };
        if self.eat_word("NAME") {
            self.ident()?;
        }
        Ok(Statement::Transaction(control))
    }
}
