//! Convergence through the `floe` binary on small projects: once applied, a
//! project plans clean, whatever numbers it holds, whatever was dropped or
//! ignored behind it, and task graphs with a finalizer and an error
//! integration round-trip; what no batched statement reads is said so.

mod common;

use common::{Output, Project};

/// The branch that selects DEV.
const DEV: &str = "feature/try";

const ENVIRONMENTS: &str = "\
project: conv
default_connection: local
environments:
  DEV:
    branches: [dev, \"feature/*\"]
    database: CONV_DB
local:
  seed: [config/seed.sql]
";

const SEED: &str = "\
CREATE DATABASE IF NOT EXISTS CONV_DB;
CREATE SCHEMA IF NOT EXISTS CONV_DB.RAW;
CREATE TABLE IF NOT EXISTS CONV_DB.RAW.EVENTS (PUDO_ID VARCHAR(16), DAY DATE, PARCELS NUMBER);
";

const PLACEMENT: &str = "\
kind: Schema
name: OPS
---
kind: Warehouse
name: CONV_WH
";

/// A project with the seeded database, a schema OPS and a warehouse CONV_WH,
/// and `resources` in resources/main.yaml.
fn project(resources: &str) -> Project {
    Project::with_environments(ENVIRONMENTS)
        .file("config/seed.sql", SEED)
        .file("resources/placement.yaml", PLACEMENT)
        .file("resources/main.yaml", resources)
}

fn exec(project: &Project, sql: &str) -> Output {
    let out = project.on_branch(DEV, &["local", "exec", sql]);
    out.code(0);
    out
}

#[test]
fn floats_in_task_configs_and_model_metrics_plan_clean_once_applied() {
    let project = project(
        "\
kind: Schema
name: REG
---
kind: Task
name: ROOT
schema: OPS
warehouse: CONV_WH
schedule: 60 minutes
config: {threshold: 94.52706955539223, ratio: 0.1, tiny: 1.0e-300}
sql: SELECT 1
---
kind: Model
name: M
schema: REG
versions:
  - {name: V1, from: '@CONV_DB.REG.STAGE/m/v1', metrics: {r2: 0.009221885624698875, nested: {mae: 0.30000000000000004}}}
",
    );
    project.apply(DEV);
    project.assert_clean(DEV, "DEV");
    exec(
        &project,
        "SELECT METADATA FROM CONV_DB.INFORMATION_SCHEMA.MODEL_VERSIONS",
    )
    .stdout_has("0.009221885624698875");
}

const CRON_FEATURE_VIEW: &str = "\
kind: Schema
name: FS
feature_store: true
---
kind: Entity
name: PUDO
schema: FS
join_keys: [PUDO_ID]
---
kind: FeatureView
name: DAILY
version: V1
schema: FS
entities: [PUDO]
timestamp_col: DAY
refresh_freq: \"0 3 * * * UTC\"
warehouse: CONV_WH
query: SELECT PUDO_ID, DAY, PARCELS FROM CONV_DB.RAW.EVENTS
";

#[test]
fn a_cron_feature_view_whose_dynamic_table_was_dropped_alone_is_repaired() {
    let project = project(CRON_FEATURE_VIEW);
    project.apply(DEV);
    exec(&project, "DROP DYNAMIC TABLE CONV_DB.FS.DAILY$V1");
    project
        .on_branch(DEV, &["plan"])
        .code(0)
        .stdout_has("feature_view.DAILY$V1");
    project
        .on_branch(DEV, &["apply", "--auto-approve", "--allow-destroy"])
        .code(0)
        .stdout_has("Apply complete");
    project.assert_clean(DEV, "DEV");
    exec(&project, "SHOW TASKS LIKE 'DAILY$V1' IN SCHEMA CONV_DB.FS").stdout_has("started");
}

const IGNORED_JOIN_KEYS: &str = "\
kind: Schema
name: FS
feature_store: true
---
kind: Entity
name: PUDO
schema: FS
join_keys: [PUDO_ID]
lifecycle: {ignore_changes: [join_keys]}
---
kind: FeatureView
name: VOLUME
version: V1
schema: FS
entities: [PUDO]
timestamp_col: DAY
query: SELECT PUDO_ID, DAY, PARCELS FROM CONV_DB.RAW.EVENTS
";

#[test]
fn feature_views_follow_the_join_keys_an_ignored_entity_really_has() {
    let project = project(IGNORED_JOIN_KEYS);
    project.apply(DEV);
    project.edit("resources/main.yaml", "[PUDO_ID]", "[PUDO_ID, DAY]");
    project.assert_clean(DEV, "DEV");
    project.apply(DEV);
    project.assert_clean(DEV, "DEV");
    exec(&project, "SHOW VIEWS LIKE 'VOLUME$V1' IN SCHEMA CONV_DB.FS").stdout_has("VOLUME$V1");
    // A new feature view on the entity is tagged with the live keys too.
    let second = IGNORED_JOIN_KEYS
        .split("---\n")
        .last()
        .unwrap()
        .replace("VOLUME", "DEMAND");
    project.edit(
        "resources/main.yaml",
        "kind: FeatureView\n",
        &format!("{second}---\nkind: FeatureView\n"),
    );
    project.apply(DEV);
    project.assert_clean(DEV, "DEV");
}

#[test]
fn the_plan_says_which_task_fields_it_compares_with_state_only() {
    let project = project(
        "\
kind: Task
name: ROOT
schema: OPS
schedule: 60 minutes
timeout_ms: 60000
sql: SELECT 1
",
    );
    project.on_branch(DEV, &["plan"]).code(0).stdout_has(
        "Note: task timeout_ms and suspend_after_failures are compared with the last apply only",
    );
    let json = project.on_branch(DEV, &["plan", "--json"]);
    json.code(0);
    let plan: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(
        plan["compared_with_state"],
        serde_json::json!([{"kind": "task", "fields": ["timeout_ms", "suspend_after_failures"]}])
    );
}

const FINALIZED_GRAPH: &str = "\
kind: Task
name: ROOT
schema: OPS
warehouse: CONV_WH
schedule: 60 minutes
error_integration: OPS_ALERTS
sql: SELECT 1
---
kind: Task
name: WORK
schema: OPS
after: [ROOT]
sql: SELECT 2
---
kind: Task
name: CLEANUP
schema: OPS
finalize: ROOT
sql: SELECT 3
";

#[test]
fn a_finalizer_and_an_error_integration_round_trip_with_their_graph() {
    let project = project(FINALIZED_GRAPH);
    project
        .on_branch(DEV, &["plan", "--sql"])
        .code(0)
        .stdout_has("ERROR_INTEGRATION = OPS_ALERTS")
        .stdout_has("FINALIZE = CONV_DB.OPS.ROOT");
    project.apply(DEV);
    project.assert_clean(DEV, "DEV");
    let shown = exec(&project, "SHOW TASKS IN SCHEMA CONV_DB.OPS");
    shown
        .stdout_has("FinalizedRootTask")
        .stdout_has("FinalizerTask")
        .stdout_has("OPS_ALERTS");
    let states = exec(&project, "SHOW TASKS LIKE 'CLEANUP' IN SCHEMA CONV_DB.OPS");
    states.stdout_has("started");

    // The finalizer changes while its root is suspended.
    project.edit("resources/main.yaml", "SELECT 3", "SELECT 4");
    let plan = project.on_branch(DEV, &["plan", "--sql"]);
    plan.code(0)
        .stdout_has("ALTER TASK CONV_DB.OPS.ROOT SUSPEND")
        .stdout_has("ALTER TASK CONV_DB.OPS.CLEANUP MODIFY AS SELECT 4");
    project.apply(DEV);
    project.assert_clean(DEV, "DEV");

    // Changed behind floe's back (a task of a graph is altered only while
    // it and its root are suspended): seen and reverted.
    exec(&project, "ALTER TASK CONV_DB.OPS.ROOT SUSPEND");
    exec(&project, "ALTER TASK CONV_DB.OPS.CLEANUP SUSPEND");
    exec(&project, "ALTER TASK CONV_DB.OPS.CLEANUP UNSET FINALIZE");
    exec(
        &project,
        "ALTER TASK CONV_DB.OPS.ROOT UNSET ERROR_INTEGRATION",
    );
    project
        .on_branch(DEV, &["drift"])
        .code(2)
        .stdout_has("task.CLEANUP")
        .stdout_has("task.ROOT");
    project.apply(DEV);
    project.assert_clean(DEV, "DEV");

    // The finalizer becomes a child of the graph, then goes.
    project.edit("resources/main.yaml", "finalize: ROOT", "after: [WORK]");
    project.apply(DEV);
    project.assert_clean(DEV, "DEV");
    exec(&project, "SHOW TASKS LIKE 'CLEANUP' IN SCHEMA CONV_DB.OPS")
        .stdout_lacks("FinalizedRootTask");
}

#[test]
fn finalizers_are_checked_against_their_graph() {
    let check = |resources: &str, message: &str| {
        let project = project(resources);
        project
            .on_branch(DEV, &["validate"])
            .code(1)
            .stderr_has(message);
    };
    check(
        &FINALIZED_GRAPH.replace("finalize: ROOT\n", "finalize: ROOT\nschedule: 5 minutes\n"),
        "a finalizer task (`finalize`) cannot have a schedule",
    );
    check(
        &FINALIZED_GRAPH.replace("finalize: ROOT\n", "finalize: ROOT\nafter: [WORK]\n"),
        "a finalizer task (`finalize`) cannot have `after`",
    );
    check(
        &FINALIZED_GRAPH.replace("finalize: ROOT", "finalize: WORK"),
        "the task `WORK` is not a root task",
    );
    check(
        &format!(
            "{FINALIZED_GRAPH}---\nkind: Task\nname: OTHER\nschema: OPS\nfinalize: ROOT\nsql: SELECT 5\n"
        ),
        "the root task `ROOT` already has the finalizer `CLEANUP`",
    );
    check(
        &format!(
            "{FINALIZED_GRAPH}---\nkind: Task\nname: LATE\nschema: OPS\nafter: [CLEANUP]\nsql: SELECT 5\n"
        ),
        "the task `CLEANUP` is a finalizer task, which cannot have children",
    );
    check(
        &FINALIZED_GRAPH.replace("finalize: ROOT", "finalize: NOPE"),
        "NOPE",
    );
}
