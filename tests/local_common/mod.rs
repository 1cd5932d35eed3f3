//! Shared helpers of the local-account tests (included with `#[path]`).

#![allow(dead_code)]

use floe::local::LocalAccount;
use floe::session::{Rows, SqlError};
use tempfile::TempDir;

/// A fresh account in a temporary project.
pub fn account() -> (TempDir, LocalAccount) {
    let dir = TempDir::new().expect("a temp dir can be created");
    let path = floe::local::account_path(dir.path(), "DEV");
    let account = LocalAccount::open(&path, &[], None).expect("a new account opens");
    (dir, account)
}

/// Runs SQL that must succeed.
pub fn ok(account: &LocalAccount, sql: &str) -> Rows {
    account
        .execute_sync(sql)
        .unwrap_or_else(|e| panic!("{sql}\nfailed: {e}"))
}

/// Runs SQL that must fail.
pub fn err(account: &LocalAccount, sql: &str) -> SqlError {
    match account.execute_sync(sql) {
        Ok(rows) => panic!("{sql}\nsucceeded: {rows:?}"),
        Err(e) => e,
    }
}

/// The single row of a result, as (column, value) lookups.
pub fn only_row(rows: &Rows) -> Vec<(String, Option<String>)> {
    assert_eq!(rows.len(), 1, "expected one row, got {rows:?}");
    rows.columns
        .iter()
        .map(|c| c.name.clone())
        .zip(rows.rows[0].iter().cloned())
        .collect()
}

/// The value of `column` in the single row of `rows`.
pub fn cell(rows: &Rows, column: &str) -> Option<String> {
    only_row(rows)
        .into_iter()
        .find(|(c, _)| c == column)
        .unwrap_or_else(|| panic!("no column {column}"))
        .1
}

/// The column names of a result.
pub fn names(rows: &Rows) -> Vec<String> {
    rows.columns.iter().map(|c| c.name.clone()).collect()
}

/// A database, schemas, a warehouse and a source table, as seeds create them.
pub const SETUP: &str = "
CREATE DATABASE OSS;
CREATE SCHEMA OSS.RAW;
CREATE SCHEMA OSS.FS;
CREATE SCHEMA OSS.REG;
CREATE SCHEMA OSS.OPS;
CREATE WAREHOUSE ML_WH WAREHOUSE_SIZE = XSMALL;
CREATE TABLE OSS.RAW.PARCELS (PUDO_ID NUMBER NOT NULL, DS DATE, PARCELS NUMBER DEFAULT 0);
CREATE TAG IF NOT EXISTS OSS.FS.SNOWML_FEATURE_VIEW_METADATA;
CREATE TAG IF NOT EXISTS OSS.FS.SNOWML_FEATURE_STORE_OBJECT;
CREATE TAG IF NOT EXISTS OSS.FS.SNOWML_FEATURE_STORE_ENTITY_PUDO ALLOWED_VALUES 'PUDO_ID' COMMENT = 'pick-up point';
";
