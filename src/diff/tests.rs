use serde_json::{Value, json};

use super::*;
use crate::kinds::reconciler::LiveObject;
use crate::kinds::reconciler::fakes::{addr, kinds, live, resource};
use crate::live::Live;
use crate::model::Resource;
use crate::state::{State, StateEntry};

fn live_of(objects: Vec<LiveObject>) -> Live {
    Live {
        managed: objects
            .into_iter()
            .map(|o| (o.address.clone(), o))
            .collect(),
        unmanaged: Vec::new(),
    }
}

fn state_of(entries: &[(&str, Value, &[&str])]) -> State {
    let mut state = State::new("DEV");
    for (address, attributes, deps) in entries {
        let deps = deps.iter().map(|d| addr(d)).collect();
        let entry = StateEntry::from_live(&live(address, attributes.clone()), deps, None);
        state.import(addr(address), entry).unwrap();
    }
    state
}

fn plan_for(declared: &[Resource], state: &State, live: &Live, targets: &[&str]) -> Plan {
    let targets: Vec<_> = targets.iter().map(|t| addr(t)).collect();
    plan(&PlanInput {
        environment: "DEV",
        declared,
        state,
        live,
        kinds: &kinds(),
        targets: &targets,
    })
    .unwrap()
}

fn step<'p>(plan: &'p Plan, address: &str, purpose: StepPurpose) -> &'p Step {
    plan.steps
        .iter()
        .find(|s| s.address == addr(address) && s.purpose == purpose)
        .unwrap_or_else(|| panic!("no {purpose:?} step for {address} in {:#?}", plan.steps))
}

fn action(plan: &Plan, address: &str) -> Action {
    plan.change(&addr(address))
        .expect("address is planned")
        .action
}

#[test]
fn creates_follow_dependency_order() {
    let declared = [
        resource("warehouse.A", json!({"size": "SMALL"}), &["warehouse.B"]),
        resource("warehouse.B", json!({"size": "SMALL"}), &["warehouse.C"]),
        resource("warehouse.C", json!({"size": "SMALL"}), &[]),
    ];
    let plan = plan_for(&declared, &State::new("DEV"), &Live::default(), &[]);
    let order: Vec<String> = plan.steps.iter().map(|s| s.address.to_string()).collect();
    assert_eq!(order, ["warehouse.C", "warehouse.B", "warehouse.A"]);
    let (a, b, c) = (
        step(&plan, "warehouse.A", StepPurpose::Create),
        step(&plan, "warehouse.B", StepPurpose::Create),
        step(&plan, "warehouse.C", StepPurpose::Create),
    );
    assert_eq!(a.depends_on, [b.id]);
    assert_eq!(b.depends_on, [c.id]);
    assert_eq!(c.statements, ["CREATE WAREHOUSE C WAREHOUSE_SIZE = SMALL"]);
    assert_eq!(plan.counts().create, 3);
}

#[test]
fn creates_wait_through_unchanged_dependencies() {
    let declared = [
        resource("warehouse.A", json!({"size": "SMALL"}), &["warehouse.B"]),
        resource("warehouse.B", json!({"size": "SMALL"}), &["warehouse.C"]),
        resource("warehouse.C", json!({"size": "LARGE"}), &[]),
    ];
    let state = state_of(&[("warehouse.B", json!({"size": "SMALL"}), &["warehouse.C"])]);
    let live = live_of(vec![
        live("warehouse.B", json!({"size": "SMALL"})),
        live("warehouse.C", json!({"size": "SMALL"})),
    ]);
    let plan = plan_for(&declared, &state, &live, &[]);
    assert_eq!(action(&plan, "warehouse.B"), Action::NoOp);
    let a = step(&plan, "warehouse.A", StepPurpose::Create);
    let c = step(&plan, "warehouse.C", StepPurpose::Update);
    assert!(a.depends_on.contains(&c.id), "{:#?}", plan.steps);
}

