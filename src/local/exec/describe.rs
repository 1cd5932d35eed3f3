//! DESCRIBE TABLE / VIEW / DYNAMIC TABLE: one row per column with its
//! type, as Snowflake's DESCRIBE prints them.
//!
//! A table's types are the declared ones; a view's and a dynamic table's
//! come from typing its query (see [`crate::local::select`]).

use super::{Exec, Outcome};
use crate::local::ast::{Name, ObjectType};
use crate::local::catalog::Object;
use crate::local::error::{self, SqlError};
use crate::local::select::{self, value::Ty};
use crate::session::{Column, ColumnType, Rows};

/// DESCRIBE's columns, in Snowflake's order (DESCRIBE VIEW, DESCRIBE TABLE).
const COLUMNS: &[&str] = &[
    "name",
    "type",
    "kind",
    "null?",
    "default",
    "primary key",
    "unique key",
    "check",
    "expression",
    "comment",
    "policy name",
    "privacy domain",
];

impl Exec<'_> {
    /// The evaluator's view of this statement's context.
    pub(crate) fn context(&self) -> select::Context<'_> {
        select::Context {
            catalog: self.catalog,
            session: &*self.session,
            results: self.results,
            now: self.now,
            describe_only: self.describe_only,
        }
    }

    pub(super) fn describe(&mut self, kind: ObjectType, name: &Name) -> Result<Outcome, SqlError> {
        let q = self.qualify(name, "DESCRIBE")?;
        self.require_schema(&q.database, &q.schema)?;
        let object = self
            .relation(&q)
            .ok_or_else(|| error::object_missing(&q.display()))?;
        if kind == ObjectType::DynamicTable && !matches!(object, Object::DynamicTable(_)) {
            return Err(error::object_missing(&q.display()));
        }
        let typed = select::relation_columns(&self.context(), object)?;
        let declared = match object {
            Object::Table(t) => &t.columns,
            Object::View(v) => &v.columns,
            Object::DynamicTable(d) => &d.columns,
            _ => return Err(error::object_missing(&q.display())),
        };
        let rows = typed
            .iter()
            .enumerate()
            .map(|(i, col)| {
                let spec = declared.get(i);
                let written = spec.and_then(|s| s.data_type.as_deref());
                let not_null = spec.is_some_and(|s| s.not_null);
                vec![
                    Some(col.name.clone()),
                    Some(type_text(col.ty, written)),
                    Some("COLUMN".to_string()),
                    Some(if not_null { "N" } else { "Y" }.to_string()),
                    spec.and_then(|s| s.default.clone()),
                    Some("N".to_string()),
                    Some("N".to_string()),
                    None,
                    None,
                    spec.and_then(|s| s.comment.clone()),
                    None,
                    None,
                ]
            })
            .collect();
        Ok(Outcome {
            rows: Rows {
                columns: COLUMNS
                    .iter()
                    .map(|c| Column::new(*c, ColumnType::Text))
                    .collect(),
                rows,
                query_id: None,
            },
            changes: Vec::new(),
        })
    }
}

/// The type as DESCRIBE prints it; a declared VARCHAR keeps its length.
fn type_text(ty: Ty, written: Option<&str>) -> String {
    if let (Ty::Text, Some(w)) = (ty, written)
        && let Some((_, rest)) = w.split_once('(')
        && let Ok(length) = rest.trim_end_matches(')').trim().parse::<u32>()
    {
        return format!("VARCHAR({length})");
    }
    ty.describe()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varchar_keeps_its_declared_length() {
        assert_eq!(type_text(Ty::Text, Some("VARCHAR(16)")), "VARCHAR(16)");
        assert_eq!(type_text(Ty::Text, None), "VARCHAR(16777216)");
        assert_eq!(
            type_text(Ty::TimestampNtz, Some("TIMESTAMP_NTZ")),
            "TIMESTAMP_NTZ(9)"
        );
    }
}
