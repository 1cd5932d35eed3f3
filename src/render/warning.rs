//! Warnings: problems worth telling the user that did not stop the run
//! (a connection file readable by others, a client the server could not
//! answer). The command prints them on stderr before its output.

/// `warning: MESSAGE` as one line.
pub fn warning_text(message: &str) -> String {
    format!("warning: {message}\n")
}
