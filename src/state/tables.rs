//! State kept in tables of a Snowflake schema: their layout and the
//! statements that create them, write a batch of state changes with
//! compare-and-swap on the serial, read the state back, and hold the lock
//! with a lease.
//!
//! Pure: SQL text out, result rows in; the caller runs the statements
//! through the environment's `Session` (so a real account, the local
//! account and `floe local serve` behave alike). Four tables in
//! `<database>.<schema>`, each keyed by `ENVIRONMENT` so that environments
//! may share a schema:
//!
//! | table | one row per | columns |
//! |---|---|---|
//! | `FLOE_STATE_HEAD` | environment | `LINEAGE`, `SERIAL`, `FORMAT_VERSION`, `WRITTEN_BY`, `WRITTEN_AT` |
//! | `FLOE_STATE_RESOURCES` | recorded address | `ADDRESS`, `SERIAL` (written at), `ENTRY` (the entry as JSON) |
//! | `FLOE_STATE_HISTORY` | address changed by a serial | `SERIAL`, `ADDRESS`, `ENTRY_BEFORE`, `ENTRY_AFTER` (JSON, NULL when absent), `WRITTEN_BY`, `WRITTEN_AT` |
//! | `FLOE_STATE_LOCK` | environment | `LOCK_ID`, `HOLDER`, `PID`, `COMMAND`, `BRANCH`, `GIT_COMMIT`, `SINCE`, `LEASE_UNTIL` |
//!
//! A write is one explicit transaction: the head's serial moves from the
//! serial read to the next only when nobody moved it meanwhile (the UPDATE
//! counts one row), then the changed addresses' rows and their history
//! follow, and history older than the kept serials is deleted. The lock
//! row is taken by an UPDATE that matches only a free lock (Snowflake runs
//! UPDATEs of one table one at a time), so two runs never both hold it.

use std::collections::BTreeMap;

use crate::ident::{Ident, sql_string};
use crate::model::Address;
use crate::session::Rows;

use super::{LockInfo, STATE_FORMAT_VERSION, StateEntry};

/// The state tables of one environment in one schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateTables {
    schema: String,
    environment: String,
}

/// A table row that is not what this build writes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a row of {table} is unreadable ({message}); fix or delete that row")]
pub struct RowError {
    /// The table.
    pub table: String,
    /// What is wrong.
    pub message: String,
}

/// The head row of an environment: which state, at which serial.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    /// The state's lineage.
    pub lineage: String,
    /// The serial last written.
    pub serial: u64,
}

/// One address changed by a write: its entry before and after (`None`
/// when absent).
#[derive(Debug, Clone, Copy)]
pub struct Changed<'a> {
    /// The address.
    pub address: &'a Address,
    /// The entry before the write.
    pub before: Option<&'a StateEntry>,
    /// The entry after the write.
    pub after: Option<&'a StateEntry>,
}

/// The statements of one write: run `BEGIN`, then `swap`; when it updated
/// no row the serial moved meanwhile (run `ROLLBACK`), otherwise run
/// `rest` and `COMMIT`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Write {
    /// The compare-and-swap of the head's serial.
    pub swap: String,
    /// The resource and history rows, and the trimming of old history.
    pub rest: Vec<String>,
}

/// The lock row as read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockRow {
    /// Who holds it, if anyone.
    pub holder: Option<LockInfo>,
    /// The holder's lease ran out: it stopped renewing.
    pub stale: bool,
    /// The branch the holder applied from, when it said.
    pub branch: Option<String>,
    /// The commit the holder applied, when it said.
    pub commit: Option<String>,
}

impl StateTables {
    /// The tables of `environment` in `database.schema`.
    pub fn new(database: &Ident, schema: &Ident, environment: &str) -> Self {
        StateTables {
            schema: format!("{}.{}", database.to_sql(), schema.to_sql()),
            environment: environment.to_string(),
        }
    }

    fn table(&self, name: &str) -> String {
        format!("{}.{name}", self.schema)
    }

    fn env(&self) -> String {
        format!("ENVIRONMENT = {}", sql_string(&self.environment))
    }

