//! Sorting the driver's errors into what floe does next: report a SQL
//! error, log in again, retry after a pause, or give up.
//!
//! The driver's error is reduced to a [`Failure`] here; no driver type
//! leaves this module. Messages name the connection and what to check,
//! never a credential: the driver's texts used here carry Snowflake's
//! messages and HTTP statuses, not the request.

use std::error::Error as _;

use snowflake_connector_rs::{Error, ErrorKind};

use crate::session::{ExecError, SqlError};

/// What one failed attempt means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The statement was refused; final.
    Sql(SqlError),
    /// The session token expired; log in again and retry at once.
    SessionExpired,
    /// The request may succeed if sent again (connection refused or reset, HTTP 429/5xx).
    Retryable(String),
    /// No answer within the query timeout; the statement may still be
    /// running, so it is not sent twice.
    TimedOut(String),
    /// The account refused the credentials or the token.
    Auth(String),
    /// Anything else (bad endpoint, unreadable answer); retrying will not help.
    Fatal(String),
}

/// Classifies a driver error.
pub fn classify(error: &Error) -> Failure {
    match error.kind() {
        ErrorKind::Server => Failure::Sql(SqlError {
            code: error.snowflake_code().unwrap_or_default().to_string(),
            // The driver does not hand out the SQLSTATE of a failed statement.
            sql_state: String::new(),
            message: error
                .snowflake_message()
                .map_or_else(|| error.to_string(), str::to_string),
        }),
        ErrorKind::SessionExpired => Failure::SessionExpired,
        ErrorKind::Auth => Failure::Auth(describe(error)),
        ErrorKind::Timeout => Failure::TimedOut(describe(error)),
        ErrorKind::Network => match http_status(error) {
            Some(401 | 403) => Failure::Auth(describe(error)),
            Some(status) if status == 429 || status >= 500 => Failure::Retryable(describe(error)),
            Some(_) => Failure::Fatal(describe(error)),
            None => Failure::Retryable(describe(error)),
        },
        _ => Failure::Fatal(describe(error)),
    }
}

impl Failure {
    /// The final error once no retry is left; `connection` is for example
    /// `connection prod (acme)`, `hint` what to check.
    pub fn into_exec_error(self, connection: &str, attempts: u32) -> ExecError {
        match self {
            Failure::Sql(error) => ExecError::Sql(error),
            Failure::SessionExpired => ExecError::Auth(format!(
                "{connection}: the session expired and logging in again did not renew it"
            )),
            Failure::Retryable(message) => ExecError::Connection {
                message: format!(
                    "{connection}: {message} (gave up after {attempts} {})",
                    if attempts == 1 { "attempt" } else { "attempts" }
                ),
                transient: true,
            },
            Failure::TimedOut(message) => ExecError::Connection {
                message: format!(
                    "{connection}: {message}; the statement may still be running, check the query history before running it again"
                ),
                transient: true,
            },
            Failure::Auth(message) => ExecError::Auth(auth_message(connection, &message)),
            Failure::Fatal(message) => ExecError::Connection {
                message: format!("{connection}: {message}"),
                transient: false,
            },
        }
    }
}

/// The message of a refused login: who was refused and what to check.
pub fn auth_message(connection: &str, cause: &str) -> String {
    let cause = cause.trim_end_matches('.');
    format!(
        "{connection} refused the login: {cause}; check the account, user and credential (password, private key and passphrase, or token) of this connection in connections.toml and any SNOWFLAKE_* variables"
    )
}

/// The driver's message followed by its causes (`network error: ... connection refused`).
fn describe(error: &Error) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        source = cause.source();
    }
    message
}

/// The HTTP status of a `HTTP 503: ...` network error.
fn http_status(error: &Error) -> Option<u16> {
    let text = error.to_string();
    let rest = text.strip_prefix("HTTP ")?;
    rest.split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retryable_failures_say_how_often_they_were_tried() {
        let error = Failure::Retryable("network error: connection refused".into())
            .into_exec_error("connection prod (acme)", 4);
        assert_eq!(
            error,
            ExecError::Connection {
                message: "connection prod (acme): network error: connection refused (gave up after 4 attempts)"
                    .into(),
                transient: true,
            }
        );
    }

    #[test]
    fn auth_failures_name_the_connection_and_what_to_check() {
        let error = Failure::Auth(
            "authentication rejected: Incorrect username or password was specified.".into(),
        )
        .into_exec_error("connection prod (acme)", 1);
        let ExecError::Auth(message) = error else {
            panic!("an auth failure stays an auth error: {error:?}");
        };
        assert!(
            message.starts_with("connection prod (acme) refused the login"),
            "{message}"
        );
        assert!(
            message.contains("Incorrect username or password"),
            "{message}"
        );
        assert!(message.contains("connections.toml"), "{message}");
    }

    #[test]
    fn other_errors_are_final_connection_errors() {
        let error = classify(&Error::other("unexpected answer"));
        assert_eq!(
            error,
            Failure::Fatal("snowflake connector error: unexpected answer".into())
        );
    }
}
