//! The served account: `floe local serve` as a child process, for tests
//! that talk to it over HTTP, and how a client connects to a served account.

use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::time::Duration;

use floe::connect::{Authentication, ConnectionConfig, Endpoint, Protocol, Secret};
use floe::snowflake::{RetryPolicy, SessionOptions};

use super::Project;

/// The user the served account accepts.
pub const SERVE_USER: &str = "tester";

/// Kills the server when the test ends, whatever happens.
pub struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `floe local serve` for `project` on a free port and returns it with the port it printed.
pub fn serve(project: &Project, password: &str) -> (Server, u16) {
    serve_slowly(project, password, 0)
}

impl Server {
    /// Stops the server at once, as a crash or a lost network would.
    pub fn kill(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// [`serve`], answering every statement after `latency_ms` milliseconds.
pub fn serve_slowly(project: &Project, password: &str, latency_ms: u64) -> (Server, u16) {
    let latency = latency_ms.to_string();
    let mut child = project
        .command(
            &["local", "serve", "--port", "0", "--user", SERVE_USER],
            &[
                ("FLOE_LOCAL_PASSWORD", password),
                ("FLOE_LOCAL_LATENCY_MS", &latency),
            ],
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("floe starts");
    let stdout = child.stdout.take().expect("stdout was piped above");
    let server = Server(child);
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("the server prints its address");
    let port = line
        .trim()
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("expected `listening on http://127.0.0.1:PORT`, got {line:?}"));
    (server, port)
}

/// Writes connection `served` for the server on `port` into the
/// project's test home (`SNOWFLAKE_HOME`), readable by its owner only.
pub fn write_connection(project: &Project, port: u16, password: &str) {
    use std::os::unix::fs::PermissionsExt;
    let dir = project.path().join(".home/.snowflake");
    std::fs::create_dir_all(&dir).expect("folders can be created");
    let file = dir.join("connections.toml");
    let text = format!(
        "[served]\naccount = \"local\"\nuser = \"{SERVE_USER}\"\npassword = \"{password}\"\n\
         host = \"127.0.0.1\"\nport = {port}\nprotocol = \"http\"\n"
    );
    std::fs::write(&file, text).expect("the connections file can be written");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600))
        .expect("permissions can be set");
}

/// Connection `served` to the account served on `port` of the loopback
/// interface over plain HTTP, as `user` with `password`.
pub fn connection(port: u16, user: &str, password: &str) -> ConnectionConfig {
    ConnectionConfig {
        name: "served".into(),
        source: None,
        account: "local".into(),
        user: Some(user.into()),
        role: None,
        warehouse: None,
        database: None,
        schema: None,
        authentication: Authentication::Password(Secret::new(password)),
        endpoint: Some(Endpoint {
            protocol: Protocol::Http,
            host: "127.0.0.1".into(),
            port: Some(port),
        }),
    }
}

/// Session options that retry a transient failure three times within
/// milliseconds, so that tests of failures stay short.
pub fn quick_retries() -> SessionOptions {
    SessionOptions {
        query_timeout: Duration::from_secs(60),
        retry: RetryPolicy {
            attempts: 3,
            base: Duration::from_millis(10),
            cap: Duration::from_millis(50),
        },
    }
}