    /// The schema and the four tables, each created only when missing.
    pub fn create(&self) -> Vec<String> {
        let env = "ENVIRONMENT VARCHAR NOT NULL";
        vec![
            format!("CREATE SCHEMA IF NOT EXISTS {}", self.schema),
            format!(
                "CREATE TABLE IF NOT EXISTS {} ({env}, LINEAGE VARCHAR NOT NULL, SERIAL NUMBER(38,0) NOT NULL, FORMAT_VERSION NUMBER(38,0) NOT NULL, WRITTEN_BY VARCHAR, WRITTEN_AT TIMESTAMP_LTZ)",
                self.table("FLOE_STATE_HEAD")
            ),
            format!(
                "CREATE TABLE IF NOT EXISTS {} ({env}, ADDRESS VARCHAR NOT NULL, SERIAL NUMBER(38,0) NOT NULL, ENTRY VARCHAR NOT NULL)",
                self.table("FLOE_STATE_RESOURCES")
            ),
            format!(
                "CREATE TABLE IF NOT EXISTS {} ({env}, SERIAL NUMBER(38,0) NOT NULL, ADDRESS VARCHAR NOT NULL, ENTRY_BEFORE VARCHAR, ENTRY_AFTER VARCHAR, WRITTEN_BY VARCHAR, WRITTEN_AT TIMESTAMP_LTZ)",
                self.table("FLOE_STATE_HISTORY")
            ),
            format!(
                "CREATE TABLE IF NOT EXISTS {} ({env}, LOCK_ID VARCHAR, HOLDER VARCHAR, PID NUMBER(38,0), COMMAND VARCHAR, BRANCH VARCHAR, GIT_COMMIT VARCHAR, SINCE TIMESTAMP_LTZ, LEASE_UNTIL TIMESTAMP_LTZ)",
                self.table("FLOE_STATE_LOCK")
            ),
        ]
    }

    /// Reads the environment's head: [`StateTables::head`] parses it.
    pub fn read_head(&self) -> String {
        format!(
            "SELECT LINEAGE, SERIAL FROM {} WHERE {}",
            self.table("FLOE_STATE_HEAD"),
            self.env()
        )
    }

    /// The head in `rows` (from [`StateTables::read_head`]); `None` before
    /// the first write.
    pub fn head(&self, rows: &Rows) -> Result<Option<Head>, RowError> {
        let Some(row) = rows.rows.first() else {
            return Ok(None);
        };
        let bad = |message: &str| RowError {
            table: self.table("FLOE_STATE_HEAD"),
            message: message.to_string(),
        };
        let lineage = cell(row, 0).ok_or_else(|| bad("no LINEAGE"))?;
        let serial = cell(row, 1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| bad("SERIAL is not a number"))?;
        Ok(Some(Head {
            lineage: lineage.to_string(),
            serial,
        }))
    }

    /// The environment's first head row, at serial 0.
    pub fn create_head(&self, lineage: &str, written_by: &str) -> String {
        format!(
            "INSERT INTO {} (ENVIRONMENT, LINEAGE, SERIAL, FORMAT_VERSION, WRITTEN_BY, WRITTEN_AT) VALUES ({}, {}, 0, {STATE_FORMAT_VERSION}, {}, CURRENT_TIMESTAMP())",
            self.table("FLOE_STATE_HEAD"),
            sql_string(&self.environment),
            sql_string(lineage),
            sql_string(written_by)
        )
    }

