//! The [`Session`] of a real Snowflake account (or anything speaking its
//! protocol, such as `floe local serve`), over snowflake-connector-rs.
//!
//! It logs in with the connection's password, key pair or OAuth token,
//! runs each statement with a query timeout, retries transient failures
//! (connection refused or reset, HTTP 429/5xx) with exponential backoff,
//! logs in again when the session expires, and never retries a statement
//! Snowflake refused. Results come back as text cells. It knows nothing of
//! what the statements mean.

mod client;
mod failure;
mod retry;
mod rows;

pub use retry::RetryPolicy;

use std::sync::Arc;
use std::time::Duration;

use snowflake_connector_rs::Client;
use tokio::sync::Mutex;

use crate::connect::ConnectionConfig;
use crate::session::{BoxFuture, ExecError, Rows, Session};
use failure::{Failure, classify};

/// How statements are run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionOptions {
    /// The longest wait for one statement's answer.
    pub query_timeout: Duration,
    /// Backoff for transient failures.
    pub retry: RetryPolicy,
}

impl Default for SessionOptions {
    /// Two minutes per statement and [`RetryPolicy::default`].
    fn default() -> Self {
        SessionOptions {
            query_timeout: Duration::from_secs(120),
            retry: RetryPolicy::default(),
        }
    }
}

/// A logged-in Snowflake session that re-logs in when its token expires.
pub struct SnowflakeSession {
    label: String,
    client: Client,
    current: Mutex<Arc<snowflake_connector_rs::Session>>,
    options: SessionOptions,
}

impl SnowflakeSession {
    /// Logs in with `config`. Fails with [`ExecError::Auth`] naming the
    /// connection when the credentials are refused, and with
    /// [`ExecError::Connection`] when the account cannot be reached.
    pub async fn connect(
        config: &ConnectionConfig,
        options: SessionOptions,
    ) -> Result<Self, ExecError> {
        let label = format!("connection {} ({})", config.name, config.account);
        let client_config = client::client_config(config, &label, options.query_timeout)?;
        let client =
            Client::new(client_config).map_err(|e| classify(&e).into_exec_error(&label, 1))?;
        let session = login(&client, &label, options.retry).await?;
        Ok(SnowflakeSession {
            label,
            client,
            current: Mutex::new(Arc::new(session)),
            options,
        })
    }

    async fn run(&self, sql: &str) -> Result<Rows, ExecError> {
        let mut attempt = 1;
        let mut relogged = false;
        loop {
            let session = Arc::clone(&*self.current.lock().await);
            let failure = match query(&session, sql).await {
                Ok(rows) => return Ok(rows),
                Err(failure) => failure,
            };
            match failure {
                Failure::SessionExpired if !relogged => {
                    relogged = true;
                    self.relogin(&session).await?;
                }
                Failure::Retryable(_) => match self.options.retry.delay_before(attempt + 1) {
                    Some(wait) => {
                        tokio::time::sleep(wait).await;
                        attempt += 1;
                    }
                    None => return Err(failure.into_exec_error(&self.label, attempt)),
                },
                _ => return Err(failure.into_exec_error(&self.label, attempt)),
            }
        }
    }

    /// Replaces `stale` by a fresh login, unless another statement already did.
    async fn relogin(&self, stale: &Arc<snowflake_connector_rs::Session>) -> Result<(), ExecError> {
        let mut current = self.current.lock().await;
        if Arc::ptr_eq(&current, stale) {
            *current = Arc::new(login(&self.client, &self.label, self.options.retry).await?);
        }
        Ok(())
    }
}

impl Session for SnowflakeSession {
    fn execute<'a>(&'a self, sql: &'a str) -> BoxFuture<'a, Result<Rows, ExecError>> {
        Box::pin(self.run(sql))
    }

    /// A second login with the same connection, as its own session.
    fn open_sibling(&self) -> BoxFuture<'_, Result<Arc<dyn Session>, ExecError>> {
        Box::pin(async move {
            let session = login(&self.client, &self.label, self.options.retry).await?;
            let sibling: Arc<dyn Session> = Arc::new(SnowflakeSession {
                label: self.label.clone(),
                client: self.client.clone(),
                current: Mutex::new(Arc::new(session)),
                options: self.options,
            });
            Ok(sibling)
        })
    }

    fn describe(&self) -> String {
        self.label.clone()
    }
}

/// One statement, one attempt.
async fn query(session: &snowflake_connector_rs::Session, sql: &str) -> Result<Rows, Failure> {
    let table = async { session.query(sql.to_string()).await?.collect_table().await }
        .await
        .map_err(|e| classify(&e))?;
    rows::to_rows(&table).map_err(|e| classify(&e))
}

/// Logs in, retrying transient failures.
async fn login(
    client: &Client,
    label: &str,
    retry: RetryPolicy,
) -> Result<snowflake_connector_rs::Session, ExecError> {
    let mut attempt = 1;
    loop {
        let failure = match client.create_session().await {
            Ok(session) => return Ok(session),
            Err(error) => classify(&error),
        };
        match (&failure, retry.delay_before(attempt + 1)) {
            (Failure::Retryable(_), Some(wait)) => {
                tokio::time::sleep(wait).await;
                attempt += 1;
            }
            // A refused statement at login is a refused login.
            (Failure::Sql(error), _) => {
                return Err(Failure::Auth(error.message.clone()).into_exec_error(label, attempt));
            }
            _ => return Err(failure.into_exec_error(label, attempt)),
        }
    }
}
