//! The table backend on a local account: its writes stay atomic while the
//! run's own session runs DDL.

use std::sync::atomic::{AtomicBool, Ordering};

use serde_json::json;

use super::*;
use crate::kinds::reconciler::fakes::{addr, live};
use crate::local::scratch_account;
use crate::session::{BoxFuture, SqlError};

/// A session that, once armed, plays a step running beside a state write:
/// right after the write's compare-and-swap UPDATE it runs a DDL statement
/// on the run's session, then refuses the write's next statement.
struct StepDuringWrite {
    inner: Arc<dyn Session>,
    run_session: Arc<dyn Session>,
    armed: Arc<AtomicBool>,
    swapped: AtomicBool,
}

impl StepDuringWrite {
    fn new(inner: Arc<dyn Session>, run_session: Arc<dyn Session>, armed: Arc<AtomicBool>) -> Self {
        StepDuringWrite {
            inner,
            run_session,
            armed,
            swapped: AtomicBool::new(false),
        }
    }
}

impl Session for StepDuringWrite {
    fn execute<'a>(&'a self, sql: &'a str) -> BoxFuture<'a, Result<Rows, ExecError>> {
        Box::pin(async move {
            let armed = self.armed.load(Ordering::SeqCst);
            if armed && self.swapped.swap(false, Ordering::SeqCst) {
                return Err(ExecError::Sql(SqlError {
                    code: "000603".into(),
                    sql_state: "XX000".into(),
                    message: "the write was cut short".into(),
                }));
            }
            let rows = self.inner.execute(sql).await?;
            if armed && sql.starts_with("UPDATE") && sql.contains("FLOE_STATE_HEAD") {
                self.swapped.store(true, Ordering::SeqCst);
                self.run_session
                    .execute("CREATE SCHEMA TEAM.MADE_BY_A_STEP")
                    .await?;
            }
            Ok(rows)
        })
    }

    fn open_sibling(&self) -> BoxFuture<'_, Result<Arc<dyn Session>, ExecError>> {
        Box::pin(async move {
            let sibling: Arc<dyn Session> = Arc::new(StepDuringWrite::new(
                self.inner.open_sibling().await?,
                self.run_session.clone(),
                self.armed.clone(),
            ));
            Ok(sibling)
        })
    }

    fn describe(&self) -> String {
        self.inner.describe()
    }
}

fn store(session: Arc<dyn Session>) -> TableStore {
    TableStore::new(
        session,
        &Ident::from_resolved("TEAM"),
        &Ident::from_resolved("FLOE"),
        "DEV",
    )
}

#[tokio::test]
async fn a_step_ddl_on_the_run_session_does_not_commit_half_a_state_write() {
    let (_dir, account) = scratch_account(&["CREATE DATABASE TEAM"]);
    let run_session: Arc<dyn Session> = Arc::new(account);
    let armed = Arc::new(AtomicBool::new(false));
    let session = StepDuringWrite::new(run_session.clone(), run_session.clone(), armed.clone());
    let tables = store(Arc::new(session));
    let mut state = tables.load().await.unwrap();
    let first = addr("warehouse.A");
    let entry = |size: &str| {
        StateEntry::from_live(&live("warehouse.A", json!({ "size": size })), vec![], None)
    };
    state.resources.insert(first.clone(), entry("SMALL"));
    tables.record(&mut state, &[&first]).await.unwrap();
    let written = tables.load().await.unwrap();

    armed.store(true, Ordering::SeqCst);
    state.resources.insert(first.clone(), entry("LARGE"));
    let cut = tables.record(&mut state, &[&first]).await;
    assert!(cut.is_err(), "the write was refused halfway");

    let read = store(run_session).load().await.unwrap();
    assert_eq!(
        (read.serial, &read.resources),
        (written.serial, &written.resources),
        "a write cut short leaves the state as the last whole write left it"
    );
}

/// A session that keeps every statement it and its siblings ran.
struct Counting {
    inner: Arc<dyn Session>,
    log: Arc<std::sync::Mutex<Vec<String>>>,
}

impl Session for Counting {
    fn execute<'a>(&'a self, sql: &'a str) -> BoxFuture<'a, Result<Rows, ExecError>> {
        self.log.lock().unwrap().push(sql.to_string());
        self.inner.execute(sql)
    }

    fn open_sibling(&self) -> BoxFuture<'_, Result<Arc<dyn Session>, ExecError>> {
        Box::pin(async move {
            let sibling: Arc<dyn Session> = Arc::new(Counting {
                inner: self.inner.open_sibling().await?,
                log: self.log.clone(),
            });
            Ok(sibling)
        })
    }

    fn describe(&self) -> String {
        self.inner.describe()
    }
}

#[tokio::test]
async fn runs_create_the_tables_once_and_later_runs_never() {
    let (_dir, account) = scratch_account(&["CREATE DATABASE TEAM"]);
    let account: Arc<dyn Session> = Arc::new(account);
    let log = Arc::new(std::sync::Mutex::new(Vec::new()));
    let a = addr("warehouse.A");
    for (run, created) in [("first", 5), ("second", 0)] {
        let tables = store(Arc::new(Counting {
            inner: account.clone(),
            log: log.clone(),
        }));
        let held = tables.lock(&Taker::default()).await.unwrap();
        let mut state = tables.load().await.unwrap();
        let attributes = json!({ "run": run });
        let entry = StateEntry::from_live(&live("warehouse.A", attributes), vec![], None);
        state.resources.insert(a.clone(), entry);
        tables.record(&mut state, &[&a]).await.unwrap();
        held.release().await;
        let statements = std::mem::take(&mut *log.lock().unwrap());
        let creates = statements
            .iter()
            .filter(|sql| sql.starts_with("CREATE "))
            .count();
        assert_eq!(
            creates, created,
            "the {run} run: the schema and its four tables once, then never again"
        );
    }
}
