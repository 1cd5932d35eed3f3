//! CREATE statements: the clause grammar of every kind the account stores.

use super::Parser;
use crate::local::ast::{
    ColumnSpec, Create, CreateBody, CreateMode, ObjectType, Prop, Statement, VersionSource,
};
use crate::local::error::{self, SqlError};
use crate::local::lexer::{Token, TokenKind};

/// Warehouse properties Snowflake accepts in CREATE / ALTER WAREHOUSE.
pub(crate) const WAREHOUSE_PROPS: &[&str] = &[
    "WAREHOUSE_TYPE",
    "WAREHOUSE_SIZE",
    "GENERATION",
    "RESOURCE_CONSTRAINT",
    "MAX_CLUSTER_COUNT",
    "MIN_CLUSTER_COUNT",
    "SCALING_POLICY",
    "AUTO_SUSPEND",
    "AUTO_RESUME",
    "INITIALLY_SUSPENDED",
    "RESOURCE_MONITOR",
    "COMMENT",
    "ENABLE_QUERY_ACCELERATION",
    "QUERY_ACCELERATION_MAX_SCALE_FACTOR",
    "MAX_CONCURRENCY_LEVEL",
    "STATEMENT_QUEUED_TIMEOUT_IN_SECONDS",
    "STATEMENT_TIMEOUT_IN_SECONDS",
    "WAIT_FOR_COMPLETION",
];

/// Dynamic table properties (besides CLUSTER BY and TAG).
pub(crate) const DYNAMIC_TABLE_PROPS: &[&str] = &[
    "TARGET_LAG",
    "WAREHOUSE",
    "INITIALIZATION_WAREHOUSE",
    "REFRESH_MODE",
    "INITIALIZE",
    "DATA_RETENTION_TIME_IN_DAYS",
    "MAX_DATA_EXTENSION_TIME_IN_DAYS",
    "COMMENT",
    "SCHEDULER",
];

/// Properties of databases, schemas, tables and views besides COMMENT.
const CONTAINER_PROPS: &[&str] = &[
    "COMMENT",
    "DATA_RETENTION_TIME_IN_DAYS",
    "MAX_DATA_EXTENSION_TIME_IN_DAYS",
    "DEFAULT_DDL_COLLATION",
    "CHANGE_TRACKING",
    "ENABLE_SCHEMA_EVOLUTION",
    "LOG_LEVEL",
    "TRACE_LEVEL",
];

