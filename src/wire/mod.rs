//! The wire server: any [`Session`] served over Snowflake's HTTP query
//! protocol, so that the Snowflake connectors (Python, snowflake-connector-rs)
//! can log in and run statements against it as against an account.
//!
//! It speaks the endpoints those connectors call (login, query, kept
//! results and result chunks, token renewal, heartbeat, logout, abort,
//! telemetry) with JSON result sets. Each login opens its own session of
//! the [`Account`] it serves, as Snowflake's logins do; statements run in
//! the caller's session. It never interprets SQL and keeps no account
//! state of its own, only who is logged in and their latest results. It
//! reports problems through [`Warnings`] and prints nothing itself. It
//! listens on loopback unless told otherwise; it is a test and development
//! endpoint, not a hardened service (plain HTTP, one user).

mod http;
mod protocol;
mod results;
mod routes;
mod tokens;

use std::fmt;
use std::io::Write;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::connect::Secret;
use crate::session::{Account, ExecError, LoginContext, LoginSession, Session};
use routes::Routes;

/// Where the server reports what goes wrong outside any request (a failed
/// accept): a callback chosen by the caller; nothing is reported by default.
#[derive(Clone, Default)]
pub struct Warnings(Option<Arc<Report>>);

/// What receives a warning's text.
type Report = dyn Fn(&str) + Send + Sync;

impl Warnings {
    /// Reports each warning to `report`.
    pub fn to(report: impl Fn(&str) + Send + Sync + 'static) -> Self {
        Warnings(Some(Arc::new(report)))
    }

    /// Reports one warning.
    pub fn warn(&self, message: &str) {
        if let Some(report) = &self.0 {
            report(message);
        }
    }
}

impl fmt::Debug for Warnings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_some() {
            "Warnings(reported)"
        } else {
            "Warnings(dropped)"
        })
    }
}

/// An account whose logins all share one session: for a [`Session`] that
/// keeps no per-login context (a test double, or a session proxied to
/// another account). Each login sees what the others did.
pub struct SharedSession(pub Arc<dyn Session>);

impl Account for SharedSession {
    fn open_session(
        &self,
        _session_id: u64,
        login: &LoginContext,
    ) -> Result<LoginSession, ExecError> {
        Ok(LoginSession {
            session: Arc::clone(&self.0),
            current: login.clone(),
        })
    }
}

/// The environment variable giving a delay, in milliseconds, before each statement.
pub const LATENCY_VARIABLE: &str = "FLOE_LOCAL_LATENCY_MS";

/// Where the server listens and whom it lets in.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Address to listen on, `127.0.0.1` unless you mean otherwise.
    pub host: String,
    /// TCP port; `0` picks a free one (see [`Server::url`]).
    pub port: u16,
    /// The login name clients must use (compared case-insensitively, as Snowflake does).
    pub user: String,
    /// The password clients must use.
    pub password: Secret,
    /// A delay before each statement, to imitate a remote account.
    pub latency: Duration,
    /// Where problems outside any request are reported.
    pub warnings: Warnings,
}

impl ServeOptions {
    /// Options with the latency taken from `FLOE_LOCAL_LATENCY_MS` (none when
    /// unset or not a number). If the served session already sleeps for the
    /// same variable, open it without latency to avoid counting it twice.
    pub fn new(
        host: impl Into<String>,
        port: u16,
        user: impl Into<String>,
        password: Secret,
    ) -> Self {
        let latency = latency_from(std::env::var(LATENCY_VARIABLE).ok().as_deref());
        ServeOptions {
            host: host.into(),
            port,
            user: user.into(),
            password,
            latency,
            warnings: Warnings::default(),
        }
    }
}

