use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::json;

use super::*;
use crate::diff::{Plan, PlanInput, StepPurpose, plan};
use crate::kinds::reconciler::fakes::{FakeSession, addr, kinds, live, resource};
use crate::live::Live;
use crate::model::Resource;
use crate::render::{LogObserver, ProgressObserver};
use crate::session::{BoxFuture, ExecError, Rows, Session};
use crate::state::{State, StateStore};

fn plan_of(declared: &[Resource], state: &State, live: &Live) -> Plan {
    plan(&PlanInput {
        environment: "DEV",
        declared,
        state,
        live,
        kinds: &kinds(),
        targets: &[],
    })
    .unwrap()
}

fn wh(name: &str, deps: &[&str]) -> Resource {
    resource(&format!("warehouse.{name}"), json!({"size": "SMALL"}), deps)
}

fn create_sql(name: &str) -> String {
    format!("CREATE WAREHOUSE {name} WAREHOUSE_SIZE = SMALL")
}

/// A shared in-memory writer for log observers.
#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Buffer {
    fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }
}

struct Run {
    summary: Summary,
    state: State,
    store: StateStore,
    log: String,
    _dir: tempfile::TempDir,
}

async fn run(plan: &Plan, session: Arc<FakeSession>, parallelism: usize) -> Run {
    run_from(None, plan, session, parallelism).await
}

/// Applies `plan` over the state `before` (saved first), or a new one.
async fn run_from(
    before: Option<State>,
    plan: &Plan,
    session: Arc<FakeSession>,
    parallelism: usize,
) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let store = StateStore::new(dir.path(), "DEV");
    let mut state = match before {
        Some(mut before) => {
            store.save(&mut before).unwrap();
            before
        }
        None => store.load().unwrap(),
    };
    let log = Buffer::default();
    let observers = Observers::new(vec![
        Arc::new(LogObserver::new(Box::new(log.clone()), plan.steps.len())),
        Arc::new(ProgressObserver::with_target(
            plan.steps.len(),
            indicatif::ProgressDrawTarget::hidden(),
        )),
    ]);
    let options = ApplyOptions {
        parallelism,
        git_commit: Some("abc123".into()),
        ..ApplyOptions::default()
    };
    let kinds = kinds();
    let backend = crate::state::backend::Backend::Files(store.clone());
    let sink = StateSink {
        state: &mut state,
        store: &backend,
        kinds: &kinds,
    };
    let session: Arc<dyn Session> = session;
    let summary = apply(plan, session, sink, &observers, &options).await;
    Run {
        summary,
        state,
        store,
        log: log.text(),
        _dir: dir,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn steps_start_only_after_their_dependencies_finish() {
    let declared = [
        wh("A", &[]),
        wh("B", &["warehouse.A"]),
        wh("C", &["warehouse.B"]),
        wh("D", &[]),
    ];
    let plan = plan_of(&declared, &State::new("DEV"), &Live::default());
    let session = FakeSession::new();
    session.sleep_on("CREATE WAREHOUSE A", 30);
    let result = run(&plan, session.clone(), 8).await;
    assert!(result.summary.is_success(), "{:?}", result.summary);
    let pos = |line: String| session.position(&line).unwrap();
    assert!(pos(format!("end:{}", create_sql("A"))) < pos(format!("start:{}", create_sql("B"))));
    assert!(pos(format!("end:{}", create_sql("B"))) < pos(format!("start:{}", create_sql("C"))));
    assert_eq!(session.executed().len(), 4);
    assert_eq!(result.summary.succeeded.len(), 4);
}

#[tokio::test]
async fn a_failure_starts_nothing_new_and_skips_dependents_with_the_cause() {
    let declared = [wh("A", &[]), wh("B", &["warehouse.A"]), wh("C", &[])];
    let plan = plan_of(&declared, &State::new("DEV"), &Live::default());
    let session = FakeSession::new();
    session.fail_on("CREATE WAREHOUSE A");
    let result = run(&plan, session.clone(), 1).await;
    let failed = &result.summary.failed;
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].address, addr("warehouse.A"));
    assert_eq!(
        failed[0].statement.as_deref(),
        Some(create_sql("A").as_str())
    );
    assert!(
        failed[0].message.contains("SQL compilation error"),
        "{}",
        failed[0].message
    );
    let skipped: Vec<(String, String)> = result
        .summary
        .skipped
        .iter()
        .map(|s| (s.address.to_string(), s.cause.clone()))
        .collect();
    let a_id = plan
        .steps
        .iter()
        .find(|s| s.address == addr("warehouse.A"))
        .unwrap()
        .id;
    assert_eq!(
        skipped,
        [
            ("warehouse.B".to_string(), format!("step {a_id} failed")),
            (
                "warehouse.C".to_string(),
                format!("not started: step {a_id} (warehouse.A) failed")
            ),
        ]
    );
    assert_eq!(session.executed(), [create_sql("A")]);
    assert!(
        result
            .log
            .contains("FAIL  step 1 create   warehouse.A: 002003"),
        "{}",
        result.log
    );
    assert!(
        result
            .log
            .contains("skip  step 2 create   warehouse.B: step 1"),
        "{}",
        result.log
    );
}

