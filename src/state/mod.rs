//! State: what floe last applied to an environment, and the lock that keeps
//! one apply per environment at a time.
//!
//! `state/<ENV>.json` holds a [`State`]; [`StateStore`] reads it and writes
//! it atomically (temporary file in the same folder, fsync, rename, fsync
//! the folder), keeping the version from before the run as `<ENV>.json.backup`. A
//! corrupt or newer-format file is an error naming both files; it is never
//! reset. This module does not talk to accounts and does not decide plans.

pub mod clock;
mod error;
mod lock;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::{Deserialize, Serialize};

pub use error::StateError;
pub use lock::{LockInfo, StateLock};

use crate::atomic_file::{remove_stale_temp_files, write_atomic};
use crate::kinds::reconciler::LiveObject;
use crate::model::{Address, Attributes, KindName, fingerprint};

/// The `format_version` of state files this build writes and reads.
pub const STATE_FORMAT_VERSION: u32 = 1;

/// What floe recorded for one address at its last apply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StateEntry {
    /// The kind.
    pub kind: KindName,
    /// The fully qualified name.
    pub fqn: String,
    /// Fingerprint of the declared attributes that were applied.
    pub declared_fingerprint: String,
    /// Fingerprint of the attributes introspection should see after the apply.
    pub live_fingerprint: String,
    /// The canonical attributes applied.
    pub attributes: Attributes,
    /// Addresses it depended on, so deletes can run in reverse order.
    #[serde(default)]
    pub depends_on: Vec<Address>,
    /// When it was applied (RFC 3339, UTC).
    pub applied_at: String,
    /// The git commit of the declarations applied, when known.
    pub git_commit: Option<String>,
}

impl StateEntry {
    /// An entry adopting a live object as it is (`floe state import`).
    pub fn from_live(
        object: &LiveObject,
        depends_on: Vec<Address>,
        git_commit: Option<String>,
    ) -> Self {
        let fp = fingerprint(&object.attributes);
        StateEntry {
            kind: object.address.kind,
            fqn: object.fqn.clone(),
            declared_fingerprint: fp.clone(),
            live_fingerprint: fp,
            attributes: object.attributes.clone(),
            depends_on,
            applied_at: clock::now_rfc3339(),
            git_commit,
        }
    }
}

/// The state of one environment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct State {
    /// [`STATE_FORMAT_VERSION`].
    pub format_version: u32,
    /// Random id fixed when the state was created.
    pub lineage: String,
    /// Incremented on every write.
    pub serial: u64,
    /// The environment it belongs to.
    pub environment: String,
    /// Address → entry.
    pub resources: BTreeMap<Address, StateEntry>,
}

impl State {
    /// An empty state with a fresh lineage.
    pub fn new(environment: &str) -> Self {
        State {
            format_version: STATE_FORMAT_VERSION,
            lineage: clock::random_id(),
            serial: 0,
            environment: environment.to_string(),
            resources: BTreeMap::new(),
        }
    }

    /// Every recorded address, sorted (`floe state list`).
    pub fn addresses(&self) -> Vec<&Address> {
        self.resources.keys().collect()
    }

    /// The entry of `address` (`floe state show`).
    pub fn get(&self, address: &Address) -> Option<&StateEntry> {
        self.resources.get(address)
    }

    /// Forgets `address` without touching the account (`floe state rm`).
    pub fn remove(&mut self, address: &Address) -> Result<StateEntry, StateError> {
        self.resources
            .remove(address)
            .ok_or_else(|| StateError::NotInState {
                address: address.clone(),
                environment: self.environment.clone(),
            })
    }

    /// Records an existing object as managed (`floe state import`); refuses an
    /// address already recorded.
    pub fn import(&mut self, address: Address, entry: StateEntry) -> Result<(), StateError> {
        if self.resources.contains_key(&address) {
            return Err(StateError::AlreadyInState {
                address,
                environment: self.environment.clone(),
            });
        }
        self.resources.insert(address, entry);
        Ok(())
    }
}

/// Where one environment's state, backup and lock live, for one run.
#[derive(Debug, Clone)]
pub struct StateStore {
    dir: PathBuf,
    environment: String,
    /// Set once this run has kept the file it started from as the backup.
    backed_up: Arc<AtomicBool>,
}

impl StateStore {
    /// The store for `environment` in `dir` (the project's `state/`).
    pub fn new(dir: impl Into<PathBuf>, environment: &str) -> Self {
        StateStore {
            dir: dir.into(),
            environment: environment.to_string(),
            backed_up: Arc::new(AtomicBool::new(false)),
        }
    }

