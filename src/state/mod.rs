//! State: what floe last applied to an environment, and the lock that keeps
//! one apply per environment at a time.
//!
//! The files, under the project's `state/`:
//! - `<ENV>.json`: the snapshot, a [`State`] as pretty JSON, written
//!   atomically (temporary file in the same folder, fsync, rename, fsync the
//!   folder);
//! - `<ENV>.journal`: what an apply recorded since the snapshot, one JSON
//!   line per changed address (see [`journal`]), appended and fsynced after
//!   each batch of steps, so a write costs the size of the batch, not of
//!   the state;
//! - `<ENV>.json.backup`: the state from before the run that last wrote;
//! - `<ENV>.lock`: the lock.
//!
//! [`StateStore::load`] reads the snapshot and replays the journal. Writing
//! the snapshot (at the end of an apply, when the journal outgrows the
//! snapshot, and for `floe state rm` and `import`) then removes the journal;
//! a kill between the two leaves lines the snapshot already holds, which
//! replay skips. A corrupt or newer-format snapshot, or a damaged journal
//! line before the last, is an error naming the file; state is never reset.
//! [`backend`] keeps the same records in tables of the environment's
//! account instead, through its session, when `state.backend` says so.
//! This module does not decide plans.

pub mod backend;
pub mod clock;
mod error;
pub mod history;
pub mod journal;
mod lock;
pub mod tables;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use serde::{Deserialize, Serialize};

pub use error::StateError;
pub use lock::{LockInfo, StateLock};

use crate::atomic_file::{remove_stale_temp_files, write_atomic};
use crate::kinds::reconciler::LiveObject;
use crate::model::{Address, Attributes, KindName, fingerprint};

/// The `format_version` of state files this build writes and reads.
pub const STATE_FORMAT_VERSION: u32 = 1;

/// Below this size the journal is not compacted into the snapshot before
/// the end of the apply, however small the snapshot.
const COMPACT_MIN_BYTES: u64 = 1 << 20;

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
    /// The journal this run appends to, and the snapshot's size.
    writer: Arc<Mutex<Appending>>,
}

/// The journal open for appending, and what it is measured against.
#[derive(Debug, Default)]
struct Appending {
    journal: journal::Writer,
    /// The size of the snapshot, once known.
    snapshot_len: Option<u64>,
}

/// A state as read, with what the reader should be told.
#[derive(Debug)]
pub struct Loaded {
    /// Snapshot and journal together.
    pub state: State,
    /// Set when the journal's last line was cut short by a killed run and
    /// was ignored.
    pub warning: Option<String>,
}

impl StateStore {
    /// The store for `environment` in `dir` (the project's `state/`).
    pub fn new(dir: impl Into<PathBuf>, environment: &str) -> Self {
        StateStore {
            dir: dir.into(),
            environment: environment.to_string(),
            backed_up: Arc::new(AtomicBool::new(false)),
            writer: Arc::default(),
        }
    }

