//! The wire server's sessions spoken by hand over real HTTP: what a login
//! makes current, statement parameters in the query request, the results
//! of a multi-statement request fetched by query id, and result chunks,
//! which only their own URL opens.

mod common;

use std::sync::Arc;

use common::local::conformance_seed;
use common::wire::{PASSWORD, USER, bearer, login_answer, post};
use floe::connect::Secret;
use floe::local::LocalAccount;
use floe::wire::{RunningServer, ServeOptions, Server};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

async fn start() -> (tempfile::TempDir, RunningServer) {
    let dir = tempfile::tempdir().expect("a temporary folder can be created");
    let account = LocalAccount::open(&dir.path().join("account.json"), &[], None)
        .expect("a new account opens");
    account
        .execute_sync(&conformance_seed(2500))
        .expect("the account is set up");
    let options = ServeOptions::new("127.0.0.1", 0, USER, Secret::new(PASSWORD));
    let server = Server::bind(Arc::new(account), options)
        .await
        .expect("a free loopback port can be bound")
        .spawn();
    (dir, server)
}

/// The Authorization header value of the session a login answered.
fn token(login: &Value) -> String {
    bearer(login["token"].as_str().expect("a login answer has a token"))
}

async fn query(server: &RunningServer, login: &Value, body: Value) -> Value {
    let auth = token(login);
    post(
        server,
        "/queries/v1/query-request",
        &[("Authorization", auth.as_str())],
        body.to_string().as_bytes(),
    )
    .await
    .json
}

/// A raw GET of `url` (a path, or a full URL whose path is asked for);
/// returns the status and the body text.
async fn get(server: &RunningServer, url: &str, authorization: Option<&str>) -> (u16, String) {
    let path = match url.strip_prefix("http://") {
        Some(rest) => rest.find('/').map_or("/", |at| &rest[at..]),
        None => url,
    };
    let mut stream = tokio::net::TcpStream::connect(server.local_addr())
        .await
        .expect("the server accepts connections");
    let mut head = format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
    if let Some(auth) = authorization {
        head.push_str(&format!("Authorization: {auth}\r\n"));
    }
    head.push_str("\r\n");
    stream
        .write_all(head.as_bytes())
        .await
        .expect("request is sent");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.expect("answer is read");
    let text = String::from_utf8(raw).expect("answers are UTF-8");
    let (head, body) = text.split_once("\r\n\r\n").expect("an answer has a head");
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("the status line has a code");
    (status, body.to_string())
}

#[tokio::test]
async fn a_login_answers_the_context_it_made_current() {
    let (_dir, server) = start().await;
    let data = login_answer(
        &server,
        "databaseName=conf_db&schemaName=raw&warehouse=NO_SUCH_WH&roleName=sysadmin",
    )
    .await;
    let info = &data["sessionInfo"];
    assert_eq!(info["databaseName"], "CONF_DB");
    assert_eq!(info["schemaName"], "RAW");
    assert_eq!(info["warehouseName"], Value::Null);
    assert_eq!(info["roleName"], "SYSADMIN");
    let missing = login_answer(&server, "databaseName=NO_SUCH_DB").await;
    assert_eq!(missing["sessionInfo"]["databaseName"], Value::Null);
    assert_ne!(data["sessionId"], missing["sessionId"]);
}

#[tokio::test]
async fn statement_parameters_allow_several_statements_for_one_request() {
    let (_dir, server) = start().await;
    let session = login_answer(&server, "databaseName=CONF_DB").await;
    let two = "SELECT CURRENT_SCHEMA(); USE SCHEMA CONF_DB.RAW; SELECT CURRENT_SCHEMA()";
    let refused = query(&server, &session, json!({"sqlText": two})).await;
    assert_eq!(refused["success"], false);
    assert_eq!(refused["code"], "000008");
    assert_eq!(refused["data"]["sqlState"], "0A000");
    assert_eq!(
        refused["message"],
        "Actual statement count 3 did not match the desired statement count 1."
    );
    let ran = query(
        &server,
        &session,
        json!({"sqlText": two, "parameters": {"MULTI_STATEMENT_COUNT": 3}}),
    )
    .await;
    assert_eq!(ran["success"], true, "{ran}");
    assert_eq!(
        ran["data"]["rowset"],
        json!([["Multiple statements executed successfully."]])
    );
    let ids: Vec<&str> = ran["data"]["resultIds"]
        .as_str()
        .expect("several results are listed by id")
        .split(',')
        .collect();
    assert_eq!(ids.len(), 3);
    let auth = token(&session);
    let mut seen = Vec::new();
    for id in &ids {
        let (status, body) = get(&server, &format!("/queries/{id}/result"), Some(&auth)).await;
        assert_eq!(status, 200);
        let answer: Value = serde_json::from_str(&body).expect("a kept result is JSON");
        assert_eq!(answer["data"]["queryId"], *id);
        seen.push(answer["data"]["rowset"][0][0].clone());
    }
    assert_eq!(
        seen,
        [
            json!("PUBLIC"),
            json!("Statement executed successfully."),
            json!("RAW")
        ]
    );
    // The statement parameter lasted one request; the USE stays.
    let again = query(&server, &session, json!({"sqlText": two})).await;
    assert_eq!(again["code"], "000008");
    let now = query(
        &server,
        &session,
        json!({"sqlText": "SELECT CURRENT_SCHEMA()"}),
    )
    .await;
    assert_eq!(now["data"]["rowset"], json!([["RAW"]]));
    assert_eq!(now["data"]["finalDatabaseName"], "CONF_DB");
    assert_eq!(now["data"]["finalSchemaName"], "RAW");
    // Another session cannot read this session's results.
    let other = login_answer(&server, "").await;
    let (_, body) = get(
        &server,
        &format!("/queries/{}/result", ids[0]),
        Some(&token(&other)),
    )
    .await;
    let answer: Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(answer["success"], false);
    assert_eq!(answer["code"], "000709");
}

#[tokio::test]
async fn a_large_result_comes_in_chunks_that_only_their_url_opens() {
    let (_dir, server) = start().await;
    let session = login_answer(&server, "").await;
    let answer = query(
        &server,
        &session,
        json!({"sqlText": "SHOW TABLES IN SCHEMA CONF_DB.BIG"}),
    )
    .await;
    let data = &answer["data"];
    assert_eq!(data["total"], 2500);
    let inline = data["rowset"].as_array().expect("a first page").len();
    let chunks = data["chunks"].as_array().expect("the rest in chunks");
    let mut rows = inline;
    for chunk in chunks {
        let url = chunk["url"].as_str().expect("a chunk has a URL");
        let (status, body) = get(&server, url, None).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(chunk["uncompressedSize"], body.len());
        let parsed: Value =
            serde_json::from_str(&format!("[{body}]")).expect("a chunk is rows with commas");
        let count = parsed.as_array().map_or(0, Vec::len);
        assert_eq!(chunk["rowCount"], count);
        rows += count;
        let (refused, _) = get(&server, &url.replace("key=", "key=x"), None).await;
        assert_eq!(refused, 404);
    }
    assert_eq!(rows, 2500);
    assert!(!chunks.is_empty());
}
