//! `floe plan --format markdown`, the plan as a pull request comment, on a
//! copy of the example project made a git checkout of `feature/try` (DEV):
//! its create plan and a plan with an update, a replace, a delete and drift
//! as snapshots (`tests/snapshots/`), a model metrics regression, and how the format flags combine with
//! `--json`, `--out` and `--detailed-exitcode`.

mod common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::Project;

/// The branch that selects DEV.
const DEV: &str = "feature/try";

/// The commit the checkout is at.
const COMMIT: &str = "4f2a9c0d1e3b5a7968f0c1d2e3f4a5b6c7d8e9f0";

/// A copy of the example whose checkout is on [`DEV`] at [`COMMIT`].
fn checkout() -> Project {
    Project::example().git(
        "ref: refs/heads/feature/try",
        &[("refs/heads/feature/try", COMMIT)],
    )
}

/// The checkout applied to its local DEV account, made once per test run
/// and copied by every test that starts from it.
fn applied() -> &'static Path {
    static APPLIED: OnceLock<PathBuf> = OnceLock::new();
    APPLIED.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("plan_markdown_applied");
        if dir.exists() {
            std::fs::remove_dir_all(&dir).expect("the previous copy can be removed");
        }
        let project = checkout().applied(DEV);
        common::project::copy_tree(project.path(), &dir);
        dir
    })
}

/// The applied example with one update (an entity's description, holding
/// a `|` and backticks), one replace (a feature view's query, which drops
/// its data), one delete (a feature view no longer declared) and drift (a
/// warehouse resized outside floe).
fn changed() -> Project {
    let project = Project::copy_of(applied());
    project.edit(
        "resources/feature_store/entities.yaml",
        "description: A carrier network delivering parcels to the points",
        "description: A carrier network | `courier` delivering parcels",
    );
    project.edit(
        "resources/feature_store/parcel_demand.yaml",
        "WHERE ARRIVED_AT IS NOT NULL",
        "WHERE ARRIVED_AT IS NOT NULL AND PUDO_ID IS NOT NULL",
    );
    project.remove("resources/feature_store/training.yaml");
    project
        .run(&[
            "local",
            "exec",
            "ALTER WAREHOUSE PUDO_FEATURE_WH_DEV SET WAREHOUSE_SIZE = XLARGE",
        ])
        .code(0);
    project
}

/// `floe plan --format markdown --detailed-exitcode`, which must have changes.
fn markdown(project: &Project) -> String {
    let out = project.run(&["plan", "--format", "markdown", "--detailed-exitcode"]);
    out.code(2).no_panic();
    assert!(!out.stdout.contains('\x1b'), "{:?}", out.stdout);
    out.stdout.clone()
}

#[test]
fn create() {
    insta::assert_snapshot!("create", markdown(&checkout()));
}

#[test]
fn update_replace_delete_and_drift() {
    let text = markdown(&changed());
    let caution = text
        .find("> [!CAUTION]")
        .expect("destructive changes are marked");
    let warning = text.find("> [!WARNING]").expect("drift is marked");
    let table = text.find("| address |").expect("tables follow");
    assert!(caution < warning && warning < table, "{text}");
    insta::assert_snapshot!("changes", text);
}

#[test]
fn a_model_metrics_regression() {
    let project = Project::copy_of(applied());
    project.edit(
        "resources/registry/models.yaml",
        "default_version: V2",
        "default_version: V1",
    );
    let text = markdown(&project);
    let caution = text
        .find("**Model metrics regression**")
        .expect("the regression is flagged");
    let table = text.find("| address |").expect("tables follow");
    assert!(caution < table, "{text}");
    insta::assert_snapshot!("regression", text);
}

#[test]
fn an_empty_plan_is_one_line_and_exits_0() {
    let project = Project::copy_of(applied());
    let out = project.run(&["plan", "--format", "markdown", "--detailed-exitcode"]);
    out.code(0);
    assert_eq!(
        out.stdout,
        "**floe plan: DEV**: no changes. The declarations at branch `feature/try` (commit `4f2a9c0d1e3b`) match the account of connection `local`.\n"
    );
}

#[test]
fn json_is_the_same_with_either_flag() {
    let project = changed();
    let short = project.run(&["plan", "--json"]);
    short.code(0);
    let long = project.run(&["plan", "--format", "json"]);
    long.code(0);
    assert_eq!(short.stdout, long.stdout);
    assert!(short.stdout.starts_with("{\n  \"format_version\": 1"));
}

#[test]
fn json_and_another_format_conflict() {
    let out = checkout().run(&["plan", "--json", "--format", "markdown"]);
    out.code(2).stderr_has("cannot be used with");
}

#[test]
fn a_plan_saved_with_markdown_output_applies() {
    let project = changed();
    let out = project.run(&["plan", "--format", "markdown", "--out", "plan.json"]);
    out.code(0).stdout_lacks("Saved the plan");
    let saved = project.read("plan.json");
    assert_eq!(saved, project.run(&["plan", "--format", "json"]).stdout);
    project
        .run(&["apply", "plan.json", "--auto-approve", "--allow-destroy"])
        .code(0)
        .stdout_has("Apply complete");
    project.assert_clean(DEV, "DEV");
}
