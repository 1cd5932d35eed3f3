//! Persistence of a local account: a snapshot plus an append-only journal,
//! serialised across processes by a file lock.
//!
//! Files, next to each other under `.floe/local/`:
//! - `account.json`: the snapshot, `{"format_version", "generation", "catalog"}`;
//! - `account.journal`: a header line `{"generation": G}` then one line per
//!   committed statement batch: the JSON list of [`Change`]s, a tab, and a
//!   64-bit FNV-1a checksum of the JSON in hex;
//! - `account.lock`: the lock file (shared for reads, exclusive for writes).
//!
//! A commit appends one line and fsyncs it, so writing N statements costs
//! O(N) bytes, not O(N²). When the journal outgrows the snapshot, the
//! catalog is compacted into a new snapshot of the next generation (temp
//! file, fsync, rename, fsync the directory), then the journal is replaced
//! by an empty one of that generation. A journal whose generation is not
//! the snapshot's is stale (a crash between the two renames) and ignored.
//! A last line without its newline or with a bad checksum is a torn write
//! of a killed process: readers ignore it and the next writer truncates it.
//! So a kill at any moment leaves the old or the new catalog. A bad line
//! with records after it is no torn write but damage: it is an error naming
//! the file and the line, and the journal is left as it is, so no record
//! after it is lost. Reads never write. This module knows nothing of SQL.

use std::fs::{self, File, OpenOptions};
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::LocalError;
use super::catalog::{Catalog, CatalogFile, Change};

/// The snapshot format this build reads and writes.
pub const FORMAT_VERSION: u32 = 1;

/// Below this journal size no compaction happens.
const COMPACT_MIN_BYTES: u64 = 1 << 20;

#[derive(Serialize, Deserialize)]
struct SnapshotFile {
    format_version: u32,
    generation: u64,
    catalog: CatalogFile,
}

#[derive(Serialize, Deserialize)]
struct JournalHeader {
    generation: u64,
}

/// The files of one local account and how much of them this process has read.
pub(crate) struct Store {
    snapshot: PathBuf,
    journal: PathBuf,
    lock_file: File,
    generation: u64,
    offset: u64,
    snapshot_len: u64,
}

/// What opening found on disk, for the caller to tell the user about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opened {
    /// The snapshot and its journal were there.
    Existing,
    /// There was no snapshot: a new account was created from the seed files.
    Created,
    /// The snapshot was there without its journal: what was committed since
    /// the snapshot was written is gone, and a new empty journal was started.
    JournalMissing,
}

/// Holds the account's file lock until dropped.
pub(crate) struct LockGuard(File);

impl LockGuard {
    /// Guards `file`, whose lock the caller has just taken.
    pub(crate) fn new(file: File) -> LockGuard {
        LockGuard(file)
    }
}

