//! Why a named connection could not be loaded.
//!
//! Every variant names the connection and, where there is one, the file and
//! key at fault, and says how to fix it. No variant carries a value read from
//! a connections file or the environment: any of them may be a secret, so
//! messages name keys, never values.

use std::path::PathBuf;

use crate::diag::Diagnostic;

/// A named connection that could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    /// No file and no `SNOWFLAKE_CONNECTIONS_<NAME>_*` variable defines the name.
    #[error("connection `{name}` is not defined")]
    NotFound {
        /// The requested connection.
        name: String,
        /// The files that were looked in (existing or not).
        searched: Vec<PathBuf>,
        /// Connections the files do define, for the hint.
        available: Vec<String>,
    },
    /// A connections or config file exists but could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A file is not valid TOML. The place is given as text on purpose: a
    /// rendered source line could show a password.
    #[error("{}:{line}:{column}: invalid TOML: {message}", path.display())]
    Syntax {
        /// The file.
        path: PathBuf,
        /// 1-based line of the error.
        line: usize,
        /// 1-based column of the error.
        column: usize,
        /// The parser's message, without the source snippet.
        message: String,
    },
    /// A key holds a value of the wrong kind (the value itself is not shown).
    #[error("connection `{name}`: `{key}` must be {expected} (from {origin})")]
    InvalidValue {
        /// The connection.
        name: String,
        /// The key, lower case.
        key: String,
        /// What the key must hold, e.g. `a string` or `a port number`.
        expected: &'static str,
        /// Where the value came from: a file path or an environment variable.
        origin: String,
    },
    /// A key that this connection needs is absent.
    #[error("connection `{name}` has no `{key}`")]
    MissingKey {
        /// The connection.
        name: String,
        /// The missing key.
        key: &'static str,
        /// How to provide it.
        hint: String,
    },
    /// The connection asks for an authentication method floe does not support.
    #[error("connection `{name}`: authenticator `{authenticator}` is not supported")]
    UnsupportedAuthenticator {
        /// The connection.
        name: String,
        /// The configured authenticator.
        authenticator: String,
    },
}

impl ConnectError {
    /// How to fix the problem, in one sentence.
    pub fn hint(&self) -> String {
        match self {
            ConnectError::NotFound {
                name,
                searched,
                available,
            } => {
                let files: Vec<String> = searched.iter().map(|p| p.display().to_string()).collect();
                let known = if available.is_empty() {
                    "no connection is defined there".to_string()
                } else {
                    format!("defined there: {}", available.join(", "))
                };
                let suggestion = closest(name, available)
                    .map(|close| format!("did you mean `{close}`? "))
                    .unwrap_or_default();
                format!(
                    "{suggestion}add a `[{name}]` table to {} ({known}), or use `--connection local` for the embedded account",
                    files.join(" or ")
                )
            }
            ConnectError::Read { .. } => {
                "check that the file is readable by the user running floe".to_string()
            }
            ConnectError::Syntax { .. } => {
                "fix the file; it uses the Snowflake CLI's TOML format (`[name]` tables of `key = \"value\"`)"
                    .to_string()
            }
            ConnectError::InvalidValue { key, expected, .. } => {
                format!("set `{key}` to {expected}")
            }
            ConnectError::MissingKey { hint, .. } => hint.clone(),
            ConnectError::UnsupportedAuthenticator { .. } => {
                "use `snowflake` (password), `SNOWFLAKE_JWT` (key pair with `private_key_file`) or `oauth` (with `token`)"
                    .to_string()
            }
        }
    }
}

/// The known name within two edits of `name`, if any.
fn closest<'a>(name: &str, known: &'a [String]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (edit_distance(name, k), k))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k.as_str())
}

/// Levenshtein distance counting a swap of neighbours as one edit.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

impl From<ConnectError> for Diagnostic {
    fn from(error: ConnectError) -> Self {
        let hint = error.hint();
        Diagnostic::error(error.to_string()).hint(hint)
    }
}
