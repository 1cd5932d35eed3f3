//! The embedded local account: an emulated Snowflake that speaks floe's SQL.
//!
//! [`LocalAccount`] receives the same SQL text floe sends to Snowflake —
//! the DDL subset floe emits, SHOW and tag lookups — and answers with
//! Snowflake's columns, value formats and errors. It is built from a SQL
//! front end ([`lexer`], [`parser`] → [`ast`]), an executor that applies
//! Snowflake's rules to a [`catalog`] without mutating it, SHOW rendering
//! ([`show`]), and persistence ([`store`]: snapshot + journal under a file
//! lock) so several processes can share one account per environment. It
//! knows nothing of floe's resources, plans or state.

pub mod ast;
pub mod catalog;
pub mod error;
pub mod exec;
pub mod lexer;
pub mod parser;
pub mod results;
pub mod select;
pub mod show;
pub mod store;
pub mod time;

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use self::catalog::{Catalog, Change};
use self::exec::{Mode, SessionState};
use self::results::ResultCache;
use self::store::Store;
use crate::session::{BoxFuture, ExecError, Rows, Session, SqlError};

/// Why a local account could not be opened or created.
#[derive(Debug, thiserror::Error)]
pub enum LocalError {
    /// Reading or writing an account file failed.
    #[error("cannot access the local account file {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// An account file is not what this build writes.
    #[error("the local account file {} is unreadable ({message}); run `floe local reset` to start over", path.display())]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A seed file could not be read.
    #[error("cannot read the seed file {}: {source}", file.display())]
    SeedRead {
        /// The seed file.
        file: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A seed file's SQL was refused; the account was not created.
    #[error("the seed file {} failed: {error}", file.display())]
    Seed {
        /// The seed file.
        file: PathBuf,
        /// Snowflake's error for the failing statement.
        error: SqlError,
    },
}

/// Where the local account of `env_name` lives in a project.
pub fn account_path(project_root: &Path, env_name: &str) -> PathBuf {
    project_root
        .join(".floe")
        .join("local")
        .join(format!("{env_name}.json"))
}

/// Deletes the files of the local account at `path` (snapshot, journal, lock).
/// Returns whether an account existed.
pub fn reset(path: &Path) -> Result<bool, LocalError> {
    let existed = path.exists();
    for p in [path.to_path_buf(), path.with_extension("journal")] {
        match std::fs::remove_file(&p) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(source) => return Err(LocalError::Io { path: p, source }),
        }
    }
    Ok(existed)
}

/// An emulated Snowflake account kept in one file set per environment.
pub struct LocalAccount {
    label: String,
    latency: Option<Duration>,
    inner: Mutex<Inner>,
}

struct Inner {
    store: Store,
    catalog: Catalog,
    session: SessionState,
    results: ResultCache,
}

impl LocalAccount {
    /// Opens the account at `path`; a new account is created and the
    /// `seed_files` are run into it once, atomically. `latency` is slept
    /// before every statement (to imitate a remote account).
    pub fn open(
        path: &Path,
        seed_files: &[PathBuf],
        latency: Option<Duration>,
    ) -> Result<LocalAccount, LocalError> {
        let (store, catalog) = Store::open(path, || seed(seed_files))?;
        let label = path
            .file_stem()
            .map_or_else(|| "local".to_string(), |s| s.to_string_lossy().into_owned());
        Ok(LocalAccount {
            label,
            latency,
            inner: Mutex::new(Inner {
                store,
                catalog,
                session: SessionState::default(),
                results: ResultCache::default(),
            }),
        })
    }

    /// Executes one or more `;`-separated statements and returns the result
    /// of the last. Each statement commits on its own; the first refused
    /// statement stops the script and changes nothing itself.
    pub fn execute_sync(&self, sql: &str) -> Result<Rows, SqlError> {
        if let Some(latency) = self.latency {
            std::thread::sleep(latency);
        }
        self.run(sql, Mode::Execute)
    }