    /// The statements writing `changed` as serial `head.serial + 1`,
    /// keeping the history of the last `keep` serials.
    pub fn write(
        &self,
        head: &Head,
        changed: &[Changed<'_>],
        written_by: &str,
        keep: u64,
    ) -> Result<Write, serde_json::Error> {
        let next = head.serial + 1;
        let who = sql_string(written_by);
        let swap = format!(
            "UPDATE {} SET SERIAL = {next}, WRITTEN_BY = {who}, WRITTEN_AT = CURRENT_TIMESTAMP() WHERE {} AND LINEAGE = {} AND SERIAL = {}",
            self.table("FLOE_STATE_HEAD"),
            self.env(),
            sql_string(&head.lineage),
            head.serial
        );
        let mut rest = Vec::new();
        let env = sql_string(&self.environment);
        let json = |e: Option<&StateEntry>| -> Result<String, serde_json::Error> {
            Ok(match e {
                Some(e) => sql_string(&serde_json::to_string(e)?),
                None => "NULL".to_string(),
            })
        };
        let mut resources = Vec::new();
        let mut history = Vec::new();
        let mut replaced = Vec::new();
        for c in changed {
            let address = sql_string(&c.address.to_string());
            replaced.push(format!("ADDRESS = {address}"));
            if c.after.is_some() {
                resources.push(format!("({env}, {address}, {next}, {})", json(c.after)?));
            }
            history.push(format!(
                "({env}, {next}, {address}, {}, {}, {who}, CURRENT_TIMESTAMP())",
                json(c.before)?,
                json(c.after)?
            ));
        }
        // A statement costs a round trip, so each holds as many rows as fit
        // in Snowflake's recommended size of a statement's text.
        let resources_table = self.table("FLOE_STATE_RESOURCES");
        let delete = format!("DELETE FROM {resources_table} WHERE {} AND (", self.env());
        rest.extend(
            in_statements(&delete, &replaced, " OR ")
                .into_iter()
                .map(|sql| sql + ")"),
        );
        let insert =
            format!("INSERT INTO {resources_table} (ENVIRONMENT, ADDRESS, SERIAL, ENTRY) VALUES ");
        rest.extend(in_statements(&insert, &resources, ", "));
        let insert = format!(
            "INSERT INTO {} (ENVIRONMENT, SERIAL, ADDRESS, ENTRY_BEFORE, ENTRY_AFTER, WRITTEN_BY, WRITTEN_AT) VALUES ",
            self.table("FLOE_STATE_HISTORY")
        );
        rest.extend(in_statements(&insert, &history, ", "));
        rest.push(format!(
            "DELETE FROM {} WHERE {} AND SERIAL <= {}",
            self.table("FLOE_STATE_HISTORY"),
            self.env(),
            next.saturating_sub(keep)
        ));
        Ok(Write { swap, rest })
    }

    /// Reads every recorded entry: [`StateTables::resources`] parses them.
    pub fn read_resources(&self) -> String {
        format!(
            "SELECT ADDRESS, ENTRY FROM {} WHERE {} ORDER BY ADDRESS",
            self.table("FLOE_STATE_RESOURCES"),
            self.env()
        )
    }

    /// The entries in `rows` (from [`StateTables::read_resources`]).
    pub fn resources(&self, rows: &Rows) -> Result<BTreeMap<Address, StateEntry>, RowError> {
        let mut out = BTreeMap::new();
        for row in &rows.rows {
            let bad = |message: String| RowError {
                table: self.table("FLOE_STATE_RESOURCES"),
                message,
            };
            let address = address_in(row, 0).map_err(bad)?;
            let entry = serde_json::from_str(cell(row, 1).unwrap_or_default())
                .map_err(|e| bad(format!("ENTRY of {address}: {e}")))?;
            out.insert(address, entry);
        }
        Ok(out)
    }

    /// Reads the kept history, newest serial first, of every address or of
    /// `address` only: [`StateTables::history`] parses it.
    pub fn read_history(&self, address: Option<&Address>) -> String {
        let only = address.map_or_else(String::new, |a| {
            format!(" AND ADDRESS = {}", sql_string(&a.to_string()))
        });
        format!(
            "SELECT SERIAL, ADDRESS, ENTRY_BEFORE, ENTRY_AFTER, WRITTEN_BY, TO_VARCHAR(WRITTEN_AT) AS WRITTEN_AT FROM {} WHERE {}{only} ORDER BY SERIAL DESC, ADDRESS",
            self.table("FLOE_STATE_HISTORY"),
            self.env()
        )
    }

    /// The history rows in `rows` (from [`StateTables::read_history`]).
    pub fn history(&self, rows: &Rows) -> Result<Vec<HistoryRow>, RowError> {
        let bad = |message: String| RowError {
            table: self.table("FLOE_STATE_HISTORY"),
            message,
        };
        let entry = |text: Option<&str>, what: &str, address: &Address| {
            text.map(serde_json::from_str::<StateEntry>)
                .transpose()
                .map_err(|e| bad(format!("{what} of {address}: {e}")))
        };
        let mut out = Vec::new();
        for row in &rows.rows {
            let serial = cell(row, 0)
                .and_then(|s| s.parse().ok())
                .ok_or_else(|| bad("SERIAL is not a number".into()))?;
            let address = address_in(row, 1).map_err(bad)?;
            out.push(HistoryRow {
                serial,
                before: entry(cell(row, 2), "ENTRY_BEFORE", &address)?,
                after: entry(cell(row, 3), "ENTRY_AFTER", &address)?,
                written_by: cell(row, 4).unwrap_or_default().to_string(),
                written_at: cell(row, 5).unwrap_or_default().to_string(),
                address,
            });
        }
        Ok(out)
    }

    /// Removes the environment's records, head and history (never run by
    /// floe: `floe state migrate --to files` tells the user these once the
    /// records live in files). The lock row stays.
    pub fn forget(&self) -> Vec<String> {
        [
            "FLOE_STATE_RESOURCES",
            "FLOE_STATE_HISTORY",
            "FLOE_STATE_HEAD",
        ]
        .iter()
        .map(|t| format!("DELETE FROM {} WHERE {}", self.table(t), self.env()))
        .collect()
    }

    /// Adds the environment's free lock row when it has none. Two runs
    /// adding it at once leave two free rows, which [`StateTables::acquire`]
    /// takes together.
    pub fn create_lock_row(&self, lock_rows: &Rows) -> Option<String> {
        lock_rows.rows.is_empty().then(|| {
            format!(
                "INSERT INTO {} (ENVIRONMENT) VALUES ({})",
                self.table("FLOE_STATE_LOCK"),
                sql_string(&self.environment)
            )
        })
    }

    /// Takes the lock for `holder` under `lock_id` with a lease of
    /// `lease_seconds`: it updated a row when the lock was free.
    pub fn acquire(
        &self,
        lock_id: &str,
        holder: &LockInfo,
        branch: Option<&str>,
        commit: Option<&str>,
        lease_seconds: u64,
    ) -> String {
        let opt = |v: Option<&str>| v.map_or_else(|| "NULL".to_string(), sql_string);
        format!(
            "UPDATE {} SET LOCK_ID = {}, HOLDER = {}, PID = {}, COMMAND = {}, BRANCH = {}, GIT_COMMIT = {}, SINCE = CURRENT_TIMESTAMP(), LEASE_UNTIL = DATEADD(second, {lease_seconds}, CURRENT_TIMESTAMP()) WHERE {} AND LOCK_ID IS NULL",
            self.table("FLOE_STATE_LOCK"),
            sql_string(lock_id),
            sql_string(&holder.who),
            holder.pid,
            sql_string(&holder.command),
            opt(branch),
            opt(commit),
            self.env()
        )
    }

    /// Extends the lease of the lock held under `lock_id`: it updated no
    /// row when the lock was removed meanwhile (`floe state unlock`).
    pub fn renew(&self, lock_id: &str, lease_seconds: u64) -> String {
        format!(
            "UPDATE {} SET LEASE_UNTIL = DATEADD(second, {lease_seconds}, CURRENT_TIMESTAMP()) WHERE {} AND LOCK_ID = {}",
            self.table("FLOE_STATE_LOCK"),
            self.env(),
            sql_string(lock_id)
        )
    }

    /// Frees the lock held under `lock_id`, or whoever holds it when `None`
    /// (`floe state unlock`).
    pub fn release(&self, lock_id: Option<&str>) -> String {
        let mine = lock_id.map_or_else(String::new, |id| {
            format!(" AND LOCK_ID = {}", sql_string(id))
        });
        format!(
            "UPDATE {} SET LOCK_ID = NULL, HOLDER = NULL, PID = NULL, COMMAND = NULL, BRANCH = NULL, GIT_COMMIT = NULL, SINCE = NULL, LEASE_UNTIL = NULL WHERE {}{mine}",
            self.table("FLOE_STATE_LOCK"),
            self.env()
        )
    }

    /// Reads the lock row: [`StateTables::lock_row`] parses it.
    pub fn read_lock(&self) -> String {
        format!(
            "SELECT HOLDER, PID, COMMAND, TO_VARCHAR(SINCE) AS SINCE, LEASE_UNTIL < CURRENT_TIMESTAMP() AS STALE, BRANCH, GIT_COMMIT FROM {} WHERE {}",
            self.table("FLOE_STATE_LOCK"),
            self.env()
        )
    }

    /// The holder in `rows` (from [`StateTables::read_lock`]).
    pub fn lock_row(&self, rows: &Rows) -> LockRow {
        let held = rows.rows.iter().find(|row| cell(row, 0).is_some());
        LockRow {
            holder: held.map(|row| LockInfo {
                who: cell(row, 0).unwrap_or_default().to_string(),
                pid: cell(row, 1).and_then(|p| p.parse().ok()).unwrap_or(0),
                command: cell(row, 2).unwrap_or_default().to_string(),
                started_at: cell(row, 3).unwrap_or_default().to_string(),
            }),
            stale: held.is_some_and(|row| cell(row, 4) == Some("true")),
            branch: held.and_then(|row| cell(row, 5)).map(str::to_string),
            commit: held.and_then(|row| cell(row, 6)).map(str::to_string),
        }
    }
}

/// One address changed by one serial, as `FLOE_STATE_HISTORY` keeps it.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryRow {
    /// The serial that changed it.
    pub serial: u64,
    /// The address.
    pub address: Address,
    /// Its entry before that serial (`None`: not recorded).
    pub before: Option<StateEntry>,
    /// Its entry after that serial (`None`: forgotten).
    pub after: Option<StateEntry>,
    /// Who wrote the serial.
    pub written_by: String,
    /// When, as the account renders the timestamp.
    pub written_at: String,
}

