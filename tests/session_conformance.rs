//! One conformance suite for [`Session`]: the same statements and the same
//! assertions against the local account in process and against the same
//! account served by `floe local serve`, reached with floe's own Snowflake
//! session (snowflake-connector-rs). What a user sees must not depend on
//! which of the two floe talks to.
//!
//! Each case logs in as it needs (the login's database, schema, warehouse
//! and role become current in that session only) and checks rows, columns,
//! errors, the statement count, session parameters and a result large
//! enough to come back in chunks over the wire.

mod common;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use common::serve::{SERVE_USER, connection, quick_retries, serve};
use common::{ENVIRONMENTS, Project};
use floe::connect::ConnectionConfig;
use floe::local::{self, LocalAccount};
use floe::session::{Account, ExecError, LoginContext, Rows, Session, SqlError};
use floe::snowflake::SnowflakeSession;

const PASSWORD: &str = "c0nformance-pw";
/// Tables in `CONF_DB.BIG`: as many as one SHOW returns.
const BIG: usize = 10_000;

type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Where the suite's sessions come from.
trait Target: Sync {
    /// What the target is, for failure messages.
    fn name(&self) -> &'static str;

    /// Logs in with `login` as the context.
    fn login<'a>(&'a self, login: LoginContext) -> BoxFuture<'a, Arc<dyn Session>>;

    /// Whether refusals carry their SQLSTATE through this target (the
    /// Rust driver does not hand it out).
    fn carries_sql_state(&self) -> bool;
}

/// The local account, in this process.
struct InProcess {
    account: LocalAccount,
    sessions: AtomicU64,
    _project: Project,
}

impl Target for InProcess {
    fn name(&self) -> &'static str {
        "in-process local account"
    }

    fn login<'a>(&'a self, login: LoginContext) -> BoxFuture<'a, Arc<dyn Session>> {
        Box::pin(async move {
            let id = self.sessions.fetch_add(1, Ordering::Relaxed);
            self.account
                .open_session(id, &login)
                .expect("the local account opens sessions")
                .session
        })
    }

    fn carries_sql_state(&self) -> bool {
        true
    }
}

/// The same account behind `floe local serve`.
struct Served {
    port: u16,
    _server: common::serve::Server,
    _project: Project,
}

impl Target for Served {
    fn name(&self) -> &'static str {
        "served account over snowflake-connector-rs"
    }

    fn login<'a>(&'a self, login: LoginContext) -> BoxFuture<'a, Arc<dyn Session>> {
        Box::pin(async move {
            let config = ConnectionConfig {
                role: login.role,
                warehouse: login.warehouse,
                database: login.database,
                schema: login.schema,
                ..connection(self.port, SERVE_USER, PASSWORD)
            };
            let session = SnowflakeSession::connect(&config, quick_retries())
                .await
                .expect("the served account accepts the login");
            Arc::new(session) as Arc<dyn Session>
        })
    }

    fn carries_sql_state(&self) -> bool {
        false
    }
}

fn project() -> Project {
    Project::with_environments(&format!("{ENVIRONMENTS}local:\n  seed: [seed.sql]\n"))
        .file("seed.sql", &common::local::conformance_seed(BIG))
}

/// The login most cases use: names written as a user writes them.
fn usual_login() -> LoginContext {
    LoginContext {
        database: Some("conf_db".into()),
        schema: Some("raw".into()),
        warehouse: Some("conf_wh".into()),
        role: Some("sysadmin".into()),
    }
}

async fn run(session: &dyn Session, sql: &str) -> Rows {
    session
        .execute(sql)
        .await
        .unwrap_or_else(|e| panic!("{sql} failed: {e}"))
}

async fn refusal(session: &dyn Session, sql: &str) -> SqlError {
    match session.execute(sql).await {
        Err(ExecError::Sql(error)) => error,
        other => panic!("{sql} should have been refused, got {other:?}"),
    }
}

/// The one row of `rows`, as text-or-NULL by column.
fn only_row(rows: &Rows) -> Vec<Option<&str>> {
    assert_eq!(rows.len(), 1, "expected one row: {rows:?}");
    rows.rows[0].iter().map(Option::as_deref).collect()
}

const CONTEXT: &str = "SELECT CURRENT_DATABASE(), CURRENT_SCHEMA(), CURRENT_WAREHOUSE()";

fn login_context_becomes_current(target: &dyn Target) -> BoxFuture<'_, ()> {
    Box::pin(async move {
        let session = target.login(usual_login()).await;
        let rows = run(&*session, &format!("{CONTEXT}, CURRENT_ROLE()")).await;
        let names: Vec<&str> = rows.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "CURRENT_DATABASE()",
                "CURRENT_SCHEMA()",
                "CURRENT_WAREHOUSE()",
                "CURRENT_ROLE()"
            ]
        );
        assert_eq!(
            only_row(&rows),
            [
                Some("CONF_DB"),
                Some("RAW"),
                Some("CONF_WH"),
                Some("SYSADMIN")
            ]
        );
    })
}

