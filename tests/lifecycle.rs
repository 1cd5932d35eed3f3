//! The whole life of the example platform in the local DEV account, driven
//! through the `floe` binary as a team drives it: plan, apply, a clean plan,
//! drift made out of band and reverted, stale plans, deletes behind
//! `--allow-destroy`, replaces with their reason, task graphs changed under
//! a suspended root, and the guards around apply.

mod common;

use common::project::{read_until, signal};
use common::{ENVIRONMENTS, Output, Project};

const DEV: &str = "feature/try";

/// Edits the sql of CAPACITY_ALERTS, a child of the running inference graph.
fn change_capacity_alerts_sql(project: &Project) {
    project.edit(
        "resources/tasks/inference_dag.yaml",
        "AND PREDICTED_FILL_RATE >= ${config.inference.alert_threshold}",
        "AND PREDICTED_FILL_RATE >= ${config.inference.alert_threshold} AND PUDO_ID IS NOT NULL",
    );
}

/// The inference graph's root runs in the local DEV account.
fn assert_inference_root_started(project: &Project) {
    project
        .on_branch(
            DEV,
            &[
                "local",
                "exec",
                "SHOW TASKS LIKE 'PUDO_INFERENCE_ROOT' IN DATABASE OSS_SF_MLOPS",
            ],
        )
        .code(0)
        .stdout_has("started");
}

#[test]
fn plan_apply_then_nothing_left_to_do() {
    let project = Project::example();
    let plan = project.on_branch(DEV, &["plan", "--detailed-exitcode", "-v"]);
    // A handful of batched statements read the whole environment.
    plan.stderr_has("read warehouse     1 statement")
        .stderr_has("read the environment with 9 statements");
    plan.code(2)
        .stdout_has("+ warehouse.PUDO_FEATURE_WH_DEV")
        .stdout_has("+ feature_view.PUDO_PARCEL_DEMAND_FEATURES$V1")
        .stdout_has("+ model.PUDO__CAPACITY_MODEL")
        .stdout_has("+ task.PUDO_TRAINING_ROOT")
        .stdout_has("Plan: 30 to create, 0 to update, 0 to replace, 0 to delete");
    project
        .on_branch(DEV, &["apply", "--auto-approve"])
        .code(0)
        .stdout_has("Apply complete")
        .stdout_has("0 failed, 0 skipped");
    project.assert_clean(DEV, "DEV");
    // Once the feature store exists, its tag assignments are read too: one
    // more statement for its one schema.
    project
        .on_branch(DEV, &["plan", "-v"])
        .stderr_has("read the environment with 10 statements");
    let listed = project.on_branch(DEV, &["state", "list"]);
    listed.code(0);
    assert_eq!(listed.stdout.lines().count(), 30, "{}", listed.stdout);
}

#[test]
fn drift_is_reported_then_reverted() {
    let project = Project::example().applied(DEV);
    project
        .on_branch(
            DEV,
            &[
                "local",
                "exec",
                "ALTER WAREHOUSE PUDO_FEATURE_WH_DEV SET WAREHOUSE_SIZE = XLARGE",
            ],
        )
        .code(0);
    project
        .on_branch(DEV, &["drift"])
        .code(2)
        .stdout_has("warehouse.PUDO_FEATURE_WH_DEV")
        .stdout_has("changed outside floe")
        .stdout_has("(live)");
    let json = project.on_branch(DEV, &["drift", "--json"]);
    json.code(2);
    let report: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(
        report["drifted"][0]["address"],
        "warehouse.PUDO_FEATURE_WH_DEV"
    );
    assert_eq!(report["drifted"][0]["attributes"][0]["live"], "XLARGE");
    project
        .on_branch(DEV, &["plan"])
        .code(0)
        .stdout_has("!   ~ warehouse.PUDO_FEATURE_WH_DEV  changed outside floe")
        .stdout_has("size: XLARGE → XSMALL")
        .stdout_has("(1 drift)");
    project.on_branch(DEV, &["apply", "--auto-approve"]).code(0);
    project.assert_clean(DEV, "DEV");
    project
        .on_branch(DEV, &["drift"])
        .code(0)
        .stdout_has("No drift.");
}