    /// Compiles one statement and returns its result columns without rows,
    /// as Snowflake answers a describe-only query request; nothing changes.
    pub fn describe_sync(&self, sql: &str) -> Result<Rows, SqlError> {
        self.run(sql, Mode::DescribeOnly)
    }

    fn inner(&self) -> MutexGuard<'_, Inner> {
        // A panic while holding the lock cannot leave the catalog half
        // changed (changes are applied only after a statement succeeded),
        // so a poisoned lock is safe to reuse.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn run(&self, sql: &str, mode: Mode) -> Result<Rows, SqlError> {
        let parsed = parser::parse_script(sql)?;
        let writes = mode == Mode::Execute && parsed.iter().any(|p| !p.statement.is_read_only());
        let mut guard = self.inner();
        let inner = &mut *guard;
        let lock = inner.store.lock(writes).map_err(internal)?;
        let result = execute_locked(inner, &parsed, writes, mode);
        drop(lock);
        result
    }
}

fn execute_locked(
    inner: &mut Inner,
    parsed: &[parser::Parsed],
    writes: bool,
    mode: Mode,
) -> Result<Rows, SqlError> {
    inner
        .store
        .refresh(&mut inner.catalog, writes)
        .map_err(internal)?;
    let mut committed: Vec<Change> = Vec::new();
    let mut result = Ok(Rows::default());
    for p in parsed {
        let now = time::now();
        let query_id = results::next_query_id(now);
        let outcome = exec::execute_with(
            &inner.catalog,
            &mut inner.session,
            &inner.results,
            &p.statement,
            now,
            mode,
        );
        if mode == Mode::Execute {
            inner.session.last_query_id = Some(query_id.clone());
        }
        match outcome {
            Ok(mut outcome) => {
                inner.catalog.apply(&outcome.changes);
                committed.extend(outcome.changes);
                outcome.rows.query_id = Some(query_id.clone());
                if mode == Mode::Execute {
                    inner.results.insert(query_id, outcome.rows.clone());
                }
                result = Ok(outcome.rows);
            }
            Err(e) => {
                result = Err(e);
                break;
            }
        }
    }
    if !committed.is_empty()
        && let Err(e) = inner.store.commit(&inner.catalog, &committed)
    {
        inner.store.invalidate();
        return Err(internal(e));
    }
    result
}

/// Snowflake's internal-error shape for a failure of the account's files.
fn internal(e: LocalError) -> SqlError {
    SqlError {
        code: "000603".into(),
        sql_state: "XX000".into(),
        message: format!("SQL execution internal error: {e}"),
    }
}

/// Builds a new account's catalog by running the seed files in order.
fn seed(files: &[PathBuf]) -> Result<Catalog, LocalError> {
    let mut catalog = Catalog::default();
    let mut session = SessionState::default();
    for file in files {
        let sql = std::fs::read_to_string(file).map_err(|source| LocalError::SeedRead {
            file: file.clone(),
            source,
        })?;
        let seed_error = |error| LocalError::Seed {
            file: file.clone(),
            error,
        };
        for p in parser::parse_script(&sql).map_err(seed_error)? {
            let outcome = exec::execute(&catalog, &mut session, &p.statement, time::now())
                .map_err(seed_error)?;
            catalog.apply(&outcome.changes);
        }
    }
    Ok(catalog)
}

impl Session for LocalAccount {
    fn execute<'a>(&'a self, sql: &'a str) -> BoxFuture<'a, Result<Rows, ExecError>> {
        Box::pin(async move {
            if let Some(latency) = self.latency {
                if tokio::runtime::Handle::try_current().is_ok() {
                    tokio::time::sleep(latency).await;
                } else {
                    std::thread::sleep(latency);
                }
            }
            self.run(sql, Mode::Execute).map_err(ExecError::Sql)
        })
    }

    fn execute_describe_only<'a>(&'a self, sql: &'a str) -> BoxFuture<'a, Result<Rows, ExecError>> {
        Box::pin(async move { self.run(sql, Mode::DescribeOnly).map_err(ExecError::Sql) })
    }

    fn describe(&self) -> String {
        format!("local account {}", self.label)
    }
}