fn a_database_without_schema_makes_public_current(target: &dyn Target) -> BoxFuture<'_, ()> {
    Box::pin(async move {
        let login = LoginContext {
            database: Some("CONF_DB".into()),
            ..LoginContext::default()
        };
        let session = target.login(login).await;
        let rows = run(&*session, CONTEXT).await;
        assert_eq!(only_row(&rows), [Some("CONF_DB"), Some("PUBLIC"), None]);
    })
}

fn names_that_do_not_exist_are_not_current(target: &dyn Target) -> BoxFuture<'_, ()> {
    Box::pin(async move {
        let login = LoginContext {
            database: Some("NO_SUCH_DB".into()),
            schema: Some("RAW".into()),
            warehouse: Some("NO_SUCH_WH".into()),
            role: None,
        };
        let session = target.login(login).await;
        let rows = run(&*session, CONTEXT).await;
        assert_eq!(only_row(&rows), [None, None, None]);
        let refused = refusal(&*session, "CREATE TABLE T (ID NUMBER)").await;
        assert!(
            refused.message.contains("current database"),
            "{}",
            refused.message
        );
    })
}

fn use_changes_only_its_own_session(target: &dyn Target) -> BoxFuture<'_, ()> {
    Box::pin(async move {
        let first = target.login(usual_login()).await;
        let second = target.login(usual_login()).await;
        let status = run(&*first, "USE SCHEMA CONF_DB.FEATURES").await;
        assert_eq!(
            only_row(&status),
            [Some("Statement executed successfully.")]
        );
        let seen = run(&*first, "SELECT CURRENT_SCHEMA()").await;
        assert_eq!(only_row(&seen), [Some("FEATURES")]);
        let other = run(&*second, "SELECT CURRENT_SCHEMA()").await;
        assert_eq!(only_row(&other), [Some("RAW")]);
    })
}

fn ddl_is_seen_by_every_session(target: &dyn Target) -> BoxFuture<'_, ()> {
    Box::pin(async move {
        let first = target.login(usual_login()).await;
        let second = target.login(usual_login()).await;
        let created = run(&*first, "CREATE SCHEMA CONF_DB.ADDED COMMENT = 'new'").await;
        assert_eq!(created.columns[0].name, "status");
        assert_eq!(
            only_row(&created),
            [Some("Schema ADDED successfully created.")]
        );
        let shown = run(&*second, "SHOW SCHEMAS LIKE 'ADDED' IN DATABASE CONF_DB").await;
        for column in ["created_on", "name", "database_name", "owner", "comment"] {
            assert!(
                shown.column_index(column).is_some(),
                "SHOW SCHEMAS has no `{column}`: {:?}",
                shown.columns
            );
        }
        let row = shown.iter().next().expect("the new schema is listed");
        assert_eq!(row.get("name"), Some("ADDED"));
        assert_eq!(row.get("database_name"), Some("CONF_DB"));
        assert_eq!(row.get("comment"), Some("new"));
    })
}

fn refusals_carry_snowflakes_code(target: &dyn Target) -> BoxFuture<'_, ()> {
    Box::pin(async move {
        let session = target.login(usual_login()).await;
        let missing = refusal(&*session, "DROP SCHEMA CONF_DB.MISSING").await;
        assert_eq!(missing.code, "002003");
        assert_eq!(
            missing.message,
            "SQL compilation error:\nSchema 'CONF_DB.MISSING' does not exist or not authorized."
        );
        let syntax = refusal(&*session, "CREATE SCHEMA").await;
        assert_eq!(syntax.code, "001003");
        if target.carries_sql_state() {
            assert_eq!(missing.sql_state, "02000");
            assert_eq!(syntax.sql_state, "42000");
        }
    })
}

fn two_statements_are_refused_unless_asked_for(target: &dyn Target) -> BoxFuture<'_, ()> {
    Box::pin(async move {
        let session = target.login(usual_login()).await;
        let refused = refusal(&*session, "CREATE SCHEMA CONF_DB.TWICE; SELECT 1").await;
        assert_eq!(refused.code, "000008");
        assert_eq!(
            refused.message,
            "Actual statement count 2 did not match the desired statement count 1."
        );
        if target.carries_sql_state() {
            assert_eq!(refused.sql_state, "0A000");
        }
        // Nothing of a refused text ran.
        let shown = run(&*session, "SHOW SCHEMAS LIKE 'TWICE' IN DATABASE CONF_DB").await;
        assert!(shown.is_empty(), "{shown:?}");
        // A trailing `;` ends the one statement; it adds none.
        let one = run(&*session, "SELECT 1;").await;
        assert_eq!(only_row(&one), [Some("1")]);
    })
}