/// The value of `tag` on the feature view, as SYSTEM$GET_TAG reads it.
fn geospatial_tag(project: &Project, tag: &str) -> Output {
    project.on_branch(
        DEV,
        &[
            "local",
            "exec",
            &format!(
                "SELECT SYSTEM$GET_TAG('OSS_SF_MLOPS.FEATURE_STORE_DEV.{tag}', \
                 'OSS_SF_MLOPS.FEATURE_STORE_DEV.PUDO_GEOSPATIAL_FEATURES$V1', 'TABLE') AS V"
            ),
        ],
    )
}

#[test]
fn feature_view_tags_removed_out_of_band_are_drift_and_apply_sets_them_again() {
    let project = Project::example().applied(DEV);
    project
        .on_branch(
            DEV,
            &[
                "local",
                "exec",
                "ALTER VIEW OSS_SF_MLOPS.FEATURE_STORE_DEV.PUDO_GEOSPATIAL_FEATURES$V1 UNSET TAG \
             OSS_SF_MLOPS.FEATURE_STORE_DEV.SNOWML_FEATURE_STORE_OBJECT, \
             OSS_SF_MLOPS.FEATURE_STORE_DEV.SNOWML_FEATURE_STORE_ENTITY_PUDO",
            ],
        )
        .code(0);
    project
        .on_branch(DEV, &["drift"])
        .code(2)
        .stdout_has("feature_view.PUDO_GEOSPATIAL_FEATURES$V1")
        .stdout_has("changed outside floe");
    project
        .on_branch(DEV, &["apply", "--auto-approve"])
        .code(0)
        .stdout_has("Apply complete");
    project.assert_clean(DEV, "DEV");
    geospatial_tag(&project, "SNOWML_FEATURE_STORE_ENTITY_PUDO")
        .code(0)
        .stdout_has("PUDO_ID");
    geospatial_tag(&project, "SNOWML_FEATURE_STORE_OBJECT")
        .code(0)
        .stdout_has("EXTERNAL_FEATURE_VIEW");
    // The metadata tag alone is seen as well.
    project
        .on_branch(
            DEV,
            &[
                "local",
                "exec",
                "ALTER VIEW OSS_SF_MLOPS.FEATURE_STORE_DEV.PUDO_GEOSPATIAL_FEATURES$V1 UNSET TAG \
             OSS_SF_MLOPS.FEATURE_STORE_DEV.SNOWML_FEATURE_VIEW_METADATA",
            ],
        )
        .code(0);
    project
        .on_branch(DEV, &["drift"])
        .code(2)
        .stdout_has("feature_view.PUDO_GEOSPATIAL_FEATURES$V1");
    project.on_branch(DEV, &["apply", "--auto-approve"]).code(0);
    project.assert_clean(DEV, "DEV");
}

#[test]
fn a_saved_plan_goes_stale_when_the_account_moves() {
    let project = Project::example().applied(DEV);
    project.edit(
        "resources/warehouses.yaml",
        "comment: Weekly XGBoost training",
        "comment: Weekly (Sunday) XGBoost training",
    );
    project
        .on_branch(DEV, &["plan", "--out", "next.plan"])
        .code(0)
        .stdout_has("~ warehouse.PUDO_TRAINING_WH_DEV")
        .stdout_has("Saved the plan to next.plan");
    project
        .on_branch(
            DEV,
            &[
                "local",
                "exec",
                "ALTER WAREHOUSE PUDO_FEATURE_WH_DEV SET AUTO_SUSPEND = 3600",
            ],
        )
        .code(0);
    project
        .on_branch(DEV, &["apply", "next.plan"])
        .code(1)
        .stderr_has("the plan is stale");
    // Made again, the plan carries both changes and applies.
    project
        .on_branch(DEV, &["plan", "--out", "next.plan"])
        .code(0);
    project.on_branch(DEV, &["apply", "next.plan"]).code(0);
    project.assert_clean(DEV, "DEV");
}

