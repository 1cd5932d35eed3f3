//! floe's Snowflake session (snowflake-connector-rs) against the wire
//! server over real HTTP on loopback: the path a real account takes, end
//! to end on one machine.

mod common;

use common::serve::{connection, quick_retries};
use common::wire::{FakeAccount, PASSWORD, USER, start};
use floe::connect::{Authentication, Secret, Sources, load_connection_from};
use floe::session::{ColumnType, ExecError, Session};
use floe::snowflake::SnowflakeSession;

async fn connect(port: u16) -> SnowflakeSession {
    SnowflakeSession::connect(&connection(port, USER, PASSWORD), quick_retries())
        .await
        .expect("the served account accepts the test credentials")
}

#[tokio::test]
async fn show_warehouses_comes_back_with_snowflakes_columns_and_text_cells() {
    let server = start(FakeAccount::new()).await;
    let session = connect(server.local_addr().port()).await;
    let rows = session
        .execute("SHOW WAREHOUSES")
        .await
        .expect("SHOW works");
    let names: Vec<&str> = rows.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "name",
            "state",
            "size",
            "auto_suspend",
            "auto_resume",
            "created_on",
            "comment"
        ]
    );
    assert_eq!(rows.columns[3].ty, ColumnType::Fixed);
    assert_eq!(rows.columns[4].ty, ColumnType::Boolean);
    assert_eq!(rows.columns[5].ty, ColumnType::TimestampLtz);
    let row = rows.iter().next().expect("one warehouse");
    assert_eq!(row.get("name"), Some("COMPUTE_WH"));
    assert_eq!(row.get("auto_suspend"), Some("600"));
    assert_eq!(row.get("auto_resume"), Some("true"));
    assert_eq!(row.get("created_on"), Some("1700000000.123"));
    assert_eq!(row.get("comment"), None);
    assert_eq!(session.describe(), "connection served (local)");
    server.shutdown().await;
}

#[tokio::test]
async fn create_and_alter_are_seen_by_the_next_show() {
    let server = start(FakeAccount::new()).await;
    let session = connect(server.local_addr().port()).await;
    let created = session
        .execute("CREATE WAREHOUSE ML_WH WAREHOUSE_SIZE = XSMALL")
        .await
        .expect("CREATE works");
    assert_eq!(
        created.rows,
        vec![vec![Some("Warehouse ML_WH successfully created.".into())]]
    );
    session
        .execute("ALTER WAREHOUSE ML_WH SET WAREHOUSE_SIZE = LARGE")
        .await
        .expect("ALTER works");
    let rows = session
        .execute("SHOW WAREHOUSES")
        .await
        .expect("SHOW works");
    let ml = rows
        .iter()
        .find(|r| r.get("name") == Some("ML_WH"))
        .expect("ML_WH is listed");
    assert_eq!(ml.get("size"), Some("LARGE"));
    server.shutdown().await;
}

#[tokio::test]
async fn a_refused_statement_is_a_sql_error_with_code_and_message() {
    let server = start(FakeAccount::new()).await;
    let session = connect(server.local_addr().port()).await;
    let error = session
        .execute("ALTER WAREHOUSE NOPE SET WAREHOUSE_SIZE = LARGE")
        .await
        .expect_err("NOPE does not exist");
    let ExecError::Sql(sql) = error else {
        panic!("a refused statement is a SQL error, got {error:?}");
    };
    assert_eq!(sql.code, "002003");
    assert_eq!(
        sql.message,
        "SQL compilation error:\nWarehouse 'NOPE' does not exist or not authorized."
    );
    server.shutdown().await;
}

#[tokio::test]
async fn a_wrong_password_is_an_auth_error_naming_the_connection_not_the_password() {
    let server = start(FakeAccount::new()).await;
    let wrong = "wrong-pw-0xdead";
    let result = SnowflakeSession::connect(
        &connection(server.local_addr().port(), USER, wrong),
        quick_retries(),
    )
    .await;
    let Err(ExecError::Auth(message)) = result else {
        panic!("a wrong password is an auth error");
    };
    assert!(message.contains("connection served (local)"), "{message}");
    assert!(
        message.contains("Incorrect username or password"),
        "{message}"
    );
    assert!(message.contains("check"), "{message}");
    assert!(
        !message.contains(wrong) && !message.contains(PASSWORD),
        "{message}"
    );
    server.shutdown().await;
}

#[tokio::test]
async fn a_server_gone_mid_run_is_a_transient_connection_error() {
    let server = start(FakeAccount::new()).await;
    let session = connect(server.local_addr().port()).await;
    session
        .execute("SHOW WAREHOUSES")
        .await
        .expect("the server is up");
    server.shutdown().await;
    let error = session
        .execute("SHOW WAREHOUSES")
        .await
        .expect_err("the server is gone");
    let ExecError::Connection { message, transient } = error else {
        panic!("a vanished server is a connection error, got {error:?}");
    };
    assert!(transient, "{message}");
    assert!(message.contains("connection served (local)"), "{message}");
    assert!(message.contains("gave up after 3 attempts"), "{message}");
}

