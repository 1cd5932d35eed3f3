//! The Python interpreter that tests driving Snowflake's own Python clients
//! run: the one `FLOE_TEST_PYTHON` names (`.ci/run` prepares it, with the
//! connector, Snowpark and snowflake-ml-python installed).

use std::ffi::OsString;
use std::io::Write;

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