#[test]
fn removing_a_resource_needs_allow_destroy() {
    let project = Project::example().applied(DEV);
    project.remove("resources/tasks/monitoring.yaml");
    project
        .on_branch(DEV, &["plan"])
        .code(0)
        .stdout_has("- task.PUDO_DRIFT_MONITOR")
        .stdout_has("1 to delete");
    project
        .on_branch(DEV, &["apply", "--auto-approve"])
        .code(1)
        .stderr_has("task.PUDO_DRIFT_MONITOR")
        .stderr_has("--allow-destroy");
    project
        .on_branch(DEV, &["state", "show", "task.PUDO_DRIFT_MONITOR"])
        .code(0);
    project
        .on_branch(DEV, &["apply", "--auto-approve", "--allow-destroy"])
        .code(0);
    project.assert_clean(DEV, "DEV");
    project
        .on_branch(DEV, &["state", "show", "task.PUDO_DRIFT_MONITOR"])
        .code(1)
        .stderr_has("not in the state of DEV");
}

#[test]
fn a_feature_view_query_change_is_a_replace_with_its_reason() {
    let project = Project::example().applied(DEV);
    project.edit(
        "resources/feature_store/parcel_demand.yaml",
        "WHERE ARRIVED_AT IS NOT NULL",
        "WHERE ARRIVED_AT IS NOT NULL AND SIZE_CLASS IS NOT NULL",
    );
    project
        .on_branch(DEV, &["plan"])
        .code(0)
        .stdout_has("-/+ feature_view.PUDO_PARCEL_DEMAND_FEATURES$V1")
        .stdout_has("query changed")
        .stdout_has("1 to replace");
    project
        .on_branch(DEV, &["apply", "--auto-approve", "--allow-destroy"])
        .code(0);
    project.assert_clean(DEV, "DEV");
}

#[test]
fn a_child_task_change_suspends_and_resumes_its_root() {
    let project = Project::example().applied(DEV);
    change_capacity_alerts_sql(&project);
    let plan = project.on_branch(DEV, &["plan", "--sql"]);
    plan.code(0)
        .stdout_has("~ task.CAPACITY_ALERTS")
        .stdout_has("ALTER TASK OSS_SF_MLOPS.PUDO_DEV.PUDO_INFERENCE_ROOT SUSPEND")
        .stdout_has("ALTER TASK OSS_SF_MLOPS.PUDO_DEV.CAPACITY_ALERTS SUSPEND")
        .stdout_has("ALTER TASK OSS_SF_MLOPS.PUDO_DEV.CAPACITY_ALERTS MODIFY AS")
        .stdout_has("ALTER TASK OSS_SF_MLOPS.PUDO_DEV.CAPACITY_ALERTS RESUME")
        .stdout_has("ALTER TASK OSS_SF_MLOPS.PUDO_DEV.PUDO_INFERENCE_ROOT RESUME");
    let suspend = plan.stdout.find("PUDO_INFERENCE_ROOT SUSPEND").unwrap();
    // A task in a graph must itself be suspended before ALTER (2026_06).
    let suspend_child = plan.stdout.find("CAPACITY_ALERTS SUSPEND").unwrap();
    let modify = plan.stdout.find("CAPACITY_ALERTS MODIFY AS").unwrap();
    let resume_child = plan.stdout.find("CAPACITY_ALERTS RESUME").unwrap();
    let resume = plan.stdout.find("PUDO_INFERENCE_ROOT RESUME").unwrap();
    assert!(suspend < modify && modify < resume, "{}", plan.stdout);
    assert!(
        suspend_child < modify && modify < resume_child && resume_child < resume,
        "{}",
        plan.stdout
    );
    project.on_branch(DEV, &["apply", "--auto-approve"]).code(0);
    project.assert_clean(DEV, "DEV");
    assert_inference_root_started(&project);
}

#[test]
fn apply_to_prod_from_a_feature_branch_is_refused() {
    let project = Project::example().git("ref: refs/heads/feature/try", &[]);
    project
        .run(&["apply", "--env", "PROD", "--auto-approve"])
        .code(1)
        .stderr_has("selects DEV, not PROD");
    assert!(!project.path().join("state/PROD.json").exists());
    assert!(!project.path().join(".floe/local/account.json").exists());
}

#[test]
fn without_a_terminal_apply_needs_auto_approve() {
    let project = Project::example();
    project
        .on_branch(DEV, &["apply"])
        .code(1)
        .stdout_has("Plan: 30 to create")
        .stderr_has("--auto-approve");
    assert!(!project.path().join("state/DEV.json").exists());
}

