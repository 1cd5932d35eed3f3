//! The introspection driver: run every kind's queries (each distinct
//! statement once), page, parse, sort.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::task::JoinSet;

use super::Live;
use crate::ident::sql_string;
use crate::kinds::reconciler::{Kinds, LiveObject, ParseError, Query, Scope};
use crate::model::{Address, KindName};
use crate::session::{ExecError, Rows, Session};

/// The most rows one SHOW returns; a full page means there may be more.
pub const PAGE_ROWS: usize = 10_000;

/// Why the environment could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LiveError {
    /// A statement failed.
    #[error("reading the account failed on `{statement}`: {source}")]
    Exec {
        /// The statement.
        statement: String,
        /// The session's error.
        source: ExecError,
    },
    /// A kind could not read its rows.
    #[error(transparent)]
    Parse(#[from] ParseError),
}

/// Statements and time spent reading one kind (for `plan -v`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KindStats {
    /// The kind.
    pub kind: KindName,
    /// Statements issued, pages included.
    pub statements: usize,
    /// Time spent in them, summed (queries of a kind may overlap).
    pub elapsed: Duration,
}

/// What introspection found, and what it cost.
#[derive(Debug, Clone, PartialEq)]
pub struct Introspection {
    /// Managed and unmanaged objects.
    pub live: Live,
    /// Per kind, in [`KindName`] order.
    pub stats: Vec<KindStats>,
    /// Wall time of the whole introspection.
    pub elapsed: Duration,
}

impl Introspection {
    /// Every statement issued.
    pub fn statements(&self) -> usize {
        self.stats.iter().map(|s| s.statements).sum()
    }
}

struct Answer {
    rows: Rows,
    statements: usize,
    elapsed: Duration,
}

/// Reads every kind's objects in `scope`. `managed` is every address the
/// environment declares or has in state; other objects in the scope's
/// schemas are unmanaged, and objects in other schemas are ignored (they
/// belong to another environment or to nobody floe knows).
pub async fn introspect(
    session: Arc<dyn Session>,
    kinds: &Kinds,
    scope: &Scope,
    managed: &BTreeSet<Address>,
) -> Result<Introspection, LiveError> {
    let started = Instant::now();
    let (objects, stats) = read(session, kinds, scope).await?;
    Ok(Introspection {
        live: sort(objects, scope, managed),
        stats,
        elapsed: started.elapsed(),
    })
}

/// Sorts objects read in `scope` into managed ones (at an address of
/// `managed`), unmanaged ones (in one of the scope's schemas) and others,
/// which are dropped.
pub fn sort(objects: Vec<LiveObject>, scope: &Scope, managed: &BTreeSet<Address>) -> Live {
    let mut live = Live::default();
    for object in objects {
        sort_object(object, scope, managed, &mut live);
    }
    live
}

