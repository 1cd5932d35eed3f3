//! Errors of the state layer, each with what to do about it.

use std::path::PathBuf;

use super::lock::LockInfo;
use crate::diag::Diagnostic;
use crate::model::Address;

/// Why state could not be read, written or locked.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    /// The file system refused.
    #[error("cannot access {}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// The file is not a state file this build can read.
    #[error("the state file {} is corrupt: {message}", path.display())]
    Corrupt {
        /// The state file.
        path: PathBuf,
        /// Its backup.
        backup: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A journal line other than the last one is unreadable: the journal is
    /// damaged, not cut short by a killed run.
    #[error("{}:{line}: the state journal is damaged: {message}", path.display())]
    JournalDamaged {
        /// The journal.
        path: PathBuf,
        /// The 1-based line of the damaged record.
        line: usize,
        /// What is wrong with it.
        message: String,
    },
    /// The file was written by a newer floe.
    #[error("the state file {} has format_version {found}, newer than this floe reads ({})", path.display(), super::STATE_FORMAT_VERSION)]
    NewerFormat {
        /// The state file.
        path: PathBuf,
        /// Its backup.
        backup: PathBuf,
        /// The version found.
        found: u64,
    },
    /// Another run holds the environment's lock.
    #[error("the state of this environment is locked by {} (pid {}, {} since {})", holder.who, holder.pid, holder.command, holder.started_at)]
    Locked {
        /// The lock file.
        path: PathBuf,
        /// Who holds it.
        holder: LockInfo,
        /// The holder's process is gone from this host.
        stale: bool,
    },
    /// Another run holds the environment's lock row in the state tables.
    #[error("the state of this environment is locked by {} (pid {}, {}{} since {})", holder.who, holder.pid, holder.command, from_where(branch.as_deref(), commit.as_deref()), holder.started_at)]
    LockedInTable {
        /// The lock table.
        table: String,
        /// Who holds it.
        holder: Box<LockInfo>,
        /// The branch it applies from, when known.
        branch: Option<String>,
        /// The commit it applies, when known.
        commit: Option<String>,
        /// Its lease ran out: it stopped renewing it.
        stale: bool,
    },
    /// The account refused or could not be reached while reading or
    /// writing the state tables.
    #[error("cannot {action} the state in {table}: {message}")]
    Table {
        /// What was being done (`read`, `write`, `lock`).
        action: &'static str,
        /// The table or schema.
        table: String,
        /// The account's answer.
        message: String,
    },
    /// Someone else wrote the state since this run read it.
    #[error("the state in {table} moved to another serial since this run read it")]
    Moved {
        /// The head table.
        table: String,
    },
    /// The address is not recorded.
    #[error("{address} is not in the state of {environment}")]
    NotInState {
        /// The address asked for.
        address: Address,
        /// The environment.
        environment: String,
    },
    /// The state files keep no history of earlier serials.
    #[error("{} keeps no history of earlier serials: the journal is folded into it after every apply", path.display())]
    NoHistory {
        /// The state file.
        path: PathBuf,
    },
    /// The address is already recorded.
    #[error("{address} is already in the state of {environment}")]
    AlreadyInState {
        /// The address asked for.
        address: Address,
        /// The environment.
        environment: String,
    },
}

impl StateError {
    /// The error as a user diagnostic, with a hint on what to do.
    pub fn to_diagnostic(&self) -> Diagnostic {
        let d = Diagnostic::error(self.to_string());
        match self {
            StateError::Io { .. } => d,
            StateError::Corrupt { backup, .. } => d.hint(format!(
                "floe never resets state: restore it from the previous version {}, or fix the file by hand",
                backup.display()
            )),
            StateError::JournalDamaged { path, line, .. } => d.hint(format!(
                "floe never drops recorded changes: repair or remove line {line} of {} by hand (each line is one JSON object), then run again",
                path.display()
            )),
            StateError::NewerFormat { .. } => d.hint(
                "a newer floe applied this environment: upgrade floe to read it (floe never rewrites a state file it cannot read)",
            ),
            StateError::Locked { path, stale, .. } => {
                let d = if *stale {
                    d.caused_by("that process is no longer running on this host: the lock is stale")
                } else {
                    d
                };
                d.hint(format!(
                    "wait for it to finish; if no run is in progress, remove the lock with `floe state unlock` ({})",
                    path.display()
                ))
            }
            StateError::LockedInTable { table, stale, .. } => {
                let d = if *stale {
                    d.caused_by("its lease ran out without being renewed: the lock is stale")
                } else {
                    d
                };
                d.hint(format!(
                    "wait for it to finish; if no run is in progress, remove the lock with `floe state unlock` (the environment's row in {table})"
                ))
            }
            StateError::Table { .. } => d.hint(
                "check that the account is reachable and the role may create and write tables in the state schema (`state.schema` in config/environments.yaml)",
            ),
            StateError::Moved { .. } => d.hint(
                "another run wrote the state without holding the lock: run `floe plan` again to see the account as it is now",
            ),
            StateError::NotInState { address, .. } => d
                .at_address(address.to_string())
                .hint("`floe state list` shows the recorded addresses"),
            StateError::NoHistory { .. } => d.hint(
                "history is kept with `state: {backend: snowflake}` in config/environments.yaml (move the state there with `floe state migrate --to snowflake`); the files keep only the previous run's state, as <ENV>.json.backup",
            ),
            StateError::AlreadyInState { address, .. } => d
                .at_address(address.to_string())
                .hint("remove it first with `floe state rm` to import it again"),
        }
    }
}

/// ` on BRANCH at COMMIT`, as much of it as is known.
fn from_where(branch: Option<&str>, commit: Option<&str>) -> String {
    let mut out = String::new();
    if let Some(branch) = branch {
        out.push_str(&format!(" on {branch}"));
    }
    if let Some(commit) = commit {
        out.push_str(&format!(
            " at {}",
            commit.chars().take(12).collect::<String>()
        ));
    }
    out
}
