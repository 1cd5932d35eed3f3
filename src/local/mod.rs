//! The embedded local account: an emulated Snowflake that speaks floe's SQL.
//!
//! [`LocalAccount`] receives the same SQL text floe sends to Snowflake —
//! the DDL subset floe emits, SHOW and tag lookups, queries, DML on table
//! rows and explicit transactions — and answers with Snowflake's columns,
//! value formats and errors. It is built from a SQL
//! front end ([`lexer`], [`parser`] → [`ast`]), an executor that applies
//! Snowflake's rules to a [`catalog`] without mutating it, SHOW rendering
//! ([`show`]), and persistence ([`store`]: snapshot + journal under a file
//! lock) so several processes can share one account per project
//! ([`project`]: where it lives, shared by every environment). It knows
//! nothing of floe's resources, plans or state.

pub mod ast;
pub mod catalog;
pub mod error;
pub mod exec;
pub mod lexer;
pub mod parser;
pub mod project;
pub mod results;
pub mod select;
pub mod session;
pub mod show;
pub mod store;
pub mod time;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

pub use self::catalog::Edition;
use self::catalog::{Catalog, Change};
use self::exec::Mode;
pub use self::project::account_path;
use self::results::ResultCache;
use self::session::SessionState;
pub use self::store::Opened;
use self::store::Store;
use crate::session::{
    Account, BoxFuture, ExecError, LoginContext, LoginSession, MULTI_STATEMENT_COUNT, Parameters,
    Rows, Session, SqlError,
};

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
    /// A journal record that is not the last one is damaged: the records
    /// after it cannot be applied in order, and are not dropped either.
    #[error(
        "the local account journal {} is damaged at line {line}: {message}; floe left the file untouched so that no record is lost. Repair or remove that line by hand (each line is a JSON list, a tab and a checksum), or start over with `floe local reset`",
        path.display()
    )]
    JournalDamaged {
        /// The journal.
        path: PathBuf,
        /// The 1-based line of the damaged record.
        line: usize,
        /// What is wrong with it.
        message: String,
    },
    /// Older floe left one account per environment and the project has
    /// none yet: they cannot be merged into one.
    #[error(
        "found the local accounts of an older floe, one per environment ({}), and no project account {}: floe now keeps one local account per project, shared by every environment, and cannot merge several",
        list(files),
        account.display()
    )]
    PerEnvironmentAccounts {
        /// The per-environment snapshots.
        files: Vec<PathBuf>,
        /// The project's account, not created.
        account: PathBuf,
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

impl LocalError {
    /// How to get past the error, when there is more to say than its text.
    pub fn hint(&self) -> Option<String> {
        match self {
            LocalError::PerEnvironmentAccounts { files, account } => {
                let keep = files.first().map_or_else(String::new, |f| {
                    format!(
                        "; or keep one of them as the project's account: `mv {} {}` and `mv {} {}` (the others are then left alone, with a warning, until you delete them)",
                        f.display(),
                        account.display(),
                        f.with_extension("journal").display(),
                        account.with_extension("journal").display()
                    )
                });
                Some(format!(
                    "run `floe local reset` to delete them; the next run creates and seeds a new account, and `floe apply` re-creates what each environment's state records{keep}"
                ))
            }
            _ => None,
        }
    }
}

/// Paths as a comma-separated list.
fn list(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
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

/// An emulated Snowflake account kept in one file set per project,
/// seen through one session. [`LocalAccount::open`] gives the account's
/// default session; [`Account::open_session`] opens more on the same
/// account, each with its own context (current database, schema,
/// warehouse, role, parameters), as Snowflake's logins do.
pub struct LocalAccount {
    shared: Arc<Shared>,
    session: Mutex<SessionState>,
}

/// What every session of one account shares.
struct Shared {
    label: String,
    latency: Option<Duration>,
    opened: Opened,
    data: Mutex<Data>,
    /// The id of the next session [`Session::open_sibling`] opens (the
    /// default session is 0).
    next_session: AtomicU64,
}

struct Data {
    store: Store,
    catalog: Catalog,
    edition: Edition,
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
        let (store, catalog, opened) = Store::open(path, || seed(seed_files))?;
        let label = path
            .file_stem()
            .map_or_else(|| "local".to_string(), |s| s.to_string_lossy().into_owned());
        let shared = Shared {
            label,
            latency,
            opened,
            next_session: AtomicU64::new(1),
            data: Mutex::new(Data {
                store,
                catalog,
                edition: Edition::default(),
                results: ResultCache::default(),
            }),
        };
        Ok(LocalAccount {
            shared: Arc::new(shared),
            session: Mutex::new(SessionState::default()),
        })
    }

    /// Makes the account emulate `edition` from now on (enterprise when
    /// never set): SHOW WAREHOUSES columns and the warehouse properties
    /// CREATE and ALTER accept follow it.
    pub fn with_edition(self, edition: Edition) -> LocalAccount {
        self.data().edition = edition;
        self
    }

    /// What opening found: an existing account, a new one, or a snapshot
    /// whose journal was gone. The caller decides whether that deserves a
    /// warning (it does when state says objects exist).
    pub fn opened(&self) -> Opened {
        self.shared.opened
    }

    /// Executes a script of one or more `;`-separated statements, as a
    /// client asking for any number of them (`MULTI_STATEMENT_COUNT = 0`)
    /// does, and returns the result of the last. Each statement commits on
    /// its own unless the session's explicit transaction holds it back; the
    /// first refused statement stops the script and changes nothing itself.
    pub fn execute_sync(&self, sql: &str) -> Result<Rows, SqlError> {
        if let Some(latency) = self.shared.latency {
            std::thread::sleep(latency);
        }
        let any_count = Parameters::from([(MULTI_STATEMENT_COUNT.to_string(), "0".to_string())]);
        let mut results = self.run(sql, &any_count, Mode::Execute)?;
        Ok(results.pop().unwrap_or_default())
    }

    /// Another session on this account, starting from `state`.
    fn session_with(&self, state: SessionState) -> LocalAccount {
        LocalAccount {
            shared: Arc::clone(&self.shared),
            session: Mutex::new(state),
        }
    }

    fn data(&self) -> MutexGuard<'_, Data> {
        // A panic while holding the lock cannot leave the catalog half
        // changed (changes are applied only after a statement succeeded),
        // so a poisoned lock is safe to reuse.
        self.shared.data.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn session(&self) -> MutexGuard<'_, SessionState> {
        // The state is replaced whole after each request; never half written.
        self.session.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs a request's statements with `parameters` in force for this
    /// request only; one result per statement. A described request
    /// (`mode`) answers columns without rows and changes nothing.
    fn run(&self, sql: &str, parameters: &Parameters, mode: Mode) -> Result<Vec<Rows>, SqlError> {
        let parsed = parser::parse_script(sql)?;
        // The session lock is held for the whole request (statements of one
        // session run one at a time) and always taken before the data lock.
        let mut session = self.session();
        let mut effective = session.clone();
        effective.parameters.extend(parameters.clone());
        exec::check_statement_count(parsed.len(), &effective.parameters)?;
        let writes = mode == Mode::Execute && parsed.iter().any(|p| !p.statement.is_read_only());
        let mut data = self.data();
        let lock = data.store.lock(writes).map_err(internal)?;
        let result = execute_locked(&mut data, &mut effective, &parsed, writes, mode);
        drop(lock);
        *session = exec::after_request(&session.parameters, effective, parameters);
        result
    }
}

/// Runs the statements in order under the account's file lock; the first
/// refused statement stops the rest. What succeeded is committed either
/// way, except DML inside the session's explicit transaction, which waits
/// for COMMIT.
fn execute_locked(
    data: &mut Data,
    session: &mut SessionState,
    parsed: &[parser::Parsed],
    writes: bool,
    mode: Mode,
) -> Result<Vec<Rows>, SqlError> {
    data.store
        .refresh(&mut data.catalog, writes)
        .map_err(internal)?;
    data.catalog.edition = data.edition;
    let mut committed: Vec<Change> = Vec::new();
    let mut results = Vec::with_capacity(parsed.len());
    let mut failure = None;
    for p in parsed {
        let now = time::now();
        let query_id = results::next_query_id(now);
        let outcome = if mode == Mode::Execute {
            let outcome = execute_in_transaction(data, session, &mut committed, &p.statement, now);
            session.last_query_id = Some(query_id.clone());
            outcome
        } else {
            exec::execute_with(
                &data.catalog,
                session,
                &data.results,
                &p.statement,
                now,
                mode,
            )
            .map(|outcome| outcome.rows)
        };
        match outcome {
            Ok(mut rows) => {
                rows.query_id = Some(query_id.clone());
                if mode == Mode::Execute {
                    data.results.insert(query_id, rows.clone());
                }
                results.push(rows);
            }
            Err(e) => {
                failure = Some(e);
                break;
            }
        }
    }
    if !committed.is_empty()
        && let Err(e) = data.store.commit(&data.catalog, &committed)
    {
        data.store.invalidate();
        return Err(internal(e));
    }
    match failure {
        Some(e) => Err(e),
        None => Ok(results),
    }
}

/// Runs one statement as Snowflake does around explicit transactions:
/// BEGIN opens one (a second BEGIN is ignored), COMMIT and ROLLBACK end
/// it, DML inside one is kept back (seen by this session only), and any
/// other statement that writes commits the open transaction first, then
/// runs on its own. Committed changes are applied and added to `committed`.
fn execute_in_transaction(
    data: &mut Data,
    session: &mut SessionState,
    committed: &mut Vec<Change>,
    statement: &ast::Statement,
    now: catalog::Millis,
) -> Result<Rows, SqlError> {
    if let ast::Statement::Transaction(control) = statement {
        match control {
            ast::TransactionControl::Begin => {
                session.transaction.get_or_insert_with(Vec::new);
            }
            ast::TransactionControl::Commit => {
                let pending = session.transaction.take().unwrap_or_default();
                data.catalog.apply(&pending);
                committed.extend(pending);
            }
            ast::TransactionControl::Rollback => session.transaction = None,
        }
        return Ok(Rows::status("Statement executed successfully."));
    }
    let held = statement.is_dml() && session.transaction.is_some();
    if !statement.is_read_only() && !held {
        let pending = session.transaction.take().unwrap_or_default();
        data.catalog.apply(&pending);
        committed.extend(pending);
    }
    let pending = session.transaction.clone().unwrap_or_default();
    let outcome = if pending.is_empty() {
        exec::execute_with(
            &data.catalog,
            session,
            &data.results,
            statement,
            now,
            Mode::Execute,
        )?
    } else {
        let mut seen = data.catalog.clone();
        seen.apply(&pending);
        exec::execute_with(&seen, session, &data.results, statement, now, Mode::Execute)?
    };
    match (&mut session.transaction, held) {
        (Some(pending), true) => pending.extend(outcome.changes),
        _ => {
            data.catalog.apply(&outcome.changes);
            committed.extend(outcome.changes);
        }
    }
    Ok(outcome.rows)
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

impl LocalAccount {
    async fn sleep_latency(&self) {
        if let Some(latency) = self.shared.latency {
            if tokio::runtime::Handle::try_current().is_ok() {
                tokio::time::sleep(latency).await;
            } else {
                std::thread::sleep(latency);
            }
        }
    }
}

impl Session for LocalAccount {
    /// Runs one request with no statement parameters: a text of several
    /// statements is refused unless the session's `MULTI_STATEMENT_COUNT`
    /// allows it, and then answers as Snowflake answers a client that does
    /// not fetch each statement's result ([`Rows::multiple_statements`]).
    fn execute<'a>(&'a self, sql: &'a str) -> BoxFuture<'a, Result<Rows, ExecError>> {
        Box::pin(async move {
            let mut results = self.execute_request(sql, &Parameters::new()).await?;
            Ok(match results.len() {
                1 => results.pop().unwrap_or_default(),
                _ => Rows::multiple_statements(),
            })
        })
    }

    fn execute_request<'a>(
        &'a self,
        sql: &'a str,
        parameters: &'a Parameters,
    ) -> BoxFuture<'a, Result<Vec<Rows>, ExecError>> {
        Box::pin(async move {
            self.sleep_latency().await;
            self.run(sql, parameters, Mode::Execute)
                .map_err(ExecError::Sql)
        })
    }

    fn current(&self) -> Option<LoginContext> {
        Some(context_of(&self.session()))
    }

    fn execute_describe_only<'a>(&'a self, sql: &'a str) -> BoxFuture<'a, Result<Rows, ExecError>> {
        Box::pin(async move {
            let mut results = self
                .run(sql, &Parameters::new(), Mode::DescribeOnly)
                .map_err(ExecError::Sql)?;
            Ok(results.pop().unwrap_or_default())
        })
    }

    /// A new session of the same account, logged in with what is current
    /// in this one, as a second login of the same user would be.
    fn open_sibling(&self) -> BoxFuture<'_, Result<Arc<dyn Session>, ExecError>> {
        Box::pin(async move {
            let login = context_of(&self.session());
            let id = self.shared.next_session.fetch_add(1, Ordering::Relaxed);
            self.open_session(id, &login).map(|opened| opened.session)
        })
    }

    fn describe(&self) -> String {
        format!("local account {}", self.shared.label)
    }
}

