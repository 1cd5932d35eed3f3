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

const PASSWORD: &str = "s3cret-python-pw";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn python_connector_runs_show_create_alter_and_sees_errors() {
    let Some(python) = std::env::var_os("FLOE_TEST_PYTHON") else {
        // Written to the stream itself, not through the test harness's
        // capture, so that the skip shows in every test run.
        let _ = writeln!(
            std::io::stderr(),
            "wire_python skipped: set FLOE_TEST_PYTHON to a Python with snowflake-connector-python installed"
        );
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