#[test]
fn deletes_run_in_reverse_dependency_order() {
    let state = state_of(&[
        ("warehouse.A", json!({"size": "SMALL"}), &["warehouse.B"]),
        ("warehouse.B", json!({"size": "SMALL"}), &[]),
    ]);
    let live = live_of(vec![
        live("warehouse.A", json!({"size": "SMALL"})),
        live("warehouse.B", json!({"size": "SMALL"})),
    ]);
    let plan = plan_for(&[], &state, &live, &[]);
    let a = step(&plan, "warehouse.A", StepPurpose::Delete);
    let b = step(&plan, "warehouse.B", StepPurpose::Delete);
    assert_eq!(b.depends_on, [a.id]);
    assert!(a.id < b.id);
    assert_eq!(b.statements, ["DROP WAREHOUSE B"]);
    let change = plan.change(&addr("warehouse.B")).unwrap();
    assert!(change.destructive);
    assert_eq!(plan.counts().delete, 2);
}

#[test]
fn a_delete_waits_for_the_update_that_stops_using_it() {
    let declared = [resource("warehouse.A", json!({"size": "LARGE"}), &[])];
    let state = state_of(&[
        ("warehouse.A", json!({"size": "SMALL"}), &["warehouse.OLD"]),
        ("warehouse.OLD", json!({"size": "SMALL"}), &[]),
    ]);
    let live = live_of(vec![
        live("warehouse.A", json!({"size": "SMALL"})),
        live("warehouse.OLD", json!({"size": "SMALL"})),
    ]);
    let plan = plan_for(&declared, &state, &live, &[]);
    let update = step(&plan, "warehouse.A", StepPurpose::Update);
    assert_eq!(update.statements, ["ALTER WAREHOUSE A SET SIZE = LARGE"]);
    assert_eq!(
        step(&plan, "warehouse.OLD", StepPurpose::Delete).depends_on,
        [update.id]
    );
}

#[test]
fn out_of_band_changes_are_drift_and_reverted() {
    let declared = [
        resource("warehouse.A", json!({"size": "SMALL"}), &[]),
        resource("warehouse.GONE", json!({"size": "SMALL"}), &[]),
    ];
    let state = state_of(&[
        ("warehouse.A", json!({"size": "SMALL"}), &[]),
        ("warehouse.GONE", json!({"size": "SMALL"}), &[]),
    ]);
    let live = live_of(vec![live("warehouse.A", json!({"size": "LARGE"}))]);
    let plan = plan_for(&declared, &state, &live, &[]);
    let a = plan.change(&addr("warehouse.A")).unwrap();
    assert_eq!((a.action, a.drift), (Action::Update, true));
    assert_eq!(a.reason.as_deref(), Some("changed outside floe"));
    assert_eq!(a.attributes[0].old(), Some(&json!("LARGE")));
    let gone = plan.change(&addr("warehouse.GONE")).unwrap();
    assert_eq!((gone.action, gone.drift), (Action::Create, true));
    assert_eq!(gone.reason.as_deref(), Some("deleted outside floe"));
    assert_eq!(plan.counts().drift, 2);
}

#[test]
fn a_declared_change_over_drift_is_not_drift() {
    let declared = [resource("warehouse.A", json!({"size": "MEDIUM"}), &[])];
    let state = state_of(&[("warehouse.A", json!({"size": "SMALL"}), &[])]);
    let live = live_of(vec![live("warehouse.A", json!({"size": "LARGE"}))]);
    let plan = plan_for(&declared, &state, &live, &[]);
    let a = plan.change(&addr("warehouse.A")).unwrap();
    assert_eq!((a.action, a.drift), (Action::Update, false));
}

#[test]
fn ignored_changes_are_never_planned() {
    let mut wh = resource("warehouse.A", json!({"size": "SMALL"}), &[]);
    wh.lifecycle.ignore_changes = vec!["size".into()];
    let state = state_of(&[("warehouse.A", json!({"size": "SMALL"}), &[])]);
    let live = live_of(vec![live("warehouse.A", json!({"size": "LARGE"}))]);
    let plan = plan_for(&[wh], &state, &live, &[]);
    assert_eq!(action(&plan, "warehouse.A"), Action::NoOp);
    assert!(!plan.has_changes());
}

