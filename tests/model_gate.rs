//! The model metrics gate on a copy of the example project applied to its
//! local DEV account: a new default version worse on r2 than the live
//! default shows as a regression in plans, apply refuses it (fresh or
//! saved plan) without changing anything, `--allow-regression` lets it
//! through, a better version passes, and the gate itself never plans a
//! statement.

mod common;

use common::Project;

const DEV: &str = "dev";
const MODELS: &str = "resources/registry/models.yaml";

/// The example, applied to DEV (default version V2, r2 0.82, gated on r2).
fn applied() -> Project {
    Project::example().applied(DEV)
}

/// Moves DEV's default version from V2 back to V1 (r2 0.74).
fn roll_back(project: &Project) {
    project.edit(MODELS, "default_version: V2", "default_version: V1");
}

/// Declares a V3 with r2 `r2` in DEV and makes it the default.
fn add_v3(project: &Project, r2: &str) {
    project.edit(
        MODELS,
        "    aliases: [CHAMPION]\ndefault_version: V2",
        &format!(
            "    aliases: [CHAMPION]\n  - name: V3\n    from: \"@${{env.database}}.MODEL_REGISTRY_${{env.name}}.MODEL_STAGE/pudo_capacity/v3\"\n    metrics: {{r2: {r2}}}\ndefault_version: V3"
        ),
    );
}

/// DEV's live default version, read from the local account.
fn live_default(project: &Project) -> String {
    let rows = common::local::exec_json(project, "SHOW MODELS IN DATABASE OSS_SF_MLOPS");
    common::local::first(&rows, "default_version_name")
        .as_str()
        .expect("a default version")
        .to_string()
}

#[test]
fn a_worse_default_is_shown_refused_and_applied_only_when_allowed() {
    let project = applied();
    roll_back(&project);
    let plan = project.on_branch(DEV, &["plan"]);
    plan.code(0)
        .stdout_has("metrics regression: apply will refuse")
        .stdout_has("default version V2 → V1 (gate: r2, higher is better, tolerance 0)")
        .stdout_has("r2        0.82 → 0.74 (-0.08)  (gated)")
        .stdout_has("REGRESSION: r2 0.74 of V1 is worse than 0.82 of the live default V2");

    let refused = project.on_branch(DEV, &["apply", "--auto-approve"]);
    refused
        .code(1)
        .stderr_has("the metrics gate of model.PUDO__CAPACITY_MODEL refuses its new default version V1: r2 0.74 is worse than 0.82 of the live default version V2 (higher is better, tolerance 0)")
        .stderr_has("--allow-regression")
        .stdout_lacks("Apply complete");
    assert_eq!(live_default(&project), "V2", "nothing was changed");

    project
        .on_branch(DEV, &["apply", "--auto-approve", "--allow-regression"])
        .code(0)
        .stdout_has("Apply complete");
    assert_eq!(live_default(&project), "V1");
    project.assert_clean(DEV, "DEV");
}

#[test]
fn the_json_plan_carries_both_metrics_and_the_verdict() {
    let project = applied();
    roll_back(&project);
    let out = project.on_branch(DEV, &["plan", "--json"]);
    out.code(0);
    let plan: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    let model = plan["changes"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["kind"] == "model"))
        .expect("the model changes");
    let default = &model["model_metrics"]["default_version"];
    assert_eq!(default["version"], "V1");
    assert_eq!(default["baseline"], "V2");
    assert_eq!(default["verdict"], "regression");
    assert_eq!(
        default["gate"],
        serde_json::json!({"metric": "r2", "better": "higher", "tolerance": 0.0})
    );
    let r2 = default["metrics"]
        .as_array()
        .and_then(|m| m.iter().find(|m| m["metric"] == "r2"))
        .expect("r2 is compared");
    assert_eq!(
        r2,
        &serde_json::json!({"metric": "r2", "new": 0.74, "baseline": 0.82, "difference": -0.08})
    );
}

#[test]
fn a_saved_plan_keeps_the_refusal() {
    let project = applied();
    roll_back(&project);
    project
        .on_branch(DEV, &["plan", "--out", "plan.json"])
        .code(0);
    project
        .on_branch(DEV, &["apply", "plan.json"])
        .code(1)
        .stderr_has("refuses its new default version V1")
        .stderr_has("--allow-regression");
    assert_eq!(live_default(&project), "V2");
    project
        .on_branch(DEV, &["apply", "plan.json", "--allow-regression"])
        .code(0)
        .stdout_has("Apply complete");
    assert_eq!(live_default(&project), "V1");
}

