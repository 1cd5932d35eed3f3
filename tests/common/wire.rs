//! The wire server on its own: a small in-memory account that knows
//! warehouses served on loopback, and a raw HTTP/1.1 client for requests
//! no driver would send.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use floe::connect::Secret;
use floe::session::{BoxFuture, Column, ColumnType, ExecError, Rows, Session, SqlError};
use floe::wire::{RunningServer, ServeOptions, Server, SharedSession};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The user the wire server accepts.
pub const USER: &str = "floe";
/// The password of [`USER`].
pub const PASSWORD: &str = "s3cret-wire-pw";

/// One warehouse of the fake account.
#[derive(Debug, Clone)]
struct Warehouse {
    size: String,
    comment: Option<String>,
}

/// An account holding only warehouses, answering SHOW / CREATE / ALTER / DROP
/// WAREHOUSE with Snowflake's column names and errors.
#[derive(Debug, Default)]
pub struct FakeAccount {
    warehouses: Mutex<BTreeMap<String, Warehouse>>,
    /// Statements still to be answered with a transient failure.
    failures_left: AtomicUsize,
    /// Statements received, failed ones included.
    received: AtomicUsize,
}

impl FakeAccount {
    /// An account with one warehouse, `COMPUTE_WH`.
    pub fn new() -> Arc<Self> {
        let account = FakeAccount::default();
        account.lock().insert(
            "COMPUTE_WH".into(),
            Warehouse {
                size: "X-Small".into(),
                comment: None,
            },
        );
        Arc::new(account)
    }

    /// Makes the next `n` statements fail as if the account were overloaded.
    pub fn fail_next(&self, n: usize) {
        self.failures_left.store(n, Ordering::SeqCst);
    }

    /// How many statements reached the account.
    pub fn received(&self) -> usize {
        self.received.load(Ordering::SeqCst)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, Warehouse>> {
        self.warehouses
            .lock()
            .expect("no test panics while holding the lock")
    }

    fn run(&self, sql: &str) -> Result<Rows, ExecError> {
        self.received.fetch_add(1, Ordering::SeqCst);
        let failing = self
            .failures_left
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok();
        if failing {
            return Err(ExecError::Connection {
                message: "overloaded".into(),
                transient: true,
            });
        }
        let words: Vec<String> = sql
            .trim()
            .trim_end_matches(';')
            .split_whitespace()
            .map(str::to_ascii_uppercase)
            .collect();
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        match words.as_slice() {
            ["SHOW", "WAREHOUSES"] => Ok(self.show()),
            ["CREATE", "WAREHOUSE", name, rest @ ..] => {
                let size = setting(rest, "WAREHOUSE_SIZE").unwrap_or("X-Small".into());
                self.lock().insert(
                    name.to_string(),
                    Warehouse {
                        size,
                        comment: None,
                    },
                );
                Ok(Rows::status(format!(
                    "Warehouse {name} successfully created."
                )))
            }
            ["ALTER", "WAREHOUSE", name, "SET", rest @ ..] => {
                let mut warehouses = self.lock();
                let warehouse = warehouses.get_mut(*name).ok_or_else(|| missing(name))?;
                if let Some(size) = setting(rest, "WAREHOUSE_SIZE") {
                    warehouse.size = size;
                }
                Ok(Rows::status("Statement executed successfully."))
            }
            ["DROP", "WAREHOUSE", name] => {
                self.lock().remove(*name).ok_or_else(|| missing(name))?;
                Ok(Rows::status(format!("{name} successfully dropped.")))
            }
            _ => Err(ExecError::Sql(SqlError {
                code: "001003".into(),
                sql_state: "42000".into(),
                message: format!(
                    "SQL compilation error:\nsyntax error line 1 at position 0 unexpected '{}'.",
                    words.first().unwrap_or(&"")
                ),
            })),
        }
    }

    fn show(&self) -> Rows {
        let columns = vec![
            Column::new("name", ColumnType::Text),
            Column::new("state", ColumnType::Text),
            Column::new("size", ColumnType::Text),
            Column::new("auto_suspend", ColumnType::Fixed),
            Column::new("auto_resume", ColumnType::Boolean),
            Column::new("created_on", ColumnType::TimestampLtz),
            Column::new("comment", ColumnType::Text),
        ];
        let rows = self
            .lock()
            .iter()
            .map(|(name, wh)| {
                vec![
                    Some(name.clone()),
                    Some("SUSPENDED".into()),
                    Some(wh.size.clone()),
                    Some("600".into()),
                    Some("true".into()),
                    Some("1700000000.123".into()),
                    wh.comment.clone(),
                ]
            })
            .collect();
        Rows {
            columns,
            rows,
            query_id: None,
        }
    }
}

fn setting(words: &[&str], key: &str) -> Option<String> {
    let at = words.iter().position(|w| *w == key)?;
    match words.get(at + 1..)? {
        ["=", value, ..] => Some(value.to_string()),
        _ => None,
    }
}

fn missing(name: &str) -> ExecError {
    ExecError::Sql(SqlError {
        code: "002003".into(),
        sql_state: "02000".into(),
        message: format!(
            "SQL compilation error:\nWarehouse '{name}' does not exist or not authorized."
        ),
    })
}

impl Session for FakeAccount {
    fn execute<'a>(&'a self, sql: &'a str) -> BoxFuture<'a, Result<Rows, ExecError>> {
        Box::pin(async move { self.run(sql) })
    }