#[test]
fn a_held_lock_refuses_a_second_apply() {
    let project = Project::example().applied(DEV);
    project.hold_lock("DEV", "ci@build-7");
    project
        .on_branch(DEV, &["apply", "--auto-approve"])
        .code(1)
        .stderr_has("ci@build-7")
        .stderr_has("floe state unlock");
    project
        .on_branch(DEV, &["state", "unlock"])
        .code(0)
        .stdout_has("ci@build-7");
    project.on_branch(DEV, &["apply", "--auto-approve"]).code(0);
}

#[test]
fn a_corrupt_state_file_is_an_error_not_a_reset() {
    let project = Project::example().applied(DEV);
    let applied = project.read("state/DEV.json");
    std::fs::write(project.path().join("state/DEV.json"), "{ not json").unwrap();
    project
        .on_branch(DEV, &["plan"])
        .code(1)
        .stderr_has("state/DEV.json")
        .stderr_has("DEV.json.backup");
    assert_eq!(project.read("state/DEV.json"), "{ not json");
    let newer = applied.replacen("\"format_version\": 1", "\"format_version\": 9", 1);
    std::fs::write(project.path().join("state/DEV.json"), &newer).unwrap();
    project
        .on_branch(DEV, &["apply", "--auto-approve"])
        .code(1)
        .stderr_has("format_version 9, newer than this floe reads")
        .stderr_has("upgrade floe");
    assert_eq!(project.read("state/DEV.json"), newer);
}

#[test]
fn a_killed_apply_loses_no_record_and_the_next_apply_converges() {
    let project = Project::example();
    let mut child = project.slow_apply(DEV, 60, 2);
    // Kill once a few steps are recorded, in the middle of the apply.
    project.wait_for_recorded("DEV", 5, &mut child);
    child.kill().unwrap();
    child.wait().unwrap();
    let listed = project.on_branch(DEV, &["state", "list"]);
    listed.code(0);
    let recorded = listed.stdout.lines().count();
    assert!((5..30).contains(&recorded), "{}", listed.stdout);
    project
        .on_branch(DEV, &["plan"])
        .code(0)
        .stdout_has("to create");
    project
        .on_branch(DEV, &["apply", "--auto-approve"])
        .code(1)
        .stderr_has("no longer running");
    project.on_branch(DEV, &["state", "unlock"]).code(0);
    project.on_branch(DEV, &["apply", "--auto-approve"]).code(0);
    project.assert_clean(DEV, "DEV");
}

#[test]
fn state_rm_and_import_change_the_record_not_the_account() {
    let project = Project::example().applied(DEV);
    let warehouse = "warehouse.PUDO_FEATURE_WH_DEV";
    project
        .on_branch(DEV, &["state", "import", warehouse])
        .code(1)
        .stderr_has("already");
    project
        .on_branch(DEV, &["state", "rm", warehouse])
        .code(0)
        .stdout_has("not touched");
    project
        .on_branch(DEV, &["plan"])
        .code(0)
        .stdout_has("No changes.")
        .stdout_has("apply records 1 and forgets 0");
    project
        .on_branch(DEV, &["state", "import", warehouse])
        .code(0)
        .stdout_has("Imported warehouse.PUDO_FEATURE_WH_DEV");
    project.assert_clean(DEV, "DEV");
    project
        .on_branch(DEV, &["state", "show", warehouse])
        .code(0)
        .stdout_has("\"size\": \"XSMALL\"");
    project
        .on_branch(DEV, &["state", "import", "warehouse.NOT_DECLARED"])
        .code(1)
        .stderr_has("not declared");
}

#[test]
fn a_failing_statement_stops_the_apply_and_keeps_what_succeeded() {
    let project = Project::example();
    project.edit(
        "resources/feature_store/parcel_demand.yaml",
        "FROM ${env.database}.SHARED_DATA.PARCELS",
        "FROM ${env.database}.SHARED_DATA.PARCELS_ARCHIVE",
    );
    let out = project.on_branch(DEV, &["apply", "--auto-approve"]);
    out.code(1)
        .stdout_has("Apply failed")
        .stdout_has("feature_view.PUDO_PARCEL_DEMAND_FEATURES$V1")
        .stdout_has("PARCELS_ARCHIVE")
        .stdout_has("skipped");
    let recorded = project.on_branch(DEV, &["state", "list"]);
    recorded.code(0).stdout_has("warehouse.PUDO_FEATURE_WH_DEV");
    assert!(!recorded.stdout.contains("PUDO_PARCEL_DEMAND_FEATURES"));
    // Fixed, the next apply does only what is left.
    project.edit(
        "resources/feature_store/parcel_demand.yaml",
        "SHARED_DATA.PARCELS_ARCHIVE",
        "SHARED_DATA.PARCELS",
    );
    project
        .on_branch(DEV, &["plan"])
        .code(0)
        .stdout_has("+ feature_view.PUDO_PARCEL_DEMAND_FEATURES$V1")
        .stdout_lacks("+ warehouse.PUDO_FEATURE_WH_DEV");
    project.on_branch(DEV, &["apply", "--auto-approve"]).code(0);
    project.assert_clean(DEV, "DEV");
}

