//! The local account: opened in-process on a temporary folder and run SQL
//! on, or driven through `floe local exec` in a [`Project`], with the seeds
//! these tests start from.

use std::path::Path;

use floe::local::LocalAccount;
use floe::session::{Rows, SqlError};
use tempfile::TempDir;

use super::Project;

/// A fresh account in a temporary project.
pub fn account() -> (TempDir, LocalAccount) {
    let dir = TempDir::new().expect("a temp dir can be created");
    let account = open(dir.path());
    (dir, account)
}

/// Opens (creating it if needed) the DEV account of the project at `dir`.
pub fn open(dir: impl AsRef<Path>) -> LocalAccount {
    LocalAccount::open(&floe::local::account_path(dir.as_ref()), &[], None)
        .expect("the account opens")
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

/// Runs `floe local exec --env DEV <sql>`, which must succeed, and returns
/// what it printed.
pub fn exec(project: &Project, sql: &str) -> String {
    let out = project.run(&["local", "exec", "--env", "DEV", sql]);
    out.code(0);
    out.stdout
}

/// Runs `floe local exec --env DEV --json <sql>`, which must succeed, and
/// returns its JSON result.
pub fn exec_json(project: &Project, sql: &str) -> serde_json::Value {
    let out = project.run(&["local", "exec", "--env", "DEV", "--json", sql]);
    out.code(0);
    serde_json::from_str(&out.stdout).expect("JSON output")
}

/// Runs `floe local exec --env DEV <sql>`, which must exit 1, and returns
/// its stderr.
pub fn refused(project: &Project, sql: &str) -> String {
    let out = project.run(&["local", "exec", "--env", "DEV", sql]);
    out.code(1);
    out.stderr
}

/// The rows of a JSON result as cells by column name.
pub fn json_rows(result: &serde_json::Value) -> Vec<serde_json::Map<String, serde_json::Value>> {
    let columns: Vec<String> = result["columns"]
        .as_array()
        .expect("columns")
        .iter()
        .map(|c| c.as_str().expect("column name").to_string())
        .collect();
    result["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|row| {
            columns
                .iter()
                .cloned()
                .zip(row.as_array().expect("row").iter().cloned())
                .collect()
        })
        .collect()
}

/// The value of `column` in the first row of a JSON result.
pub fn first(result: &serde_json::Value, column: &str) -> serde_json::Value {
    json_rows(result)
        .into_iter()
        .next()
        .and_then(|mut row| row.remove(column))
        .unwrap_or_else(|| panic!("no column {column} in a first row of {result}"))
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

/// A seed for tests that read a large SHOW: database `CONF_DB` with schemas
/// `RAW`, `FEATURES` and `BIG`, warehouse `CONF_WH`, and `tables` tables in
/// `CONF_DB.BIG`.
pub fn conformance_seed(tables: usize) -> String {
    let mut sql = String::from(
        "CREATE DATABASE CONF_DB;\n\
         CREATE SCHEMA CONF_DB.RAW;\n\
         CREATE SCHEMA CONF_DB.FEATURES;\n\
         CREATE SCHEMA CONF_DB.BIG;\n\
         CREATE WAREHOUSE CONF_WH WAREHOUSE_SIZE = XSMALL;\n",
    );
    for n in 0..tables {
        sql.push_str(&format!("CREATE TABLE CONF_DB.BIG.T{n:05} (ID NUMBER);\n"));
    }
    sql
}