/// What is current in `state`, as Snowflake names it to clients.
fn context_of(state: &SessionState) -> LoginContext {
    let text = |name: &Option<crate::ident::Ident>| name.as_ref().map(ToString::to_string);
    LoginContext {
        database: text(&state.database),
        schema: text(&state.schema),
        warehouse: text(&state.warehouse),
        role: text(&state.role),
    }
}

impl LocalAccount {
    /// Makes what `login` names current in this account's default session,
    /// as a login naming a database, schema, warehouse or role does: one
    /// that does not exist stays unset.
    pub fn logged_in(self, login: &LoginContext) -> Result<LocalAccount, SqlError> {
        let state = self.login_state(0, login)?;
        *self.session() = state;
        Ok(self)
    }

    /// The state of a new session of `login`, on the catalog as committed now.
    fn login_state(&self, session_id: u64, login: &LoginContext) -> Result<SessionState, SqlError> {
        let mut data = self.data();
        let data = &mut *data;
        let lock = data.store.lock(false).map_err(internal)?;
        data.store
            .refresh(&mut data.catalog, false)
            .map_err(internal)?;
        drop(lock);
        Ok(exec::login_state(&data.catalog, session_id, login))
    }
}

impl Account for LocalAccount {
    fn open_session(
        &self,
        session_id: u64,
        login: &LoginContext,
    ) -> Result<LoginSession, ExecError> {
        let state = self
            .login_state(session_id, login)
            .map_err(ExecError::Sql)?;
        let current = context_of(&state);
        Ok(LoginSession {
            session: Arc::new(self.session_with(state)),
            current,
        })
    }
}

/// A fresh account in a temporary folder, after `statements` (panicking on
/// the first one refused), for unit tests; keep the folder while it is used.
#[cfg(test)]
pub(crate) fn scratch_account(statements: &[&str]) -> (tempfile::TempDir, LocalAccount) {
    let dir = tempfile::tempdir().unwrap();
    let account = LocalAccount::open(&dir.path().join("account"), &[], None).unwrap();
    for sql in statements {
        account
            .execute_sync(sql)
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
    (dir, account)
}

#[cfg(test)]
mod tests;
