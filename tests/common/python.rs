//! The Python interpreter that tests driving Snowflake's own Python clients
//! run: the one `FLOE_TEST_PYTHON` names (`.ci/run` prepares it, with the
//! connector, Snowpark and snowflake-ml-python installed).

use std::ffi::OsString;
use std::io::Write;
use std::path::Path;
use std::process::Command;

use super::serve::SERVE_USER;

/// The interpreter for `test`; `None`, after saying so on stderr, when none
/// is configured outside CI. Under CI (`CI` set) a missing interpreter
/// fails the test instead of skipping it.
pub fn interpreter(test: &str) -> Option<OsString> {
    let python = std::env::var_os("FLOE_TEST_PYTHON");
    if python.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "{test}: CI is set but FLOE_TEST_PYTHON is not; it must name a Python with \
             snowflake-connector-python, snowflake-snowpark-python and snowflake-ml-python \
             installed (.ci/run prepares one)"
        );
        // Written to the stream itself, not through the test harness's
        // capture, so that the skip shows in every test run.
        let _ = writeln!(
            std::io::stderr(),
            "{test} skipped: set FLOE_TEST_PYTHON to a Python with snowflake-connector-python, \
             snowflake-snowpark-python and snowflake-ml-python installed"
        );
    }
    python
}

/// Runs `python tests/python/<script_name> args...` with the served
/// account's user and `password` in its environment, and asserts that it
/// succeeded and printed `done`.
pub fn run_script(python: OsString, script_name: &str, args: &[&str], password: &str, done: &str) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/python")
        .join(script_name);
    let output = Command::new(python)
        .arg(script)
        .args(args)
        .env("FLOE_WIRE_USER", SERVE_USER)
        .env("FLOE_WIRE_PASSWORD", password)
        .output()
        .expect("FLOE_TEST_PYTHON names a runnable interpreter");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && stdout.contains(done),
        "{script_name} failed ({})\nstdout:\n{stdout}\nstderr:\n{stderr}",
        output.status
    );
}
