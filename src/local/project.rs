//! Where a project's local account lives: one account per project,
//! `.floe/local/account.json` with its journal and lock beside it, shared by
//! every environment as one real account is (environments told apart by
//! database or schema), so a PROD apply can copy STAGING's model versions.
//!
//! Older floe kept one account per environment (`.floe/local/<ENV>.json`).
//! [`adopt_per_environment_accounts`] renames a lone such account into the
//! project's (nothing is lost: it was the only one), reports those it cannot
//! merge, and never deletes a file; [`reset`] deletes them when the user asks.

use std::fs::{self, OpenOptions};
use std::path::{Path, PathBuf};

use super::LocalError;
use super::store::LockGuard;

/// The file name of a project's local account snapshot.
pub const ACCOUNT_FILE: &str = "account.json";

/// Where the local account of a project lives (its snapshot; the journal
/// and the lock are the same name with `.journal` and `.lock`).
pub fn account_path(project_root: &Path) -> PathBuf {
    folder(project_root).join(ACCOUNT_FILE)
}

fn folder(project_root: &Path) -> PathBuf {
    project_root.join(".floe").join("local")
}

/// What [`adopt_per_environment_accounts`] found of the accounts older floe
/// kept per environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Adoption {
    /// There were none.
    None,
    /// The only one, from this file, is now the project's account.
    Adopted(PathBuf),
    /// The project's account exists; these older files are not read.
    Ignored(Vec<PathBuf>),
}

/// The snapshots of per-environment accounts older floe left in the
/// project's `.floe/local/`, sorted: every `*.json` there but the project's.
pub fn per_environment_accounts(project_root: &Path) -> Result<Vec<PathBuf>, LocalError> {
    let dir = folder(project_root);
    let entries = match fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => return Err(LocalError::Io { path: dir, source }),
    };
    let mut found = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|source| LocalError::Io {
            path: dir.clone(),
            source,
        })?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let is_snapshot = name.ends_with(".json") && !name.starts_with('.');
        if is_snapshot && name != ACCOUNT_FILE {
            found.push(entry.path());
        }
    }
    found.sort();
    Ok(found)
}

/// Makes the lone per-environment account of an older floe the project's
/// account, when the project has none yet: its journal is renamed first,
/// then its snapshot, under the project account's lock, so a run killed in
/// between finishes the move next time. Several per-environment accounts
/// cannot be merged: that is an error naming them, and nothing changes.
pub fn adopt_per_environment_accounts(project_root: &Path) -> Result<Adoption, LocalError> {
    let account = account_path(project_root);
    let legacy = per_environment_accounts(project_root)?;
    if legacy.is_empty() {
        return Ok(Adoption::None);
    }
    if account.exists() {
        return Ok(Adoption::Ignored(legacy));
    }
    let _lock = lock(&account)?;
    // Another process may have moved it while this one waited for the lock.
    let legacy = per_environment_accounts(project_root)?;
    match legacy.as_slice() {
        _ if account.exists() => Ok(Adoption::Ignored(legacy)),
        [] => Ok(Adoption::None),
        [only] => {
            let journal = only.with_extension("journal");
            if journal.exists() {
                rename(&journal, &account.with_extension("journal"))?;
            }
            rename(only, &account)?;
            Ok(Adoption::Adopted(only.clone()))
        }
        several => Err(LocalError::PerEnvironmentAccounts {
            files: several.to_vec(),
            account,
        }),
    }
}

/// What [`reset`] deleted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reset {
    /// The project's account existed.
    pub existed: bool,
    /// Per-environment account snapshots of an older floe, deleted too.
    pub per_environment: Vec<PathBuf>,
}

/// Deletes the project's local account and the per-environment accounts an
/// older floe left (snapshots and journals; lock files stay, empty).
pub fn reset(project_root: &Path) -> Result<Reset, LocalError> {
    let per_environment = per_environment_accounts(project_root)?;
    for snapshot in &per_environment {
        super::reset(snapshot)?;
    }
    let existed = super::reset(&account_path(project_root))?;
    Ok(Reset {
        existed,
        per_environment,
    })
}

