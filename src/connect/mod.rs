//! Which account a run talks to: choosing the connection name, and loading
//! a named connection the way the Snowflake CLI does.
//!
//! The name comes from, in order, `--connection`, `FLOE_CONNECTION`, the
//! environment's `connection`, `default_connection`, then `local` (the
//! embedded account). Any other name is looked up in
//! `$SNOWFLAKE_HOME/connections.toml`, then `~/.snowflake/connections.toml`
//! (and the `[connections]` table of each folder's `config.toml`), and
//! `SNOWFLAKE_<KEY>` / `SNOWFLAKE_CONNECTIONS_<NAME>_<KEY>` variables override
//! single keys. This module opens no network connection and never prints a
//! secret: see [`Secret`].

mod config;
mod error;
mod files;

pub use config::{Authentication, ConnectionConfig, Endpoint, PrivateKey, Protocol, Secret};
pub use error::ConnectError;
pub use files::{KEYS as CONNECTION_KEYS, Sources};

use std::path::PathBuf;

use config::RawConnection;
use files::{apply_env, connection_names, connection_tables, raw_connection, read_toml};

/// The name of the embedded local account's connection.
pub const LOCAL_CONNECTION: &str = "local";

/// The connection name a run uses: the first of `flag` (`--connection`),
/// `env_var` (`FLOE_CONNECTION`), `env_connection` (the environment's
/// `connection`), `default` (`default_connection`) that is set and not
/// empty, else [`LOCAL_CONNECTION`].
pub fn choose_connection(
    flag: Option<&str>,
    env_var: Option<&str>,
    env_connection: Option<&str>,
    default: Option<&str>,
) -> String {
    [flag, env_var, env_connection, default]
        .into_iter()
        .flatten()
        .map(str::trim)
        .find(|name| !name.is_empty())
        .unwrap_or(LOCAL_CONNECTION)
        .to_string()
}

/// A loaded connection and the warnings met while reading its files.
#[derive(Debug)]
pub struct LoadedConnection {
    /// The validated connection.
    pub config: ConnectionConfig,
    /// Problems worth telling the user that did not stop loading (file permissions).
    pub warnings: Vec<String>,
}

/// Loads connection `name` from the process's files and environment; the
/// caller shows the warnings met on the way.
pub fn load_connection(name: &str) -> Result<LoadedConnection, ConnectError> {
    load_connection_from(name, &Sources::from_process())
}

/// Loads connection `name` from the given sources. The name `default`
/// stands for the Snowflake CLI's `default_connection_name` (from
/// `SNOWFLAKE_DEFAULT_CONNECTION_NAME` or `config.toml`) when no file has a
/// `[default]` table.
pub fn load_connection_from(
    name: &str,
    sources: &Sources,
) -> Result<LoadedConnection, ConnectError> {
    let mut warnings = Vec::new();
    let mut found = find_in_files(name, sources, &mut warnings)?;
    let mut resolved = name.to_string();
    if found.raw.is_none()
        && name == "default"
        && let Some(default) = default_connection_name(sources, &mut warnings)?
        && default != "default"
    {
        found = find_in_files(&default, sources, &mut warnings)?;
        resolved = default;
    }
    let mut raw = found.raw.unwrap_or_default();
    let from_env = apply_env(&mut raw, &resolved, &sources.env);
    if raw.source.is_none() && !from_env {
        return Err(ConnectError::NotFound {
            name: name.to_string(),
            searched: found.searched,
            available: found.available,
        });
    }
    warnings.dedup();
    let config = ConnectionConfig::from_raw(&resolved, &raw)?;
    Ok(LoadedConnection { config, warnings })
}

/// The outcome of looking a name up in every file.
struct Lookup {
    raw: Option<RawConnection>,
    searched: Vec<PathBuf>,
    available: Vec<String>,
}

fn find_in_files(
    name: &str,
    sources: &Sources,
    warnings: &mut Vec<String>,
) -> Result<Lookup, ConnectError> {
    let mut lookup = Lookup {
        raw: None,
        searched: Vec::new(),
        available: Vec::new(),
    };
    for folder in sources.folders() {
        for (file_name, is_config) in [("connections.toml", false), ("config.toml", true)] {
            let path = folder.join(file_name);
            if !is_config {
                lookup.searched.push(path.clone());
            }
            let Some(file) = read_toml(&path, warnings)? else {
                continue;
            };
            let Some(tables) = connection_tables(&file, is_config) else {
                continue;
            };
            if let Some(raw) = raw_connection(&file, tables, name) {
                lookup.raw = Some(raw);
                return Ok(lookup);
            }
            for known in connection_names(tables) {
                if !lookup.available.contains(&known) {
                    lookup.available.push(known);
                }
            }
        }
    }
    Ok(lookup)
}

/// `SNOWFLAKE_DEFAULT_CONNECTION_NAME`, else `default_connection_name` from
/// the first `config.toml` that sets it.
fn default_connection_name(
    sources: &Sources,
    warnings: &mut Vec<String>,
) -> Result<Option<String>, ConnectError> {
    if let Some(name) = sources.env.get("SNOWFLAKE_DEFAULT_CONNECTION_NAME") {
        return Ok(Some(name.clone()));
    }
    for folder in sources.folders() {
        if let Some(file) = read_toml(&folder.join("config.toml"), warnings)?
            && let Some(name) = file
                .table
                .get("default_connection_name")
                .and_then(|v| v.as_str())
        {
            return Ok(Some(name.to_string()));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests;
