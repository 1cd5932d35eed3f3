//! What the wire server answers to each endpoint of Snowflake's protocol:
//! login, query, token renewal, heartbeat, logout, abort and telemetry.
//!
//! Routes see a decoded [`Request`] (body already un-gzipped) and return an
//! [`Answer`]; they know nothing of HTTP framing (`http.rs`) and build no
//! JSON by hand (`protocol.rs`). Statements go to the one shared
//! [`Session`]; the routes never interpret SQL.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use serde_json::Value;

use super::protocol::{self, LoginContext};
use super::tokens::Tokens;
use crate::connect::Secret;
use crate::session::{ExecError, Session};

/// A request as the routes see it.
#[derive(Debug, Clone)]
pub struct Request {
    /// `GET`, `POST`, ...
    pub method: String,
    /// The path, e.g. `/queries/v1/query-request`.
    pub path: String,
    /// Decoded query-string pairs.
    pub query: Vec<(String, String)>,
    /// The `Authorization` header, if any.
    pub authorization: Option<String>,
    /// The body, decompressed.
    pub body: Vec<u8>,
}

impl Request {
    fn query_value(&self, name: &str) -> Option<String> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .filter(|v| !v.is_empty())
    }

    /// The token of `Authorization: Snowflake Token="..."`.
    fn token(&self) -> Option<&str> {
        let header = self.authorization.as_deref()?.trim();
        let rest = header.strip_prefix("Snowflake")?.trim_start();
        let rest = rest.strip_prefix("Token=")?;
        let token = rest.trim().trim_matches('"');
        (!token.is_empty() && token != "None").then_some(token)
    }

    fn json(&self) -> Option<Value> {
        if self.body.is_empty() {
            return Some(Value::Null);
        }
        serde_json::from_slice(&self.body).ok()
    }
}

/// An HTTP status and a JSON body.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// The HTTP status code.
    pub status: u16,
    /// The JSON document.
    pub body: Value,
}

impl Answer {
    fn ok(body: Value) -> Self {
        Answer { status: 200, body }
    }

    fn status(status: u16, code: &str, message: &str) -> Self {
        Answer {
            status,
            body: protocol::failure(code, message),
        }
    }
}

/// Everything the routes share: the account, the credentials, the sessions.
pub struct Routes {
    session: Arc<dyn Session>,
    tokens: Tokens,
    user: String,
    password: Secret,
    latency: Duration,
    queries: AtomicU64,
}

impl Routes {
    /// Routes over `session` for clients logging in as `user`/`password`,
    /// sleeping `latency` before each statement.
    pub fn new(session: Arc<dyn Session>, user: &str, password: Secret, latency: Duration) -> Self {
        Routes {
            session,
            tokens: Tokens::default(),
            user: user.to_string(),
            password,
            latency,
            queries: AtomicU64::new(1),
        }
    }

    /// Answers one request.
    pub async fn answer(&self, request: &Request) -> Answer {
        let delete = request.query_value("delete").as_deref() == Some("true");
        match (request.method.as_str(), request.path.as_str()) {
            ("POST", "/session/v1/login-request") => self.login(request),
            ("POST", "/queries/v1/query-request") => self.query(request).await,
            ("POST", "/session/token-request") => self.renew(request),
            ("POST", "/session/heartbeat") | ("POST", "/queries/v1/abort-request") => {
                self.authorized(request, |_| Answer::ok(protocol::empty_success()))
            }
            ("POST", "/session") if delete => self.logout(request),
            ("POST", "/session/logout-request") => self.logout(request),
            ("POST", "/telemetry/send") => Answer::ok(protocol::empty_success()),
            (method, path) => Answer::status(
                404,
                protocol::BAD_REQUEST,
                &format!("{method} {path} is not an endpoint of this server"),
            ),
        }
    }

