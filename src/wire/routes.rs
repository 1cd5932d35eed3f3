//! What the wire server answers to each endpoint of Snowflake's protocol:
//! login, query, a kept result, result chunks, token renewal, heartbeat,
//! logout, abort and telemetry.
//!
//! Routes see a decoded [`Request`] (body already un-gzipped) and return an
//! [`Answer`]; they know nothing of HTTP framing (`http.rs`) and build no
//! JSON by hand (`protocol.rs`). Each login opens its own session of the
//! [`Account`]; its statements run there, with the statement parameters
//! the request carries. The routes never interpret SQL.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use serde_json::Value;

use super::protocol;
use super::results::Results;
use super::tokens::{LiveSession, Tokens};
use crate::connect::Secret;
use crate::session::{Account, ExecError, LoginContext, Parameters, Rows};

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
    /// The `Host` header, if any: where the client reached the server.
    pub host: Option<String>,
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

/// What an answer carries.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    /// A JSON document (every endpoint but chunks).
    Json(Value),
    /// Plain text: a result chunk.
    Text(String),
}

/// An HTTP status and a body.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// The HTTP status code.
    pub status: u16,
    /// The body.
    pub body: Body,
}

impl Answer {
    fn ok(body: Value) -> Self {
        Answer {
            status: 200,
            body: Body::Json(body),
        }
    }

    /// A failure that is not a SQL error, with Snowflake's code and message.
    pub fn status(status: u16, code: &str, message: &str) -> Self {
        Answer {
            status,
            body: Body::Json(protocol::failure(code, message)),
        }
    }
}

/// Everything the routes share: the account, the credentials, the sessions.
pub struct Routes {
    account: Arc<dyn Account>,
    tokens: Tokens,
    results: Results,
    user: String,
    password: Secret,
    latency: Duration,
    queries: AtomicU64,
    base_url: String,
}

impl Routes {
    /// Routes over `account` for clients logging in as `user`/`password`,
    /// sleeping `latency` before each statement. `base_url` is where chunk
    /// URLs point when a request does not say which host it reached.
    pub fn new(
        account: Arc<dyn Account>,
        user: &str,
        password: Secret,
        latency: Duration,
        base_url: String,
    ) -> Self {
        Routes {
            account,
            tokens: Tokens::default(),
            results: Results::default(),
            user: user.to_string(),
            password,
            latency,
            queries: AtomicU64::new(1),
            base_url,
        }
    }

