//! The state tables' statements run by floe's own Snowflake session
//! (snowflake-connector-rs) against `floe local serve`: the path a state
//! kept in Snowflake takes, end to end over HTTP. Row counts of DML come
//! back through the driver, a write from a stale serial lands nothing, and
//! the lock has one holder at a time across logins.

mod common;

use common::serve::{SERVE_USER, connection, quick_retries, serve};
use common::{ENVIRONMENTS, Project};
use floe::ident::Ident;
use floe::model::Address;
use floe::session::{Rows, Session};
use floe::snowflake::SnowflakeSession;
use floe::state::tables::{Changed, Head, StateTables, rows_changed};
use floe::state::{LockInfo, StateEntry};

const PASSWORD: &str = "st4te-Tables-pw";

fn project() -> Project {
    Project::with_environments(&format!("{ENVIRONMENTS}local:\n  seed: [seed.sql]\n"))
        .file("seed.sql", "CREATE DATABASE TEAM;")
}

async fn connect(port: u16) -> SnowflakeSession {
    SnowflakeSession::connect(&connection(port, SERVE_USER, PASSWORD), quick_retries())
        .await
        .expect("the served account accepts the test credentials")
}

async fn run(session: &(impl Session + ?Sized), sql: &str) -> Rows {
    session
        .execute(sql)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

fn tables() -> StateTables {
    StateTables::new(
        &Ident::from_resolved("TEAM"),
        &Ident::from_resolved("FLOE"),
        "DEV",
    )
}

fn entry(address: &Address, size: &str) -> StateEntry {
    let text = serde_json::json!({
        "kind": "warehouse",
        "fqn": address.name.to_string(),
        "declared_fingerprint": size,
        "live_fingerprint": size,
        "attributes": { "size": size },
        "depends_on": [],
        "applied_at": "2026-01-02T03:04:05Z",
        "git_commit": null
    });
    serde_json::from_value(text).expect("a state entry")
}

/// Runs one write; false when the serial moved since `head` was read.
async fn write(session: &SnowflakeSession, head: &Head, changed: &[Changed<'_>]) -> bool {
    let write = tables()
        .write(head, changed, "ci@runner", 10)
        .expect("entries serialize");
    run(session, "BEGIN").await;
    if rows_changed(&run(session, &write.swap).await) != 1 {
        run(session, "ROLLBACK").await;
        return false;
    }
    for sql in &write.rest {
        run(session, sql).await;
    }
    run(session, "COMMIT").await;
    true
}

#[tokio::test]
async fn state_written_through_the_driver_is_compared_and_swapped_and_locked() {
    let project = project();
    let (_server, port) = serve(&project, PASSWORD);
    let (first, second) = (connect(port).await, connect(port).await);
    let t = tables();
    for sql in t.create() {
        run(&first, &sql).await;
    }
    run(&first, &t.create_head("lineage-1", "me@laptop")).await;
    let read = t.head(&run(&second, &t.read_head()).await).unwrap();
    let start = read.expect("the head row is there");

    let address: Address = "warehouse.ML_WH".parse().unwrap();
    let small = entry(&address, "SMALL");
    let large = entry(&address, "LARGE");
    let add = [Changed {
        address: &address,
        before: None,
        after: Some(&small),
    }];
    assert!(write(&first, &start, &add).await);
    let stale = [Changed {
        address: &address,
        before: None,
        after: Some(&large),
    }];
    assert!(
        !write(&second, &start, &stale).await,
        "a second writer from serial 0 is refused"
    );
    let resources = t
        .resources(&run(&second, &t.read_resources()).await)
        .unwrap();
    assert_eq!(resources.get(&address), Some(&small));

    let lock_rows = run(&first, &t.read_lock()).await;
    run(&first, &t.create_lock_row(&lock_rows).unwrap()).await;
    let me = LockInfo::current("apply");
    let other = LockInfo {
        pid: me.pid + 1,
        ..me.clone()
    };
    let taken = run(&first, &t.acquire("lock-1", &me, Some("main"), None, 60)).await;
    assert_eq!(rows_changed(&taken), 1);
    let refused = run(&second, &t.acquire("lock-2", &other, None, None, 60)).await;
    assert_eq!(rows_changed(&refused), 0);
    let held = t.lock_row(&run(&second, &t.read_lock()).await);
    assert_eq!(held.holder.map(|h| (h.who, h.pid)), Some((me.who, me.pid)));
    assert!(!held.stale);
    assert_eq!(
        rows_changed(&run(&first, &t.release(Some("lock-1"))).await),
        1
    );
    assert_eq!(
        rows_changed(&run(&second, &t.acquire("lock-2", &other, None, None, 60)).await),
        1
    );
}

#[tokio::test]
async fn a_write_left_open_by_a_killed_client_is_not_seen_and_the_next_write_lands() {
    let project = project();
    let (_server, port) = serve(&project, PASSWORD);
    let (killed, next) = (connect(port).await, connect(port).await);
    let t = tables();
    for sql in t.create() {
        run(&killed, &sql).await;
    }
    run(&killed, &t.create_head("lineage-1", "me@laptop")).await;
    let start = t.head(&run(&killed, &t.read_head()).await).unwrap();
    let start = start.expect("the head row is there");
    let address: Address = "warehouse.ML_WH".parse().unwrap();
    let small = entry(&address, "SMALL");
    let cut_short = t
        .write(
            &start,
            &[Changed {
                address: &address,
                before: None,
                after: Some(&small),
            }],
            "ci@runner",
            10,
        )
        .expect("entries serialize");
    run(&killed, "BEGIN").await;
    assert_eq!(rows_changed(&run(&killed, &cut_short.swap).await), 1);
    for sql in &cut_short.rest {
        run(&killed, sql).await;
    }
    // Killed before COMMIT: no COMMIT, no ROLLBACK, no logout.
    drop(killed);

    // Read committed: the open transaction's rows are nobody else's.
    let head = t.head(&run(&next, &t.read_head()).await).unwrap();
    let head = head.expect("the head row is there");
    assert_eq!(head.serial, start.serial);
    let resources = t.resources(&run(&next, &t.read_resources()).await).unwrap();
    assert!(resources.is_empty(), "{resources:?}");
    let large = entry(&address, "LARGE");
    let landed = write(
        &next,
        &head,
        &[Changed {
            address: &address,
            before: None,
            after: Some(&large),
        }],
    )
    .await;
    assert!(
        landed,
        "the next writer moves the serial the killed one read"
    );
    let resources = t.resources(&run(&next, &t.read_resources()).await).unwrap();
    assert_eq!(resources.get(&address), Some(&large));
    let head = t.head(&run(&next, &t.read_head()).await).unwrap();
    assert_eq!(head.map(|h| h.serial), Some(start.serial + 1));
}

#[tokio::test]
async fn a_sibling_session_keeps_its_transaction_while_the_first_runs_ddl() {
    let project = project();
    let (_server, port) = serve(&project, PASSWORD);
    let first = connect(port).await;
    let sibling = first
        .open_sibling()
        .await
        .expect("a second login with the same connection");
    run(&first, "CREATE SCHEMA TEAM.S").await;
    run(&first, "CREATE TABLE TEAM.S.T (V NUMBER)").await;
    run(sibling.as_ref(), "BEGIN").await;
    sibling
        .execute("INSERT INTO TEAM.S.T (V) VALUES (1)")
        .await
        .expect("the insert runs");
    // DDL commits the open transaction of its own session only.
    run(&first, "CREATE SCHEMA TEAM.MADE_MEANWHILE").await;
    let seen = run(&first, "SELECT COUNT(*) AS N FROM TEAM.S.T").await;
    assert_eq!(seen.rows, [[Some("0".to_string())]], "not committed yet");
    run(sibling.as_ref(), "ROLLBACK").await;
    let after = run(&first, "SELECT COUNT(*) AS N FROM TEAM.S.T").await;
    assert_eq!(after.rows, [[Some("0".to_string())]], "rolled back");
}