/// Reads every object of every kind in `scope`, unsorted, in [`KindName`]
/// order, with the statements each kind cost: what [`introspect`] sorts,
/// and what `floe import` chooses from.
pub async fn read(
    session: Arc<dyn Session>,
    kinds: &Kinds,
    scope: &Scope,
) -> Result<(Vec<LiveObject>, Vec<KindStats>), LiveError> {
    let mut tasks = JoinSet::new();
    // Kinds may read the same statement (feature views and tasks both need
    // SHOW TASKS IN DATABASE): it is issued once and its rows shared.
    let mut first_asker: BTreeMap<String, (KindName, usize)> = BTreeMap::new();
    let mut shared: Vec<((KindName, usize), (KindName, usize))> = Vec::new();
    for kind in kinds.iter() {
        for (index, query) in kind.introspect(scope).into_iter().enumerate() {
            let key = (kind.kind(), index);
            if let Some(first) = first_asker.get(&query.sql) {
                shared.push((key, *first));
                continue;
            }
            first_asker.insert(query.sql.clone(), key);
            let session = session.clone();
            tasks.spawn(async move { (key, run_query(session.as_ref(), &query).await) });
        }
    }
    let mut answers: BTreeMap<(KindName, usize), Answer> = BTreeMap::new();
    collect(tasks, &mut answers).await?;
    for (key, first) in shared {
        if let Some(rows) = answers.get(&first).map(|a| a.rows.clone()) {
            let reused = Answer {
                rows,
                statements: 0,
                elapsed: Duration::ZERO,
            };
            answers.insert(key, reused);
        }
    }
    second_round(&session, kinds, scope, &mut answers).await?;
    // Everything is read: an embedded account frees its catalog here,
    // before the rows become objects, when this was its last session.
    drop(session);
    let mut objects = Vec::new();
    let mut stats = Vec::new();
    for kind in kinds.iter() {
        let name = kind.kind();
        // Each kind's rows are taken, not copied, and freed once parsed.
        let mine = take_answers(&mut answers, name);
        stats.push(KindStats {
            kind: name,
            statements: mine.iter().map(|(_, a)| a.statements).sum(),
            elapsed: mine.iter().map(|(_, a)| a.elapsed).sum(),
        });
        let results: Vec<Rows> = mine.into_iter().map(|(_, a)| a.rows).collect();
        objects.extend(kind.parse_live(scope, &results)?);
    }
    Ok((objects, stats))
}

/// Runs each kind's follow-up statements (see [`crate::kinds::reconciler::Reconciler::introspect_more`])
/// concurrently and files their answers after the kind's first-round ones.
async fn second_round(
    session: &Arc<dyn Session>,
    kinds: &Kinds,
    scope: &Scope,
    answers: &mut BTreeMap<(KindName, usize), Answer>,
) -> Result<(), LiveError> {
    let mut tasks = JoinSet::new();
    for kind in kinds.iter() {
        let name = kind.kind();
        // Lent to the kind and filed back, not copied.
        let mine = take_answers(answers, name);
        let offset = mine.len();
        let (first, costs): (Vec<Rows>, Vec<_>) = mine
            .into_iter()
            .map(|(key, a)| (a.rows, (key, a.statements, a.elapsed)))
            .unzip();
        let more = kind.introspect_more(scope, &first);
        for (rows, (key, statements, elapsed)) in first.into_iter().zip(costs) {
            let answer = Answer {
                rows,
                statements,
                elapsed,
            };
            answers.insert(key, answer);
        }
        for (index, query) in more.into_iter().enumerate() {
            let session = session.clone();
            let key = (name, offset + index);
            tasks.spawn(async move { (key, run_query(session.as_ref(), &query).await) });
        }
    }
    collect(tasks, answers).await
}

/// Removes and returns `kind`'s answers with their keys, in key order.
fn take_answers(
    answers: &mut BTreeMap<(KindName, usize), Answer>,
    kind: KindName,
) -> Vec<((KindName, usize), Answer)> {
    let keys: Vec<(KindName, usize)> = answers
        .range((kind, 0)..=(kind, usize::MAX))
        .map(|(key, _)| *key)
        .collect();
    keys.into_iter()
        .filter_map(|key| answers.remove(&key).map(|answer| (key, answer)))
        .collect()
}

/// Waits for every running statement and files its answer under its key;
/// the first failure is the result.
async fn collect(
    mut tasks: JoinSet<((KindName, usize), Result<Answer, LiveError>)>,
    answers: &mut BTreeMap<(KindName, usize), Answer>,
) -> Result<(), LiveError> {
    while let Some(joined) = tasks.join_next().await {
        let (key, answer) = joined.map_err(|e| LiveError::Exec {
            statement: "introspection".into(),
            source: ExecError::Connection {
                message: format!("introspection task ended abnormally: {e}"),
                transient: false,
            },
        })?;
        answers.insert(key, answer?);
    }
    Ok(())
}