/// The entries as they were right after `serial`: `current` (the state at
/// the newest serial) with every later serial in `history` undone, each
/// address taking its entry from before the first later serial that
/// changed it. `history` must hold every serial after `serial`.
pub fn as_of(
    current: &BTreeMap<Address, StateEntry>,
    history: &[HistoryRow],
    serial: u64,
) -> BTreeMap<Address, StateEntry> {
    let mut later: Vec<&HistoryRow> = history.iter().filter(|r| r.serial > serial).collect();
    // Newest first, so the oldest later serial's `before` is set last.
    later.sort_by_key(|r| std::cmp::Reverse(r.serial));
    let mut out = current.clone();
    for row in later {
        match &row.before {
            Some(entry) => out.insert(row.address.clone(), entry.clone()),
            None => out.remove(&row.address),
        };
    }
    out
}

/// How many rows a DML result says it inserted, updated or deleted (the
/// row-count columns Snowflake answers INSERT, UPDATE and DELETE with).
pub fn rows_changed(rows: &Rows) -> u64 {
    let counted = |name: &str| {
        name == "number of rows updated"
            || name == "number of rows deleted"
            || name.starts_with("number of rows inserted")
    };
    rows.columns
        .iter()
        .enumerate()
        .filter(|(_, c)| counted(&c.name))
        .filter_map(|(i, _)| rows.rows.first().and_then(|r| cell(r, i)))
        .filter_map(|n| n.parse::<u64>().ok())
        .sum()
}

