//! Promotion end to end, as a team runs it: the example project in a git
//! repository, applied from a `feature/*` branch (DEV), a `release/*` branch
//! (STAGING) and a real `main` checkout (PROD, protected), all against the
//! project's one local account, where PROD copies STAGING's model versions.

mod common;

use common::Project;
use common::local::json_rows;

const MODEL: &str = "PUDO__CAPACITY_MODEL";

/// `floe apply --auto-approve` on the checkout, which must run every step.
fn apply_checkout(project: &Project) {
    project
        .run(&["apply", "--auto-approve"])
        .code(0)
        .stdout_has(", 0 failed, 0 skipped.");
}

/// The plan of the checkout, which must be empty.
fn assert_checkout_clean(project: &Project, env: &str) {
    project
        .run(&["plan", "--detailed-exitcode"])
        .code(0)
        .stdout_has(&format!("No changes. {env} matches the declarations."));
}

/// `SHOW VERSIONS IN MODEL` of the model in `env`'s registry, through
/// `floe local exec` as a user runs it.
fn versions_in(project: &Project, env: &str) -> Vec<serde_json::Map<String, serde_json::Value>> {
    let sql = format!("SHOW VERSIONS IN MODEL MODEL_REGISTRY_{env}.{MODEL}");
    let out = project.run(&["local", "exec", "--env", env, "--json", &sql]);
    out.code(0);
    let value: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON rows");
    json_rows(&value)
}

fn text<'a>(row: &'a serde_json::Map<String, serde_json::Value>, column: &str) -> &'a str {
    row.get(column).and_then(|v| v.as_str()).unwrap_or("")
}

#[test]
fn a_release_reaches_prod_with_model_versions_copied_from_staging() {
    let project = Project::example_repository();

    project.run_git(&["checkout", "--quiet", "-b", "feature/capacity-v2"]);
    apply_checkout(&project);
    assert_checkout_clean(&project, "DEV");

    project.run_git(&["checkout", "--quiet", "-b", "release/2026.12"]);
    apply_checkout(&project);
    assert_checkout_clean(&project, "STAGING");

    // PROD is protected: naming its branch does not count.
    project
        .run(&["apply", "--branch", "main", "--auto-approve"])
        .code(1)
        .stderr_has("PROD is protected");
    assert!(!project.path().join("state/PROD.json").exists());

    project.run_git(&["checkout", "--quiet", "main"]);
    let staging = format!("FROM MODEL OSS_SF_MLOPS.MODEL_REGISTRY_STAGING.{MODEL} VERSION V1");
    project
        .run(&["plan", "--sql"])
        .code(0)
        .stdout_has(&staging)
        .stdout_lacks("FROM @");
    apply_checkout(&project);

    let prod = versions_in(&project, "PROD");
    let names: Vec<&str> = prod.iter().map(|r| text(r, "name")).collect();
    assert_eq!(names, ["V1", "V2"]);
    let v2 = &prod[1];
    assert_eq!(text(v2, "is_default_version"), "true");
    assert!(text(v2, "aliases").contains("CHAMPION"), "{v2:?}");
    assert!(
        text(v2, "comment").ends_with("promoted from STAGING"),
        "{v2:?}"
    );
    assert!(
        text(v2, "metadata").contains("\"test_mse\":0.0138"),
        "{v2:?}"
    );
    assert_eq!(
        versions_in(&project, "STAGING").len(),
        2,
        "STAGING keeps its own"
    );

    assert_checkout_clean(&project, "PROD");
    project.run(&["drift"]).code(0);
    for (branch, env) in [
        ("feature/capacity-v2", "DEV"),
        ("release/2026.12", "STAGING"),
    ] {
        project.assert_clean(branch, env);
    }
}

#[test]
fn two_environments_applied_at_once_share_the_account() {
    let project = Project::example_repository();
    let runs: Vec<_> = ["feature/a", "release/1.0"]
        .into_iter()
        .map(|branch| {
            project
                .command(
                    &["apply", "--auto-approve", "--branch", branch],
                    &[("FLOE_LOCAL_LATENCY_MS", "2")],
                )
                .spawn()
                .expect("floe starts")
        })
        .collect();
    for mut run in runs {
        assert!(run.wait().expect("floe ends").success());
    }
    project.assert_clean("feature/a", "DEV");
    project.assert_clean("release/1.0", "STAGING");
    apply_checkout(&project);
    assert_eq!(versions_in(&project, "PROD").len(), 2);
}

/// The commit a branch of the project's repository points at.
fn commit_of(project: &Project, branch: &str) -> String {
    project
        .read(&format!(".git/refs/heads/{branch}"))
        .trim()
        .to_string()
}

#[test]
fn a_prod_plan_on_a_release_checkout_says_what_it_compares_in_every_format() {
    let project = Project::example_repository();
    project.run_git(&["checkout", "--quiet", "-b", "release/2026.12"]);
    apply_checkout(&project);
    let commit = commit_of(&project, "release/2026.12");
    let short = &commit[..12];

    let text = project.run(&["plan", "--env", "PROD"]);
    text.code(0);
    let first = text.stdout.lines().next().unwrap_or_default();
    assert_eq!(
        first,
        format!(
            "Plan for PROD: the declarations at branch release/2026.12 (commit {short}), compared with the account of connection local."
        )
    );

    let markdown = project.run(&["plan", "--env", "PROD", "--format", "markdown"]);
    markdown.code(0).stdout_has("### floe plan: PROD").stdout_has(&format!(
        "Compares the declarations at branch `release/2026.12` (commit `{short}`) with the account of connection `local`."
    ));

    let json = project.run(&["plan", "--env", "PROD", "--json"]);
    json.code(0);
    let value: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    assert_eq!(value["format_version"], 1);
    assert_eq!(value["environment"], "PROD");
    assert_eq!(value["branch"], "release/2026.12");
    assert_eq!(value["commit"], commit.as_str());
    assert_eq!(value["connection"], "local");
    assert!(value["declared_fingerprint"].is_string() && value["changes"].is_array());

    // `--branch` picks the environment, not the files: the checkout's branch stays.
    project
        .run(&["plan", "--branch", "main"])
        .code(0)
        .stdout_has("Plan for PROD: the declarations at branch release/2026.12");
}