#[tokio::test]
async fn state_holds_exactly_the_steps_that_finished() {
    let declared = [
        wh("A", &[]),
        wh("B", &["warehouse.A"]),
        wh("C", &["warehouse.B"]),
    ];
    let plan = plan_of(&declared, &State::new("DEV"), &Live::default());
    let session = FakeSession::new();
    session.fail_on("CREATE WAREHOUSE C");
    let result = run(&plan, session, 2).await;
    let on_disk = result.store.load().unwrap();
    let recorded: Vec<String> = on_disk.resources.keys().map(|a| a.to_string()).collect();
    assert_eq!(recorded, ["warehouse.A", "warehouse.B"]);
    assert_eq!(on_disk, result.state);
    // One write per successful step, then the journal folded into the snapshot.
    assert_eq!(
        on_disk.serial, 3,
        "one write per successful step, one to fold"
    );
    assert!(!result.store.journal_path().exists());
    let b = &on_disk.resources[&addr("warehouse.B")];
    assert_eq!(b.depends_on, [addr("warehouse.A")]);
    assert_eq!(b.git_commit.as_deref(), Some("abc123"));
    assert_eq!(b.attributes["size"], json!("SMALL"));
}

#[tokio::test]
async fn deletes_remove_addresses_from_state() {
    let mut before = State::new("DEV");
    let entry =
        crate::state::StateEntry::from_live(&live("warehouse.OLD", json!({})), vec![], None);
    before.import(addr("warehouse.OLD"), entry).unwrap();
    let live_now = Live {
        managed: [(addr("warehouse.OLD"), live("warehouse.OLD", json!({})))].into(),
        unmanaged: vec![],
    };
    let plan = plan_of(&[], &before, &live_now);
    let result = run_from(Some(before), &plan, FakeSession::new(), 1).await;
    assert!(result.summary.is_success());
    assert!(result.store.load().unwrap().resources.is_empty());
}

fn task(name: &str, after: &[&str], sql: &str) -> (Resource, crate::kinds::reconciler::LiveObject) {
    let attributes = json!({"after": after, "enabled": true, "sql": sql});
    let address = format!("task.{name}");
    (
        resource(&address, attributes.clone(), &[]),
        live(&address, attributes),
    )
}

#[tokio::test]
async fn a_suspended_root_is_resumed_even_when_its_graph_change_fails() {
    let (root, root_live) = task("ROOT", &[], "select 1");
    let (child, mut child_live) = task("CHILD", &["ROOT"], "select 2");
    child_live
        .attributes
        .insert("sql".into(), json!("select old"));
    let live_now = Live {
        managed: [
            (root_live.address.clone(), root_live),
            (child_live.address.clone(), child_live),
        ]
        .into(),
        unmanaged: vec![],
    };
    let plan = plan_of(&[root, child], &State::new("DEV"), &live_now);
    let session = FakeSession::new();
    session.fail_on("CREATE OR ALTER TASK DB.SCH.CHILD");
    let result = run(&plan, session.clone(), 4).await;
    let executed = session.executed();
    let suspend = executed
        .iter()
        .position(|s| s == "ALTER TASK DB.SCH.ROOT SUSPEND");
    let resume = executed
        .iter()
        .position(|s| s == "ALTER TASK DB.SCH.ROOT RESUME");
    assert!(suspend.is_some() && resume.is_some(), "{executed:?}");
    assert!(suspend < resume);
    assert!(!executed.contains(&"ALTER TASK DB.SCH.CHILD RESUME".to_string()));
    let resumed_root = result.summary.succeeded.iter().any(|(id, a)| {
        *a == addr("task.ROOT")
            && plan
                .steps
                .iter()
                .any(|s| s.id == *id && s.purpose == StepPurpose::Resume)
    });
    assert!(resumed_root, "{:?}", result.summary);
    assert_eq!(result.summary.failed.len(), 1);
}