#[test]
fn a_plan_saved_for_one_environment_is_refused_in_another() {
    let project = Project::example().applied(DEV);
    project
        .on_branch(DEV, &["plan", "--out", "dev.plan"])
        .code(0);
    project
        .run(&["apply", "dev.plan", "--branch", "release/1.0"])
        .code(1)
        .stderr_has("the plan was made for environment DEV, not STAGING");
    std::fs::write(project.path().join("bad.plan"), "{\"format_version\": 1}").unwrap();
    project
        .on_branch(DEV, &["apply", "bad.plan"])
        .code(1)
        .stderr_has("bad.plan is not a floe plan");
}

#[test]
fn ctrl_c_stops_the_apply_and_resumes_the_suspended_graph() {
    let project = Project::example().applied(DEV);
    change_capacity_alerts_sql(&project);
    project.edit(
        "resources/tasks/inference_dag.yaml",
        "ON t.PUDO_ID = s.PUDO_ID",
        "ON t.PUDO_ID = s.PUDO_ID AND s.PUDO_ID IS NOT NULL",
    );
    let mut child = project.slow_apply(DEV, 300, 1);
    // Interrupt once the graph's root is suspended, before the changes end.
    let log = read_until(&mut child, &["suspend", "PUDO_INFERENCE_ROOT"]);
    signal(&child, "-INT");
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let log = log.join().unwrap().join("\n");
    assert!(
        log.contains("Interrupted: finishing the running steps"),
        "{log}"
    );
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("not started: the apply was interrupted"),
        "{stdout}"
    );
    assert!(!project.path().join("state/DEV.lock").exists());
    assert_inference_root_started(&project);
    project.on_branch(DEV, &["apply", "--auto-approve"]).code(0);
    project.assert_clean(DEV, "DEV");
}

#[test]
fn plan_json_and_target_narrow_what_is_shown() {
    let project = Project::example();
    let json = project.on_branch(DEV, &["plan", "--json"]);
    json.code(0);
    let plan: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(plan["format_version"], 1);
    assert_eq!(plan["environment"], "DEV");
    assert_eq!(plan["changes"].as_array().unwrap().len(), 30);
    let model = plan["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["address"] == "model.PUDO__CAPACITY_MODEL")
        .unwrap();
    assert_eq!(model["action"], "create");
    assert_eq!(
        model["depends_on"],
        serde_json::json!(["schema.MODEL_REGISTRY_DEV"])
    );

    // A target brings what it depends on, and nothing else.
    let targeted = project.on_branch(
        DEV,
        &[
            "plan",
            "--target",
            "feature_view.PUDO_PARCEL_DEMAND_FEATURES$V1",
        ],
    );
    targeted
        .code(0)
        .stdout_has("+ feature_view.PUDO_PARCEL_DEMAND_FEATURES$V1")
        .stdout_has("+ warehouse.PUDO_FEATURE_WH_DEV")
        .stdout_has("+ entity.PUDO")
        .stdout_lacks("task.")
        .stdout_lacks("model.");
    project
        .on_branch(DEV, &["plan", "--target", "warehouse"])
        .code(1)
        .stderr_has("`warehouse` is not a resource address");
}

#[test]
fn a_missing_database_points_at_the_environment() {
    let project = Project::with_environments(ENVIRONMENTS)
        .file("resources/wh.yaml", "kind: Warehouse\nname: ml_wh\n");
    project
        .on_branch(DEV, &["plan"])
        .code(1)
        .stderr_has("the database TEST_DB of environment DEV does not exist")
        .stderr_has("config/environments.yaml:4")
        .stderr_has("local.seed");
}
