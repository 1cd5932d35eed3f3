//! `floe local serve` as a user runs it: the embedded account of a project
//! served over Snowflake's HTTP protocol, reached with floe's own Snowflake
//! session (snowflake-connector-rs), and still there for `floe local exec`
//! after the server stops.

mod common;

use common::serve::{SERVE_USER, connection, quick_retries, serve};
use common::{ENVIRONMENTS, Project};
use floe::session::{ExecError, Session};
use floe::snowflake::SnowflakeSession;

const PASSWORD: &str = "s3rve-Test-pw";

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

#[tokio::test]
async fn a_served_account_answers_the_snowflake_driver_and_keeps_what_it_did() {
    let project = project();
    let (server, port) = serve(&project, PASSWORD);

    let session =
        SnowflakeSession::connect(&connection(port, SERVE_USER, PASSWORD), quick_retries())
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
    let (_server, port) = serve(&project, PASSWORD);
    match SnowflakeSession::connect(
        &connection(port, SERVE_USER, "not-the-password"),
        quick_retries(),
    )
    .await
    {
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
            &["local", "serve", "--port", "0"],
            &[("FLOE_LOCAL_PASSWORD", "")],
        )
        .code(1)
        .stderr_has("FLOE_LOCAL_PASSWORD");
}