fn sort_object(
    mut object: LiveObject,
    scope: &Scope,
    managed: &BTreeSet<Address>,
    live: &mut Live,
) {
    let in_scope = object.schema.as_ref().map(|s| scope.schemas.contains(s));
    // A kept object lives until the plan is made, its attributes complete:
    // free the room left by the inserts that built them.
    match in_scope {
        Some(false) => {}
        _ if managed.contains(&object.address) => {
            object.attributes.shrink_to_fit();
            live.managed.entry(object.address.clone()).or_insert(object);
        }
        Some(true) => {
            object.attributes.shrink_to_fit();
            live.unmanaged.push(object);
        }
        None => {}
    }
}

/// Runs one query, re-issuing a paged one with `LIMIT … FROM '<last name>'`
/// while pages come back full. An unpaged query (SHOW WAREHOUSES, whose
/// syntax has no `LIMIT`) is issued once.
async fn run_query(session: &dyn Session, query: &Query) -> Result<Answer, LiveError> {
    let started = Instant::now();
    let execute = |sql: String| async move {
        session
            .execute(&sql)
            .await
            .map_err(|source| LiveError::Exec {
                statement: sql,
                source,
            })
    };
    let mut rows = execute(query.sql.clone()).await?;
    let mut statements = 1;
    let mut page_len = rows.len();
    while query.paged && page_len >= PAGE_ROWS {
        let Some(last) = rows.iter().last().and_then(|r| r.get("name")) else {
            break;
        };
        let sql = format!("{} LIMIT {PAGE_ROWS} FROM {}", query.sql, sql_string(last));
        let page = execute(sql).await?;
        statements += 1;
        page_len = page.len();
        rows.rows.extend(page.rows);
    }
    Ok(Answer {
        rows,
        statements,
        elapsed: started.elapsed(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ident::Ident;
    use crate::kinds::reconciler::fakes::{FakeSession, addr, kinds, warehouse_rows};
    use crate::session::{Column, ColumnType};

    fn scope() -> Scope {
        Scope {
            environment: "DEV".into(),
            database: Ident::from_resolved("DB"),
            schemas: vec![Ident::from_resolved("SCH")],
        }
    }

    fn task_rows(rows: &[(&str, &str)]) -> Rows {
        let columns = ["name", "schema_name", "definition", "predecessors", "state"];
        Rows {
            columns: columns
                .iter()
                .map(|c| Column::new(*c, ColumnType::Text))
                .collect(),
            rows: rows
                .iter()
                .map(|(name, schema)| {
                    vec![
                        Some(name.to_string()),
                        Some(schema.to_string()),
                        Some("select 1".into()),
                        None,
                        Some("started".into()),
                    ]
                })
                .collect(),
            query_id: None,
        }
    }

    #[tokio::test]
    async fn sorts_objects_into_managed_unmanaged_and_not_ours() {
        let session = FakeSession::new();
        session.answer(
            "SHOW WAREHOUSES",
            warehouse_rows(&[&["MINE", "SMALL"], &["OTHER", "LARGE"]]),
        );
        session.answer(
            "SHOW TASKS IN DATABASE DB",
            task_rows(&[
                ("T1", "SCH"),
                ("STRAY", "SCH"),
                ("T1", "STAGING_SCH"),
                ("T2", "STAGING_SCH"),
            ]),
        );
        let managed = BTreeSet::from([addr("warehouse.MINE"), addr("task.T1")]);
        let found = introspect(session.clone(), &kinds(), &scope(), &managed)
            .await
            .unwrap();
        let managed: Vec<String> = found.live.managed.keys().map(|a| a.to_string()).collect();
        assert_eq!(managed, ["warehouse.MINE", "task.T1"]);
        assert_eq!(found.live.managed[&addr("task.T1")].fqn, "DB.SCH.T1");
        let unmanaged: Vec<String> = found.live.unmanaged.iter().map(|o| o.fqn.clone()).collect();
        assert_eq!(unmanaged, ["DB.SCH.STRAY"]);
        assert_eq!(found.statements(), 2);
    }

    #[tokio::test]
    async fn full_pages_are_followed_from_the_last_name() {
        let session = FakeSession::new();
        let names: Vec<String> = (0..PAGE_ROWS + 3).map(|i| format!("T{i:05}")).collect();
        let rows = |names: &[String]| {
            let pairs: Vec<(&str, &str)> = names.iter().map(|n| (n.as_str(), "SCH")).collect();
            task_rows(&pairs)
        };
        session.answer("SHOW TASKS IN DATABASE DB", rows(&names[..PAGE_ROWS]));
        let next = format!(
            "SHOW TASKS IN DATABASE DB LIMIT 10000 FROM 'T{:05}'",
            PAGE_ROWS - 1
        );
        session.answer(&next, rows(&names[PAGE_ROWS..]));
        session.answer("SHOW WAREHOUSES", warehouse_rows(&[]));
        let managed: BTreeSet<Address> = names
            .iter()
            .map(|n| Address::new(KindName::Task, Ident::from_resolved(n.as_str())))
            .collect();
        let found = introspect(session.clone(), &kinds(), &scope(), &managed)
            .await
            .unwrap();
        assert_eq!(found.live.managed.len(), PAGE_ROWS + 3);
        assert!(
            session.executed().contains(&next),
            "{:?}",
            &session.executed()
        );
        let tasks = found
            .stats
            .iter()
            .find(|s| s.kind == KindName::Task)
            .unwrap();
        assert_eq!(tasks.statements, 2);
    }

    #[tokio::test]
    async fn show_warehouses_is_never_paged() {
        let session = FakeSession::new();
        let mut full = warehouse_rows(&[]);
        full.rows = (0..PAGE_ROWS)
            .map(|i| vec![Some(format!("WH{i:05}")), Some("SMALL".to_string())])
            .collect();
        session.answer("SHOW WAREHOUSES", full);
        session.answer("SHOW TASKS IN DATABASE DB", task_rows(&[]));
        let found = introspect(session.clone(), &kinds(), &scope(), &BTreeSet::new())
            .await
            .unwrap();
        let sent = session.executed();
        assert!(
            sent.iter().all(|s| !s.contains("LIMIT")),
            "SHOW WAREHOUSES takes no LIMIT ... FROM: {sent:?}"
        );
        assert_eq!(found.statements(), 2);
    }

    /// Forwards to an account and keeps every statement it was sent.
    struct Recording {
        account: crate::local::LocalAccount,
        sent: std::sync::Mutex<Vec<String>>,
    }

    impl Session for Recording {
        fn execute<'a>(
            &'a self,
            sql: &'a str,
        ) -> crate::session::BoxFuture<'a, Result<Rows, ExecError>> {
            self.sent.lock().unwrap().push(sql.to_string());
            self.account.execute(sql)
        }

        fn describe(&self) -> String {
            "recording session".into()
        }
    }

    #[tokio::test]
    async fn a_statement_two_kinds_need_is_issued_once() {
        let (_dir, account) = crate::local::scratch_account(&["CREATE DATABASE DB"]);
        let session = Arc::new(Recording {
            account,
            sent: std::sync::Mutex::new(Vec::new()),
        });
        let kinds = crate::kinds::reconciler_kinds();
        let read = introspect(session.clone(), &kinds, &scope(), &BTreeSet::new())
            .await
            .unwrap();
        let sent = session.sent.lock().unwrap().clone();
        let show_tasks = sent.iter().filter(|s| s.starts_with("SHOW TASKS")).count();
        assert_eq!(show_tasks, 1, "{sent:?}");
        assert_eq!(read.statements(), sent.len());
    }

    #[tokio::test]
    async fn a_failing_show_names_the_statement() {
        let session = FakeSession::new();
        session.fail_on("SHOW TASKS");
        let err = introspect(session, &kinds(), &scope(), &BTreeSet::new())
            .await
            .unwrap_err();
        assert!(
            err.to_string().contains("SHOW TASKS IN DATABASE DB"),
            "{err}"
        );
    }
}