#[test]
fn replace_drops_then_creates_with_the_kinds_reason() {
    let declared = [resource(
        "warehouse.A",
        json!({"size": "SMALL", "type": "SNOWPARK-OPTIMIZED"}),
        &[],
    )];
    let state = state_of(&[(
        "warehouse.A",
        json!({"size": "SMALL", "type": "STANDARD"}),
        &[],
    )]);
    let live = live_of(vec![live(
        "warehouse.A",
        json!({"size": "SMALL", "type": "STANDARD"}),
    )]);
    let plan = plan_for(&declared, &state, &live, &[]);
    let change = plan.change(&addr("warehouse.A")).unwrap();
    assert_eq!(change.action, Action::Replace);
    assert_eq!(change.reason.as_deref(), Some("type changed"));
    assert!(!change.destructive, "the toy warehouse holds no data");
    let replace = step(&plan, "warehouse.A", StepPurpose::Replace);
    assert_eq!(
        replace.statements,
        [
            "DROP WAREHOUSE A",
            "CREATE WAREHOUSE A WAREHOUSE_SIZE = SMALL"
        ]
    );
}

#[test]
fn state_learns_matching_objects_and_forgets_vanished_ones() {
    let declared = [resource("warehouse.A", json!({"size": "SMALL"}), &[])];
    let state = state_of(&[("warehouse.OLD", json!({"size": "SMALL"}), &[])]);
    let live = live_of(vec![live("warehouse.A", json!({"size": "SMALL"}))]);
    let plan = plan_for(&declared, &state, &live, &[]);
    assert!(!plan.has_changes());
    assert!(
        step(&plan, "warehouse.A", StepPurpose::Record)
            .statements
            .is_empty()
    );
    assert!(
        step(&plan, "warehouse.OLD", StepPurpose::Forget)
            .statements
            .is_empty()
    );
}

#[test]
fn targets_restrict_to_themselves_and_their_dependencies() {
    let declared = [
        resource("warehouse.A", json!({"size": "SMALL"}), &["warehouse.B"]),
        resource("warehouse.B", json!({"size": "SMALL"}), &[]),
        resource("warehouse.C", json!({"size": "SMALL"}), &[]),
    ];
    let plan = plan_for(
        &declared,
        &State::new("DEV"),
        &Live::default(),
        &["warehouse.A"],
    );
    let planned: Vec<String> = plan.changes.iter().map(|c| c.address.to_string()).collect();
    assert_eq!(planned, ["warehouse.A", "warehouse.B"]);
    assert_eq!(plan.steps.len(), 2);
    let err = super::plan(&PlanInput {
        environment: "DEV",
        declared: &declared,
        state: &State::new("DEV"),
        live: &Live::default(),
        kinds: &kinds(),
        targets: &[addr("warehouse.NOPE")],
    })
    .unwrap_err();
    assert_eq!(err, DiffError::UnknownTarget(addr("warehouse.NOPE")));
}

#[test]
fn plan_fingerprints_do_not_depend_on_declaration_order() {
    let a = resource("warehouse.A", json!({"size": "SMALL", "comment": "x"}), &[]);
    let b = resource("warehouse.B", json!({"size": "SMALL"}), &[]);
    assert_eq!(
        declared_fingerprint(&[a.clone(), b.clone()]),
        declared_fingerprint(&[b, a.clone()])
    );
    let mut changed = a.clone();
    changed.attributes.insert("size".into(), json!("LARGE"));
    assert_ne!(declared_fingerprint(&[a]), declared_fingerprint(&[changed]));
}

