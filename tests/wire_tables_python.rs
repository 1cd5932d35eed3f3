//! Table rows of the local account as Snowflake's Python connector uses
//! them through `floe local serve`: CREATE TABLE, INSERT, UPDATE with
//! WHERE and DELETE with the connector's `rowcount`, rows selected back
//! with their types, and explicit transactions seen per session.
//!
//! Runs `tests/python/tables.py` with the interpreter named by
//! `FLOE_TEST_PYTHON` (one with snowflake-connector-python installed).
//! Without it the test is skipped with a note, except under CI (`CI` set),
//! where it fails.

mod common;

use common::python::{interpreter, run_script};
use common::serve::serve;
use common::{ENVIRONMENTS, Project};

const PASSWORD: &str = "t4bles-pw";
const SEED: &str = "CREATE DATABASE TEAM;\nCREATE SCHEMA TEAM.FLOE;\nCREATE WAREHOUSE TEAM_WH;\n";

#[test]
fn python_connector_writes_rows_counts_them_and_rolls_a_transaction_back() {
    let Some(python) = interpreter("wire_tables_python") else {
        return;
    };
    let project =
        Project::with_environments(&format!("{ENVIRONMENTS}local:\n  seed: [seed.sql]\n"))
            .file("seed.sql", SEED);
    let (_server, port) = serve(&project, PASSWORD);
    run_script(
        python,
        "tables.py",
        &[&port.to_string()],
        PASSWORD,
        "tables ok",
    );
}
