//! Where a run keeps an environment's state: the project's files or the
//! tables of a schema in the environment's account, behind one interface.
//!
//! [`Backend::Files`] is [`StateStore`] (snapshot, journal, lock file).
//! [`Backend::Tables`] runs [`StateTables`]' statements in the
//! environment's account: reads through the run's [`Session`], writes and
//! the lock through a session of their own opened from it
//! ([`Session::open_sibling`]), so that a step's DDL, which commits its
//! session's open transaction, never ends a state write's transaction
//! early. Every record is one compare-and-swap write of the changed
//! addresses, compaction has nothing to do, and the lock is a row with a
//! lease that a background task renews (on the run's session, outside any
//! write's transaction) while the lock is held.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use super::tables::{Changed, Head, HistoryRow, StateTables, rows_changed};
use super::{Loaded, LockInfo, State, StateEntry, StateError, StateLock, StateStore};
use crate::ident::Ident;
use crate::model::Address;
use crate::session::{ExecError, Rows, Session};

/// How long a table lock holds without being renewed.
const LEASE_SECONDS: u64 = 600;

/// How often a held table lock renews its lease.
const RENEW_EVERY: Duration = Duration::from_secs(LEASE_SECONDS / 10);

/// How many serials of history the tables keep.
const HISTORY_KEPT: u64 = 100;

/// Snowflake's code for an object that does not exist or is not authorized.
const DOES_NOT_EXIST: &str = "002003";

/// The oldest serial the kept history can return the state to when the
/// state is at `serial`: every later serial must still be kept.
pub fn oldest_restorable(serial: u64) -> u64 {
    serial.saturating_sub(HISTORY_KEPT)
}

/// Where one environment's state is kept for this run.
pub enum Backend {
    /// `state/<ENV>.json`, its journal and its lock file.
    Files(StateStore),
    /// The state tables in the environment's account.
    Tables(TableStore),
}

/// A held lock: dropping a file lock removes it; a table lock is freed
/// by [`Held::release`].
pub enum Held {
    /// The lock file.
    File(StateLock),
    /// The lock row, and the task renewing its lease.
    Table(TableLock),
}

impl Held {
    /// Frees the lock.
    pub async fn release(self) {
        match self {
            Held::File(lock) => drop(lock),
            Held::Table(lock) => lock.release().await,
        }
    }
}

/// Who takes a lock: the command, and where its declarations come from.
#[derive(Debug, Clone, Default)]
pub struct Taker<'a> {
    /// The command (`floe apply`).
    pub command: &'a str,
    /// The branch, when known.
    pub branch: Option<&'a str>,
    /// The commit, when known.
    pub commit: Option<&'a str>,
}

impl Backend {
    /// Where the state is, for messages (`state/DEV.json`, `DB.FLOE.FLOE_STATE_RESOURCES`).
    pub fn location(&self) -> String {
        match self {
            Backend::Files(store) => store.path().display().to_string(),
            Backend::Tables(tables) => tables.resources_table(),
        }
    }

    /// Where the lock is, for messages.
    pub fn lock_location(&self) -> String {
        match self {
            Backend::Files(store) => store.lock_path().display().to_string(),
            Backend::Tables(tables) => tables.lock_table(),
        }
    }

    /// Reads the state; empty before the first write.
    pub async fn load_reporting(&self) -> Result<Loaded, StateError> {
        match self {
            Backend::Files(store) => store.load_reporting(),
            Backend::Tables(tables) => tables.load().await.map(|state| Loaded {
                state,
                warning: None,
            }),
        }
    }

    /// Writes the whole of `state` (`floe state rm`, imports).
    pub async fn save(&self, state: &mut State) -> Result<(), StateError> {
        match self {
            Backend::Files(store) => store.save(state),
            Backend::Tables(tables) => tables.save(state).await,
        }
    }

    /// Records the `changed` addresses as `state` holds them now.
    pub async fn record(&self, state: &mut State, changed: &[&Address]) -> Result<(), StateError> {
        match self {
            Backend::Files(store) => store.record(state, changed),
            Backend::Tables(tables) => tables.record(state, changed).await,
        }
    }