#[test]
fn a_new_worse_version_is_refused_and_a_better_one_passes() {
    let project = applied();
    add_v3(&project, "0.8");
    project
        .on_branch(DEV, &["plan"])
        .code(0)
        .stdout_has(
            "+ version V3 from @OSS_SF_MLOPS.MODEL_REGISTRY_DEV.MODEL_STAGE/pudo_capacity/v3",
        )
        .stdout_has("r2        0.82 → 0.8 (-0.02)  (gated)");
    project
        .on_branch(DEV, &["apply", "--auto-approve"])
        .code(1)
        .stderr_has("r2 0.8 is worse than 0.82");
    project.edit(MODELS, "metrics: {r2: 0.8}", "metrics: {r2: 0.9}");
    project
        .on_branch(DEV, &["plan"])
        .code(0)
        .stdout_has("gate on r2 passes: 0.9 against 0.82 of the live default V2")
        .stdout_lacks("apply will refuse");
    project.apply(DEV);
    assert_eq!(live_default(&project), "V3");
}

#[test]
fn a_baseline_without_the_metric_is_refused_as_not_comparable() {
    let project = applied();
    common::local::exec(
        &project,
        r#"ALTER MODEL OSS_SF_MLOPS.MODEL_REGISTRY_DEV.PUDO__CAPACITY_MODEL MODIFY VERSION V2 SET METADATA = '{"metrics": {"test_mse": 0.0138}, "snowpark_ml_schema_version": "2024-01-01"}'"#,
    );
    roll_back(&project);
    project
        .on_branch(DEV, &["plan"])
        .code(0)
        .stdout_has("NOT COMPARABLE: the live default version V2 has no numeric r2");
    project
        .on_branch(DEV, &["apply", "--auto-approve"])
        .code(1)
        .stderr_has("r2 0.74 is not comparable with no value of the live default version V2");
}

#[test]
fn declaring_or_changing_a_gate_plans_nothing() {
    let project = applied();
    project.edit_all(
        MODELS,
        "gate: {metric: r2, better: higher, tolerance: 0.0}",
        "gate: {metric: test_mse, better: lower, tolerance: 0.5}",
    );
    project.assert_clean(DEV, "DEV");
    project.edit_all(
        MODELS,
        "gate: {metric: test_mse, better: lower, tolerance: 0.5}\n",
        "",
    );
    project.assert_clean(DEV, "DEV");
}

#[test]
fn without_a_gate_a_worse_default_applies() {
    let project = applied();
    project.edit_all(
        MODELS,
        "gate: {metric: r2, better: higher, tolerance: 0.0}\n",
        "",
    );
    roll_back(&project);
    project
        .on_branch(DEV, &["plan"])
        .code(0)
        .stdout_has("r2        0.82 → 0.74 (-0.08)")
        .stdout_lacks("REGRESSION");
    project.apply(DEV);
}

#[test]
fn a_prod_plan_shows_each_version_promoted_from_staging_and_no_baseline() {
    let project = Project::example();
    let out = project.run(&["plan", "--env", "PROD"]);
    out.code(0)
        .stdout_has("+ version V1 promoted from STAGING (version V1)")
        .stdout_has("+ version V2 promoted from STAGING (version V2)")
        .stdout_has(
            "default version V2: no live default to compare with (a new model), so no baseline",
        )
        .stdout_has("gate on r2: nothing served yet, nothing to compare")
        .stdout_lacks("apply will refuse");
    let json = project.run(&["plan", "--env", "PROD", "--json"]);
    let plan: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    let model = plan["changes"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["kind"] == "model"))
        .expect("the model is created");
    let metrics = &model["model_metrics"];
    assert_eq!(metrics["added"][1]["version"], "V2");
    assert_eq!(metrics["added"][1]["from"]["env"], "STAGING");
    assert_eq!(
        metrics["default_version"]["baseline"],
        serde_json::Value::Null
    );
    assert_eq!(metrics["default_version"]["verdict"], "no-baseline");
}