/// The delay a `FLOE_LOCAL_LATENCY_MS` value asks for; none when it is
/// absent or not a whole number of milliseconds.
pub fn latency_from(value: Option<&str>) -> Duration {
    value
        .and_then(|ms| ms.trim().parse::<u64>().ok())
        .map_or(Duration::ZERO, Duration::from_millis)
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum WireError {
    /// The address could not be bound (in use, not local, no permission).
    #[error("cannot listen on {address}: {source}")]
    Bind {
        /// `host:port` as given.
        address: String,
        /// The OS error.
        source: std::io::Error,
    },
}

impl WireError {
    /// How to fix it.
    pub fn hint(&self) -> &'static str {
        match self {
            WireError::Bind { .. } => {
                "choose another port with `--port`, or `--port 0` to let the system pick a free one"
            }
        }
    }
}

/// A bound server, not yet serving.
pub struct Server {
    listener: TcpListener,
    address: SocketAddr,
    routes: Arc<Routes>,
    warnings: Warnings,
}

impl Server {
    /// Binds `options.host:options.port` for `account`.
    pub async fn bind(
        account: Arc<dyn Account>,
        options: ServeOptions,
    ) -> Result<Server, WireError> {
        let address = format!("{}:{}", options.host, options.port);
        let bind_error = |source| WireError::Bind {
            address: address.clone(),
            source,
        };
        let listener = TcpListener::bind((options.host.as_str(), options.port))
            .await
            .map_err(bind_error)?;
        let local = listener.local_addr().map_err(bind_error)?;
        let routes = Routes::new(
            account,
            &options.user,
            options.password,
            options.latency,
            format!("http://{local}"),
        );
        Ok(Server {
            listener,
            address: local,
            routes: Arc::new(routes),
            warnings: options.warnings,
        })
    }

    /// The bound address (with the real port when `0` was asked for).
    pub fn local_addr(&self) -> SocketAddr {
        self.address
    }

    /// The base URL clients connect to, e.g. `http://127.0.0.1:8085`.
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// Serves until the process ends.
    pub async fn run(self) {
        http::accept_until(
            self.listener,
            self.routes,
            self.warnings,
            std::future::pending(),
        )
        .await;
    }

    /// Serves in a background task of the current tokio runtime.
    pub fn spawn(self) -> RunningServer {
        let (stop, stopped) = oneshot::channel::<()>();
        let address = self.address;
        let task = tokio::spawn(http::accept_until(
            self.listener,
            self.routes,
            self.warnings,
            async {
                // Either an explicit stop or the handle being dropped ends serving.
                let _ = stopped.await;
            },
        ));
        RunningServer {
            address,
            stop,
            task,
        }
    }
}

/// A server serving in the background; dropping it stops it.
pub struct RunningServer {
    address: SocketAddr,
    stop: oneshot::Sender<()>,
    task: JoinHandle<()>,
}

impl RunningServer {
    /// The bound address.
    pub fn local_addr(&self) -> SocketAddr {
        self.address
    }

    /// The base URL clients connect to.
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// Stops accepting, closes every open connection and waits until it is done.
    pub async fn shutdown(self) {
        let _ = self.stop.send(());
        let _ = self.task.await;
    }
}

/// Serves `account` until the process ends, first printing
/// `listening on http://HOST:PORT` on `out` (flushed, so that a script
/// started with `--port 0` can read the port).
pub async fn serve(
    account: Arc<dyn Account>,
    options: ServeOptions,
    out: &mut dyn Write,
) -> Result<(), WireError> {
    let server = Server::bind(account, options).await?;
    // A closed stdout must not stop the server; clients may still use it.
    let _ = writeln!(out, "listening on {}", server.url());
    let _ = out.flush();
    server.run().await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latency_is_read_in_milliseconds_and_ignored_when_malformed() {
        assert_eq!(latency_from(Some("250")), Duration::from_millis(250));
        assert_eq!(latency_from(Some(" 5 ")), Duration::from_millis(5));
        assert_eq!(latency_from(Some("fast")), Duration::ZERO);
        assert_eq!(latency_from(None), Duration::ZERO);
    }
}