    /// Folds the files' journal into the snapshot; the tables have nothing
    /// to fold.
    pub fn compact(&self, state: &mut State) -> Result<(), StateError> {
        match self {
            Backend::Files(store) => store.compact(state),
            Backend::Tables(_) => Ok(()),
        }
    }

    /// Takes the environment's lock; fails at once, naming the holder,
    /// when it is held.
    pub async fn lock(&self, taker: &Taker<'_>) -> Result<Held, StateError> {
        match self {
            Backend::Files(store) => store.lock(taker.command).map(Held::File),
            Backend::Tables(tables) => tables.lock(taker).await.map(Held::Table),
        }
    }

    /// The kept history, newest serial first, of every address or of
    /// `address` only (`floe state history`, `restore`). The files keep
    /// none: an error saying where history is kept.
    pub async fn history(&self, address: Option<&Address>) -> Result<Vec<HistoryRow>, StateError> {
        match self {
            Backend::Files(store) => Err(StateError::NoHistory { path: store.path() }),
            Backend::Tables(tables) => tables.history(address).await,
        }
    }

    /// Removes the lock whoever holds it (`floe state unlock`); returns the
    /// holder it removed.
    pub async fn force_unlock(&self) -> Result<Option<LockInfo>, StateError> {
        match self {
            Backend::Files(store) => store.force_unlock(),
            Backend::Tables(tables) => tables.force_unlock().await,
        }
    }
}

/// The state tables of one environment, through its session.
pub struct TableStore {
    /// The run's session: reads.
    session: Arc<dyn Session>,
    /// The session of writes and the lock, opened from `session` when
    /// first needed (a run that only reads never logs in twice); boxed to
    /// keep [`Backend`] small.
    writer: Box<tokio::sync::OnceCell<Arc<dyn Session>>>,
    /// Whether this run created the schema and tables already.
    created: AtomicBool,
    tables: StateTables,
    schema: String,
    environment: String,
    /// What the tables held when last read or written, and their head.
    written: tokio::sync::Mutex<Written>,
}

/// The tables' contents as this run knows them.
#[derive(Default)]
struct Written {
    head: Option<Head>,
    entries: BTreeMap<Address, StateEntry>,
}

impl TableStore {
    /// The tables of `environment` in `database.schema`, read through
    /// `session` and written through a sibling of it.
    pub fn new(
        session: Arc<dyn Session>,
        database: &Ident,
        schema: &Ident,
        environment: &str,
    ) -> Self {
        TableStore {
            session,
            writer: Box::default(),
            created: AtomicBool::new(false),
            tables: StateTables::new(database, schema, environment),
            schema: format!("{}.{}", database.to_sql(), schema.to_sql()),
            environment: environment.to_string(),
            written: tokio::sync::Mutex::default(),
        }
    }

    /// The statements that remove the environment's records, head and
    /// history from the tables, for the user to run once the records live
    /// elsewhere.
    pub fn forget_statements(&self) -> Vec<String> {
        self.tables.forget()
    }

    fn resources_table(&self) -> String {
        format!("{}.FLOE_STATE_RESOURCES", self.schema)
    }

    fn lock_table(&self) -> String {
        format!("{}.FLOE_STATE_LOCK", self.schema)
    }

    /// The session that writes state, opened on first use.
    async fn writer(&self, action: &'static str) -> Result<&Arc<dyn Session>, StateError> {
        self.writer
            .get_or_try_init(|| self.session.open_sibling())
            .await
            .map_err(|e| self.failed(action, &e))
    }

    /// Runs `sql` on the writing session.
    async fn run(&self, action: &'static str, sql: &str) -> Result<Rows, StateError> {
        self.writer(action)
            .await?
            .execute(sql)
            .await
            .map_err(|e| self.failed(action, &e))
    }

    /// Runs `sql` on the run's session.
    async fn read(&self, sql: &str) -> Result<Rows, StateError> {
        self.session
            .execute(sql)
            .await
            .map_err(|e| self.failed("read", &e))
    }

