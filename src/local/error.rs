//! Snowflake's errors, as the local account reports them.
//!
//! Every refusal of the local account is a [`SqlError`] with Snowflake's
//! error code, SQLSTATE and message wording, built here so that the wording
//! lives in one place. This module decides nothing; callers pick the error.

pub use crate::session::SqlError;

fn err(code: &str, state: &str, message: String) -> SqlError {
    SqlError {
        code: code.to_string(),
        sql_state: state.to_string(),
        message,
    }
}

fn compilation(code: &str, state: &str, detail: String) -> SqlError {
    err(code, state, format!("SQL compilation error:\n{detail}"))
}

/// `syntax error line L at position P unexpected 'TOKEN'.`
pub fn syntax(line: usize, column: usize, unexpected: &str) -> SqlError {
    compilation(
        "001003",
        "42000",
        format!("syntax error line {line} at position {column} unexpected '{unexpected}'."),
    )
}

/// A statement the SQL parser could not read, with the parser's words.
pub fn parse_failed(detail: &str) -> SqlError {
    compilation("001003", "42000", format!("syntax error: {detail}"))
}

/// A string, quoted identifier or comment that never ends.
pub fn unterminated(_what: &str, line: usize, column: usize) -> SqlError {
    syntax(line, column, "<EOF>")
}

/// `Object 'DB.S.X' does not exist or not authorized.`
pub fn object_missing(name: &str) -> SqlError {
    compilation(
        "002003",
        "02000",
        format!("Object '{name}' does not exist or not authorized."),
    )
}

/// `Database 'X' does not exist or not authorized.`
pub fn database_missing(name: &str) -> SqlError {
    compilation(
        "002043",
        "02000",
        format!("Database '{name}' does not exist or not authorized."),
    )
}

/// `Schema 'DB.S' does not exist or not authorized.`
pub fn schema_missing(name: &str) -> SqlError {
    compilation(
        "002003",
        "02000",
        format!("Schema '{name}' does not exist or not authorized."),
    )
}

/// `Object 'X' already exists.`
pub fn already_exists(name: &str) -> SqlError {
    compilation(
        "002002",
        "42710",
        format!("Object '{name}' already exists."),
    )
}

/// `Object found is of type 'TABLE', not specified type 'VIEW'.`
pub fn wrong_type(found: &str, specified: &str) -> SqlError {
    compilation(
        "002203",
        "02000",
        format!("Object found is of type '{found}', not specified type '{specified}'."),
    )
}

/// No current database or schema to resolve an unqualified name against.
pub fn no_current(kind: &str, action: &str) -> SqlError {
    err(
        "090105",
        "22000",
        format!(
            "Cannot perform {action}. This session does not have a current {kind}. Call 'USE {}', or use a qualified name.",
            kind.to_ascii_uppercase()
        ),
    )
}

/// A statement outside the subset the local account emulates.
pub fn unsupported(statement: &str) -> SqlError {
    compilation(
        "000002",
        "0A000",
        format!(
            "Unsupported feature '{statement}': the local account does not emulate it (it runs the DDL floe emits, SHOW, tag lookups and the queries Snowflake's client libraries send)."
        ),
    )
}

/// A property value Snowflake would not accept.
pub fn invalid_value(property: &str, value: &str) -> SqlError {
    compilation(
        "001008",
        "22023",
        format!("invalid value [{value}] for parameter '{property}'"),
    )
}

/// A rule of the object model that the statement breaks (free wording).
pub fn invalid(message: impl Into<String>) -> SqlError {
    compilation("002262", "22000", message.into())
}

/// Snowflake's refusal to change a task graph whose root runs.
pub fn root_not_suspended(root: &str) -> SqlError {
    err(
        "091421",
        "22000",
        format!(
            "Unable to update graph with root task {root} since that root task is not suspended."
        ),
    )
}

/// The refusal to alter a running task that is part of a task graph
/// (bcr-2363 says it is refused; the documentation gives no wording).
pub fn task_not_suspended(task: &str) -> SqlError {
    err(
        "091421",
        "22000",
        format!(
            "Unable to update task {task} since it is part of a task graph and is not suspended; suspend it first."
        ),
    )
}

/// A tag value outside the tag's allowed values.
pub fn tag_value_not_allowed(tag: &str, value: &str) -> SqlError {
    compilation(
        "003168",
        "22023",
        format!("Tag value '{value}' is not in the allowed values of tag '{tag}'."),
    )
}

/// A request whose text holds another number of statements than
/// `MULTI_STATEMENT_COUNT` asked for (`1` unless the client said otherwise).
pub fn statement_count(actual: usize, desired: u64) -> SqlError {
    err(
        "000008",
        "0A000",
        format!(
            "Actual statement count {actual} did not match the desired statement count {desired}."
        ),
    )
}

/// A script with no statement in it.
pub fn empty() -> SqlError {
    err("000900", "42000", "Empty SQL statement.".to_string())
}