#[test]
fn a_plan_records_the_fingerprint_of_what_was_declared() {
    let a = resource("warehouse.A", json!({"size": "SMALL"}), &[]);
    let b = resource("warehouse.B", json!({"size": "SMALL"}), &["warehouse.A"]);
    let declared = [a.clone(), b];
    let plan = plan_for(&declared, &State::new("DEV"), &Live::default(), &[]);
    assert_eq!(plan.declared_fingerprint, declared_fingerprint(&declared));
    // Also with a target, which leaves B unplanned, and with a field that
    // follows its live value, which plans other attributes than declared.
    let targeted = plan_for(
        &declared,
        &State::new("DEV"),
        &Live::default(),
        &["warehouse.A"],
    );
    assert_eq!(
        targeted.declared_fingerprint,
        declared_fingerprint(&declared)
    );
    let mut ignoring = a;
    ignoring.lifecycle.ignore_changes = vec!["size".into()];
    let live = live_of(vec![live("warehouse.A", json!({"size": "LARGE"}))]);
    let followed = plan_for(
        std::slice::from_ref(&ignoring),
        &State::new("DEV"),
        &live,
        &[],
    );
    assert_eq!(
        followed.declared_fingerprint,
        declared_fingerprint(&[ignoring])
    );
}

fn task(name: &str, after: &[&str], enabled: bool, sql: &str) -> (Resource, LiveObject) {
    let attributes = json!({"after": after, "enabled": enabled, "sql": sql});
    let address = format!("task.{name}");
    (
        resource(&address, attributes.clone(), &[]),
        live(&address, attributes),
    )
}

#[test]
fn changing_a_task_suspends_its_root_then_resumes_children_before_root() {
    let (root, root_live) = task("ROOT", &[], true, "select 1");
    let (child, mut child_live) = task("CHILD", &["ROOT"], true, "select 2");
    let (leaf, leaf_live) = task("LEAF", &["CHILD"], true, "select 3");
    child_live
        .attributes
        .insert("sql".into(), json!("select old"));
    let live = live_of(vec![root_live, child_live, leaf_live]);
    let declared = [root, child, leaf];
    let plan = plan_for(&declared, &State::new("DEV"), &live, &[]);

    let suspend = step(&plan, "task.ROOT", StepPurpose::Suspend);
    let update = step(&plan, "task.CHILD", StepPurpose::Update);
    let resume_child = step(&plan, "task.CHILD", StepPurpose::Resume);
    let resume_root = step(&plan, "task.ROOT", StepPurpose::Resume);
    assert_eq!(suspend.statements, ["ALTER TASK DB.SCH.ROOT SUSPEND"]);
    assert!(update.depends_on.contains(&suspend.id));
    assert!(resume_child.depends_on.contains(&update.id));
    assert!(resume_root.depends_on.contains(&resume_child.id));
    assert!(resume_root.depends_on.contains(&update.id));
    assert_eq!(resume_root.compensates, Some(suspend.id));
    assert_eq!(resume_root.statements, ["ALTER TASK DB.SCH.ROOT RESUME"]);
    assert!(
        !plan
            .steps
            .iter()
            .any(|s| s.address == addr("task.LEAF") && s.purpose != StepPurpose::Record),
        "an unchanged running task is left alone: {:#?}",
        plan.steps
    );
}

#[test]
fn a_running_child_is_suspended_itself_before_its_alter() {
    let (root, root_live) = task("ROOT", &[], true, "select 1");
    let (child, mut child_live) = task("CHILD", &["ROOT"], true, "select 2");
    let (off, mut off_live) = task("OFF", &["ROOT"], true, "select 3");
    child_live
        .attributes
        .insert("sql".into(), json!("select old"));
    off_live.attributes.insert("enabled".into(), json!(false));
    off_live
        .attributes
        .insert("sql".into(), json!("select older"));
    let live = live_of(vec![root_live, child_live, off_live]);
    let plan = plan_for(&[root, child, off], &State::new("DEV"), &live, &[]);

    let suspend_root = step(&plan, "task.ROOT", StepPurpose::Suspend);
    let suspend_child = step(&plan, "task.CHILD", StepPurpose::Suspend);
    let update = step(&plan, "task.CHILD", StepPurpose::Update);
    let resume_child = step(&plan, "task.CHILD", StepPurpose::Resume);
    assert_eq!(
        suspend_child.statements,
        ["ALTER TASK DB.SCH.CHILD SUSPEND"]
    );
    assert!(suspend_child.depends_on.contains(&suspend_root.id));
    assert!(update.depends_on.contains(&suspend_child.id));
    assert!(resume_child.depends_on.contains(&update.id));
    assert!(
        !plan
            .steps
            .iter()
            .any(|s| s.address == addr("task.OFF") && s.purpose == StepPurpose::Suspend),
        "a suspended child is altered as it is: {:#?}",
        plan.steps
    );
}