impl Drop for LockGuard {
    fn drop(&mut self) {
        let _ = fs4::FileExt::unlock(&self.0);
    }
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> LocalError + '_ {
    move |source| LocalError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// 64-bit FNV-1a: a cheap checksum that tells a torn journal line.
fn checksum(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

impl Store {
    /// Opens the account at `snapshot`, creating it with `init` when it does
    /// not exist yet (under the exclusive lock, so `init` runs once).
    pub(crate) fn open(
        snapshot: &Path,
        init: impl FnOnce() -> Result<Catalog, LocalError>,
    ) -> Result<(Store, Catalog, Opened), LocalError> {
        let dir = snapshot.parent().unwrap_or(Path::new("."));
        fs::create_dir_all(dir).map_err(io_error(dir))?;
        let lock_path = snapshot.with_extension("lock");
        let lock_file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .open(&lock_path)
            .map_err(io_error(&lock_path))?;
        let mut store = Store {
            snapshot: snapshot.to_path_buf(),
            journal: snapshot.with_extension("journal"),
            lock_file,
            generation: 0,
            offset: 0,
            snapshot_len: 0,
        };
        let mut catalog = Catalog::default();
        let opened;
        {
            let lock_file = store.lock_file.try_clone().map_err(io_error(&lock_path))?;
            fs4::FileExt::lock(&lock_file).map_err(io_error(&lock_path))?;
            let _guard = LockGuard(lock_file);
            // Writers hold this lock: a dead writer's temporary file is a
            // leftover of a killed process, never a write in progress.
            for path in [&store.snapshot, &store.journal] {
                crate::atomic_file::remove_stale_temp_files(path);
            }
            if store.snapshot.exists() {
                opened = if store.journal.exists() {
                    Opened::Existing
                } else {
                    Opened::JournalMissing
                };
                store.reload(&mut catalog, true)?;
            } else {
                opened = Opened::Created;
                catalog = init()?;
                store.write_snapshot(&catalog, 1)?;
            }
        }
        Ok((store, catalog, opened))
    }

    /// Takes the lock: exclusive to write, shared to read.
    pub(crate) fn lock(&self, exclusive: bool) -> Result<LockGuard, LocalError> {
        let lock_path = self.snapshot.with_extension("lock");
        let file = self.lock_file.try_clone().map_err(io_error(&lock_path))?;
        if exclusive {
            fs4::FileExt::lock(&file).map_err(io_error(&lock_path))?;
        } else {
            fs4::FileExt::lock_shared(&file).map_err(io_error(&lock_path))?;
        }
        Ok(LockGuard(file))
    }

    /// Brings `catalog` up to date with what other processes committed.
    /// Call with the lock held; `writer` when it is exclusive.
    pub(crate) fn refresh(
        &mut self,
        catalog: &mut Catalog,
        writer: bool,
    ) -> Result<(), LocalError> {
        match self.journal_generation()? {
            Some(g) if g == self.generation => self.read_journal(catalog, writer),
            _ => self.reload(catalog, writer),
        }
    }

    /// Appends committed changes (already applied to `catalog`); compacts
    /// when the journal has outgrown the snapshot. Call with the exclusive lock.
    pub(crate) fn commit(
        &mut self,
        catalog: &Catalog,
        changes: &[Change],
    ) -> Result<(), LocalError> {
        let json = serde_json::to_string(changes).map_err(|e| LocalError::Corrupt {
            path: self.journal.clone(),
            message: e.to_string(),
        })?;
        let line = format!("{json}\t{:016x}\n", checksum(json.as_bytes()));
        let mut file = OpenOptions::new()
            .append(true)
            .open(&self.journal)
            .map_err(io_error(&self.journal))?;
        file.write_all(line.as_bytes())
            .and_then(|()| file.sync_data())
            .map_err(io_error(&self.journal))?;
        self.offset += line.len() as u64;
        if self.offset > COMPACT_MIN_BYTES.max(self.snapshot_len) {
            self.write_snapshot(catalog, self.generation + 1)?;
        }
        Ok(())
    }

    /// Forgets what was read, so the next refresh reloads from disk.
    pub(crate) fn invalidate(&mut self) {
        self.generation = 0;
    }

    fn journal_generation(&self) -> Result<Option<u64>, LocalError> {
        let file = match File::open(&self.journal) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(io_error(&self.journal)(e)),
        };
        let mut header = String::new();
        BufReader::new(file)
            .read_line(&mut header)
            .map_err(io_error(&self.journal))?;
        // The header is written whole (temp file and rename), never torn: a
        // header that does not parse is damage, not a stale journal.
        match serde_json::from_str::<JournalHeader>(header.trim_end()) {
            Ok(h) => Ok(Some(h.generation)),
            Err(e) => Err(LocalError::JournalDamaged {
                path: self.journal.clone(),
                line: 1,
                message: format!("its header is not `{{\"generation\": N}}` ({e})"),
            }),
        }
    }

    fn reload(&mut self, catalog: &mut Catalog, writer: bool) -> Result<(), LocalError> {
        let bytes = fs::read(&self.snapshot).map_err(io_error(&self.snapshot))?;
        let file: SnapshotFile =
            serde_json::from_slice(&bytes).map_err(|e| LocalError::Corrupt {
                path: self.snapshot.clone(),
                message: e.to_string(),
            })?;
        if file.format_version != FORMAT_VERSION {
            return Err(LocalError::Corrupt {
                path: self.snapshot.clone(),
                message: format!(
                    "format_version {} is not the supported {FORMAT_VERSION}",
                    file.format_version
                ),
            });
        }
        *catalog = Catalog::from(file.catalog);
        self.generation = file.generation;
        self.snapshot_len = bytes.len() as u64;
        self.offset = 0;
        if self.journal_generation()? == Some(self.generation) {
            self.read_journal(catalog, writer)
        } else if writer {
            self.write_journal()
        } else {
            Ok(())
        }
    }

    /// Applies journal lines past `offset`. A bad last line is a torn write:
    /// reading stops there and a writer truncates it away. A bad line with
    /// more after it is damage: an error, and nothing is written.
    fn read_journal(&mut self, catalog: &mut Catalog, writer: bool) -> Result<(), LocalError> {
        let mut file = File::open(&self.journal).map_err(io_error(&self.journal))?;
        let mut bytes = Vec::new();
        file.seek(SeekFrom::Start(self.offset))
            .and_then(|_| file.read_to_end(&mut bytes))
            .map_err(io_error(&self.journal))?;
        let mut consumed = 0usize;
        if self.offset == 0 {
            match bytes.iter().position(|b| *b == b'\n') {
                Some(i) => consumed = i + 1,
                None => return Ok(()),
            }
        }
        while let Some(len) = bytes[consumed..].iter().position(|b| *b == b'\n') {
            let line = &bytes[consumed..consumed + len];
            let Some(changes) = parse_line(line) else {
                let last = consumed + len + 1 == bytes.len();
                if last {
                    break;
                }
                // The catalog holds part of the journal now: start over
                // from the snapshot on the next read.
                self.generation = 0;
                return Err(self.damaged_at(self.offset + consumed as u64));
            };
            catalog.apply_owned(changes);
            consumed += len + 1;
        }
        self.offset += consumed as u64;
        if writer && consumed < bytes.len() {
            let file = OpenOptions::new()
                .write(true)
                .open(&self.journal)
                .map_err(io_error(&self.journal))?;
            file.set_len(self.offset)
                .and_then(|()| file.sync_all())
                .map_err(io_error(&self.journal))?;
        }
        Ok(())
    }

    /// The error for a damaged record starting at byte `at` of the journal.
    fn damaged_at(&self, at: u64) -> LocalError {
        let line = fs::read(&self.journal).map_or(0, |bytes| {
            let end = usize::try_from(at).unwrap_or(usize::MAX).min(bytes.len());
            bytes[..end].iter().filter(|b| **b == b'\n').count() + 1
        });
        LocalError::JournalDamaged {
            path: self.journal.clone(),
            line,
            message: "its checksum or its JSON is wrong, and records follow it".into(),
        }
    }

    fn write_snapshot(&mut self, catalog: &Catalog, generation: u64) -> Result<(), LocalError> {
        let file = SnapshotFile {
            format_version: FORMAT_VERSION,
            generation,
            catalog: CatalogFile::from(catalog),
        };
        let bytes = serde_json::to_vec(&file).map_err(|e| LocalError::Corrupt {
            path: self.snapshot.clone(),
            message: e.to_string(),
        })?;
        atomic_write(&self.snapshot, &bytes)?;
        self.generation = generation;
        self.snapshot_len = bytes.len() as u64;
        self.write_journal()
    }

    fn write_journal(&mut self) -> Result<(), LocalError> {
        let header = format!("{{\"generation\":{}}}\n", self.generation);
        atomic_write(&self.journal, header.as_bytes())?;
        self.offset = header.len() as u64;
        Ok(())
    }
}

fn parse_line(line: &[u8]) -> Option<Vec<Change>> {
    let text = std::str::from_utf8(line).ok()?;
    let (json, sum) = text.rsplit_once('\t')?;
    if u64::from_str_radix(sum, 16).ok()? != checksum(json.as_bytes()) {
        return None;
    }
    serde_json::from_str(json).ok()
}

/// Writes `bytes` to `path` atomically: temp file in the same directory,
/// fsync, rename over, fsync the directory.
pub(crate) fn atomic_write(path: &Path, bytes: &[u8]) -> Result<(), LocalError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map_or_else(Default::default, |n| n.to_string_lossy().into_owned());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let mut file = File::create(&tmp).map_err(io_error(&tmp))?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(io_error(&tmp))?;
    drop(file);
    fs::rename(&tmp, path).map_err(io_error(path))?;
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}