#[test]
fn destructive_changes_need_allow_destroy_and_prevent_destroy_always_refuses() {
    let mut before = State::new("DEV");
    let entry =
        crate::state::StateEntry::from_live(&live("warehouse.OLD", json!({})), vec![], None);
    before.import(addr("warehouse.OLD"), entry).unwrap();
    let live_now = Live {
        managed: [(addr("warehouse.OLD"), live("warehouse.OLD", json!({})))].into(),
        unmanaged: vec![],
    };
    let mut plan = plan_of(&[], &before, &live_now);
    let refused = check_destroy(&plan, false).unwrap_err();
    assert_eq!(
        refused,
        GuardError::DestroyNotAllowed(vec![addr("warehouse.OLD")])
    );
    assert!(refused.to_string().contains("warehouse.OLD"));
    assert!(check_destroy(&plan, true).is_ok());
    plan.changes[0].prevent_destroy = true;
    assert!(matches!(
        check_destroy(&plan, true),
        Err(GuardError::PreventDestroy(_))
    ));
}

#[test]
fn saved_plans_must_match_environment_and_live_fingerprint() {
    let plan = plan_of(&[wh("A", &[])], &State::new("DEV"), &Live::default());
    let now = crate::diff::live_fingerprint(&Live::default());
    assert!(check_fresh(&plan, "DEV", &now).is_ok());
    assert!(matches!(
        check_fresh(&plan, "PROD", &now),
        Err(GuardError::WrongEnvironment { .. })
    ));
    let changed = Live {
        managed: [(addr("warehouse.X"), live("warehouse.X", json!({})))].into(),
        unmanaged: vec![],
    };
    let stale = check_fresh(&plan, "DEV", &crate::diff::live_fingerprint(&changed)).unwrap_err();
    assert_eq!(
        stale,
        GuardError::Stale {
            environment: "DEV".into()
        }
    );
    assert!(
        stale
            .to_diagnostic()
            .render(std::path::Path::new("."))
            .contains("floe plan --out")
    );
}

#[tokio::test]
async fn a_plan_file_edited_into_a_cycle_reports_its_steps_as_skipped() {
    let mut plan = plan_of(
        &[wh("A", &[]), wh("B", &[])],
        &State::new("DEV"),
        &Live::default(),
    );
    plan.steps[0].depends_on = vec![plan.steps[1].id];
    plan.steps[1].depends_on = vec![plan.steps[0].id];
    let session = FakeSession::new();
    let result = run(&plan, session.clone(), 2).await;
    assert!(session.executed().is_empty());
    assert_eq!(result.summary.skipped.len(), 2);
    assert!(
        result.summary.skipped[0].cause.contains("cycle"),
        "{:?}",
        result.summary
    );
}

#[tokio::test]
async fn a_task_is_recorded_suspended_until_its_resume_succeeds() {
    let (root, _) = task("ROOT", &[], "select 1");
    let (child, _) = task("CHILD", &["ROOT"], "select 2");
    let plan = plan_of(&[root, child], &State::new("DEV"), &Live::default());
    // The run stops after both tasks are created, before any resume.
    let session = FakeSession::new();
    session.fail_on("ALTER TASK DB.SCH.CHILD RESUME");
    let result = run(&plan, session, 4).await;
    assert_eq!(result.summary.failed.len(), 1, "{:?}", result.summary);
    let saved = result.store.load().unwrap();
    for name in ["task.ROOT", "task.CHILD"] {
        let entry = &saved.resources[&addr(name)];
        assert_eq!(entry.attributes["enabled"], json!(false), "{name}");
        let planned = plan.change(&addr(name)).unwrap();
        assert_ne!(
            Some(&entry.declared_fingerprint),
            planned.declared_fingerprint.as_ref()
        );
    }

    // A run that resumes them records them running, as the plan declared.
    let (root, _) = task("ROOT", &[], "select 1");
    let (child, _) = task("CHILD", &["ROOT"], "select 2");
    let plan = plan_of(&[root, child], &State::new("DEV"), &Live::default());
    let result = run(&plan, FakeSession::new(), 4).await;
    assert!(result.summary.is_success(), "{:?}", result.summary);
    let saved = result.store.load().unwrap();
    for name in ["task.ROOT", "task.CHILD"] {
        let entry = &saved.resources[&addr(name)];
        let planned = plan.change(&addr(name)).unwrap();
        assert_eq!(entry.attributes["enabled"], json!(true), "{name}");
        assert_eq!(
            Some(&entry.declared_fingerprint),
            planned.declared_fingerprint.as_ref()
        );
        assert_eq!(
            Some(&entry.live_fingerprint),
            planned.expected_live_fingerprint.as_ref()
        );
    }
}

