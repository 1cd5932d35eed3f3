//! The per-environment lock file `state/<ENV>.lock`.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::StateError;
use super::clock::now_rfc3339;

/// Who holds a lock, as written in the lock file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockInfo {
    /// `user@host`.
    pub who: String,
    /// The holder's process id.
    pub pid: u32,
    /// When it was taken (RFC 3339).
    pub started_at: String,
    /// The command that took it (`apply`).
    pub command: String,
}

impl LockInfo {
    /// A description of this process running `command`.
    pub fn current(command: &str) -> Self {
        LockInfo {
            who: format!("{}@{}", user_name(), host_name()),
            pid: std::process::id(),
            started_at: now_rfc3339(),
            command: command.to_string(),
        }
    }

    /// True when the holder ran on this host and its process is gone.
    /// Only detectable where `/proc` exists; otherwise `false`.
    pub fn is_stale(&self) -> bool {
        let proc = Path::new("/proc");
        let same_host = self.who.rsplit('@').next() == Some(host_name().as_str());
        same_host && proc.is_dir() && !proc.join(self.pid.to_string()).exists()
    }
}

fn user_name() -> String {
    ["USER", "USERNAME", "LOGNAME"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.is_empty()))
        .unwrap_or_else(|| "unknown".into())
}

fn host_name() -> String {
    std::env::var("HOSTNAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/proc/sys/kernel/hostname").ok())
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "localhost".into())
}

/// A held lock; dropping it removes the lock file.
#[derive(Debug)]
pub struct StateLock {
    path: PathBuf,
    info: LockInfo,
}

impl StateLock {
    /// Creates the lock file atomically; fails at once with the holder's
    /// details when it exists.
    pub fn acquire(path: &Path, command: &str) -> Result<StateLock, StateError> {
        let info = LockInfo::current(command);
        let created = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path);
        let mut file = match created {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                return Err(held(path));
            }
            Err(source) => {
                return Err(StateError::Io {
                    path: path.to_path_buf(),
                    source,
                });
            }
        };
        let text = serde_json::to_string(&info).unwrap_or_default();
        let written = file
            .write_all(text.as_bytes())
            .and_then(|()| file.sync_all());
        if let Err(source) = written {
            let _ = std::fs::remove_file(path);
            return Err(StateError::Io {
                path: path.to_path_buf(),
                source,
            });
        }
        Ok(StateLock {
            path: path.to_path_buf(),
            info,
        })
    }

    /// What this lock file says.
    pub fn info(&self) -> &LockInfo {
        &self.info
    }
}

impl Drop for StateLock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

pub(super) fn read_holder(path: &Path) -> Option<LockInfo> {
    let text = std::fs::read_to_string(path).ok()?;
    serde_json::from_str(&text).ok()
}

fn held(path: &Path) -> StateError {
    // A lock being written this instant, or written by hand, may not parse:
    // still refuse, with what we know.
    let holder = read_holder(path).unwrap_or_else(|| LockInfo {
        who: "an unknown process".into(),
        pid: 0,
        command: "a run".into(),
        started_at: "an unknown time".into(),
    });
    let stale = holder.pid != 0 && holder.is_stale();
    StateError::Locked {
        path: path.to_path_buf(),
        holder,
        stale,
    }
}

/// Removes the lock file; returns its holder, `None` when there was none.
pub fn force_unlock(path: &Path) -> Result<Option<LockInfo>, StateError> {
    let holder = read_holder(path);
    match std::fs::remove_file(path) {
        Ok(()) => Ok(Some(holder.unwrap_or_else(|| LockInfo {
            who: "unknown".into(),
            pid: 0,
            started_at: "unknown".into(),
            command: "unknown".into(),
        }))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(StateError::Io {
            path: path.to_path_buf(),
            source,
        }),
    }
}
