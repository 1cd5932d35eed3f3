//! The one interface between floe and a Snowflake account.
//!
//! Everything above this module (introspection, apply) talks to an account
//! only through [`Session::execute`]: one SQL statement in, a result set with
//! named columns out, or Snowflake's error. The embedded local account and
//! the Snowflake driver both implement it; nothing above it may ask which one
//! it has. Result cells are kept as Snowflake's JSON result format carries
//! them: text or NULL.

use std::collections::BTreeMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// A boxed, sendable future, so that [`Session`] stays usable as a trait object.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The logical type of a result column, as Snowflake's `rowtype` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    /// `text`: strings, identifiers, JSON rendered as text by SHOW.
    Text,
    /// `fixed`: integers and decimals.
    Fixed,
    /// `boolean`: `true` / `false`.
    Boolean,
    /// `timestamp_ltz`: SHOW's `created_on` and friends.
    TimestampLtz,
    /// `timestamp_ntz`: wall-clock timestamps without a time zone.
    TimestampNtz,
    /// `timestamp_tz`: timestamps with their own offset.
    TimestampTz,
    /// `date`: calendar dates.
    Date,
    /// `real`: floating-point numbers.
    Real,
    /// `variant`: semi-structured values of any shape.
    Variant,
    /// `array`: semi-structured arrays.
    Array,
    /// `object`: semi-structured objects.
    Object,
}

impl ColumnType {
    /// The name Snowflake uses for this type in a result set's `rowtype`.
    pub fn wire_name(self) -> &'static str {
        match self {
            ColumnType::Text => "text",
            ColumnType::Fixed => "fixed",
            ColumnType::Boolean => "boolean",
            ColumnType::TimestampLtz => "timestamp_ltz",
            ColumnType::TimestampNtz => "timestamp_ntz",
            ColumnType::TimestampTz => "timestamp_tz",
            ColumnType::Date => "date",
            ColumnType::Real => "real",
            ColumnType::Variant => "variant",
            ColumnType::Array => "array",
            ColumnType::Object => "object",
        }
    }
}

/// One column of a result set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// The column name exactly as Snowflake returns it (SHOW columns are lower case).
    pub name: String,
    /// The column's type.
    pub ty: ColumnType,
}

impl Column {
    /// A column with the given name and type.
    pub fn new(name: impl Into<String>, ty: ColumnType) -> Self {
        Column {
            name: name.into(),
            ty,
        }
    }
}

/// A result set: named columns and rows of text-or-NULL cells. Two result
/// sets are equal when their columns and rows are: the query id says which
/// statement produced one, not what it holds.
#[derive(Debug, Clone, Default)]
pub struct Rows {
    /// The columns, in Snowflake's order.
    pub columns: Vec<Column>,
    /// The rows; every row has exactly `columns.len()` cells.
    pub rows: Vec<Vec<Option<String>>>,
    /// The id the account gave the statement, when it gives one (the local
    /// account does; RESULT_SCAN finds the result again by it).
    pub query_id: Option<String>,
}

impl PartialEq for Rows {
    fn eq(&self, other: &Self) -> bool {
        self.columns == other.columns && self.rows == other.rows
    }
}

impl Eq for Rows {}

impl Rows {
    /// The result of a DDL statement: one `status` column with one message row,
    /// as Snowflake answers `CREATE`/`ALTER`/`DROP`.
    pub fn status(message: impl Into<String>) -> Self {
        Rows {
            columns: vec![Column::new("status", ColumnType::Text)],
            rows: vec![vec![Some(message.into())]],
            query_id: None,
        }
    }

    /// The index of a column by exact name.
    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }

    /// Iterates rows as [`Row`] views that look cells up by column name.
    pub fn iter(&self) -> impl Iterator<Item = Row<'_>> {
        self.rows.iter().map(move |cells| Row { rows: self, cells })
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// True when there are no rows.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// What Snowflake answers to a request that ran several statements:
    /// one row saying so; each statement's own result has its own query id.
    pub fn multiple_statements() -> Self {
        Rows {
            columns: vec![Column::new(
                "multiple statement execution",
                ColumnType::Text,
            )],
            rows: vec![vec![Some(
                "Multiple statements executed successfully.".to_string(),
            )]],
            query_id: None,
        }
    }
}

/// One row of a [`Rows`], with access by column name.
#[derive(Debug, Clone, Copy)]
pub struct Row<'a> {
    rows: &'a Rows,
    cells: &'a [Option<String>],
}

impl<'a> Row<'a> {
    /// The cell of column `name`; `None` when the column is absent or the value is NULL.
    pub fn get(&self, name: &str) -> Option<&'a str> {
        let index = self.rows.column_index(name)?;
        self.cells.get(index)?.as_deref()
    }
}

/// A statement that Snowflake (or the local account) refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqlError {
    /// Snowflake's numeric error code as a zero-padded string, e.g. `002003`.
    pub code: String,
    /// The ANSI SQLSTATE, e.g. `02000`.
    pub sql_state: String,
    /// Snowflake's message, e.g. `SQL compilation error:\nObject 'X' does not exist or not authorized.`
    pub message: String,
}

impl fmt::Display for SqlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): {}", self.code, self.sql_state, self.message)
    }
}