#[tokio::test]
async fn a_suspended_root_is_recorded_suspended_until_resumed() {
    let (root, root_live) = task("ROOT", &[], "select 1");
    let (child, mut child_live) = task("CHILD", &["ROOT"], "select 2");
    child_live
        .attributes
        .insert("sql".into(), json!("select old"));
    let mut before = State::new("DEV");
    for object in [&root_live, &child_live] {
        let entry = crate::state::StateEntry::from_live(object, vec![], None);
        before.import(object.address.clone(), entry).unwrap();
    }
    let live_now = Live {
        managed: [
            (root_live.address.clone(), root_live),
            (child_live.address.clone(), child_live),
        ]
        .into(),
        unmanaged: vec![],
    };
    let plan = plan_of(&[root, child], &before, &live_now);
    // Stopped after the suspend: the change fails, and so does the resume.
    let session = FakeSession::new();
    session.fail_on("CREATE OR ALTER TASK DB.SCH.CHILD");
    session.fail_on("ALTER TASK DB.SCH.ROOT RESUME");
    let result = run_from(Some(before), &plan, session, 4).await;
    let summary = result.summary;
    assert_eq!(summary.failed.len(), 2, "{summary:?}");
    let saved = result.store.load().unwrap();
    assert_eq!(
        saved.resources[&addr("task.ROOT")].attributes["enabled"],
        json!(false)
    );
    // The running child was suspended before its own change; that change
    // failed, so its resume was skipped and state says it is suspended.
    assert_eq!(
        saved.resources[&addr("task.CHILD")].attributes["enabled"],
        json!(false)
    );
}

#[test]
fn a_gated_regression_is_refused_unless_allowed_and_names_both_values() {
    use crate::diff::{DefaultChange, MetricComparison, ModelMetrics};
    use crate::model::{Better, Gate, Side, Verdict};
    let mut plan = plan_of(&[wh("A", &[])], &State::new("DEV"), &Live::default());
    let mut default = DefaultChange {
        version: "V1".into(),
        baseline: Some("V2".into()),
        metrics: vec![MetricComparison {
            metric: "r2".into(),
            new: Some(json!(0.74)),
            baseline: Some(json!(0.82)),
            difference: Some(-0.08),
        }],
        gate: Some(Gate {
            metric: "r2".into(),
            better: Better::Higher,
            tolerance: 0.0,
        }),
        verdict: Verdict::Passes,
    };
    let with = |default: &DefaultChange| {
        let mut plan = plan.clone();
        plan.changes[0].model_metrics = Some(ModelMetrics {
            added: vec![],
            default_version: Some(default.clone()),
        });
        plan
    };
    assert!(check_regression(&with(&default), false).is_ok());
    default.verdict = Verdict::Regression;
    let refused = check_regression(&with(&default), false).unwrap_err();
    let text = refused.to_string();
    assert!(text.contains("warehouse.A refuses its new default version V1: r2 0.74 is worse than 0.82 of the live default version V2 (higher is better, tolerance 0)"), "{text}");
    let hint = refused.to_diagnostic().render(std::path::Path::new("."));
    assert!(hint.contains("--allow-regression"), "{hint}");
    assert!(check_regression(&with(&default), true).is_ok());
    default.verdict = Verdict::MissingMetric(Side::Baseline);
    default.metrics[0].baseline = None;
    let text = check_regression(&with(&default), false)
        .unwrap_err()
        .to_string();
    assert!(
        text.contains("r2 0.74 is not comparable with no value"),
        "{text}"
    );
    plan.changes[0].model_metrics = None;
    assert!(check_regression(&plan, false).is_ok());
}