fn session_parameters_allow_several_statements(target: &dyn Target) -> BoxFuture<'_, ()> {
    Box::pin(async move {
        let session = target.login(usual_login()).await;
        let other = target.login(usual_login()).await;
        run(&*session, "ALTER SESSION SET MULTI_STATEMENT_COUNT = 0").await;
        let ran = run(
            &*session,
            "CREATE SCHEMA CONF_DB.FIRST; CREATE SCHEMA CONF_DB.SECOND",
        )
        .await;
        assert_eq!(ran.columns[0].name, "multiple statement execution");
        assert_eq!(
            only_row(&ran),
            [Some("Multiple statements executed successfully.")]
        );
        let shown = run(&*other, "SHOW SCHEMAS IN DATABASE CONF_DB").await;
        let names: Vec<&str> = shown.iter().filter_map(|r| r.get("name")).collect();
        assert!(
            names.contains(&"FIRST") && names.contains(&"SECOND"),
            "{names:?}"
        );
        // The parameter is this session's only.
        let refused = refusal(&*other, "SELECT 1; SELECT 2").await;
        assert_eq!(refused.code, "000008");
        run(&*session, "ALTER SESSION UNSET MULTI_STATEMENT_COUNT").await;
        let refused = refusal(&*session, "SELECT 1; SELECT 2").await;
        assert_eq!(refused.code, "000008");
        run(&*session, "ALTER SESSION SET MULTI_STATEMENT_COUNT = 3").await;
        let refused = refusal(&*session, "SELECT 1; SELECT 2").await;
        assert_eq!(
            refused.message,
            "Actual statement count 2 did not match the desired statement count 3."
        );
    })
}

fn a_large_show_comes_back_whole(target: &dyn Target) -> BoxFuture<'_, ()> {
    Box::pin(async move {
        let session = target.login(usual_login()).await;
        let rows = run(&*session, "SHOW TABLES IN SCHEMA CONF_DB.BIG").await;
        assert_eq!(rows.len(), BIG);
        let names: Vec<&str> = rows.iter().filter_map(|r| r.get("name")).collect();
        let expected: Vec<String> = (0..BIG).map(|n| format!("T{n:05}")).collect();
        assert_eq!(names, expected);
        assert!(rows.rows.iter().all(|r| r.len() == rows.columns.len()));
        let rest = run(
            &*session,
            "SHOW TABLES IN SCHEMA CONF_DB.BIG LIMIT 10000 FROM 'T09995'",
        )
        .await;
        let rest: Vec<&str> = rest.iter().filter_map(|r| r.get("name")).collect();
        assert_eq!(rest, ["T09996", "T09997", "T09998", "T09999"]);
    })
}

type Case = for<'a> fn(&'a dyn Target) -> BoxFuture<'a, ()>;

/// Every case, run in this order against each target.
const CASES: &[(&str, Case)] = &[
    (
        "login context becomes current",
        login_context_becomes_current,
    ),
    (
        "a database without schema makes PUBLIC current",
        a_database_without_schema_makes_public_current,
    ),
    (
        "names that do not exist are not current",
        names_that_do_not_exist_are_not_current,
    ),
    (
        "USE changes only its own session",
        use_changes_only_its_own_session,
    ),
    ("DDL is seen by every session", ddl_is_seen_by_every_session),
    (
        "refusals carry Snowflake's code",
        refusals_carry_snowflakes_code,
    ),
    (
        "two statements are refused unless asked for",
        two_statements_are_refused_unless_asked_for,
    ),
    (
        "session parameters allow several statements",
        session_parameters_allow_several_statements,
    ),
    (
        "a large SHOW comes back whole",
        a_large_show_comes_back_whole,
    ),
];

async fn conform(target: &dyn Target) {
    for (name, case) in CASES {
        // Shown with the failure, so a failing case names itself and its target.
        eprintln!("case `{name}` against the {}", target.name());
        case(target).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_in_process_local_account_conforms() {
    let project = project();
    let path = local::account_path(project.path());
    let account = LocalAccount::open(&path, &[project.path().join("seed.sql")], None)
        .expect("the account is created from the seed");
    let target = InProcess {
        account,
        sessions: AtomicU64::new(1),
        _project: project,
    };
    conform(&target).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_served_local_account_conforms() {
    let project = project();
    let (server, port) = serve(&project, PASSWORD);
    let target = Served {
        port,
        _server: server,
        _project: project,
    };
    conform(&target).await;
}