    /// Answers one request.
    pub async fn answer(&self, request: &Request) -> Answer {
        let delete = request.query_value("delete").as_deref() == Some("true");
        let path = request.path.as_str();
        match (request.method.as_str(), path) {
            ("POST", "/session/v1/login-request") => self.login(request),
            ("POST", "/queries/v1/query-request") => self.query(request).await,
            ("POST", "/session/token-request") => self.renew(request),
            ("POST", "/session/heartbeat") | ("POST", "/queries/v1/abort-request") => {
                self.authorized(request, |_| Answer::ok(protocol::empty_success()))
            }
            ("POST", "/session") if delete => self.logout(request),
            ("POST", "/session/logout-request") => self.logout(request),
            ("POST", "/telemetry/send") => Answer::ok(protocol::empty_success()),
            ("GET", _) if kept_result_id(path).is_some() => self.kept_result(request),
            ("GET", _) if chunk_address(path).is_some() => self.chunk(request),
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
        let asked = LoginContext {
            database: request.query_value("databaseName"),
            schema: request.query_value("schemaName"),
            warehouse: request.query_value("warehouse"),
            role: request.query_value("roleName"),
        };
        let session_id = self.tokens.next_session_id();
        let opened = match self.account.open_session(session_id, &asked) {
            Ok(opened) => opened,
            Err(error) => {
                return Answer::status(
                    500,
                    "000603",
                    &format!("The account behind this server cannot open a session: {error}"),
                );
            }
        };
        let (token, master) = self.tokens.login(LiveSession {
            id: session_id,
            session: opened.session,
        });
        Answer::ok(protocol::login_success(
            &token,
            &master,
            session_id,
            &self.user.to_ascii_uppercase(),
            &opened.current,
        ))
    }

    async fn query(&self, request: &Request) -> Answer {
        let live = match self.check_token(request) {
            Ok(live) => live,
            Err(refused) => return refused,
        };
        let body = request.json().unwrap_or(Value::Null);
        let Some(sql) = body.get("sqlText").and_then(Value::as_str) else {
            return Answer::status(
                400,
                protocol::BAD_REQUEST,
                "the query request has no sqlText",
            );
        };
        let parameters = statement_parameters(body.get("parameters"));
        // Describe-only requests want the result's columns, not its rows,
        // and change nothing.
        let describe_only = body.get("describeOnly").and_then(Value::as_bool) == Some(true);
        if !self.latency.is_zero() {
            tokio::time::sleep(self.latency).await;
        }
        let query_id = self.next_query_id();
        let outcome = if describe_only {
            live.session
                .execute_describe_only(sql)
                .await
                .map(|rows| vec![rows])
        } else {
            live.session.execute_request(sql, &parameters).await
        };
        match outcome {
            Ok(results) => {
                let answer = self.answer_results(request, &query_id, live.id, results);
                Answer::ok(match live.session.current() {
                    Some(current) => protocol::with_context(answer, &current),
                    None => answer,
                })
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

    /// The answer to a request's results, kept for later: one result as
    /// itself; several as a parent answer listing each one's query id.
    fn answer_results(
        &self,
        request: &Request,
        query_id: &str,
        session_id: u64,
        mut results: Vec<Rows>,
    ) -> Value {
        // The account's own query id, when it gives one, is the one its
        // RESULT_SCAN knows.
        if results.len() == 1 {
            let rows = results.pop().unwrap_or_default();
            let id = rows.query_id.as_deref().unwrap_or(query_id);
            return self.keep(request, id, session_id, &rows);
        }
        let ids: Vec<String> = results
            .iter()
            .map(|rows| {
                let id = rows
                    .query_id
                    .clone()
                    .unwrap_or_else(|| self.next_query_id());
                self.keep(request, &id, session_id, rows);
                id
            })
            .collect();
        let answer = protocol::multiple_results(query_id, &ids);
        let key = self.tokens.fresh_key();
        self.results
            .keep(query_id, session_id, answer.clone(), Vec::new(), &key);
        answer
    }

    /// Encodes `rows` as the answer of `query_id`, keeping it and its chunks.
    fn keep(&self, request: &Request, query_id: &str, session_id: u64, rows: &Rows) -> Value {
        let key = self.tokens.fresh_key();
        let base = request
            .host
            .as_deref()
            .map_or_else(|| self.base_url.clone(), |host| format!("http://{host}"));
        let url = |index: usize| format!("{base}/results/{query_id}/chunks/{index}?key={key}");
        let encoded = protocol::result_set(rows, query_id, &url);
        self.results.keep(
            query_id,
            session_id,
            encoded.answer.clone(),
            encoded.chunks,
            &key,
        );
        encoded.answer
    }

    /// `GET /queries/<id>/result`: a kept answer of the caller's session.
    fn kept_result(&self, request: &Request) -> Answer {
        let live = match self.check_token(request) {
            Ok(live) => live,
            Err(refused) => return refused,
        };
        let query_id = kept_result_id(&request.path).unwrap_or_default();
        match self.results.answer(query_id, live.id) {
            Some(answer) => Answer::ok(answer),
            None => Answer::ok(protocol::failure(
                protocol::RESULT_NOT_FOUND,
                &format!("Statement {query_id} not found"),
            )),
        }
    }

    /// `GET /results/<id>/chunks/<n>?key=...`: a chunk's rows, as text.
    fn chunk(&self, request: &Request) -> Answer {
        let (query_id, index) = chunk_address(&request.path).unwrap_or_default();
        let key = request.query_value("key").unwrap_or_default();
        match self.results.chunk(query_id, index, &key) {
            Some(text) => Answer {
                status: 200,
                body: Body::Text(text),
            },
            None => Answer::status(
                404,
                protocol::BAD_REQUEST,
                "no such result chunk; results are kept for the latest statements only",
            ),
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
            Ok(_) => then(request.token().unwrap_or_default()),
            Err(refused) => refused,
        }
    }

    /// The session of the request's live token, or Snowflake's refusal: no
    /// token at all is `401`; an unknown one is "session expired", which
    /// makes clients renew it or log in again.
    fn check_token(&self, request: &Request) -> Result<LiveSession, Answer> {
        let Some(token) = request.token() else {
            return Err(Answer::status(
                401,
                protocol::SESSION_EXPIRED,
                "Authentication token is missing; log in first.",
            ));
        };
        self.tokens.touch(token).ok_or_else(|| {
            Answer::ok(protocol::failure(
                protocol::SESSION_EXPIRED,
                "Your session has expired. Please login again.",
            ))
        })
    }

    fn next_query_id(&self) -> String {
        let n = self.queries.fetch_add(1, Ordering::Relaxed);
        format!("01f10e00-0000-0000-0000-{n:012x}")
    }
}

/// The statement parameters of a query request's `parameters` object,
/// names upper case, values as text (`true`/`false`, numbers as written).
fn statement_parameters(value: Option<&Value>) -> Parameters {
    let Some(Value::Object(map)) = value else {
        return Parameters::new();
    };
    map.iter()
        .filter_map(|(name, value)| {
            let text = match value {
                Value::Null => return None,
                Value::String(s) => s.clone(),
                Value::Bool(b) => b.to_string(),
                other => other.to_string(),
            };
            Some((name.to_ascii_uppercase(), text))
        })
        .collect()
}

/// The query id of `/queries/<id>/result`.
fn kept_result_id(path: &str) -> Option<&str> {
    let id = path.strip_prefix("/queries/")?.strip_suffix("/result")?;
    (!id.is_empty() && !id.contains('/')).then_some(id)
}

/// The query id and chunk index of `/results/<id>/chunks/<n>`.
fn chunk_address(path: &str) -> Option<(&str, usize)> {
    let (id, index) = path.strip_prefix("/results/")?.split_once("/chunks/")?;
    Some((id, index.parse().ok()?))
}

/// Compares without stopping at the first difference.
fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn statement_parameters_are_upper_case_text() {
        let sent = json!({"multi_statement_count": 0, "SHOW_MODEL_DETAILS_IN_SHOW_VERSIONS_IN_MODEL": true, "QUERY_TAG": "t", "X": null});
        let parameters = statement_parameters(Some(&sent));
        assert_eq!(
            parameters.get("MULTI_STATEMENT_COUNT").map(String::as_str),
            Some("0")
        );
        assert_eq!(
            parameters
                .get("SHOW_MODEL_DETAILS_IN_SHOW_VERSIONS_IN_MODEL")
                .map(String::as_str),
            Some("true")
        );
        assert_eq!(parameters.get("QUERY_TAG").map(String::as_str), Some("t"));
        assert!(!parameters.contains_key("X"));
    }

    #[test]
    fn result_and_chunk_paths_are_read() {
        assert_eq!(kept_result_id("/queries/01f-2/result"), Some("01f-2"));
        assert_eq!(kept_result_id("/queries//result"), None);
        assert_eq!(chunk_address("/results/q1/chunks/3"), Some(("q1", 3)));
        assert_eq!(chunk_address("/results/q1/chunks/x"), None);
    }
}
