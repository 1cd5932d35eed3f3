//! INSERT, UPDATE, DELETE and MERGE: the target table's rules (it exists,
//! it is a table), the statement evaluated by [`crate::local::select::dml`]
//! and [`crate::local::select::merge`], and Snowflake's row-count result
//! columns.

use std::hash::{BuildHasher, Hasher};

use super::{Exec, Outcome};
use crate::local::ast::{Name, ObjectType};
use crate::local::catalog::{Change, Namespace, Object, ObjectKey, Table};
use crate::local::error::{self, SqlError};
use crate::local::select;
use crate::session::{Column as ResultColumn, ColumnType, Rows};

impl<'a> Exec<'a> {
    /// `INSERT [OVERWRITE] INTO t ...`: the rows added (after removing the
    /// table's rows for OVERWRITE), counted in "number of rows inserted".
    pub(super) fn insert(&mut self, table: &Name, text: &str) -> Result<Outcome, SqlError> {
        let (key, t) = self.dml_target(table, "INSERT")?;
        let inserted = select::dml::insert(&self.context(), text, t, new_row_id)?;
        let counts = counts(&["number of rows inserted"], &[inserted.rows.len()]);
        let mut changes = Vec::new();
        if inserted.overwrite {
            let ids = t.data.iter().map(|r| r.id).collect();
            changes.extend(non_empty(ids, |ids| Change::DeleteRows {
                key: key.clone(),
                ids,
            }));
        }
        changes.extend(non_empty(inserted.rows, |rows| Change::InsertRows {
            key,
            rows,
        }));
        Ok(Outcome {
            rows: counts,
            changes,
        })
    }

    /// `UPDATE t SET ...`: "number of rows updated" and "number of
    /// multi-joined rows updated" (always 0: no FROM clause is evaluated).
    pub(super) fn update(&mut self, table: &Name, text: &str) -> Result<Outcome, SqlError> {
        let (key, t) = self.dml_target(table, "UPDATE")?;
        let rows = select::dml::update(&self.context(), text, t)?;
        let counts = counts(
            &[
                "number of rows updated",
                "number of multi-joined rows updated",
            ],
            &[rows.len(), 0],
        );
        Ok(Outcome {
            rows: counts,
            changes: non_empty(rows, |rows| Change::UpdateRows { key, rows }),
        })
    }

    /// `DELETE FROM t ...`: the rows removed, counted in "number of rows deleted".
    pub(super) fn delete(&mut self, table: &Name, text: &str) -> Result<Outcome, SqlError> {
        let (key, t) = self.dml_target(table, "DELETE")?;
        let ids = select::dml::delete(&self.context(), text, t)?;
        let counts = counts(&["number of rows deleted"], &[ids.len()]);
        Ok(Outcome {
            rows: counts,
            changes: non_empty(ids, |ids| Change::DeleteRows { key, ids }),
        })
    }

    /// `MERGE INTO t USING ...`: one count column per kind of clause the
    /// statement has, in the order "number of rows inserted", "number of
    /// rows updated", "number of rows deleted".
    pub(super) fn merge(&mut self, table: &Name, text: &str) -> Result<Outcome, SqlError> {
        let (key, t) = self.dml_target(table, "MERGE")?;
        let merged = select::merge::merge(&self.context(), text, t, new_row_id)?;
        let reported = [
            (
                merged.reports_inserted,
                "number of rows inserted",
                merged.inserted.len(),
            ),
            (
                merged.reports_updated,
                "number of rows updated",
                merged.updated.len(),
            ),
            (
                merged.reports_deleted,
                "number of rows deleted",
                merged.deleted.len(),
            ),
        ];
        let (names, values): (Vec<&str>, Vec<usize>) = reported
            .iter()
            .filter(|(shown, _, _)| *shown)
            .map(|(_, name, count)| (*name, *count))
            .unzip();
        let mut changes = non_empty(merged.inserted, |rows| Change::InsertRows {
            key: key.clone(),
            rows,
        });
        changes.extend(non_empty(merged.updated, |rows| Change::UpdateRows {
            key: key.clone(),
            rows,
        }));
        changes.extend(non_empty(merged.deleted, |ids| Change::DeleteRows {
            key,
            ids,
        }));
        Ok(Outcome {
            rows: counts(&names, &values),
            changes,
        })
    }

    /// The table a DML statement writes: it must exist and be a table.
    fn dml_target(&self, name: &Name, action: &str) -> Result<(ObjectKey, &'a Table), SqlError> {
        let q = self.qualify(name, action)?;
        self.require_schema(&q.database, &q.schema)?;
        let catalog: &'a crate::local::catalog::Catalog = self.catalog;
        match catalog.object(&q, Namespace::Relation) {
            Some(Object::Table(t)) => Ok((ObjectKey::new(&q, Namespace::Relation), t)),
            Some(other) => Err(error::wrong_type(
                other.type_name(),
                ObjectType::Table.keyword(),
            )),
            None => Err(error::object_missing(&q.display())),
        }
    }
}

/// One result row of counts under Snowflake's DML column names.
fn counts(names: &[&str], values: &[usize]) -> Rows {
    Rows {
        columns: names
            .iter()
            .map(|n| ResultColumn::new(*n, ColumnType::Fixed))
            .collect(),
        rows: vec![values.iter().map(|v| Some(v.to_string())).collect()],
        query_id: None,
    }
}

/// The change for `items`, none when there are none.
fn non_empty<T>(items: Vec<T>, change: impl FnOnce(Vec<T>) -> Change) -> Vec<Change> {
    if items.is_empty() {
        Vec::new()
    } else {
        vec![change(items)]
    }
}

/// A new row id: random, so that rows inserted by concurrent sessions (or
/// processes sharing the account) never share one.
fn new_row_id() -> u64 {
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    hasher.finish()
}