    /// Runs `sql` on `session`; `None` when the tables do not exist yet.
    async fn if_created(
        &self,
        session: &dyn Session,
        action: &'static str,
        sql: &str,
    ) -> Result<Option<Rows>, StateError> {
        match session.execute(sql).await {
            Ok(rows) => Ok(Some(rows)),
            Err(ExecError::Sql(e)) if e.code == DOES_NOT_EXIST => Ok(None),
            Err(e) => Err(self.failed(action, &e)),
        }
    }

    fn failed(&self, action: &'static str, e: &dyn std::fmt::Display) -> StateError {
        StateError::Table {
            action,
            table: self.schema.clone(),
            message: e.to_string(),
        }
    }

    /// Reads head and entries; tables not created yet are an empty state.
    async fn load(&self) -> Result<State, StateError> {
        let head = match self
            .if_created(self.session.as_ref(), "read", &self.tables.read_head())
            .await?
        {
            Some(rows) => self
                .tables
                .head(&rows)
                .map_err(|e| self.failed("read", &e))?,
            None => None,
        };
        let mut state = State::new(&self.environment);
        if let Some(head) = &head {
            let rows = self.read(&self.tables.read_resources()).await?;
            state.resources = self
                .tables
                .resources(&rows)
                .map_err(|e| self.failed("read", &e))?;
            state.lineage = head.lineage.clone();
            state.serial = head.serial;
        }
        let mut written = self.written.lock().await;
        written.entries = state.resources.clone();
        written.head = head;
        Ok(state)
    }

    /// Creates the schema and tables when missing, once a run: each
    /// statement is a round trip, and the lock already created them.
    async fn create(&self) -> Result<(), StateError> {
        if self.created.load(Ordering::SeqCst) {
            return Ok(());
        }
        for sql in self.tables.create() {
            self.run("create", &sql).await?;
        }
        self.created.store(true, Ordering::SeqCst);
        Ok(())
    }

    async fn save(&self, state: &mut State) -> Result<(), StateError> {
        let written = self.written.lock().await;
        let changed: std::collections::BTreeSet<Address> = written
            .entries
            .keys()
            .chain(state.resources.keys())
            .filter(|a| written.entries.get(a) != state.resources.get(a))
            .cloned()
            .collect();
        drop(written);
        let changed: Vec<&Address> = changed.iter().collect();
        self.record(state, &changed).await
    }

    /// One compare-and-swap write of `changed`, in one transaction.
    async fn record(&self, state: &mut State, changed: &[&Address]) -> Result<(), StateError> {
        let mut written = self.written.lock().await;
        let head = match &written.head {
            Some(head) => head.clone(),
            None => self.first_head(state).await?,
        };
        let who = LockInfo::current("").who;
        let rows: Vec<Changed<'_>> = changed
            .iter()
            .map(|address| Changed {
                address,
                before: written.entries.get(*address),
                after: state.resources.get(*address),
            })
            .collect();
        let write = self
            .tables
            .write(&head, &rows, &who, HISTORY_KEPT)
            .map_err(|e| self.failed("write", &e))?;
        self.run("write", "BEGIN").await?;
        let swapped = self.run("write", &write.swap).await?;
        if rows_changed(&swapped) == 0 {
            self.run("write", "ROLLBACK").await?;
            return Err(StateError::Moved {
                table: format!("{}.FLOE_STATE_HEAD", self.schema),
            });
        }
        for sql in &write.rest {
            if let Err(e) = self.run("write", sql).await {
                let _ = self.run("write", "ROLLBACK").await;
                return Err(e);
            }
        }
        self.run("write", "COMMIT").await?;
        for address in changed {
            match state.resources.get(*address) {
                Some(entry) => written.entries.insert((*address).clone(), entry.clone()),
                None => written.entries.remove(*address),
            };
        }
        let serial = head.serial + 1;
        written.head = Some(Head {
            lineage: head.lineage,
            serial,
        });
        state.serial = serial;
        Ok(())
    }