fn rename(from: &Path, to: &Path) -> Result<(), LocalError> {
    fs::rename(from, to).map_err(|source| LocalError::Io {
        path: from.to_path_buf(),
        source,
    })
}

/// The project account's exclusive lock, as its store takes it.
fn lock(account: &Path) -> Result<LockGuard, LocalError> {
    let path = account.with_extension("lock");
    let io = |source| LocalError::Io {
        path: path.clone(),
        source,
    };
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(io)?;
    }
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(&path)
        .map_err(io)?;
    fs4::FileExt::lock(&file).map_err(io)?;
    Ok(LockGuard::new(file))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(path: &Path, text: &str) {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    fn local(dir: &Path, name: &str) -> PathBuf {
        folder(dir).join(name)
    }

    #[test]
    fn a_project_without_files_has_nothing_to_adopt() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            adopt_per_environment_accounts(dir.path()).unwrap(),
            Adoption::None
        );
        assert!(!account_path(dir.path()).exists());
    }

    #[test]
    fn a_lone_environment_account_becomes_the_project_account_with_its_journal() {
        let dir = tempfile::tempdir().unwrap();
        write(&local(dir.path(), "DEV.json"), "snapshot");
        write(&local(dir.path(), "DEV.journal"), "journal");
        let adopted = adopt_per_environment_accounts(dir.path()).unwrap();
        assert_eq!(adopted, Adoption::Adopted(local(dir.path(), "DEV.json")));
        let account = account_path(dir.path());
        assert_eq!(fs::read_to_string(&account).unwrap(), "snapshot");
        assert_eq!(
            fs::read_to_string(account.with_extension("journal")).unwrap(),
            "journal"
        );
        assert!(!local(dir.path(), "DEV.json").exists());
    }

    #[test]
    fn a_move_cut_after_the_journal_is_finished_next_time() {
        let dir = tempfile::tempdir().unwrap();
        write(&local(dir.path(), "DEV.json"), "snapshot");
        write(&local(dir.path(), "account.journal"), "journal");
        let adopted = adopt_per_environment_accounts(dir.path()).unwrap();
        assert_eq!(adopted, Adoption::Adopted(local(dir.path(), "DEV.json")));
        assert_eq!(
            fs::read_to_string(account_path(dir.path()).with_extension("journal")).unwrap(),
            "journal"
        );
    }

    #[test]
    fn several_environment_accounts_are_an_error_naming_each_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        for env in ["DEV", "PROD"] {
            write(&local(dir.path(), &format!("{env}.json")), env);
        }
        let error = adopt_per_environment_accounts(dir.path()).unwrap_err();
        let text = error.to_string();
        assert!(
            text.contains("DEV.json") && text.contains("PROD.json"),
            "{text}"
        );
        assert!(local(dir.path(), "DEV.json").exists());
        assert!(local(dir.path(), "PROD.json").exists());
        assert!(!account_path(dir.path()).exists());
    }

    #[test]
    fn older_files_beside_the_project_account_are_reported_not_read() {
        let dir = tempfile::tempdir().unwrap();
        write(&account_path(dir.path()), "project");
        write(&local(dir.path(), "STAGING.json"), "old");
        assert_eq!(
            adopt_per_environment_accounts(dir.path()).unwrap(),
            Adoption::Ignored(vec![local(dir.path(), "STAGING.json")])
        );
        assert_eq!(
            fs::read_to_string(account_path(dir.path())).unwrap(),
            "project"
        );
    }

    #[test]
    fn reset_deletes_the_project_account_and_older_ones() {
        let dir = tempfile::tempdir().unwrap();
        write(&account_path(dir.path()), "project");
        write(&local(dir.path(), "DEV.json"), "old");
        write(&local(dir.path(), "DEV.journal"), "old");
        let reset = reset(dir.path()).unwrap();
        assert!(reset.existed);
        assert_eq!(reset.per_environment, [local(dir.path(), "DEV.json")]);
        assert!(!account_path(dir.path()).exists());
        assert!(!local(dir.path(), "DEV.journal").exists());
    }
}