#[test]
fn new_tasks_are_resumed_only_when_enabled() {
    let (root, _) = task("ROOT", &[], true, "select 1");
    let (on, _) = task("ON", &["ROOT"], true, "select 2");
    let (off, _) = task("OFF", &["ROOT"], false, "select 3");
    let plan = plan_for(&[root, on, off], &State::new("DEV"), &Live::default(), &[]);
    assert!(
        !plan.steps.iter().any(|s| s.purpose == StepPurpose::Suspend),
        "nothing runs yet"
    );
    let resume_on = step(&plan, "task.ON", StepPurpose::Resume);
    let resume_root = step(&plan, "task.ROOT", StepPurpose::Resume);
    assert!(resume_root.depends_on.contains(&resume_on.id));
    assert!(
        resume_root
            .depends_on
            .contains(&step(&plan, "task.OFF", StepPurpose::Create).id)
    );
    assert_eq!(resume_root.compensates, None);
    assert!(
        !plan
            .steps
            .iter()
            .any(|s| s.address == addr("task.OFF") && s.purpose == StepPurpose::Resume)
    );
}

#[test]
fn plan_json_round_trips() {
    let declared = [resource("warehouse.A", json!({"size": "SMALL"}), &[])];
    let plan = plan_for(&declared, &State::new("DEV"), &Live::default(), &[]);
    let text = serde_json::to_string(&plan).unwrap();
    assert!(text.contains(r#""format_version":1"#));
    assert!(text.contains(r#""action":"create""#));
    assert_eq!(Plan::from_json(&text).unwrap(), plan);
    assert!(Plan::from_json(r#"{"format_version": 1}"#).is_err());
}

#[test]
fn drift_is_what_left_the_applied_values_and_pending_is_the_rest() {
    let small = || json!({"size": "SMALL"});
    let declared = [
        resource("warehouse.NEW_WH", small(), &[]),
        resource("warehouse.RESIZED_WH", small(), &[]),
        resource("warehouse.GONE_WH", small(), &[]),
        resource("warehouse.GROWING_WH", json!({"size": "LARGE"}), &[]),
        resource("warehouse.SAME_WH", small(), &[]),
    ];
    let state = state_of(&[
        ("warehouse.RESIZED_WH", small(), &[]),
        ("warehouse.GONE_WH", small(), &[]),
        ("warehouse.GROWING_WH", small(), &[]),
        ("warehouse.SAME_WH", small(), &[]),
    ]);
    let now = live_of(vec![
        live("warehouse.RESIZED_WH", json!({"size": "X-LARGE"})),
        live("warehouse.GROWING_WH", small()),
        live("warehouse.SAME_WH", small()),
    ]);
    let report = DriftReport::from_plan(&plan_for(&declared, &state, &now, &[]));
    let mut drifted: Vec<(String, DriftKind, Vec<String>)> = report
        .drifted
        .iter()
        .map(|d| {
            let fields = d.attributes.iter().map(|a| a.field.clone()).collect();
            (d.address.to_string(), d.kind, fields)
        })
        .collect();
    drifted.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        drifted,
        [
            ("warehouse.GONE_WH".to_string(), DriftKind::Deleted, vec![]),
            (
                "warehouse.RESIZED_WH".to_string(),
                DriftKind::Changed,
                vec!["size".to_string()]
            ),
        ]
    );
    assert_eq!(report.missing, [addr("warehouse.NEW_WH")]);
    assert_eq!(report.pending, 2, "NEW_WH and GROWING_WH wait for an apply");
    assert!(report.has_drift());

    let applied = [resource("warehouse.SAME_WH", small(), &[])];
    let state = state_of(&[("warehouse.SAME_WH", small(), &[])]);
    let now = live_of(vec![live("warehouse.SAME_WH", small())]);
    let clean = DriftReport::from_plan(&plan_for(&applied, &state, &now, &[]));
    assert!(!clean.has_drift());
    assert_eq!((clean.drifted.len(), clean.pending), (0, 0));
}

mod models {
    //! A registry model against the local account: Snowflake cannot show a
    //! version's source, so the diff must fill it in from state.

    use std::sync::Arc;

    use super::*;
    use crate::kinds::model::reconciler::ModelKind;
    use crate::kinds::reconciler::{Kinds, Reconciler};
    use crate::kinds::schema::reconciler::SchemaKind;
    use crate::kinds::testing::{account, live, resolve, run};
    use crate::local::LocalAccount;

    const RESOURCES: &str = r#"
kind: Schema
name: reg
---
kind: Model
name: pudo
schema: REG
default_version: V2
versions:
  - {name: V1, from: "@ML_DB.REG.MODELS/pudo/v1", metrics: {mape: 0.2}, aliases: [old]}
  - {name: V2, from: "@ML_DB.REG.MODELS/pudo/v2", comment: retrained}
"#;

    fn kinds() -> Kinds {
        Kinds::new([
            Arc::new(SchemaKind) as Arc<dyn Reconciler>,
            Arc::new(ModelKind) as Arc<dyn Reconciler>,
        ])
    }

    fn read(account: &LocalAccount) -> Live {
        let objects = [live(&SchemaKind, account), live(&ModelKind, account)];
        live_of(objects.into_iter().flatten().collect())
    }

    fn plan_with(declared: &[Resource], state: &State, live: &Live) -> Plan {
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

    /// Runs every step and records state as apply does.
    fn apply(account: &LocalAccount, plan: &Plan, state: &mut State) {
        for step in &plan.steps {
            run(account, &step.statements);
            let change = plan.change(&step.address).unwrap();
            let entry = StateEntry {
                kind: change.kind,
                fqn: change.fqn.clone(),
                declared_fingerprint: change.declared_fingerprint.clone().unwrap(),
                live_fingerprint: change.expected_live_fingerprint.clone().unwrap(),
                attributes: change.after.clone().unwrap(),
                depends_on: change.depends_on.clone(),
                applied_at: String::new(),
                git_commit: None,
            };
            state.resources.insert(step.address.clone(), entry);
        }
    }

    #[test]
    fn a_model_applied_and_read_back_plans_no_change() {
        let declared = resolve(RESOURCES).resources;
        let (_dir, account) = account();
        let mut state = State::new("DEV");
        let first = plan_with(&declared, &state, &Live::default());
        assert_eq!(action(&first, "model.PUDO"), Action::Create);
        apply(&account, &first, &mut state);

        let live = read(&account);
        let read_from = &live.managed[&addr("model.PUDO")].attributes["versions"][0]["from"];
        assert_eq!(read_from, &Value::Null, "Snowflake shows no source");
        let next = plan_with(&declared, &state, &live);
        assert!(!next.has_changes(), "{:#?}", next.changes);
        assert!(next.steps.is_empty(), "{:#?}", next.steps);
        assert_eq!(
            next.live_fingerprint,
            live_fingerprint(&live),
            "staleness is checked on what was read"
        );
        let recorded = &state.resources[&addr("model.PUDO")];
        let completed = ModelKind
            .complete_live(
                &live.managed[&addr("model.PUDO")].attributes,
                &recorded.attributes,
            )
            .unwrap();
        assert_eq!(
            recorded.live_fingerprint,
            super::super::build::visible_fingerprint(&ModelKind, &completed),
            "the live fingerprint recorded at apply is what the next plan compares"
        );
    }

    #[test]
    fn an_adopted_model_shows_its_unknown_sources_and_adopts_them_in_place() {
        let declared = resolve(RESOURCES).resources;
        let (_dir, account) = account();
        let mut state = State::new("DEV");
        apply(
            &account,
            &plan_with(&declared, &state, &Live::default()),
            &mut state,
        );
        state.resources.remove(&addr("model.PUDO"));
        let adopt = plan_with(&declared, &state, &read(&account));
        let change = adopt.change(&addr("model.PUDO")).unwrap();
        assert_eq!((change.action, change.drift), (Action::Update, false));
        assert_eq!(change.attributes[0].field, "versions");
        let update = step(&adopt, "model.PUDO", StepPurpose::Update);
        assert!(update.statements.is_empty(), "{:?}", update.statements);
        apply(&account, &adopt, &mut state);
        assert!(!plan_with(&declared, &state, &read(&account)).has_changes());
    }
}

#[test]
fn the_origin_sits_in_the_json_header_and_older_saved_plans_still_read() {
    let mut plan = plan_for(&[], &state_of(&[]), &live_of(vec![]), &[]);
    plan.origin = PlanOrigin {
        branch: Some("release/1.0".into()),
        commit: Some("1a2b3c".into()),
        connection: "local".into(),
    };
    let value = serde_json::to_value(&plan).unwrap();
    assert_eq!(value["environment"], json!(plan.environment));
    assert_eq!(value["branch"], json!("release/1.0"));
    assert_eq!(value["commit"], json!("1a2b3c"));
    assert_eq!(value["connection"], json!("local"));
    assert_eq!(Plan::from_json(&value.to_string()).unwrap(), plan);
    let mut older = value;
    for field in ["branch", "commit", "connection"] {
        older.as_object_mut().unwrap().remove(field);
    }
    let read = Plan::from_json(&older.to_string()).unwrap();
    assert_eq!(read.origin, PlanOrigin::default());
}

#[test]
fn moving_the_declared_resources_plans_what_copying_them_plans() {
    let mut ignoring = resource("warehouse.I", json!({"size": "SMALL"}), &[]);
    ignoring.lifecycle.ignore_changes = vec!["size".into()];
    let plain = vec![
        resource("warehouse.A", json!({"size": "MEDIUM"}), &[]),
        resource("warehouse.B", json!({"size": "SMALL"}), &["warehouse.A"]),
        resource("warehouse.N", json!({"size": "SMALL"}), &[]),
    ];
    let mut with_ignored = plain.clone();
    with_ignored.push(ignoring);
    let state = state_of(&[
        ("warehouse.A", json!({"size": "SMALL"}), &[]),
        ("warehouse.B", json!({"size": "SMALL"}), &["warehouse.A"]),
        ("warehouse.I", json!({"size": "SMALL"}), &[]),
        ("warehouse.GONE", json!({"size": "SMALL"}), &[]),
    ]);
    let live = live_of(vec![
        live("warehouse.A", json!({"size": "SMALL"})),
        live("warehouse.B", json!({"size": "SMALL"})),
        live("warehouse.I", json!({"size": "LARGE"})),
        live("warehouse.GONE", json!({"size": "SMALL"})),
    ]);
    let kinds = kinds();
    for declared in [plain, with_ignored] {
        for targets in [vec![], vec![addr("warehouse.B")]] {
            let input = PlanInput {
                environment: "DEV",
                declared: &declared,
                state: &state,
                live: &live,
                kinds: &kinds,
                targets: &targets,
            };
            let copied = plan(&input).unwrap();
            let moved = plan_moving(&input, declared.clone()).unwrap();
            assert_eq!(moved, copied, "targets {targets:?}");
            assert!(copied.changes.iter().any(|c| c.after.is_some()));
        }
    }
}