    fn describe(&self) -> String {
        "fake account".into()
    }
}

/// Starts a wire server over `account` on a free loopback port.
pub async fn start(account: Arc<FakeAccount>) -> RunningServer {
    let options = ServeOptions::new("127.0.0.1", 0, USER, Secret::new(PASSWORD));
    Server::bind(Arc::new(SharedSession(account)), options)
        .await
        .expect("a free loopback port can be bound")
        .spawn()
}

/// A raw HTTP answer.
#[derive(Debug)]
pub struct RawAnswer {
    /// The HTTP status code.
    pub status: u16,
    /// The body, which every answer of the server has as JSON.
    pub json: serde_json::Value,
}

/// Sends one POST with the given headers and body over a fresh connection.
pub async fn post(
    server: &RunningServer,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> RawAnswer {
    post_to(server.local_addr(), path, headers, body).await
}

/// [`post`] to an address.
pub async fn post_to(
    address: std::net::SocketAddr,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> RawAnswer {
    let mut stream = tokio::net::TcpStream::connect(address)
        .await
        .expect("the server accepts connections");
    let mut head = format!(
        "POST {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream
        .write_all(head.as_bytes())
        .await
        .expect("request is sent");
    stream.write_all(body).await.expect("request body is sent");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.expect("answer is read");
    let text = String::from_utf8(raw).expect("answers are UTF-8");
    let (head, body) = text
        .split_once("\r\n\r\n")
        .expect("an HTTP answer has a head");
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("the status line has a code");
    let json = serde_json::from_str(body).expect("every answer is JSON");
    RawAnswer { status, json }
}

/// Logs in over raw HTTP and returns the session token.
pub async fn login(server: &RunningServer) -> String {
    login_answer(server, "").await["token"]
        .as_str()
        .expect("a login answer has a token")
        .to_string()
}

/// Logs in over raw HTTP with `query` as the login's query string (none
/// when empty), which must succeed; returns the login answer's data.
pub async fn login_answer(server: &RunningServer, query: &str) -> serde_json::Value {
    let body = serde_json::json!({"data": {"LOGIN_NAME": USER, "PASSWORD": PASSWORD, "ACCOUNT_NAME": "local"}});
    let path = match query {
        "" => "/session/v1/login-request".to_string(),
        query => format!("/session/v1/login-request?{query}"),
    };
    let answer = post(
        server,
        &path,
        &[("Content-Type", "application/json")],
        body.to_string().as_bytes(),
    )
    .await;
    assert_eq!(answer.json["success"], true, "{}", answer.json);
    answer.json["data"].clone()
}

/// The Authorization header value a client sends with session `token`.
pub fn bearer(token: &str) -> String {
    format!("Snowflake Token=\"{token}\"")
}
