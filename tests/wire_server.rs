//! The wire server's protocol, spoken by hand over real HTTP on loopback:
//! what a Snowflake client sees at each endpoint.

mod common;

use std::io::Write;

use common::wire::{FakeAccount, PASSWORD, USER, bearer, login, post, start};
use serde_json::json;

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder
        .write_all(bytes)
        .expect("writing to memory cannot fail");
    encoder.finish().expect("writing to memory cannot fail")
}

#[tokio::test]
async fn wrong_password_is_refused_with_snowflakes_login_error() {
    let server = start(FakeAccount::new()).await;
    let body = json!({"data": {"LOGIN_NAME": USER, "PASSWORD": "nope", "ACCOUNT_NAME": "local"}});
    let answer = post(
        &server,
        "/session/v1/login-request",
        &[],
        body.to_string().as_bytes(),
    )
    .await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.json["success"], false);
    assert_eq!(answer.json["code"], "390100");
    assert_eq!(
        answer.json["message"],
        "Incorrect username or password was specified."
    );
    assert!(!answer.json.to_string().contains(PASSWORD));
    server.shutdown().await;
}

#[tokio::test]
async fn login_answers_tokens_session_and_parameters() {
    let server = start(FakeAccount::new()).await;
    let body = json!({"data": {"LOGIN_NAME": USER.to_uppercase(), "PASSWORD": PASSWORD, "ACCOUNT_NAME": "local"}});
    let answer = post(
        &server,
        "/session/v1/login-request?databaseName=ML&warehouse=COMPUTE_WH",
        &[],
        body.to_string().as_bytes(),
    )
    .await;
    let data = &answer.json["data"];
    assert_eq!(answer.json["success"], true, "{}", answer.json);
    assert!(data["token"].as_str().is_some_and(|t| !t.is_empty()));
    assert!(data["masterToken"].as_str().is_some_and(|t| !t.is_empty()));
    assert!(data["sessionId"].is_u64());
    assert!(data["parameters"].is_array());
    assert_eq!(data["sessionInfo"]["databaseName"], "ML");
    assert_eq!(data["sessionInfo"]["warehouseName"], "COMPUTE_WH");
    server.shutdown().await;
}

#[tokio::test]
async fn a_gzip_query_request_returns_a_json_result_set() {
    let server = start(FakeAccount::new()).await;
    let token = login(&server).await;
    let body = gzip(
        json!({"sqlText": "SHOW WAREHOUSES", "sequenceId": 1})
            .to_string()
            .as_bytes(),
    );
    let answer = post(
        &server,
        "/queries/v1/query-request?requestId=r1",
        &[
            ("Authorization", &bearer(&token)),
            ("Content-Encoding", "gzip"),
        ],
        &body,
    )
    .await;
    let data = &answer.json["data"];
    assert_eq!(answer.json["success"], true, "{}", answer.json);
    assert_eq!(data["queryResultFormat"], "json");
    let names: Vec<&str> = data["rowtype"]
        .as_array()
        .expect("rowtype is a list")
        .iter()
        .filter_map(|c| c["name"].as_str())
        .collect();
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
    assert_eq!(data["rowtype"][3]["type"], "fixed");
    assert_eq!(
        data["rowset"],
        json!([[
            "COMPUTE_WH",
            "SUSPENDED",
            "X-Small",
            "600",
            "1",
            "1700000000.123",
            null
        ]])
    );
    assert_eq!(data["total"], 1);
    assert!(data["queryId"].as_str().is_some());
    server.shutdown().await;
}

#[tokio::test]
async fn a_refused_statement_answers_code_sqlstate_and_message() {
    let server = start(FakeAccount::new()).await;
    let token = login(&server).await;
    let body = json!({"sqlText": "ALTER WAREHOUSE NOPE SET WAREHOUSE_SIZE = LARGE"});
    let answer = post(
        &server,
        "/queries/v1/query-request",
        &[("Authorization", &bearer(&token))],
        body.to_string().as_bytes(),
    )
    .await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.json["success"], false);
    assert_eq!(answer.json["code"], "002003");
    assert_eq!(answer.json["data"]["sqlState"], "02000");
    assert_eq!(
        answer.json["message"],
        "SQL compilation error:\nWarehouse 'NOPE' does not exist or not authorized."
    );
    server.shutdown().await;
}

#[tokio::test]
async fn queries_without_a_live_token_are_refused() {
    let server = start(FakeAccount::new()).await;
    let body = json!({"sqlText": "SHOW WAREHOUSES"}).to_string();
    let missing = post(&server, "/queries/v1/query-request", &[], body.as_bytes()).await;
    assert_eq!(missing.status, 401);
    assert_eq!(missing.json["success"], false);

    let unknown = post(
        &server,
        "/queries/v1/query-request",
        &[("Authorization", &bearer("made-up"))],
        body.as_bytes(),
    )
    .await;
    assert_eq!(unknown.status, 200);
    assert_eq!(unknown.json["success"], false);
    assert_eq!(unknown.json["code"], "390112");
    server.shutdown().await;
}

