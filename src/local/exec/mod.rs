//! The executor: Snowflake's rules applied to parsed statements.
//!
//! [`execute`] takes a read-only [`Catalog`], the session's current
//! database/schema/warehouse and one statement, checks every rule Snowflake
//! would check (existence, name conflicts, task graph states, tag allowed
//! values, ...) and returns the result rows plus the [`Change`]s to commit.
//! It never mutates the catalog, so a refused statement changes nothing. It
//! does no I/O; time comes in as a parameter.

mod account;
mod describe;
mod dml;
mod model_versions;
mod models;
mod relations;
mod session;
mod tags;
mod target;
mod tasks;
mod warehouse;

pub(crate) use session::{after_request, check_statement_count, login_state};

use super::ast::{Name, ObjectType, Statement};
use super::catalog::{Catalog, Change, Millis, Namespace, Object, QualifiedName};
use super::error::{self, SqlError};
use super::results::ResultCache;
use super::session::SessionState;
use super::show;
use crate::ident::Ident;
use crate::session::Rows;

/// What a statement produced: its result and the changes to commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The result set.
    pub rows: Rows,
    /// The changes to commit, empty for reads.
    pub changes: Vec<Change>,
}

impl Outcome {
    fn status(message: impl Into<String>, changes: Vec<Change>) -> Self {
        Outcome {
            rows: Rows::status(message),
            changes,
        }
    }

    fn done(changes: Vec<Change>) -> Self {
        Outcome::status("Statement executed successfully.", changes)
    }
}

/// Runs one statement against a read-only catalog, with no earlier results.
pub fn execute(
    catalog: &Catalog,
    session: &mut SessionState,
    statement: &Statement,
    now: Millis,
) -> Result<Outcome, SqlError> {
    execute_with(
        catalog,
        session,
        &ResultCache::default(),
        statement,
        now,
        Mode::Execute,
    )
}

/// Whether a statement runs or is only described.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Run it.
    Execute,
    /// Compile it and answer its result columns without rows; change nothing.
    DescribeOnly,
}

/// Runs one statement against a read-only catalog; RESULT_SCAN reads `results`.
pub fn execute_with(
    catalog: &Catalog,
    session: &mut SessionState,
    results: &ResultCache,
    statement: &Statement,
    now: Millis,
    mode: Mode,
) -> Result<Outcome, SqlError> {
    let describe_only = mode == Mode::DescribeOnly;
    if describe_only && !statement.is_read_only() {
        // Snowflake compiles a described DDL statement without running it.
        return Ok(Outcome {
            rows: Rows {
                rows: Vec::new(),
                ..Rows::status("")
            },
            changes: Vec::new(),
        });
    }
    let mut exec = Exec {
        catalog,
        session,
        results,
        now,
        describe_only,
    };
    let mut outcome = exec.run(statement)?;
    if describe_only {
        outcome.rows.rows.clear();
    }
    Ok(outcome)
}

/// One statement's execution context.
pub(crate) struct Exec<'a> {
    pub(crate) catalog: &'a Catalog,
    pub(crate) session: &'a mut SessionState,
    pub(crate) results: &'a ResultCache,
    pub(crate) now: Millis,
    pub(crate) describe_only: bool,
}