    /// `state/<ENV>.journal`.
    pub fn journal_path(&self) -> PathBuf {
        self.dir.join(format!("{}.journal", self.environment))
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

    /// Reads the state: the snapshot, then the journal replayed over it; a
    /// missing snapshot is an empty state with a new lineage. An unfinished
    /// last journal line is dropped silently; [`StateStore::load_reporting`]
    /// says so.
    pub fn load(&self) -> Result<State, StateError> {
        self.load_reporting().map(|loaded| loaded.state)
    }

    /// [`StateStore::load`], with a warning when the journal's last line
    /// was cut short by a killed run and ignored.
    pub fn load_reporting(&self) -> Result<Loaded, StateError> {
        // The journal is opened before the snapshot is read: a compaction in
        // between removes the journal this reader still holds, and its lines
        // are skipped or re-applied to the newer snapshot harmlessly.
        let journal_path = self.journal_path();
        let journal = match std::fs::File::open(&journal_path) {
            Ok(file) => Some(file),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(source) => {
                return Err(StateError::Io {
                    path: journal_path,
                    source,
                });
            }
        };
        let path = self.path();
        let mut state = match std::fs::read_to_string(&path) {
            Ok(text) => self.parse(&path, &text)?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => State::new(&self.environment),
            Err(source) => return Err(StateError::Io { path, source }),
        };
        let Some(mut journal) = journal else {
            return Ok(Loaded {
                state,
                warning: None,
            });
        };
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut journal, &mut bytes).map_err(|source| StateError::Io {
            path: journal_path.clone(),
            source,
        })?;
        let warning = journal::replay(&mut state, &journal_path, &bytes)?;
        Ok(Loaded { state, warning })
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

    /// Increments the serial and writes `state` as the snapshot atomically,
    /// then removes the journal it now holds. The first write of a run keeps
    /// the state as it was before the run as the backup; later writes of
    /// the same run do not copy it again.
    pub fn save(&self, state: &mut State) -> Result<(), StateError> {
        let path = self.path();
        std::fs::create_dir_all(&self.dir).map_err(io(&self.dir))?;
        let mut appending = self.appending();
        self.keep_backup()?;
        state.serial += 1;
        let mut text = serde_json::to_string_pretty(state).map_err(|e| StateError::Io {
            path: path.clone(),
            source: std::io::Error::other(e),
        })?;
        text.push('\n');
        write_atomic(&path, text.as_bytes()).map_err(io(&path))?;
        appending.journal.reset();
        appending.snapshot_len = Some(text.len() as u64);
        let journal = self.journal_path();
        match std::fs::remove_file(&journal) {
            Ok(()) => journal::sync_dir(&journal),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(source) => {
                return Err(StateError::Io {
                    path: journal,
                    source,
                });
            }
        }
        Ok(())
    }

    /// Records `changed` addresses as `state` holds them now: increments the
    /// serial and appends one journal line per address, then waits until
    /// they are on disk. Costs the size of the change, not of the state.
    /// Writes the snapshot instead when there is none yet, or when the
    /// journal has grown past it.
    pub fn record(&self, state: &mut State, changed: &[&Address]) -> Result<(), StateError> {
        let path = self.path();
        if !path.exists() {
            return self.save(state);
        }
        let mut appending = self.appending();
        self.keep_backup()?;
        let snapshot_len = match appending.snapshot_len {
            Some(len) => len,
            None => {
                let len = std::fs::metadata(&path).map_err(io(&path))?.len();
                *appending.snapshot_len.insert(len)
            }
        };
        state.serial += 1;
        let journal_path = self.journal_path();
        let bytes = journal::lines(state, changed).map_err(|e| StateError::Io {
            path: journal_path.clone(),
            source: std::io::Error::other(e),
        })?;
        appending.journal.append(&journal_path, &bytes)?;
        let outgrown = appending.journal.len > snapshot_len.max(COMPACT_MIN_BYTES);
        drop(appending);
        if outgrown {
            return self.save(state);
        }
        Ok(())
    }

    /// Writes `state` as the snapshot when a journal is there (the end of
    /// an apply), leaving only the snapshot; does nothing otherwise.
    pub fn compact(&self, state: &mut State) -> Result<(), StateError> {
        if self.journal_path().exists() {
            self.save(state)?;
        }
        Ok(())
    }

    fn appending(&self) -> MutexGuard<'_, Appending> {
        self.writer
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// On the first write of a run, keeps the state as it is on disk as the
    /// backup: the snapshot's bytes, or snapshot and journal together when a
    /// killed run left a journal.
    fn keep_backup(&self) -> Result<(), StateError> {
        if self.backed_up.load(Ordering::SeqCst) {
            return Ok(());
        }
        let path = self.path();
        let backup = self.backup_path();
        let previous = if self.journal_path().exists() {
            let mut text =
                serde_json::to_string_pretty(&self.load()?).map_err(|e| StateError::Io {
                    path: backup.clone(),
                    source: std::io::Error::other(e),
                })?;
            text.push('\n');
            Some(text.into_bytes())
        } else {
            match std::fs::read(&path) {
                Ok(previous) => Some(previous),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                Err(source) => return Err(StateError::Io { path, source }),
            }
        };
        if let Some(previous) = previous {
            write_atomic(&backup, &previous).map_err(io(&backup))?;
        }
        self.backed_up.store(true, Ordering::SeqCst);
        Ok(())
    }

    /// `state/<ENV>.json.migrated`: what the files held when `floe state
    /// migrate` moved them into the account.
    pub fn migrated_path(&self) -> PathBuf {
        self.dir.join(format!("{}.json.migrated", self.environment))
    }

    /// Keeps `state` (snapshot and journal as read) as
    /// `<ENV>.json.migrated`, then removes the journal and the snapshot, so
    /// that no later run reads records that now live elsewhere. Returns
    /// the file kept.
    pub fn retire(&self, state: &State) -> Result<PathBuf, StateError> {
        let kept = self.migrated_path();
        let mut text = serde_json::to_string_pretty(state).map_err(|e| StateError::Io {
            path: kept.clone(),
            source: std::io::Error::other(e),
        })?;
        text.push('\n');
        write_atomic(&kept, text.as_bytes()).map_err(io(&kept))?;
        for path in [self.journal_path(), self.path()] {
            match std::fs::remove_file(&path) {
                Ok(()) => journal::sync_dir(&path),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(source) => return Err(StateError::Io { path, source }),
            }
        }
        Ok(kept)
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

/// Turns an OS error on `path` into a [`StateError`].
fn io(path: &Path) -> impl FnOnce(std::io::Error) -> StateError + use<> {
    let path = path.to_path_buf();
    move |source| StateError::Io { path, source }
}

#[cfg(test)]
mod tests;
