//! Crash-safe file replacement, and the clean-up of what a killed writer
//! left, for any file floe keeps (state, saved plans, the local account's
//! snapshot and journal): nothing here knows what the bytes are.

use std::io::Write;
use std::path::Path;

/// Replaces `path` with `bytes` so that a crash leaves either the old or the
/// new content: write a temporary file in the same folder, fsync it, rename
/// it over `path`, then fsync the folder so the rename itself is durable.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(temp_name(&name, std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&tmp, path)?;
        sync_dir(dir)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// The temporary file [`write_atomic`] uses for `path`: `.<name>.<pid>.tmp`
/// in the same folder.
fn temp_name(name: &str, pid: u32) -> String {
    format!(".{name}.{pid}.tmp")
}

/// Removes the temporary files that [`write_atomic`] left beside `path`
/// when its process was killed before the rename (SIGKILL, power loss):
/// only files named for `path` (`.<name>.<pid>.tmp`), and only those whose
/// process is no longer running on this host. Call it holding the lock that
/// serialises the writers of `path`. Where running processes cannot be
/// listed (no `/proc`), nothing is removed. Returns the files removed.
pub fn remove_stale_temp_files(path: &Path) -> Vec<std::path::PathBuf> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let Some(name) = path.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return Vec::new();
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let prefix = format!(".{name}.");
    let mut removed = Vec::new();
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let pid = file_name
            .strip_prefix(&prefix)
            .and_then(|rest| rest.strip_suffix(".tmp"))
            .and_then(|pid| pid.parse::<u32>().ok());
        let Some(pid) = pid else { continue };
        // The exact name this build writes, not a look-alike.
        if file_name != temp_name(&name, pid) || !process_is_gone(pid) {
            continue;
        }
        if std::fs::remove_file(entry.path()).is_ok() {
            removed.push(entry.path());
        }
    }
    removed
}

/// True only when `pid` is known not to be a running process of this host.
fn process_is_gone(pid: u32) -> bool {
    let proc = Path::new("/proc");
    pid != std::process::id() && proc.join("self").exists() && !proc.join(pid.to_string()).exists()
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> std::io::Result<()> {
    // Directories cannot be opened for fsync on this platform; the rename is
    // as durable as the file system makes it.
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_temp_files_of_dead_processes_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let state = dir.path().join("DEV.json");
        write_atomic(&state, b"{}").unwrap();
        // A pid above the kernel's limit (2^22) is never a running process.
        let dead = dir.path().join(".DEV.json.4194305.tmp");
        let alive = dir
            .path()
            .join(format!(".DEV.json.{}.tmp", std::process::id()));
        let other = dir.path().join(".PROD.json.4194305.tmp");
        let odd = dir.path().join(".DEV.json.x4194305.tmp");
        for f in [&dead, &alive, &other, &odd] {
            std::fs::write(f, b"partial").unwrap();
        }
        let removed = remove_stale_temp_files(&state);
        if Path::new("/proc/self").exists() {
            assert_eq!(removed, vec![dead.clone()]);
            assert!(!dead.exists());
        } else {
            assert!(removed.is_empty());
        }
        assert!(alive.exists() && other.exists() && odd.exists() && state.exists());
    }
}
