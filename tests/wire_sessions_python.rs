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

use common::python::{interpreter, run_script};
use common::serve::serve;
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
            .file("seed.sql", &common::local::conformance_seed(TABLES));
    let (_server, port) = serve(&project, PASSWORD);
    run_script(
        python,
        "sessions.py",
        &[&port.to_string(), &TABLES.to_string()],
        PASSWORD,
        "sessions ok",
    );
}
