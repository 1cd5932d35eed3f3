//! The official Snowflake Python connector against `floe local serve`: the
//! interop a Python user of the served local account relies on.
//!
//! Runs `tests/python/interop.py` with the interpreter named by
//! `FLOE_TEST_PYTHON` (one with `snowflake-connector-python` installed).
//! Without that variable the test says so and does nothing.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::Command;

use common::serve::{SERVE_USER, serve};
use common::{ENVIRONMENTS, Project};

/// The Python interpreter with the Snowflake connector, or `None` after
/// saying that the test is skipped.
fn python(test: &str) -> Option<std::ffi::OsString> {
    let python = std::env::var_os("FLOE_TEST_PYTHON");
    if python.is_none() {
        // Written to the stream itself, not through the test harness's
        // capture, so that the skip shows in every test run.
        let _ = writeln!(
            std::io::stderr(),
            "{test} skipped: set FLOE_TEST_PYTHON to a Python with snowflake-connector-python installed"
        );
    }
    python
}

const PASSWORD: &str = "s3cret-python-pw";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn python_connector_runs_show_create_alter_and_sees_errors() {
    let Some(python) = python("wire_python") else {
        return;
    };
    let project =
        Project::with_environments(&format!("{ENVIRONMENTS}local:\n  seed: [seed.sql]\n"))
            .file("seed.sql", "CREATE DATABASE TEST_DB;");
    let (server, port) = serve(&project, PASSWORD);
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python/interop.py");
    let output = tokio::task::spawn_blocking(move || {
        Command::new(python)
            .arg(script)
            .arg(port.to_string())
            .env("FLOE_WIRE_USER", SERVE_USER)
            .env("FLOE_WIRE_PASSWORD", PASSWORD)
            .output()
    })
    .await
    .expect("the blocking task is not cancelled")
    .expect("FLOE_TEST_PYTHON names a runnable interpreter");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "interop.py failed ({})\nstdout:\n{stdout}\nstderr:\n{stderr}",
        output.status
    );
    assert!(
        stdout.contains("interop ok"),
        "stdout:\n{stdout}\nstderr:\n{stderr}"
    );
    drop(server);
}

/// What floe applied, read as snowflake-ml-python's feature store and
/// registry read it: the statements they issue, the columns they use, and
/// the feature store's regex over each feature view's CREATE text.
#[test]
fn the_applied_example_reads_as_the_python_feature_store_and_registry_read_it() {
    let Some(python) = python("ml_reader") else {
        return;
    };
    let project = Project::example();
    project
        .run(&["apply", "--branch", "feature/try", "--auto-approve"])
        .code(0);
    let (_server, port) = serve(&project, PASSWORD);
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python/ml_reader.py");
    let output = Command::new(python)
        .arg(script)
        .args([&port.to_string(), "OSS_SF_MLOPS", "DEV"])
        .env("FLOE_WIRE_USER", SERVE_USER)
        .env("FLOE_WIRE_PASSWORD", PASSWORD)
        .output()
        .expect("FLOE_TEST_PYTHON names a runnable interpreter");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && stdout.contains("ml reader ok"),
        "ml_reader.py failed ({})\nstdout:\n{stdout}\nstderr:\n{stderr}",
        output.status
    );
    assert!(
        stdout.contains("read 2 entities, 6 feature views, 1 models with 2 versions"),
        "{stdout}"
    );
}