impl Parser<'_> {
    pub(super) fn create(&mut self) -> Result<Statement, SqlError> {
        self.expect_word("CREATE")?;
        let mut mode = CreateMode::default();
        if self.eat_words(&["OR", "ALTER"]) {
            return Err(error::unsupported("CREATE OR ALTER"));
        }
        mode.or_replace = self.eat_words(&["OR", "REPLACE"]);
        let secure = self.eat_word("SECURE");
        let _transient = self.eat_word("TRANSIENT");
        let kind = self.create_kind()?;
        if secure && kind != ObjectType::View {
            return Err(self.unexpected());
        }
        mode.if_not_exists = self.eat_words(&["IF", "NOT", "EXISTS"]);
        if mode.or_replace && mode.if_not_exists {
            return Err(error::invalid(
                "OR REPLACE and IF NOT EXISTS are incompatible.",
            ));
        }
        let name = self.name()?;
        let body = match kind {
            ObjectType::Database | ObjectType::Schema => self.container_body()?,
            ObjectType::Warehouse => self.warehouse_body()?,
            ObjectType::Tag => self.tag_body()?,
            ObjectType::Table => self.table_body()?,
            ObjectType::View => self.view_body(secure)?,
            ObjectType::DynamicTable => self.dynamic_table_body()?,
            ObjectType::Task => self.task_body()?,
            ObjectType::Model => self.model_body()?,
        };
        Ok(Statement::Create(Create {
            kind,
            mode,
            name,
            body,
            text: String::new(),
        }))
    }

    fn create_kind(&mut self) -> Result<ObjectType, SqlError> {
        let kind = self.object_kind()?;
        match kind {
            Some(kind) => Ok(kind),
            None => match self.peek() {
                Some(t) if t.kind == TokenKind::Word => Err(error::unsupported(&format!(
                    "CREATE {}",
                    t.value.to_ascii_uppercase()
                ))),
                _ => Err(self.unexpected()),
            },
        }
    }

    /// Reads a kind keyword (`DYNAMIC TABLE` is two words); `None` when the
    /// next word names no stored kind (nothing is consumed then).
    pub(crate) fn object_kind(&mut self) -> Result<Option<ObjectType>, SqlError> {
        if self.peek_words(&["DYNAMIC", "ICEBERG"]) {
            return Err(error::unsupported("DYNAMIC ICEBERG TABLE"));
        }
        if self.eat_words(&["DYNAMIC", "TABLE"]) {
            return Ok(Some(ObjectType::DynamicTable));
        }
        let kinds = [
            ("DATABASE", ObjectType::Database),
            ("SCHEMA", ObjectType::Schema),
            ("WAREHOUSE", ObjectType::Warehouse),
            ("TAG", ObjectType::Tag),
            ("TABLE", ObjectType::Table),
            ("VIEW", ObjectType::View),
            ("TASK", ObjectType::Task),
            ("MODEL", ObjectType::Model),
        ];
        for (word, kind) in kinds {
            if self.eat_word(word) {
                return Ok(Some(kind));
            }
        }
        Ok(None)
    }

    fn container_body(&mut self) -> Result<CreateBody, SqlError> {
        let mut comment = None;
        let mut tags = Vec::new();
        while !self.at_end() {
            if let Some(t) = self.maybe_tags()? {
                tags.extend(t);
            } else if self.eat_words(&["WITH", "MANAGED", "ACCESS"]) {
            } else {
                let prop = self.prop(CONTAINER_PROPS)?;
                if prop.key == "COMMENT" {
                    comment = Some(string_value(&prop)?);
                }
            }
        }
        Ok(CreateBody::Container { comment, tags })
    }

    fn warehouse_body(&mut self) -> Result<CreateBody, SqlError> {
        let mut props = Vec::new();
        let mut tags = Vec::new();
        self.eat_word("WITH");
        while !self.at_end() {
            if let Some(t) = self.maybe_tags()? {
                tags.extend(t);
            } else {
                props.push(self.prop(WAREHOUSE_PROPS)?);
                self.eat_symbol(",");
            }
        }
        Ok(CreateBody::Warehouse { props, tags })
    }

    fn tag_body(&mut self) -> Result<CreateBody, SqlError> {
        let mut allowed_values = None;
        let mut comment = None;
        while !self.at_end() {
            if self.eat_word("ALLOWED_VALUES") {
                let mut values = vec![self.string()?];
                while self.eat_symbol(",") {
                    values.push(self.string()?);
                }
                allowed_values = Some(values);
            } else {
                let prop = self.prop(&["COMMENT", "PROPAGATE", "ON_CONFLICT"])?;
                if prop.key == "COMMENT" {
                    comment = Some(string_value(&prop)?);
                }
            }
        }
        Ok(CreateBody::Tag {
            allowed_values,
            comment,
        })
    }

    fn table_body(&mut self) -> Result<CreateBody, SqlError> {
        let mut columns = Vec::new();
        if self.eat_symbol("(") {
            columns = self.column_definitions()?;
        }
        let (mut props, mut cluster_by, mut tags) = (Vec::new(), Vec::new(), Vec::new());
        let mut query = None;
        while !self.at_end() {
            if let Some(t) = self.maybe_tags()? {
                tags.extend(t);
            } else if self.eat_words(&["CLUSTER", "BY"]) {
                cluster_by = self.cluster_by()?;
            } else if self.eat_words(&["COPY", "GRANTS"]) {
            } else if self.eat_word("AS") {
                query = Some(self.query()?);
            } else {
                props.push(self.prop(CONTAINER_PROPS)?);
            }
        }
        if columns.is_empty() && query.is_none() {
            return Err(self.unexpected());
        }
        Ok(CreateBody::Table {
            columns,
            props,
            cluster_by,
            tags,
            query,
        })
    }

    fn view_body(&mut self, secure: bool) -> Result<CreateBody, SqlError> {
        let columns = self.maybe_column_list()?;
        let (mut comment, mut tags) = (None, Vec::new());
        loop {
            if let Some(t) = self.maybe_tags()? {
                tags.extend(t);
            } else if self.eat_words(&["COPY", "GRANTS"]) {
            } else if self.eat_word("AS") {
                break;
            } else {
                let prop = self.prop(&["COMMENT", "CHANGE_TRACKING"])?;
                if prop.key == "COMMENT" {
                    comment = Some(string_value(&prop)?);
                }
            }
        }
        let query = self.query()?;
        Ok(CreateBody::View {
            secure,
            columns,
            comment,
            tags,
            query,
        })
    }

    fn dynamic_table_body(&mut self) -> Result<CreateBody, SqlError> {
        let columns = self.maybe_column_list()?;
        let (mut props, mut cluster_by, mut tags) = (Vec::new(), Vec::new(), Vec::new());
        loop {
            if let Some(t) = self.maybe_tags()? {
                tags.extend(t);
            } else if self.eat_words(&["CLUSTER", "BY"]) {
                cluster_by = self.cluster_by()?;
            } else if self.eat_words(&["COPY", "GRANTS"]) {
            } else if self.eat_word("AS") {
                break;
            } else {
                props.push(self.prop(DYNAMIC_TABLE_PROPS)?);
            }
        }
        let query = self.query()?;
        Ok(CreateBody::DynamicTable {
            columns,
            props,
            cluster_by,
            tags,
            query,
        })
    }

    fn task_body(&mut self) -> Result<CreateBody, SqlError> {
        let (mut props, mut tags, mut after) = (Vec::new(), Vec::new(), Vec::new());
        let mut condition = None;
        loop {
            if let Some(t) = self.maybe_tags()? {
                tags.extend(t);
            } else if self.eat_words(&["WITH", "CONTACT"]) {
                self.expect_symbol("(")?;
                self.skip_until(|t| t.is_symbol(")"))?;
                self.expect_symbol(")")?;
            } else if self.eat_word("AFTER") {
                after = self.name_list()?;
            } else if self.eat_word("WHEN") {
                let from = self.position();
                let to = self.skip_until(|t| t.is_word("AS"))?;
                if from == to {
                    return Err(self.unexpected());
                }
                condition = Some(self.text_between(from, to));
            } else if self.eat_word("AS") {
                break;
            } else if self.at_prop() {
                props.push(self.prop(&[])?);
                self.eat_symbol(",");
            } else {
                return Err(self.unexpected());
            }
        }
        let definition = self.rest_text()?;
        Ok(CreateBody::Task {
            props,
            tags,
            after,
            condition,
            definition,
        })
    }

    fn model_body(&mut self) -> Result<CreateBody, SqlError> {
        self.expect_word("WITH")?;
        self.expect_word("VERSION")?;
        let version = self.ident()?;
        let source = self.version_source()?;
        Ok(CreateBody::Model { version, source })
    }

    /// `FROM @stage/path | FROM '@stage/path' | FROM MODEL m [VERSION v]`.
    pub(crate) fn version_source(&mut self) -> Result<VersionSource, SqlError> {
        self.expect_word("FROM")?;
        if self.eat_word("MODEL") {
            let model = self.name()?;
            let version = if self.eat_word("VERSION") {
                Some(self.ident()?)
            } else {
                None
            };
            return Ok(VersionSource::Model { model, version });
        }
        match self.peek() {
            Some(t) if t.kind == TokenKind::Stage => {
                self.advance();
                Ok(VersionSource::Stage(t.value.clone()))
            }
            Some(t) if t.kind == TokenKind::String && t.value.starts_with('@') => {
                self.advance();
                Ok(VersionSource::Stage(t.value.clone()))
            }
            _ => Err(self.unexpected()),
        }
    }

    /// `( expr, ... )` after CLUSTER BY; each expression as written, with
    /// bare identifiers resolved (`ds` → `DS`).
    pub(crate) fn cluster_by(&mut self) -> Result<Vec<String>, SqlError> {
        self.expect_symbol("(")?;
        let mut exprs = Vec::new();
        loop {
            let from = self.position();
            let to = self.skip_until(|t| t.is_symbol(",") || t.is_symbol(")"))?;
            if from == to {
                return Err(self.unexpected());
            }
            exprs.push(self.cluster_expr(from, to));
            if !self.eat_symbol(",") {
                break;
            }
        }
        self.expect_symbol(")")?;
        Ok(exprs)
    }

    fn cluster_expr(&self, from: usize, to: usize) -> String {
        let tokens = &self.tokens_from(from)[..to - from];
        if let [single] = tokens {
            match single.kind {
                TokenKind::Word => return single.value.to_ascii_uppercase(),
                TokenKind::QuotedIdent => {
                    return crate::ident::Ident::from_resolved(single.value.clone()).to_sql();
                }
                _ => {}
            }
        }
        self.text_between(from, to)
    }

    /// An optional `( name [type] [COMMENT '...'], ... )` list of a view or
    /// dynamic table.
    fn maybe_column_list(&mut self) -> Result<Vec<ColumnSpec>, SqlError> {
        if !self.eat_symbol("(") {
            return Ok(Vec::new());
        }
        let mut columns = Vec::new();
        loop {
            let name = self.ident()?;
            let from = self.position();
            let to = self.skip_until(|t| {
                t.is_symbol(",") || t.is_symbol(")") || t.is_word("COMMENT") || t.is_word("WITH")
            })?;
            let data_type = (to > from).then(|| self.text_between(from, to));
            let mut comment = None;
            loop {
                if self.eat_word("COMMENT") {
                    comment = Some(self.string()?);
                } else if self.peek_word("WITH") {
                    self.skip_until(|t| t.is_symbol(",") || t.is_symbol(")"))?;
                } else {
                    break;
                }
            }
            columns.push(ColumnSpec {
                name,
                data_type,
                comment,
                not_null: false,
                default: None,
            });
            if !self.eat_symbol(",") {
                break;
            }
        }
        self.expect_symbol(")")?;
        Ok(columns)
    }

    /// The element list of CREATE TABLE after its `(`.
    fn column_definitions(&mut self) -> Result<Vec<ColumnSpec>, SqlError> {
        let mut columns = Vec::new();
        loop {
            let constraint = ["CONSTRAINT", "PRIMARY", "UNIQUE", "FOREIGN"]
                .iter()
                .any(|w| self.peek_word(w));
            if constraint {
                self.skip_until(|t| t.is_symbol(",") || t.is_symbol(")"))?;
            } else {
                columns.push(self.column_definition()?);
            }
            if !self.eat_symbol(",") {
                break;
            }
        }
        self.expect_symbol(")")?;
        if columns.is_empty() {
            return Err(self.unexpected());
        }
        Ok(columns)
    }

    fn column_definition(&mut self) -> Result<ColumnSpec, SqlError> {
        let name = self.ident()?;
        let from = self.position();
        let to = self.skip_until(|t| is_column_end(t) || is_constraint_word(t))?;
        if to == from {
            return Err(self.unexpected());
        }
        let data_type = Some(self.text_between(from, to));
        let mut spec = ColumnSpec {
            name,
            data_type,
            comment: None,
            not_null: false,
            default: None,
        };
        while !self.peek().is_none_or(is_column_end) {
            if self.eat_words(&["NOT", "NULL"]) {
                spec.not_null = true;
            } else if self.eat_word("DEFAULT") {
                let from = self.position();
                let to = self.skip_until(|t| is_column_end(t) || is_constraint_word(t))?;
                spec.default = Some(self.text_between(from, to));
            } else if self.eat_word("COMMENT") {
                spec.comment = Some(self.string()?);
            } else {
                self.advance();
                self.skip_until(|t| is_column_end(t) || is_constraint_word(t))?;
            }
        }
        Ok(spec)
    }
}

fn is_column_end(t: &Token) -> bool {
    t.is_symbol(",") || t.is_symbol(")")
}

fn is_constraint_word(t: &Token) -> bool {
    [
        "NOT",
        "NULL",
        "DEFAULT",
        "COMMENT",
        "PRIMARY",
        "UNIQUE",
        "REFERENCES",
        "COLLATE",
    ]
    .iter()
    .any(|w| t.is_word(w))
        || [
            "CONSTRAINT",
            "AUTOINCREMENT",
            "IDENTITY",
            "WITH",
            "MASKING",
            "TAG",
        ]
        .iter()
        .any(|w| t.is_word(w))
}

/// The string of a `COMMENT = '...'`-like property.
pub(crate) fn string_value(prop: &Prop) -> Result<String, SqlError> {
    match &prop.value {
        crate::local::ast::Value::Str(s) => Ok(s.clone()),
        other => Err(error::invalid_value(&prop.key, &other.written())),
    }
}
