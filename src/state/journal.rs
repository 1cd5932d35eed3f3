//! The state journal, `state/<ENV>.journal`: the changes an apply recorded
//! since the snapshot `state/<ENV>.json` was last written.
//!
//! One JSON object a line, each ending in a newline:
//! `{"serial": S, "op": "upsert", "address": A, "entry": {...}}` records the
//! whole [`StateEntry`] of `A`; `{"serial": S, "op": "remove", "address": A}`
//! forgets it. Every line of one write shares its serial, the state's serial
//! after that write. Replay skips lines whose serial the snapshot already
//! has, and both operations are absolute (an upsert replaces, a removal of
//! an absent address does nothing), so replaying lines already in the
//! snapshot changes nothing. A last line that is cut short or does not
//! parse is a write a killed process did not finish: it is ignored with a
//! warning, and the next writer truncates it. A bad line with lines after it
//! is damage: an error naming the file and line.

use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{State, StateEntry, StateError};
use crate::model::Address;

/// What a journal line does to its address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Op {
    Upsert,
    Remove,
}

/// One journal line.
#[derive(Debug, Serialize, Deserialize)]
struct Line {
    serial: u64,
    op: Op,
    address: Address,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    entry: Option<StateEntry>,
}

/// The journal lines recording `addresses` as `state` holds them now: an
/// upsert for a recorded address, a removal for one no longer there.
pub(super) fn lines(state: &State, addresses: &[&Address]) -> Result<Vec<u8>, serde_json::Error> {
    let mut out = Vec::new();
    for address in addresses {
        let entry = state.resources.get(*address).cloned();
        let line = Line {
            serial: state.serial,
            op: if entry.is_some() {
                Op::Upsert
            } else {
                Op::Remove
            },
            address: (*address).clone(),
            entry,
        };
        serde_json::to_writer(&mut out, &line)?;
        out.push(b'\n');
    }
    Ok(out)
}

/// Applies the journal's lines newer than `state`'s serial to `state`, in
/// order. Returns a warning when the last line was cut short.
pub(super) fn replay(
    state: &mut State,
    path: &Path,
    bytes: &[u8],
) -> Result<Option<String>, StateError> {
    let mut start = 0;
    let mut number = 0;
    let base = state.serial;
    while start < bytes.len() {
        number += 1;
        let end = bytes[start..]
            .iter()
            .position(|b| *b == b'\n')
            .map(|i| start + i);
        let text = &bytes[start..end.unwrap_or(bytes.len())];
        let last = end.is_none_or(|e| e + 1 >= bytes.len());
        match parse(text) {
            Ok(line) if end.is_some() => {
                if line.serial > base {
                    apply(state, line);
                }
            }
            Ok(_) => return Ok(Some(torn(path, number))),
            Err(_) if last => return Ok(Some(torn(path, number))),
            Err(message) => {
                return Err(StateError::JournalDamaged {
                    path: path.to_path_buf(),
                    line: number,
                    message,
                });
            }
        }
        start = end.map_or(bytes.len(), |e| e + 1);
    }
    Ok(None)
}

fn torn(path: &Path, line: usize) -> String {
    format!(
        "ignored the unfinished last line {line} of {}: a run was killed while writing it",
        path.display()
    )
}

fn parse(text: &[u8]) -> Result<Line, String> {
    let line: Line = serde_json::from_slice(text).map_err(|e| e.to_string())?;
    match (line.op, &line.entry) {
        (Op::Upsert, None) => Err("an upsert without its `entry`".into()),
        (Op::Remove, Some(_)) => Err("a removal with an `entry`".into()),
        _ => Ok(line),
    }
}

fn apply(state: &mut State, line: Line) {
    state.serial = state.serial.max(line.serial);
    match line.entry {
        Some(entry) => {
            state.resources.insert(line.address, entry);
        }
        None => {
            state.resources.remove(&line.address);
        }
    }
}

/// The journal open for appending during one run.
#[derive(Debug, Default)]
pub(super) struct Writer {
    file: Option<File>,
    /// Bytes in the journal.
    pub(super) len: u64,
}

impl Writer {
    /// Appends `bytes` and waits until they are on disk. The first append of
    /// a run cuts off an unfinished last line a killed run left, so the new
    /// lines never follow a broken one.
    pub(super) fn append(&mut self, path: &Path, bytes: &[u8]) -> Result<(), StateError> {
        let io = |source| StateError::Io {
            path: path.to_path_buf(),
            source,
        };
        if self.file.is_none() {
            let existed = path.exists();
            let mut file = OpenOptions::new()
                .create(true)
                .truncate(false)
                .read(true)
                .append(true)
                .open(path)
                .map_err(io)?;
            self.len = cut_unfinished_line(&mut file).map_err(io)?;
            if !existed {
                sync_dir(path);
            }
            self.file = Some(file);
        }
        let Some(file) = self.file.as_mut() else {
            return Ok(());
        };
        file.write_all(bytes)
            .and_then(|()| file.sync_data())
            .map_err(io)?;
        self.len += bytes.len() as u64;
        Ok(())
    }

    /// Forgets the open journal (it was compacted away).
    pub(super) fn reset(&mut self) {
        self.file = None;
        self.len = 0;
    }
}

/// Truncates the file after its last complete, readable line; returns its
/// length.
fn cut_unfinished_line(file: &mut File) -> std::io::Result<u64> {
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)?;
    let complete = match bytes.iter().rposition(|b| *b == b'\n') {
        None => 0,
        Some(end) => {
            let start = bytes[..end]
                .iter()
                .rposition(|b| *b == b'\n')
                .map_or(0, |i| i + 1);
            if parse(&bytes[start..end]).is_ok() {
                end + 1
            } else {
                start
            }
        }
    };
    if complete < bytes.len() {
        file.set_len(complete as u64)?;
        file.sync_all()?;
    }
    Ok(complete as u64)
}

/// Makes a file created or removed in `path`'s folder durable.
pub(super) fn sync_dir(path: &Path) {
    let dir: PathBuf = path
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}