#[tokio::test]
async fn a_task_recorded_suspended_but_found_running_is_recorded_running() {
    // A run killed after a task's resume ran but before it was recorded:
    // state says suspended, the account says running, as declared.
    let (root, root_live) = task("ROOT", &[], "select 1");
    let mut suspended = root_live.clone();
    suspended.attributes.insert("enabled".into(), json!(false));
    let mut before = State::new("DEV");
    let entry = crate::state::StateEntry::from_live(&suspended, vec![], None);
    before.import(root_live.address.clone(), entry).unwrap();
    let live_now = Live {
        managed: [(root_live.address.clone(), root_live)].into(),
        unmanaged: vec![],
    };
    let declared = [root];
    let plan = plan_of(&declared, &before, &live_now);
    let purposes: Vec<StepPurpose> = plan.steps.iter().map(|s| s.purpose).collect();
    assert_eq!(purposes, [StepPurpose::Record], "{plan:?}");
    let session = FakeSession::new();
    let result = run_from(Some(before), &plan, session.clone(), 1).await;
    assert!(result.summary.is_success(), "{:?}", result.summary);
    assert!(session.executed().is_empty());
    let saved = result.store.load().unwrap();
    assert_eq!(
        saved.resources[&addr("task.ROOT")].attributes["enabled"],
        json!(true)
    );
    let again = plan_of(&declared, &saved, &live_now);
    assert!(again.steps.is_empty(), "{:?}", again.steps);
}

/// A state session of a local account whose COMMITs wait for the test to
/// release them (or fail when told), logging into the steps' session log
/// so that steps and state writes can be ordered.
struct GatedWrites {
    inner: Arc<dyn Session>,
    steps: Arc<FakeSession>,
    release: Arc<tokio::sync::Semaphore>,
    fail: bool,
}

impl GatedWrites {
    fn log(&self, line: &str) {
        self.steps.log.lock().unwrap().push(line.to_string());
    }
}

impl Session for GatedWrites {
    fn execute<'a>(&'a self, sql: &'a str) -> BoxFuture<'a, Result<Rows, ExecError>> {
        Box::pin(async move {
            if sql != "COMMIT" {
                return self.inner.execute(sql).await;
            }
            self.log("state:commit-waits");
            let permit = self.release.acquire().await.unwrap();
            permit.forget();
            if self.fail {
                return Err(ExecError::Connection {
                    message: "the account went away".into(),
                    transient: false,
                });
            }
            let rows = self.inner.execute(sql).await?;
            self.log("state:committed");
            Ok(rows)
        })
    }

    fn open_sibling(&self) -> BoxFuture<'_, Result<Arc<dyn Session>, ExecError>> {
        Box::pin(async move {
            let sibling: Arc<dyn Session> = Arc::new(GatedWrites {
                inner: self.inner.open_sibling().await?,
                steps: self.steps.clone(),
                release: self.release.clone(),
                fail: self.fail,
            });
            Ok(sibling)
        })
    }

    fn describe(&self) -> String {
        self.inner.describe()
    }
}

/// Steps whose statements (those not naming `first`) wait until a state
/// write is in flight before running on the fake session.
struct AfterFirstWrite {
    steps: Arc<FakeSession>,
    first: String,
}

impl Session for AfterFirstWrite {
    fn execute<'a>(&'a self, sql: &'a str) -> BoxFuture<'a, Result<Rows, ExecError>> {
        Box::pin(async move {
            if !sql.contains(&self.first) {
                logged(&self.steps, "state:commit-waits", 1).await;
            }
            self.steps.execute(sql).await
        })
    }

    fn describe(&self) -> String {
        self.steps.describe()
    }
}

