//! Snowflake's own Python libraries against `floe local serve`: the official
//! connector, Snowpark and snowflake-ml-python's feature store and model
//! registry are the judge of what the served account answers and of what
//! floe applies.
//!
//! Runs the scripts of `tests/python/` with the interpreter named by
//! `FLOE_TEST_PYTHON` (one with snowflake-connector-python,
//! snowflake-snowpark-python and snowflake-ml-python installed, as `.ci/run`
//! prepares it). Without that variable the tests say they are skipped, except
//! when `CI` is set: there a missing interpreter fails them, and so does a
//! missing library whenever the variable is set.

mod common;

use common::python::{interpreter, run_script};
use common::serve::serve;
use common::{ENVIRONMENTS, Project};

const PASSWORD: &str = "s3cret-python-pw";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn python_connector_runs_show_create_alter_and_sees_errors() {
    let Some(python) = interpreter("wire_python") else {
        return;
    };
    let project =
        Project::with_environments(&format!("{ENVIRONMENTS}local:\n  seed: [seed.sql]\n"))
            .file("seed.sql", "CREATE DATABASE TEST_DB;");
    let (server, port) = serve(&project, PASSWORD);
    tokio::task::spawn_blocking(move || {
        run_script(
            python,
            "interop.py",
            &[&port.to_string()],
            PASSWORD,
            "interop ok",
        );
    })
    .await
    .expect("the blocking task is not cancelled");
    drop(server);
}

/// What floe applied, read through Snowpark and snowflake-ml-python as a
/// user of the feature store and the model registry reads it: every call
/// returns what the project declares (`floe plan --json` before the apply).
#[test]
fn the_applied_example_reads_back_through_the_feature_store_and_registry_libraries() {
    let Some(python) = interpreter("ml_clients") else {
        return;
    };
    let project = Project::example();
    let plan = project.run(&["plan", "--branch", "feature/try", "--json"]);
    plan.code(0);
    let declared = project.path().join("declared.json");
    std::fs::write(&declared, &plan.stdout).expect("the plan can be written");
    project
        .run(&["apply", "--branch", "feature/try", "--auto-approve"])
        .code(0);
    let (_server, port) = serve(&project, PASSWORD);
    let declared = declared.to_string_lossy();
    run_script(
        python,
        "ml_clients.py",
        &[&port.to_string(), &declared],
        PASSWORD,
        "ml clients ok",
    );
}
