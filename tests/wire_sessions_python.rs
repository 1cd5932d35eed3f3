//! Sessions of `floe local serve` as Snowflake's own Python clients use
//! them: one session per login, results in chunks, statement counts and
//! `nextset()`, heartbeat, cancel and close, and a Snowpark session opened
//! and closed.
//!
//! Runs `tests/python/sessions.py` with the interpreter named by
//! `FLOE_TEST_PYTHON` (one with snowflake-connector-python and
//! snowflake-snowpark-python installed). Without it the test is skipped
//! with a note, except under CI (`CI` set), where it fails.

mod common;

use std::path::Path;
use std::process::Command;

use common::python::interpreter;
use common::serve::{SERVE_USER, serve};
use common::{ENVIRONMENTS, Project};

const PASSWORD: &str = "s3ssions-pw";
/// Tables in `CONF_DB.BIG`: as many as one SHOW returns, ten pages on the wire.
const TABLES: usize = 10_000;

#[test]
fn python_clients_get_their_own_sessions_chunked_results_and_statement_counts() {
    let Some(python) = interpreter("wire_sessions_python") else {
        return;
    };
    let project =
        Project::with_environments(&format!("{ENVIRONMENTS}local:\n  seed: [seed.sql]\n"))
            .file("seed.sql", &common::conformance_seed(TABLES));
    let (_server, port) = serve(&project, PASSWORD);
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python/sessions.py");
    let output = Command::new(python)
        .arg(script)
        .args([port.to_string(), TABLES.to_string()])
        .env("FLOE_WIRE_USER", SERVE_USER)
        .env("FLOE_WIRE_PASSWORD", PASSWORD)
        .output()
        .expect("FLOE_TEST_PYTHON names a runnable interpreter");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && stdout.contains("sessions ok"),
        "sessions.py failed ({})\nstdout:\n{stdout}\nstderr:\n{stderr}",
        output.status
    );
}
