//! What `floe apply` says besides the plan, its progress and its summary:
//! the confirmation question, and what a Ctrl-C does and leaves behind.

use std::fmt::Write;
use std::path::Path;

use crate::model::Address;

/// The question before applying to `environment`, answered with `expected`.
pub fn confirm_prompt(environment: &str, expected: &str) -> String {
    format!("\nApply these changes to {environment}? Type `{expected}` to confirm: ")
}

/// What the first Ctrl-C does, and what a second one would.
pub fn interrupted_text() -> String {
    "\nInterrupted: finishing the running steps and resuming suspended task graphs \
     (Ctrl-C again to quit at once; state keeps what finished).\n"
        .to_string()
}

/// What quitting at once leaves for the user to clean up: the lock of
/// `environment`, and the tasks this apply suspended and did not resume.
pub fn left_behind_text(environment: &str, lock: &Path, suspended: &[Address]) -> String {
    let env = environment;
    let mut text = format!(
        "\nQuit at once. Left behind:\n  the lock {} (when no apply is running, remove it with `floe state unlock --env {env}`)\n",
        lock.display()
    );
    for task in suspended {
        let _ = writeln!(
            text,
            "  {task}, suspended by this apply (state records it suspended; `floe apply --env {env}` resumes it)"
        );
    }
    text
}