    /// Creates the tables and the environment's head row at serial 0.
    async fn first_head(&self, state: &State) -> Result<Head, StateError> {
        self.create().await?;
        let who = LockInfo::current("").who;
        self.run("write", &self.tables.create_head(&state.lineage, &who))
            .await?;
        Ok(Head {
            lineage: state.lineage.clone(),
            serial: 0,
        })
    }

    async fn lock(&self, taker: &Taker<'_>) -> Result<TableLock, StateError> {
        let rows = self.lock_rows().await?;
        if let Some(sql) = self.tables.create_lock_row(&rows) {
            self.run("lock", &sql).await?;
        }
        let id = super::clock::random_id();
        let holder = LockInfo::current(taker.command);
        let acquire = self
            .tables
            .acquire(&id, &holder, taker.branch, taker.commit, LEASE_SECONDS);
        let taken = self.run("lock", &acquire).await?;
        if rows_changed(&taken) == 0 {
            let rows = self.run("lock", &self.tables.read_lock()).await?;
            let row = self.tables.lock_row(&rows);
            return Err(StateError::LockedInTable {
                table: self.lock_table(),
                holder: Box::new(row.holder.unwrap_or_else(|| LockInfo {
                    who: "an unknown process".into(),
                    pid: 0,
                    started_at: "an unknown time".into(),
                    command: "a run".into(),
                })),
                branch: row.branch,
                commit: row.commit,
                stale: row.stale,
            });
        }
        // Renewals run on the run's session, which never holds an explicit
        // transaction: on the writing session one could land inside a state
        // write's transaction and be rolled back with it.
        let session = self.session.clone();
        let renew = self.tables.renew(&id, LEASE_SECONDS);
        let renewer = tokio::spawn(async move {
            loop {
                tokio::time::sleep(RENEW_EVERY).await;
                // A failed renewal is tried again at the next tick; the
                // lease outlives several ticks.
                let _ = session.execute(&renew).await;
            }
        });
        Ok(TableLock {
            session: self.writer("lock").await?.clone(),
            release: self.tables.release(Some(&id)),
            renewer,
        })
    }

    /// The kept history in one statement; none before the tables exist.
    async fn history(&self, address: Option<&Address>) -> Result<Vec<HistoryRow>, StateError> {
        let sql = self.tables.read_history(address);
        let Some(rows) = self.if_created(self.session.as_ref(), "read", &sql).await? else {
            return Ok(Vec::new());
        };
        self.tables
            .history(&rows)
            .map_err(|e| self.failed("read", &e))
    }

    /// Reads the lock table, creating the tables first only when it is
    /// missing: it is created last, so once it exists the others do, and a
    /// run after the first spends no round trip on creating them.
    async fn lock_rows(&self) -> Result<Rows, StateError> {
        let writer = self.writer("lock").await?.as_ref();
        match self
            .if_created(writer, "lock", &self.tables.read_lock())
            .await?
        {
            Some(rows) => {
                self.created.store(true, Ordering::SeqCst);
                Ok(rows)
            }
            None => {
                self.create().await?;
                self.run("lock", &self.tables.read_lock()).await
            }
        }
    }

    async fn force_unlock(&self) -> Result<Option<LockInfo>, StateError> {
        let writer = self.writer("unlock").await?.as_ref();
        let sql = self.tables.read_lock();
        let Some(rows) = self.if_created(writer, "unlock", &sql).await? else {
            return Ok(None);
        };
        let Some(holder) = self.tables.lock_row(&rows).holder else {
            return Ok(None);
        };
        self.run("unlock", &self.tables.release(None)).await?;
        Ok(Some(holder))
    }
}

/// The lock row this run holds.
pub struct TableLock {
    session: Arc<dyn Session>,
    release: String,
    renewer: tokio::task::JoinHandle<()>,
}

impl TableLock {
    /// Stops renewing the lease and frees the row. A failure leaves the
    /// row to expire with its lease; `floe state unlock` removes it sooner.
    async fn release(self) {
        self.renewer.abort();
        let _ = self.session.execute(&self.release).await;
    }
}

#[cfg(test)]
mod tests;