/// Snowflake's recommended limit on a statement's text ("Limits on Query
/// Text Size": 1 MB); a write keeps each of its statements under it with
/// room to spare.
const STATEMENT_BYTES: usize = 768 * 1024;

/// `head` followed by `items` joined with `separator`, as few statements as
/// keep each under [`STATEMENT_BYTES`] (an item larger than that alone
/// still gets a statement of its own); none when `items` is empty.
fn in_statements(head: &str, items: &[String], separator: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut sql = String::new();
    for item in items {
        let fits = sql.len() + separator.len() + item.len() <= STATEMENT_BYTES;
        if !sql.is_empty() && !fits {
            out.push(std::mem::take(&mut sql));
        }
        if sql.is_empty() {
            sql.push_str(head);
        } else {
            sql.push_str(separator);
        }
        sql.push_str(item);
    }
    if !sql.is_empty() {
        out.push(sql);
    }
    out
}

fn cell(row: &[Option<String>], index: usize) -> Option<&str> {
    row.get(index).and_then(|c| c.as_deref())
}

/// The address in column `index` of `row`, or what is wrong with it.
fn address_in(row: &[Option<String>], index: usize) -> Result<Address, String> {
    let text = cell(row, index).ok_or("no ADDRESS")?;
    text.parse()
        .map_err(|e: crate::model::AddressError| e.to_string())
}

#[cfg(test)]
mod tests;