#[tokio::test]
async fn a_renewed_token_works_and_the_old_one_does_not() {
    let server = start(FakeAccount::new()).await;
    let body = json!({"data": {"LOGIN_NAME": USER, "PASSWORD": PASSWORD}}).to_string();
    let login = post(&server, "/session/v1/login-request", &[], body.as_bytes()).await;
    let old = login.json["data"]["token"]
        .as_str()
        .expect("token")
        .to_string();
    let master = login.json["data"]["masterToken"]
        .as_str()
        .expect("master")
        .to_string();

    let renew_body = json!({"oldSessionToken": old, "requestType": "RENEW"}).to_string();
    let renewed = post(
        &server,
        "/session/token-request?requestId=r",
        &[("Authorization", &bearer(&master))],
        renew_body.as_bytes(),
    )
    .await;
    assert_eq!(renewed.json["success"], true, "{}", renewed.json);
    let new = renewed.json["data"]["sessionToken"]
        .as_str()
        .expect("new token");

    let heartbeat = |token: String| {
        let server = &server;
        async move {
            post(
                server,
                "/session/heartbeat",
                &[("Authorization", &bearer(&token))],
                b"",
            )
            .await
        }
    };
    assert_eq!(heartbeat(new.to_string()).await.json["success"], true);
    assert_eq!(heartbeat(old.clone()).await.json["code"], "390112");
    server.shutdown().await;
}

#[tokio::test]
async fn logout_ends_the_session() {
    let server = start(FakeAccount::new()).await;
    let token = login(&server).await;
    let auth = bearer(&token);
    let logout = post(
        &server,
        "/session?delete=true",
        &[("Authorization", &auth)],
        b"{}",
    )
    .await;
    assert_eq!(logout.json["success"], true);
    let body = json!({"sqlText": "SHOW WAREHOUSES"}).to_string();
    let after = post(
        &server,
        "/queries/v1/query-request",
        &[("Authorization", &auth)],
        body.as_bytes(),
    )
    .await;
    assert_eq!(after.json["code"], "390112");
    server.shutdown().await;
}

#[tokio::test]
async fn an_unknown_endpoint_is_a_json_404() {
    let server = start(FakeAccount::new()).await;
    let answer = post(&server, "/api/v2/statements", &[], b"{}").await;
    assert_eq!(answer.status, 404);
    assert_eq!(answer.json["success"], false);
    server.shutdown().await;
}

/// Passes whatever is written to it on to a channel.
struct ChannelWriter(tokio::sync::mpsc::UnboundedSender<Vec<u8>>);

impl Write for ChannelWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let _ = self.0.send(bytes.to_vec());
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn serve_on_port_zero_prints_the_url_it_listens_on() {
    let (sender, mut written) = tokio::sync::mpsc::unbounded_channel();
    let mut out = ChannelWriter(sender);
    let options =
        floe::wire::ServeOptions::new("127.0.0.1", 0, USER, floe::connect::Secret::new(PASSWORD));
    let client = async {
        let mut text = String::new();
        while !text.ends_with('\n') {
            let chunk = written.recv().await.expect("serve prints before serving");
            text.push_str(&String::from_utf8_lossy(&chunk));
        }
        let url = text
            .trim()
            .strip_prefix("listening on http://")
            .unwrap_or_else(|| panic!("unexpected announcement: {text:?}"));
        let address: std::net::SocketAddr = url.parse().expect("the URL names host:port");
        assert_ne!(address.port(), 0);
        let body = json!({"data": {"LOGIN_NAME": USER, "PASSWORD": PASSWORD}}).to_string();
        common::wire::post_to(address, "/session/v1/login-request", &[], body.as_bytes()).await
    };
    tokio::select! {
        result = floe::wire::serve(std::sync::Arc::new(floe::wire::SharedSession(FakeAccount::new())), options, &mut out) => {
            panic!("serve returned: {result:?}")
        }
        answer = client => assert_eq!(answer.json["success"], true, "{}", answer.json),
    }
}

#[tokio::test]
async fn malformed_requests_get_json_errors_and_the_server_keeps_serving() {
    let server = start(FakeAccount::new()).await;
    let not_json = post(&server, "/session/v1/login-request", &[], b"{\"data\": [").await;
    assert_eq!(not_json.status, 400);
    assert_eq!(not_json.json["success"], false);
    let corrupt = post(
        &server,
        "/session/v1/login-request",
        &[("Content-Encoding", "gzip")],
        b"definitely not gzip",
    )
    .await;
    assert_eq!(corrupt.status, 400);
    let token = login(&server).await;
    let no_sql = post(
        &server,
        "/queries/v1/query-request",
        &[("Authorization", &bearer(&token))],
        b"{\"sqlText\": 42}",
    )
    .await;
    assert_eq!(no_sql.status, 400);
    assert!(!login(&server).await.is_empty(), "the server still serves");
    server.shutdown().await;
}