impl Exec<'_> {
    fn run(&mut self, statement: &Statement) -> Result<Outcome, SqlError> {
        match statement {
            Statement::Create(create) => self.create(create),
            Statement::Alter(alter) => self.alter(alter),
            Statement::Drop {
                kind,
                if_exists,
                name,
            } => self.drop(*kind, *if_exists, name),
            Statement::Use { kind, name } => self.use_(*kind, name),
            Statement::CommentOn {
                kind,
                if_exists,
                name,
                comment,
            } => self.comment_on(*kind, *if_exists, name, comment),
            Statement::Show(s) => {
                let rows = show::show(self.catalog, self.session, s)?;
                Ok(Outcome {
                    rows,
                    changes: Vec::new(),
                })
            }
            Statement::TaskDependentsEnable { column, task } => {
                self.task_dependents_enable(column, task)
            }
            Statement::GetTag {
                column,
                tag,
                object,
                domain,
            } => self.get_tag(column, tag, object, domain),
            Statement::TagReferences(q) => self.tag_references(q),
            Statement::ModelVersions(q) => self.model_versions(q),
            Statement::Insert { table, text } => self.insert(table, text),
            Statement::Update { table, text } => self.update(table, text),
            Statement::Delete { table, text } => self.delete(table, text),
            Statement::Merge { table, text } => self.merge(table, text),
            // Transactions are the account's to keep (`crate::local`): a
            // statement reaching the executor runs outside one.
            Statement::Transaction(_) => Ok(Outcome::done(Vec::new())),
            Statement::AlterSession(change) => Ok(self.alter_session(change)),
            Statement::SelectValues(items) => Ok(self.select_values(items)),
            Statement::Select { text } => Ok(Outcome {
                rows: crate::local::select::evaluate(&self.context(), text)?,
                changes: Vec::new(),
            }),
            Statement::Describe { kind, name } => self.describe(*kind, name),
        }
    }

    fn create(&mut self, create: &super::ast::Create) -> Result<Outcome, SqlError> {
        match create.kind {
            ObjectType::Database => self.create_database(create),
            ObjectType::Schema => self.create_schema(create),
            ObjectType::Warehouse => self.create_warehouse(create),
            ObjectType::Tag => self.create_tag(create),
            ObjectType::Table | ObjectType::View | ObjectType::DynamicTable => {
                self.create_relation(create)
            }
            ObjectType::Task => self.create_task(create),
            ObjectType::Model => self.create_model(create),
        }
    }

    fn alter(&mut self, alter: &super::ast::Alter) -> Result<Outcome, SqlError> {
        if let Some(outcome) = self.alter_common(alter)? {
            return Ok(outcome);
        }
        match alter.kind {
            ObjectType::Database | ObjectType::Schema => Err(error::unsupported("ALTER")),
            ObjectType::Warehouse => self.alter_warehouse(alter),
            ObjectType::Tag => self.alter_tag(alter),
            ObjectType::Table | ObjectType::View | ObjectType::DynamicTable => {
                self.alter_relation(alter)
            }
            ObjectType::Task => self.alter_task(alter),
            ObjectType::Model => self.alter_model(alter),
        }
    }

    fn drop(
        &mut self,
        kind: ObjectType,
        if_exists: bool,
        name: &Name,
    ) -> Result<Outcome, SqlError> {
        let found = match self.find(kind, name) {
            Ok(found) => found,
            Err(_) if if_exists => None,
            Err(e) => return Err(e),
        };
        let Some(target) = found else {
            if if_exists {
                return Ok(Outcome::status(
                    format!(
                        "Drop statement executed successfully ({} already dropped).",
                        name.last()
                    ),
                    Vec::new(),
                ));
            }
            return Err(self.missing(kind, name));
        };
        let changes = self.drop_changes(&target)?;
        Ok(Outcome::status(
            format!("{} successfully dropped.", name.last()),
            changes,
        ))
    }

    fn select_values(&self, items: &[super::ast::SelectItem]) -> Outcome {
        use super::ast::SelectValue;
        let value = |v: &SelectValue| match v {
            SelectValue::Literal(text) => Some(text.clone()),
            SelectValue::Context(f) => match f.as_str() {
                "CURRENT_DATABASE" => self.session.database.as_ref().map(|d| d.to_string()),
                "CURRENT_SCHEMA" => self.session.schema.as_ref().map(|s| s.to_string()),
                "CURRENT_WAREHOUSE" => self.session.warehouse.as_ref().map(|w| w.to_string()),
                "CURRENT_ROLE" => Some(
                    self.session
                        .role
                        .as_ref()
                        .map_or_else(|| "ACCOUNTADMIN".to_string(), |r| r.to_string()),
                ),
                "CURRENT_ACCOUNT" => Some("LOCAL".to_string()),
                _ => Some(format!("floe-local {}", env!("CARGO_PKG_VERSION"))),
            },
        };
        Outcome {
            rows: Rows {
                columns: items
                    .iter()
                    .map(|i| {
                        crate::session::Column::new(
                            i.column.clone(),
                            crate::session::ColumnType::Text,
                        )
                    })
                    .collect(),
                rows: vec![items.iter().map(|i| value(&i.value)).collect()],
                query_id: None,
            },
            changes: Vec::new(),
        }
    }

    // ---- names ----------------------------------------------------------

    /// Resolves a schema-object name against the current database and schema.
    pub(crate) fn qualify(&self, name: &Name, action: &str) -> Result<QualifiedName, SqlError> {
        let (database, schema) = match name.parts.as_slice() {
            [_] => (self.current_database(action)?, self.current_schema(action)?),
            [s, _] => (self.current_database(action)?, s.clone()),
            [d, s, _] => (d.clone(), s.clone()),
            _ => return Err(error::object_missing(&name.to_sql())),
        };
        Ok(QualifiedName {
            database,
            schema,
            name: name.last().clone(),
        })
    }

    /// Resolves a schema name (`S` or `DB.S`).
    pub(crate) fn schema_of(&self, name: &Name, action: &str) -> Result<(Ident, Ident), SqlError> {
        match name.parts.as_slice() {
            [s] => Ok((self.current_database(action)?, s.clone())),
            [d, s] => Ok((d.clone(), s.clone())),
            _ => Err(error::schema_missing(&name.to_sql())),
        }
    }

    fn current_database(&self, action: &str) -> Result<Ident, SqlError> {
        self.session
            .database
            .clone()
            .ok_or_else(|| error::no_current("database", action))
    }

    fn current_schema(&self, action: &str) -> Result<Ident, SqlError> {
        self.session
            .schema
            .clone()
            .ok_or_else(|| error::no_current("schema", action))
    }

    /// Errors unless the database and schema exist.
    pub(crate) fn require_schema(&self, database: &Ident, schema: &Ident) -> Result<(), SqlError> {
        if !self.catalog.databases.contains_key(database) {
            return Err(error::database_missing(&database.to_sql()));
        }
        if schema.as_str() == "INFORMATION_SCHEMA" || self.catalog.has_schema(database, schema) {
            return Ok(());
        }
        Err(error::schema_missing(&format!(
            "{}.{}",
            database.to_sql(),
            schema.to_sql()
        )))
    }

    /// The "does not exist" error for a name of `kind`.
    pub(crate) fn missing(&self, kind: ObjectType, name: &Name) -> SqlError {
        match kind {
            ObjectType::Database => error::database_missing(&name.to_sql()),
            ObjectType::Schema => error::schema_missing(&name.to_sql()),
            ObjectType::Warehouse => error::object_missing(&name.to_sql()),
            _ => match self.qualify(name, "lookup") {
                Ok(q) => error::object_missing(&q.display()),
                Err(_) => error::object_missing(&name.to_sql()),
            },
        }
    }

    /// The next task id and the change that reserves it.
    pub(crate) fn next_id(&self) -> (String, Change) {
        let n = self.catalog.next_id + 1;
        let id = format!("01b{:05x}-0000-4000-8000-{:012x}", (n >> 48) & 0xfffff, n);
        (id, Change::NextId { value: n })
    }

    /// The relation (table, view or dynamic table) at `name`, if any.
    pub(crate) fn relation(&self, name: &QualifiedName) -> Option<&Object> {
        self.catalog.object(name, Namespace::Relation)
    }
}

/// The display name of a kind in CREATE status messages.
pub(crate) fn created(kind: ObjectType, name: &Ident) -> String {
    let word = match kind {
        ObjectType::Database => "Database",
        ObjectType::Schema => "Schema",
        ObjectType::Warehouse => "Warehouse",
        ObjectType::Tag => "Tag",
        ObjectType::Table => "Table",
        ObjectType::View => "View",
        ObjectType::DynamicTable => "Dynamic table",
        ObjectType::Task => "Task",
        ObjectType::Model => "Model",
    };
    format!("{word} {name} successfully created.")
}

/// The status of a CREATE ... IF NOT EXISTS that found the object.
pub(crate) fn already_exists_ok(name: &Ident) -> Outcome {
    Outcome::status(
        format!("{name} already exists, statement succeeded."),
        Vec::new(),
    )
}