#[tokio::test]
async fn a_restarted_server_is_logged_into_again() {
    let account = FakeAccount::new();
    let server = start(account.clone()).await;
    let address = server.local_addr();
    let session = connect(address.port()).await;
    server.shutdown().await;
    // The new server knows none of the old tokens: the session must log in again.
    let options =
        floe::wire::ServeOptions::new("127.0.0.1", address.port(), USER, Secret::new(PASSWORD));
    let restarted = floe::wire::Server::bind(
        std::sync::Arc::new(floe::wire::SharedSession(account)),
        options,
    )
    .await
    .expect("the port was just released")
    .spawn();
    let rows = session
        .execute("SHOW WAREHOUSES")
        .await
        .expect("re-login works");
    assert_eq!(rows.len(), 1);
    restarted.shutdown().await;
}

#[tokio::test]
async fn a_connection_from_connections_toml_reaches_the_served_account() {
    let server = start(FakeAccount::new()).await;
    let home = tempfile::tempdir().expect("a temporary directory can be created");
    let path = home.path().join("connections.toml");
    std::fs::write(
        &path,
        format!(
            "[served]\naccount = \"local\"\nuser = \"{USER}\"\nhost = \"127.0.0.1\"\nport = {}\nprotocol = \"http\"\n",
            server.local_addr().port()
        ),
    )
    .expect("temp dir is writable");
    let sources = Sources {
        snowflake_home: Some(home.path().to_path_buf()),
        home: None,
        env: [("SNOWFLAKE_PASSWORD".to_string(), PASSWORD.to_string())].into(),
    };
    let loaded = load_connection_from("served", &sources).expect("served is defined");
    let session = SnowflakeSession::connect(&loaded.config, quick_retries())
        .await
        .expect("the password from SNOWFLAKE_PASSWORD is accepted");
    let rows = session
        .execute("SHOW WAREHOUSES")
        .await
        .expect("SHOW works");
    assert_eq!(rows.len(), 1);
    server.shutdown().await;
}

#[tokio::test]
async fn an_unreadable_private_key_file_is_an_auth_error_naming_the_file() {
    let mut config = connection(9, USER, PASSWORD);
    config.authentication = Authentication::KeyPair {
        key: floe::connect::PrivateKey::File("/nonexistent/rsa_key.p8".into()),
        passphrase: Some(Secret::new("key-pass-phrase")),
    };
    let result = SnowflakeSession::connect(&config, quick_retries()).await;
    let Err(ExecError::Auth(message)) = result else {
        panic!("a missing key file is an auth error");
    };
    assert!(message.contains("connection served (local)"), "{message}");
    assert!(message.contains("/nonexistent/rsa_key.p8"), "{message}");
    assert!(!message.contains("key-pass-phrase"), "{message}");
}

#[tokio::test]
async fn a_malformed_private_key_is_refused_without_showing_it() {
    let server = start(FakeAccount::new()).await;
    let mut config = connection(server.local_addr().port(), USER, PASSWORD);
    let pem = "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n";
    config.authentication = Authentication::KeyPair {
        key: floe::connect::PrivateKey::Inline(Secret::new(pem)),
        passphrase: None,
    };
    let result = SnowflakeSession::connect(&config, quick_retries()).await;
    let Err(ExecError::Auth(message)) = result else {
        panic!("a malformed key is an auth error");
    };
    assert!(message.contains("private key"), "{message}");
    assert!(!message.contains("bm90IGEga2V5"), "{message}");
    server.shutdown().await;
}

#[tokio::test]
async fn an_oauth_token_the_account_does_not_accept_is_an_auth_error_without_the_token() {
    let server = start(FakeAccount::new()).await;
    let mut config = connection(server.local_addr().port(), USER, PASSWORD);
    config.authentication = Authentication::OAuth(Secret::new("oauth-tok-123"));
    let result = SnowflakeSession::connect(&config, quick_retries()).await;
    let Err(ExecError::Auth(message)) = result else {
        panic!("a refused token is an auth error");
    };
    assert!(message.contains("connection served (local)"), "{message}");
    assert!(!message.contains("oauth-tok-123"), "{message}");
    server.shutdown().await;
}

#[tokio::test]
async fn an_overloaded_account_is_retried_until_it_answers() {
    let account = FakeAccount::new();
    let server = start(account.clone()).await;
    let session = connect(server.local_addr().port()).await;
    account.fail_next(2);
    let rows = session
        .execute("SHOW WAREHOUSES")
        .await
        .expect("the third attempt succeeds");
    assert_eq!(rows.len(), 1);
    assert_eq!(account.received(), 3);
    server.shutdown().await;
}

#[tokio::test]
async fn a_refused_statement_is_sent_once() {
    let account = FakeAccount::new();
    let server = start(account.clone()).await;
    let session = connect(server.local_addr().port()).await;
    let error = session.execute("DROP WAREHOUSE NOPE").await;
    assert!(matches!(error, Err(ExecError::Sql(_))), "{error:?}");
    assert_eq!(account.received(), 1);
    server.shutdown().await;
}