    fn login(&self, request: &Request) -> Answer {
        let Some(data) = request.json().and_then(|v| v.get("data").cloned()) else {
            return Answer::status(400, protocol::BAD_REQUEST, "the login request is not JSON");
        };
        let field = |name: &str| data.get(name).and_then(Value::as_str).unwrap_or_default();
        let authenticator = field("AUTHENTICATOR");
        if !authenticator.is_empty() && !authenticator.eq_ignore_ascii_case("snowflake") {
            return Answer::ok(protocol::login_failure(
                protocol::INCORRECT_CREDENTIALS,
                &format!(
                    "Authenticator {authenticator} is not supported by this server; log in with user name and password."
                ),
            ));
        }
        let user_matches = field("LOGIN_NAME").eq_ignore_ascii_case(&self.user);
        let password_matches = constant_time_eq(field("PASSWORD"), self.password.expose());
        if !(user_matches && password_matches) {
            return Answer::ok(protocol::login_failure(
                protocol::INCORRECT_CREDENTIALS,
                "Incorrect username or password was specified.",
            ));
        }
        let context = LoginContext {
            database: request.query_value("databaseName"),
            schema: request.query_value("schemaName"),
            warehouse: request.query_value("warehouse"),
            role: request.query_value("roleName"),
        };
        let (token, master, session_id) = self.tokens.login();
        Answer::ok(protocol::login_success(
            &token,
            &master,
            session_id,
            &self.user.to_ascii_uppercase(),
            &context,
        ))
    }

    async fn query(&self, request: &Request) -> Answer {
        if let Err(refused) = self.check_token(request) {
            return refused;
        }
        let body = request.json();
        let describe_only = body
            .as_ref()
            .and_then(|v| v.get("describeOnly").and_then(Value::as_bool))
            .unwrap_or(false);
        let sql = body.and_then(|v| v.get("sqlText").and_then(Value::as_str).map(str::to_string));
        let Some(sql) = sql else {
            return Answer::status(
                400,
                protocol::BAD_REQUEST,
                "the query request has no sqlText",
            );
        };
        if !self.latency.is_zero() {
            tokio::time::sleep(self.latency).await;
        }
        let query_id = self.next_query_id();
        let result = if describe_only {
            self.session.execute_describe_only(&sql).await
        } else {
            self.session.execute(&sql).await
        };
        match result {
            Ok(rows) => {
                let id = rows.query_id.as_deref().unwrap_or(&query_id);
                Answer::ok(protocol::result_set(&rows, id))
            }
            Err(ExecError::Sql(error)) => Answer::ok(protocol::sql_failure(&error, &query_id)),
            Err(ExecError::Connection { message, transient }) => Answer::status(
                if transient { 503 } else { 500 },
                "000603",
                &format!("The account behind this server failed: {message}"),
            ),
            Err(ExecError::Auth(message)) => Answer::status(
                500,
                "000603",
                &format!("The account behind this server refused its login: {message}"),
            ),
        }
    }

    fn renew(&self, request: &Request) -> Answer {
        let old = request.json().and_then(|v| {
            v.get("oldSessionToken")
                .and_then(Value::as_str)
                .map(str::to_string)
        });
        let renewed = match (request.token(), old) {
            (Some(master), Some(old)) => self
                .tokens
                .renew(master, &old)
                .map(|token| (token, master.to_string())),
            _ => None,
        };
        match renewed {
            Some((token, master)) => Answer::ok(protocol::renewed(&token, &master)),
            None => Answer::ok(protocol::failure(
                protocol::MASTER_TOKEN_NOT_FOUND,
                "Master token not found. Please login again.",
            )),
        }
    }

    fn logout(&self, request: &Request) -> Answer {
        self.authorized(request, |token| {
            self.tokens.logout(token);
            Answer::ok(protocol::empty_success())
        })
    }

    fn authorized(&self, request: &Request, then: impl FnOnce(&str) -> Answer) -> Answer {
        match self.check_token(request) {
            Ok(token) => then(token),
            Err(refused) => refused,
        }
    }

    /// The request's live session token, or Snowflake's refusal: no token
    /// at all is `401`; an unknown one is "session expired", which makes
    /// clients renew it or log in again.
    fn check_token<'r>(&self, request: &'r Request) -> Result<&'r str, Answer> {
        let Some(token) = request.token() else {
            return Err(Answer::status(
                401,
                protocol::SESSION_EXPIRED,
                "Authentication token is missing; log in first.",
            ));
        };
        if self.tokens.touch(token) {
            Ok(token)
        } else {
            Err(Answer::ok(protocol::failure(
                protocol::SESSION_EXPIRED,
                "Your session has expired. Please login again.",
            )))
        }
    }

    fn next_query_id(&self) -> String {
        let n = self.queries.fetch_add(1, Ordering::Relaxed);
        format!("01f10e00-0000-0000-0000-{n:012x}")
    }
}

/// Compares without stopping at the first difference.
fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}