impl std::error::Error for SqlError {}

/// Why a statement did not produce a result.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExecError {
    /// The account refused the statement; retrying will not help.
    #[error("{0}")]
    Sql(SqlError),
    /// The statement may not have reached the account (connection reset,
    /// HTTP 429/5xx, timeout). `transient` says whether a retry may succeed.
    #[error("connection error: {message}")]
    Connection {
        /// What went wrong, with no secrets in it.
        message: String,
        /// Whether retrying the statement may succeed.
        transient: bool,
    },
    /// Logging in failed: wrong credentials or an unknown account.
    #[error("authentication failed: {0}")]
    Auth(String),
}

/// Statement parameters sent with one request, by upper-case name
/// (`MULTI_STATEMENT_COUNT`, `QUERY_TAG`, ...), values as text.
pub type Parameters = BTreeMap<String, String>;

/// The statement parameter saying how many statements a request's text
/// must hold: `1` by default, `0` for any number.
pub const MULTI_STATEMENT_COUNT: &str = "MULTI_STATEMENT_COUNT";

/// A connection to one Snowflake account (real or emulated).
pub trait Session: Send + Sync {
    /// Executes one SQL statement and returns its result set.
    fn execute<'a>(&'a self, sql: &'a str) -> BoxFuture<'a, Result<Rows, ExecError>>;

    /// Executes a request's text with the statement `parameters` sent with
    /// it and returns one result per statement: several only when
    /// `MULTI_STATEMENT_COUNT` let the text hold several. Sessions that do
    /// not read parameters run the text as [`Session::execute`] does.
    fn execute_request<'a>(
        &'a self,
        sql: &'a str,
        parameters: &'a Parameters,
    ) -> BoxFuture<'a, Result<Vec<Rows>, ExecError>> {
        let _ = parameters;
        Box::pin(async move { self.execute(sql).await.map(|rows| vec![rows]) })
    }

    /// What is current in the session now (database, schema, warehouse,
    /// role), for sessions that keep their own context; `None` otherwise.
    fn current(&self) -> Option<LoginContext> {
        None
    }

    /// Compiles one statement without running it and returns its result
    /// columns with no rows, as Snowflake answers a query request with
    /// `describeOnly`. Sessions that cannot describe run the statement.
    fn execute_describe_only<'a>(&'a self, sql: &'a str) -> BoxFuture<'a, Result<Rows, ExecError>> {
        self.execute(sql)
    }

    /// Opens another session of the same account, logged in as this one
    /// was, that shares no transaction with it: Snowflake ties a
    /// transaction to one session, and a DDL statement commits its
    /// session's open transaction, so work that must stay atomic while
    /// other statements run uses a session of its own. Sessions that
    /// cannot log in again refuse.
    fn open_sibling(&self) -> BoxFuture<'_, Result<Arc<dyn Session>, ExecError>> {
        Box::pin(async move {
            Err(ExecError::Connection {
                message: format!("{} cannot open another session", self.describe()),
                transient: false,
            })
        })
    }

    /// A short description for messages, e.g. `local account DEV` or
    /// `connection prod (acme-xy12345)`. Never contains secrets.
    fn describe(&self) -> String;
}

/// What a client asks to be current when it logs in: the names exactly as
/// it sent them (`databaseName`, `schemaName`, `warehouse`, `roleName`), or,
/// in a login answer, the names that became current.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoginContext {
    /// The database.
    pub database: Option<String>,
    /// The schema.
    pub schema: Option<String>,
    /// The warehouse.
    pub warehouse: Option<String>,
    /// The role.
    pub role: Option<String>,
}

/// A session opened for one login, with the context that became current.
pub struct LoginSession {
    /// The new session; statements run in it see only its own context.
    pub session: Arc<dyn Session>,
    /// What is current in it, as Snowflake names it in the login answer.
    pub current: LoginContext,
}

/// An account that opens one session per login, as Snowflake does: what
/// the wire server serves.
pub trait Account: Send + Sync {
    /// Opens session `session_id` with the context `login` asked for.
    /// Names that do not exist are not current, as on Snowflake, where the
    /// login still succeeds.
    fn open_session(
        &self,
        session_id: u64,
        login: &LoginContext,
    ) -> Result<LoginSession, ExecError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn result_sets_compare_by_content_not_by_query_id() {
        let mut a = Rows::status("done");
        let mut b = Rows::status("done");
        a.query_id = Some("01b00000-0000-0000-0000-000000000001".into());
        b.query_id = Some("01b00000-0000-0000-0000-000000000002".into());
        assert_eq!(a, b);
        b.rows[0][0] = Some("other".into());
        assert_ne!(a, b);
    }

    #[test]
    fn row_reads_cells_by_column_name() {
        let rows = Rows {
            columns: vec![
                Column::new("name", ColumnType::Text),
                Column::new("comment", ColumnType::Text),
            ],
            rows: vec![vec![Some("WH".into()), None]],
            query_id: None,
        };
        let row = rows.iter().next().expect("one row was built above");
        assert_eq!(row.get("name"), Some("WH"));
        assert_eq!(row.get("comment"), None);
        assert_eq!(row.get("missing"), None);
    }
}