    /// `state/<ENV>.json`.
    pub fn path(&self) -> PathBuf {
        self.dir.join(format!("{}.json", self.environment))
    }

    /// `state/<ENV>.json.backup`.
    pub fn backup_path(&self) -> PathBuf {
        self.dir.join(format!("{}.json.backup", self.environment))
    }

    /// `state/<ENV>.lock`.
    pub fn lock_path(&self) -> PathBuf {
        self.dir.join(format!("{}.lock", self.environment))
    }

    /// Reads the state; a missing file is an empty state with a new lineage.
    pub fn load(&self) -> Result<State, StateError> {
        let path = self.path();
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(State::new(&self.environment));
            }
            Err(source) => return Err(StateError::Io { path, source }),
        };
        self.parse(&path, &text)
    }

    fn parse(&self, path: &Path, text: &str) -> Result<State, StateError> {
        let corrupt = |message: String| StateError::Corrupt {
            path: path.to_path_buf(),
            backup: self.backup_path(),
            message,
        };
        // Read the version first, so a newer file is reported as such even
        // when its shape no longer matches this build's.
        // Only `format_version` is kept from this first pass: the rest is
        // skipped, not built into a JSON tree and then converted again.
        #[derive(Deserialize)]
        struct Version {
            format_version: Option<serde_json::Value>,
        }
        let header: Version = match serde_json::from_str(text) {
            Ok(header) => header,
            // Not an object (or not JSON): read it whole for the message.
            Err(_) => {
                let value: serde_json::Value =
                    serde_json::from_str(text).map_err(|e| corrupt(e.to_string()))?;
                Version {
                    format_version: value.get("format_version").cloned(),
                }
            }
        };
        let version = header
            .format_version
            .as_ref()
            .and_then(serde_json::Value::as_u64)
            .ok_or_else(|| corrupt("`format_version` is missing".into()))?;
        if version > u64::from(STATE_FORMAT_VERSION) {
            return Err(StateError::NewerFormat {
                path: path.to_path_buf(),
                backup: self.backup_path(),
                found: version,
            });
        }
        let state: State = serde_json::from_str(text).map_err(|e| corrupt(e.to_string()))?;
        if state.environment != self.environment {
            return Err(corrupt(format!(
                "it belongs to environment {}, not {}",
                state.environment, self.environment
            )));
        }
        Ok(state)
    }

    /// Increments the serial and writes `state` atomically. The first write
    /// of a run keeps the file as it was before the run as the backup; later
    /// writes of the same run (one per applied step) do not copy it again.
    pub fn save(&self, state: &mut State) -> Result<(), StateError> {
        let path = self.path();
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| StateError::Io { path, source }
        };
        std::fs::create_dir_all(&self.dir).map_err(io(&self.dir))?;
        state.serial += 1;
        let mut text = serde_json::to_string_pretty(state).map_err(|e| StateError::Io {
            path: path.clone(),
            source: std::io::Error::other(e),
        })?;
        text.push('\n');
        if !self.backed_up.load(Ordering::SeqCst) {
            match std::fs::read(&path) {
                Ok(previous) => {
                    let backup = self.backup_path();
                    write_atomic(&backup, &previous).map_err(io(&backup))?;
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(source) => return Err(StateError::Io { path, source }),
            }
            self.backed_up.store(true, Ordering::SeqCst);
        }
        write_atomic(&path, text.as_bytes()).map_err(io(&path))
    }

    /// Takes the environment's lock for `command`; fails at once when held.
    pub fn lock(&self, command: &str) -> Result<StateLock, StateError> {
        std::fs::create_dir_all(&self.dir).map_err(|source| StateError::Io {
            path: self.dir.clone(),
            source,
        })?;
        let lock = StateLock::acquire(&self.lock_path(), command)?;
        // Writers hold this lock: a temporary file of a dead writer is a
        // leftover of a killed run, never a write in progress.
        for path in [self.path(), self.backup_path()] {
            remove_stale_temp_files(&path);
        }
        Ok(lock)
    }

    /// Who holds the environment's lock, when a lock file is there and
    /// readable.
    pub fn lock_holder(&self) -> Option<LockInfo> {
        lock::read_holder(&self.lock_path())
    }

    /// Removes the lock whoever holds it (`floe state unlock`); returns the
    /// holder it removed, or `None` when there was no lock.
    pub fn force_unlock(&self) -> Result<Option<LockInfo>, StateError> {
        lock::force_unlock(&self.lock_path())
    }
}

#[cfg(test)]
mod tests;
