//! Reading the Snowflake CLI's files: `connections.toml` (`[name]` tables),
//! `config.toml` (`default_connection_name`, `[connections.name]` tables),
//! and the `SNOWFLAKE_*` variables that override single keys.
//!
//! This module finds and parses; it does not validate a connection (see
//! `config.rs`) and prints nothing: permission problems come back as
//! warnings for the caller to show.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::config::{RawConnection, RawValue};
use super::error::ConnectError;

/// The keys floe reads from a connection, in the Snowflake CLI's names.
pub const KEYS: &[&str] = &[
    "account",
    "user",
    "password",
    "role",
    "warehouse",
    "database",
    "schema",
    "authenticator",
    "private_key_file",
    "private_key_path",
    "private_key_raw",
    "private_key_passphrase",
    "token",
    "token_file_path",
    "host",
    "port",
    "protocol",
];

/// Where connections come from: the two configuration folders and the environment.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// `$SNOWFLAKE_HOME`, when set.
    pub snowflake_home: Option<PathBuf>,
    /// The user's home folder (`~/.snowflake` lives there).
    pub home: Option<PathBuf>,
    /// The environment variables (only `SNOWFLAKE_*` ones matter).
    pub env: BTreeMap<String, String>,
}

impl Sources {
    /// The sources of the running process.
    pub fn from_process() -> Self {
        let env: BTreeMap<String, String> = std::env::vars()
            .filter(|(k, _)| k.starts_with("SNOWFLAKE_"))
            .collect();
        Sources {
            snowflake_home: env.get("SNOWFLAKE_HOME").map(PathBuf::from),
            home: std::env::var_os("HOME").map(PathBuf::from),
            env,
        }
    }

    /// The configuration folders, in lookup order, without duplicates.
    pub fn folders(&self) -> Vec<PathBuf> {
        let mut folders = Vec::new();
        if let Some(dir) = &self.snowflake_home {
            folders.push(dir.clone());
        }
        if let Some(home) = &self.home {
            let dir = home.join(".snowflake");
            if !folders.contains(&dir) {
                folders.push(dir);
            }
        }
        folders
    }
}

/// A parsed TOML file, or nothing when it does not exist.
pub(crate) struct TomlFile {
    /// Where it was read from.
    pub path: PathBuf,
    /// Its top-level table.
    pub table: toml::Table,
}

/// Reads and parses `path`; `Ok(None)` when it does not exist. A file that
/// group or others may read adds a warning.
pub(crate) fn read_toml(
    path: &Path,
    warnings: &mut Vec<String>,
) -> Result<Option<TomlFile>, ConnectError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(ConnectError::Read {
                path: path.to_path_buf(),
                source,
            });
        }
    };
    if let Some(warning) = permission_warning(path) {
        warnings.push(warning);
    }
    let table = text.parse::<toml::Table>().map_err(|e| {
        let (line, column) = e
            .span()
            .map(|span| line_column(&text, span.start))
            .unwrap_or((1, 1));
        ConnectError::Syntax {
            path: path.to_path_buf(),
            line,
            column,
            message: e.message().trim_end().to_string(),
        }
    })?;
    Ok(Some(TomlFile {
        path: path.to_path_buf(),
        table,
    }))
}

/// 1-based line and column of byte `offset` in `text`.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = &text[..end];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// The Snowflake CLI's warning for a credentials file readable by others.
#[cfg(unix)]
pub(crate) fn permission_warning(path: &Path) -> Option<String> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path).ok()?.permissions().mode();
    (mode & 0o077 != 0).then(|| {
        format!(
            "bad permissions on {0} (mode {1:04o}): it may hold credentials but other users can access it; to restrict it, run `chmod 0600 \"{0}\"`",
            path.display(),
            mode & 0o7777
        )
    })
}

/// Permission bits are not checked on platforms without them.
#[cfg(not(unix))]
pub(crate) fn permission_warning(_path: &Path) -> Option<String> {
    None
}

/// The connection tables of a file: top-level tables of `connections.toml`,
/// or the `[connections]` table of `config.toml`.
pub(crate) fn connection_tables(file: &TomlFile, is_config: bool) -> Option<&toml::Table> {
    if is_config {
        file.table.get("connections")?.as_table()
    } else {
        Some(&file.table)
    }
}

/// The raw keys of table `name` in `file`, if it defines that connection.
pub(crate) fn raw_connection(
    file: &TomlFile,
    tables: &toml::Table,
    name: &str,
) -> Option<RawConnection> {
    let table = tables.get(name)?.as_table()?;
    let origin = file.path.display().to_string();
    let keys = table
        .iter()
        .map(|(key, value)| {
            let text = match value {
                toml::Value::String(s) => Some(s.clone()),
                toml::Value::Integer(i) => Some(i.to_string()),
                toml::Value::Boolean(b) => Some(b.to_string()),
                _ => None,
            };
            let origin = origin.clone();
            (key.to_ascii_lowercase(), RawValue { text, origin })
        })
        .collect();
    Some(RawConnection {
        source: Some(file.path.clone()),
        keys,
    })
}

/// Applies `SNOWFLAKE_<KEY>` and then the more specific
/// `SNOWFLAKE_CONNECTIONS_<NAME>_<KEY>` over the file's keys. Returns whether
/// any connection-specific variable was present.
pub(crate) fn apply_env(
    raw: &mut RawConnection,
    name: &str,
    env: &BTreeMap<String, String>,
) -> bool {
    let specific_prefix = format!(
        "SNOWFLAKE_CONNECTIONS_{}_",
        name.to_ascii_uppercase().replace('-', "_")
    );
    let mut specific = false;
    for key in KEYS {
        let upper = key.to_ascii_uppercase();
        for (variable, is_specific) in [
            (format!("SNOWFLAKE_{upper}"), false),
            (format!("{specific_prefix}{upper}"), true),
        ] {
            if let Some(value) = env.get(&variable) {
                specific |= is_specific;
                raw.keys.insert(
                    key.to_string(),
                    RawValue {
                        text: Some(value.clone()),
                        origin: format!("environment variable {variable}"),
                    },
                );
            }
        }
    }
    specific
}

/// The names of every connection defined in `file`, for hints.
pub(crate) fn connection_names(tables: &toml::Table) -> Vec<String> {
    tables
        .iter()
        .filter(|(_, v)| v.is_table())
        .map(|(k, _)| k.clone())
        .collect()
}
