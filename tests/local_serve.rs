//! `floe local serve` as a user runs it: the embedded account of a project
//! served over Snowflake's HTTP protocol, reached with floe's own Snowflake
//! session (snowflake-connector-rs), and still there for `floe local exec`
//! after the server stops.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::{ENVIRONMENTS, Project};
use floe::connect::{Authentication, ConnectionConfig, Endpoint, Protocol, Secret};
use floe::session::{ExecError, Session};
use floe::snowflake::{RetryPolicy, SessionOptions, SnowflakeSession};

const PASSWORD: &str = "s3rve-Test-pw";

/// Kills the server when the test ends, whatever happens.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn project() -> Project {
    Project::with_environments(ENVIRONMENTS)
        .file(
            "config/environments.yaml",
            &format!("{ENVIRONMENTS}local:\n  seed: [seed.sql]\n"),
        )
        .file(
            "seed.sql",
            "CREATE DATABASE TEST_DB; CREATE SCHEMA TEST_DB.RAW;",
        )
}

/// Starts the server on a free port and returns it with the port it printed.
fn serve(project: &Project) -> (Server, u16) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_floe"))
        .arg("-C")
        .arg(project.path())
        .args([
            "local", "serve", "--env", "DEV", "--port", "0", "--user", "tester",
        ])
        .env("FLOE_LOCAL_PASSWORD", PASSWORD)
        .env_remove("FLOE_LOCAL_LATENCY_MS")
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

fn connection(port: u16, password: &str) -> ConnectionConfig {
    ConnectionConfig {
        name: "served".into(),
        source: None,
        account: "local".into(),
        user: Some("tester".into()),
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

fn options() -> SessionOptions {
    SessionOptions {
        query_timeout: Duration::from_secs(30),
        retry: RetryPolicy {
            attempts: 2,
            base: Duration::from_millis(10),
            cap: Duration::from_millis(20),
        },
    }
}

#[tokio::test]
async fn a_served_account_answers_the_snowflake_driver_and_keeps_what_it_did() {
    let project = project();
    let (server, port) = serve(&project);

    let session = SnowflakeSession::connect(&connection(port, PASSWORD), options())
        .await
        .expect("the served account accepts the password from FLOE_LOCAL_PASSWORD");
    session
        .execute("CREATE WAREHOUSE ML_WH WAREHOUSE_SIZE = XSMALL AUTO_SUSPEND = 60")
        .await
        .expect("DDL runs through the server");
    let rows = session
        .execute("SHOW WAREHOUSES LIKE 'ml_wh'")
        .await
        .expect("SHOW runs");
    let row = rows.iter().next().expect("the new warehouse is listed");
    assert_eq!(row.get("name"), Some("ML_WH"));
    assert_eq!(row.get("size"), Some("X-Small"));
    assert_eq!(row.get("auto_suspend"), Some("60"));

    match session.execute("DROP WAREHOUSE NO_SUCH_WH").await {
        Err(ExecError::Sql(e)) => {
            assert_eq!(e.code, "002003");
            assert!(e.message.contains("does not exist"), "{}", e.message);
        }
        other => panic!("expected Snowflake's does-not-exist error, got {other:?}"),
    }
    drop(server);

    project
        .run(&["local", "exec", "--env", "DEV", "SHOW WAREHOUSES"])
        .code(0)
        .stdout_has("ML_WH")
        .stdout_has("X-Small");
}

#[tokio::test]
async fn a_wrong_password_is_refused_as_an_authentication_failure() {
    let project = project();
    let (_server, port) = serve(&project);
    match SnowflakeSession::connect(&connection(port, "not-the-password"), options()).await {
        Err(ExecError::Auth(message)) => {
            assert!(
                message.contains("served"),
                "names the connection: {message}"
            );
            assert!(
                !message.contains("not-the-password"),
                "never shows the secret: {message}"
            );
        }
        Ok(_) => panic!("a wrong password must not log in"),
        Err(other) => panic!("expected an authentication failure, got {other:?}"),
    }
}

#[test]
fn serve_without_a_password_says_how_to_set_one() {
    let project = project();
    project
        .run_with_env(
            &["local", "serve", "--env", "DEV", "--port", "0"],
            &[("FLOE_LOCAL_PASSWORD", "")],
        )
        .code(1)
        .stderr_has("FLOE_LOCAL_PASSWORD");
}