/// Applies `plan` with steps on `steps` and state in the tables of a
/// local account, written through a [`GatedWrites`] session; `check` runs
/// beside the apply, then every write is let through.
async fn apply_gated<F: std::future::Future<Output = ()>>(
    plan: &Plan,
    steps: Arc<FakeSession>,
    run_on: Option<Arc<dyn Session>>,
    parallelism: usize,
    fail: bool,
    check: impl FnOnce(Arc<tokio::sync::Semaphore>) -> F,
) -> Summary {
    let (_dir, account) = crate::local::scratch_account(&["CREATE DATABASE TEAM"]);
    let release = Arc::new(tokio::sync::Semaphore::new(0));
    let gated: Arc<dyn Session> = Arc::new(GatedWrites {
        inner: Arc::new(account),
        steps: steps.clone(),
        release: release.clone(),
        fail,
    });
    let backend = crate::state::backend::Backend::Tables(crate::state::backend::TableStore::new(
        gated,
        &crate::ident::Ident::from_resolved("TEAM"),
        &crate::ident::Ident::from_resolved("FLOE"),
        "DEV",
    ));
    let mut state = backend.load_reporting().await.unwrap().state;
    let kinds = kinds();
    let sink = StateSink {
        state: &mut state,
        store: &backend,
        kinds: &kinds,
    };
    let options = ApplyOptions {
        parallelism,
        ..ApplyOptions::default()
    };
    let observers = Observers::new(vec![]);
    let steps: Arc<dyn Session> = run_on.unwrap_or(steps);
    let applying = apply(plan, steps, sink, &observers, &options);
    let checking = async {
        check(release.clone()).await;
        release.add_permits(1_000);
    };
    let (summary, ()) = tokio::time::timeout(Duration::from_secs(30), async {
        tokio::join!(applying, checking)
    })
    .await
    .expect("the apply ends once its writes are let through");
    summary
}

/// Waits until the log holds `count` lines equal to `line`.
async fn logged(session: &FakeSession, line: &str, count: usize) {
    let seen = || {
        session
            .log
            .lock()
            .unwrap()
            .iter()
            .filter(|l| *l == line)
            .count()
    };
    tokio::time::timeout(Duration::from_secs(10), async {
        while seen() < count {
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
    })
    .await
    .unwrap_or_else(|_| panic!("`{line}` was never logged {count} times"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_dependent_starts_only_once_its_dependency_is_recorded() {
    let declared = [wh("A", &[]), wh("B", &["warehouse.A"])];
    let plan = plan_of(&declared, &State::new("DEV"), &Live::default());
    let session = FakeSession::new();
    let summary = apply_gated(&plan, session.clone(), None, 8, false, |release| {
        let session = session.clone();
        async move {
            logged(&session, "state:commit-waits", 1).await;
            assert!(
                !session.executed().contains(&create_sql("B")),
                "B started while A's record was not written"
            );
            release.add_permits(1);
        }
    })
    .await;
    assert!(summary.is_success(), "{summary:?}");
    let pos = |line: String| session.position(&line).unwrap();
    assert!(pos("state:committed".into()) < pos(format!("start:{}", create_sql("B"))));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn independent_steps_run_while_a_state_write_is_in_flight() {
    let declared = [wh("A", &[]), wh("C", &[]), wh("D", &[])];
    let plan = plan_of(&declared, &State::new("DEV"), &Live::default());
    let session = FakeSession::new();
    let steps: Arc<dyn Session> = Arc::new(AfterFirstWrite {
        steps: session.clone(),
        first: create_sql("A"),
    });
    let summary = apply_gated(&plan, session.clone(), Some(steps), 3, false, |_release| {
        let session = session.clone();
        async move {
            // A's write waits; C and D send their statements only then,
            // and end before it is let through.
            logged(&session, "state:commit-waits", 1).await;
            for name in ["A", "C", "D"] {
                logged(&session, &format!("end:{}", create_sql(name)), 1).await;
            }
            assert_eq!(session.position("state:committed"), None);
        }
    })
    .await;
    assert!(summary.is_success(), "{summary:?}");
    assert_eq!(summary.succeeded.len(), 3);
    // Whether C and D share the next write depends on when their ends
    // reach the writer, which this test does not control: it checks only
    // that they ran during A's write and were recorded after it.
    let log = session.log.lock().unwrap().clone();
    let commits = log.iter().filter(|l| *l == "state:committed").count();
    assert!((2..=3).contains(&commits), "{log:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_failed_state_write_fails_its_steps_and_starts_nothing_new() {
    let declared = [wh("A", &[]), wh("B", &["warehouse.A"])];
    let plan = plan_of(&declared, &State::new("DEV"), &Live::default());
    let session = FakeSession::new();
    let summary = apply_gated(&plan, session.clone(), None, 8, true, |_| async {}).await;
    assert_eq!(summary.failed.len(), 1, "{summary:?}");
    assert_eq!(summary.failed[0].address, addr("warehouse.A"));
    assert!(
        summary.failed[0]
            .message
            .starts_with("applied, but the state could not be written"),
        "{}",
        summary.failed[0].message
    );
    assert_eq!(summary.skipped.len(), 1);
    assert_eq!(summary.skipped[0].address, addr("warehouse.B"));
    assert_eq!(session.executed(), [create_sql("A")]);
}
