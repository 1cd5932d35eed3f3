//! The GitHub Actions workflows shipped with the example
//! (`.github/workflows/`): their triggers and floe commands, the secrets
//! they pass (only keys floe reads for a named connection, key pair
//! authentication), and each floe step run as CI runs it, in a git copy of
//! the example against the local account instead of the `ci` connection.

mod common;

use std::collections::BTreeMap;

use common::Project;
use serde_yaml::Value;

/// A workflow file of the repository, parsed.
fn workflow(name: &str) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(".github/workflows")
        .join(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{name} is not YAML: {e}"))
}

const WORKFLOWS: [&str; 3] = ["floe-plan.yml", "floe-apply.yml", "floe-drift.yml"];

/// The one job of a workflow.
fn job(workflow: &Value) -> &Value {
    let jobs = workflow["jobs"].as_mapping().expect("jobs");
    assert_eq!(jobs.len(), 1, "one job per workflow");
    jobs.values().next().expect("a job")
}

/// A mapping of strings (an `env:`), empty when absent.
fn strings(value: &Value) -> BTreeMap<String, String> {
    value
        .as_mapping()
        .map(|m| {
            m.iter()
                .map(|(k, v)| {
                    let text = match v {
                        Value::String(s) => s.clone(),
                        other => serde_yaml::to_string(other).unwrap().trim().to_string(),
                    };
                    (k.as_str().expect("a string key").to_string(), text)
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The step named `name`.
fn step<'a>(workflow: &'a Value, name: &str) -> &'a Value {
    job(workflow)["steps"]
        .as_sequence()
        .expect("steps")
        .iter()
        .find(|s| s["name"].as_str() == Some(name))
        .unwrap_or_else(|| panic!("no step named {name:?}"))
}

fn script(step: &Value) -> &str {
    step["run"].as_str().expect("a run script")
}

/// The `on:` of a workflow (serde_yaml reads the key `on` as a string).
fn triggers(workflow: &Value) -> &Value {
    &workflow["on"]
}

fn names(value: &Value) -> Vec<&str> {
    value
        .as_sequence()
        .expect("a list")
        .iter()
        .map(|v| v.as_str().expect("a string"))
        .collect()
}

/// `text` with each `${{ expr }}` replaced by its value in `context`;
/// `secrets.*` are empty, as in a repository that defines none.
fn expand(text: &str, context: &[(&str, &str)]) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("${{") {
        out.push_str(&rest[..start]);
        let end = rest[start..].find("}}").expect("a closed expression") + start;
        let expr = rest[start + 3..end].trim();
        if !expr.starts_with("secrets.") {
            let value = context
                .iter()
                .find(|(k, _)| *k == expr)
                .unwrap_or_else(|| panic!("no value for `{expr}` in the test"));
            out.push_str(value.1);
        }
        rest = &rest[end + 2..];
    }
    out.push_str(rest);
    out
}

/// Runs the step `name` of `file` as CI would: the job's and step's
/// variables with `github` filling the expressions, `ci` as the variables
/// the runner sets, and the local account instead of the `ci` connection.
fn run_step(
    project: &Project,
    file: &str,
    name: &str,
    github: &[(&str, &str)],
    ci: &[(&str, &str)],
) -> common::Output {
    let workflow = workflow(file);
    let step = step(&workflow, name);
    let mut env = strings(&job(&workflow)["env"]);
    env.extend(strings(&step["env"]));
    let mut env: Vec<(String, String)> = env
        .into_iter()
        .map(|(k, v)| (k, expand(&v, github)))
        .collect();
    env.push(("FLOE_CONNECTION".into(), "local".into()));
    env.extend(ci.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    project.script(script(step), &env)
}

#[test]
fn the_pull_request_workflow_plans_the_target_branchs_environment_as_a_comment() {
    let plan = workflow("floe-plan.yml");
    let branches = names(&triggers(&plan)["pull_request"]["branches"]);
    for branch in ["main", "staging", "dev", "release/**"] {
        assert!(branches.contains(&branch), "{branches:?}");
    }
    assert_eq!(plan["permissions"]["pull-requests"].as_str(), Some("write"));
    let step = step(&plan, "Plan the target branch's environment");
    assert_eq!(
        strings(&step["env"])
            .get("TARGET_BRANCH")
            .map(String::as_str),
        Some("${{ github.base_ref }}")
    );
    let run = script(step);
    assert!(
        run.contains(
            "floe plan --branch \"$TARGET_BRANCH\" --format markdown --detailed-exitcode > plan.md"
        ),
        "{run}"
    );
    let post = script(self::step(&plan, "Post the plan on the pull request"));
    assert!(
        post.starts_with("gh pr comment") && post.contains("--body-file plan.md"),
        "{post}"
    );
}

#[test]
fn the_apply_workflow_applies_what_main_and_release_branches_declare() {
    let apply = workflow("floe-apply.yml");
    assert_eq!(
        names(&triggers(&apply)["push"]["branches"]),
        ["main", "release/**"]
    );
    let run = script(step(&apply, "Apply the branch's environment"));
    assert_eq!(
        run.trim(),
        "floe apply --auto-approve",
        "the branch comes from CI"
    );
    assert_eq!(
        apply["concurrency"]["cancel-in-progress"].as_bool(),
        Some(false)
    );
}

#[test]
fn the_drift_workflow_checks_every_environment_on_a_schedule() {
    let drift = workflow("floe-drift.yml");
    let schedule = triggers(&drift)["schedule"]
        .as_sequence()
        .expect("a schedule");
    assert!(schedule[0]["cron"].as_str().is_some());
    let matrix = &job(&drift)["strategy"]["matrix"]["environment"];
    assert_eq!(names(matrix), ["DEV", "STAGING", "PROD"]);
    let step = step(&drift, "Report drift");
    assert_eq!(script(step).trim(), "floe drift --env \"$ENVIRONMENT\"");
    assert_eq!(
        strings(&step["env"]).get("ENVIRONMENT").map(String::as_str),
        Some("${{ matrix.environment }}")
    );
}

#[test]
fn secrets_reach_floe_only_as_key_pair_connection_keys_it_reads() {
    for file in WORKFLOWS {
        let workflow = workflow(file);
        let job = job(&workflow);
        let env = strings(&job["env"]);
        let connection = env.get("FLOE_CONNECTION").expect("FLOE_CONNECTION");
        let prefix = format!("SNOWFLAKE_CONNECTIONS_{}_", connection.to_uppercase());
        let mut keys = Vec::new();
        for (variable, value) in &env {
            if variable == "FLOE_CONNECTION" {
                continue;
            }
            let key = variable
                .strip_prefix(&prefix)
                .unwrap_or_else(|| {
                    panic!("{file}: {variable} is not a key of connection {connection}")
                })
                .to_lowercase();
            assert!(
                floe::connect::CONNECTION_KEYS.contains(&key.as_str()),
                "{file}: floe does not read `{key}`"
            );
            assert_ne!(key, "password", "{file}: key pair, not a password");
            if key != "authenticator" {
                assert!(
                    value.starts_with("${{ secrets."),
                    "{file}: {variable} = {value}"
                );
            }
            keys.push(key);
        }
        assert_eq!(
            env.get(&format!("{prefix}AUTHENTICATOR"))
                .map(String::as_str),
            Some("SNOWFLAKE_JWT")
        );
        for key in ["account", "user", "private_key_raw"] {
            assert!(keys.iter().any(|k| k == key), "{file}: no {key}");
        }
        for step in job["steps"].as_sequence().expect("steps") {
            let text = serde_yaml::to_string(step).unwrap();
            assert!(
                !text.contains("secrets."),
                "{file}: a step reads a secret itself"
            );
        }
    }
}

#[test]
fn each_floe_step_runs_a_release_through_to_prod_against_the_local_account() {
    let project = Project::example_repository();

    // A push to a release branch applies STAGING.
    project.run_git(&["checkout", "--quiet", "-b", "release/2026.12"]);
    let push = |branch: &'static str| {
        [
            ("GITHUB_REF_NAME", branch),
            ("GITHUB_REF_TYPE", "branch"),
            ("GITHUB_ACTIONS", "true"),
        ]
    };
    let file = "floe-apply.yml";
    let step = "Apply the branch's environment";
    run_step(&project, file, step, &[], &push("release/2026.12"))
        .code(0)
        .stdout_has(", 0 failed, 0 skipped.");
    project.assert_clean("release/2026.12", "STAGING");

    // A pull request from a feature branch into main plans PROD.
    project.run_git(&["checkout", "--quiet", "-b", "feature/capacity-v3"]);
    let pull_request = [
        ("GITHUB_HEAD_REF", "feature/capacity-v3"),
        ("GITHUB_BASE_REF", "main"),
        ("GITHUB_REF_NAME", "7/merge"),
        ("GITHUB_ACTIONS", "true"),
    ];
    let github = [("github.base_ref", "main")];
    let plan_step = "Plan the target branch's environment";
    run_step(&project, "floe-plan.yml", plan_step, &github, &pull_request).code(0);
    let comment = project.read("plan.md");
    assert!(comment.starts_with("### floe plan: PROD"), "{comment}");
    assert!(
        comment.contains("at branch `feature/capacity-v3`"),
        "{comment}"
    );
    assert!(comment.contains("connection `local`"), "{comment}");

    // Merged: a push to main applies PROD, copying STAGING's model versions.
    project.run_git(&["checkout", "--quiet", "main"]);
    run_step(&project, file, step, &[], &push("main"))
        .code(0)
        .stdout_has(", 0 failed, 0 skipped.");
    project
        .run(&["plan", "--env", "PROD", "--detailed-exitcode"])
        .code(0);

    // The nightly drift check passes, then fails once PROD changed behind floe's back.
    project.apply("feature/capacity-v3");
    let drift = |env: &'static str| {
        let github = [("matrix.environment", env)];
        run_step(&project, "floe-drift.yml", "Report drift", &github, &[])
    };
    for env in ["DEV", "STAGING", "PROD"] {
        drift(env).code(0);
    }
    project
        .run(&[
            "local",
            "exec",
            "ALTER WAREHOUSE PUDO_FEATURE_WH_PROD SET WAREHOUSE_SIZE = XLARGE",
        ])
        .code(0);
    drift("PROD").code(2).stdout_has("PUDO_FEATURE_WH_PROD");
    drift("STAGING").code(0);
}
