//! INSERT, UPDATE and DELETE on one stored table, evaluated from their
//! text with the same expressions, casts and sources as SELECT.
//!
//! Each function reads a table's rows and answers what the statement would
//! change (new rows, rows with new contents, ids of removed rows); the
//! executor turns that into changes to commit. Values are cast to the
//! column's declared type and checked against NOT NULL as Snowflake does.

use sqlparser::ast::{self as sql, Expr, TableFactor};
use sqlparser::dialect::SnowflakeDialect;
use sqlparser::parser::Parser;

use super::cast::cast;
use super::expr::{self, Scope};
use super::value::{Ty, Value};
use super::{Col, Context, Env, eval_query, resolve_ident};
use crate::local::catalog::{Row, Table as StoredTable};
use crate::local::error::{self, SqlError};

/// What an INSERT does to a table.
pub(crate) struct Inserted {
    /// The new rows, each with a new id.
    pub rows: Vec<Row>,
    /// `INSERT OVERWRITE`: the table's rows are removed first.
    pub overwrite: bool,
}

/// The rows `INSERT [OVERWRITE] ... VALUES | <query>` adds to `table`,
/// each with a new id from `next_id`.
pub(crate) fn insert(
    ctx: &Context<'_>,
    text: &str,
    table: &StoredTable,
    mut next_id: impl FnMut() -> u64,
) -> Result<Inserted, SqlError> {
    let sql::Statement::Insert(insert) = parse_one(text)? else {
        return Err(error::unsupported("this form of INSERT"));
    };
    let columns = table_columns(table, None);
    let targets = insert_targets(&insert.columns, &columns)?;
    let source = insert
        .source
        .as_ref()
        .ok_or_else(|| error::unsupported("INSERT without VALUES or a query"))?;
    let source = eval_query(ctx, &Env::default(), source)?;
    if source.columns.len() != targets.len() {
        return Err(column_count_mismatch(targets.len(), source.columns.len()));
    }
    let defaults = defaults(ctx, table, &columns)?;
    let mut rows = Vec::with_capacity(source.rows.len());
    for values in source.rows {
        let mut cells = defaults.clone();
        for (target, value) in targets.iter().zip(values) {
            cells[*target] = value;
        }
        rows.push(Row {
            id: next_id(),
            cells: stored_cells(table, &columns, cells)?,
        });
    }
    Ok(Inserted {
        rows,
        overwrite: insert.overwrite,
    })
}

/// The rows `UPDATE t SET ... [WHERE ...]` changes, with their new contents.
pub(crate) fn update(
    ctx: &Context<'_>,
    text: &str,
    table: &StoredTable,
) -> Result<Vec<Row>, SqlError> {
    let sql::Statement::Update(update) = parse_one(text)? else {
        return Err(error::unsupported("this form of UPDATE"));
    };
    if update.from.is_some() || !update.table.joins.is_empty() {
        return Err(error::unsupported("UPDATE ... FROM"));
    }
    let columns = table_columns(table, qualifier(&update.table.relation, table));
    let mut assignments = Vec::with_capacity(update.assignments.len());
    for a in &update.assignments {
        let sql::AssignmentTarget::ColumnName(name) = &a.target else {
            return Err(error::unsupported("UPDATE of a column tuple"));
        };
        let parts: Vec<sql::Ident> = name
            .0
            .iter()
            .filter_map(|p| p.as_ident().cloned())
            .collect();
        let index = expr::lookup(&columns, &parts)?;
        expr::check_type(&a.value, &columns, ctx)?;
        assignments.push((index, &a.value));
    }
    let env = Env::default();
    let mut changed = Vec::new();
    for (row, values) in table.data.iter().zip(row_values(table, &columns)) {
        if !matches(ctx, &env, update.selection.as_ref(), &columns, &values)? {
            continue;
        }
        let scope = Scope::row(&columns, &values);
        let mut new = values.clone();
        for (index, e) in &assignments {
            new[*index] = expr::eval(ctx, &env, e, &scope)?;
        }
        changed.push(Row {
            id: row.id,
            cells: stored_cells(table, &columns, new)?,
        });
    }
    Ok(changed)
}

/// The ids of the rows `DELETE FROM t [WHERE ...]` removes.
pub(crate) fn delete(
    ctx: &Context<'_>,
    text: &str,
    table: &StoredTable,
) -> Result<Vec<u64>, SqlError> {
    let sql::Statement::Delete(delete) = parse_one(text)? else {
        return Err(error::unsupported("this form of DELETE"));
    };
    if delete.using.is_some() {
        return Err(error::unsupported("DELETE ... USING"));
    }
    let from = match &delete.from {
        sql::FromTable::WithFromKeyword(t) | sql::FromTable::WithoutKeyword(t) => t,
    };
    let relation = from
        .first()
        .map(|t| &t.relation)
        .ok_or_else(|| error::unsupported("DELETE without a table"))?;
    let columns = table_columns(table, qualifier(relation, table));
    let env = Env::default();
    let mut ids = Vec::new();
    for (row, values) in table.data.iter().zip(row_values(table, &columns)) {
        if matches(ctx, &env, delete.selection.as_ref(), &columns, &values)? {
            ids.push(row.id);
        }
    }
    Ok(ids)
}

pub(super) fn parse_one(text: &str) -> Result<sql::Statement, SqlError> {
    let mut statements = Parser::parse_sql(&SnowflakeDialect {}, text)
        .map_err(|e| error::parse_failed(&e.to_string()))?;
    match (statements.pop(), statements.is_empty()) {
        (Some(statement), true) => Ok(statement),
        _ => Err(error::unsupported("several statements in one DML")),
    }
}

/// The name (or alias) the table's columns are reachable through.
pub(super) fn qualifier(relation: &TableFactor, table: &StoredTable) -> Option<String> {
    match relation {
        TableFactor::Table {
            alias: Some(alias), ..
        } => Some(resolve_ident(&alias.name)),
        _ => Some(table.name.to_string()),
    }
}

/// The table's columns with their declared types (VARCHAR when untyped).
pub(super) fn table_columns(table: &StoredTable, qualifier: Option<String>) -> Vec<Col> {
    table
        .columns
        .iter()
        .map(|c| Col {
            qualifier: qualifier.clone(),
            name: c.name.to_string(),
            ty: column_type(c.data_type.as_deref()),
        })
        .collect()
}

fn column_type(declared: Option<&str>) -> Ty {
    declared.and_then(Ty::from_name).unwrap_or(Ty::Text)
}

/// Every stored row as values of its column's type.
pub(super) fn row_values(table: &StoredTable, columns: &[Col]) -> Vec<Vec<Value>> {
    table
        .data
        .iter()
        .map(|row| {
            columns
                .iter()
                .enumerate()
                .map(|(i, c)| Value::from_cell(row.cells.get(i).and_then(Option::as_deref), c.ty))
                .collect()
        })
        .collect()
}

/// The rows of a stored table as the evaluator reads them.
pub(crate) fn stored_rows(table: &StoredTable) -> Vec<Vec<Value>> {
    row_values(table, &table_columns(table, None))
}

fn matches(
    ctx: &Context<'_>,
    env: &Env,
    condition: Option<&Expr>,
    columns: &[Col],
    values: &[Value],
) -> Result<bool, SqlError> {
    let Some(condition) = condition else {
        return Ok(true);
    };
    expr::check_type(condition, columns, ctx)?;
    Ok(expr::eval(ctx, env, condition, &Scope::row(columns, values))?.is_true())
}

/// The column index of each name of an INSERT column list (all columns
/// in order when there is none).
pub(super) fn insert_targets(
    names: &[sql::ObjectName],
    columns: &[Col],
) -> Result<Vec<usize>, SqlError> {
    if names.is_empty() {
        return Ok((0..columns.len()).collect());
    }
    names
        .iter()
        .map(|name| {
            let parts: Vec<sql::Ident> = name
                .0
                .iter()
                .filter_map(|p| p.as_ident().cloned())
                .collect();
            expr::lookup(columns, &parts)
        })
        .collect()
}

/// Each column's DEFAULT value (NULL when it has none), for the columns an
/// INSERT does not name.
pub(super) fn defaults(
    ctx: &Context<'_>,
    table: &StoredTable,
    columns: &[Col],
) -> Result<Vec<Value>, SqlError> {
    table
        .columns
        .iter()
        .zip(columns)
        .map(|(c, col)| match &c.default {
            None => Ok(Value::Null),
            Some(default) => {
                let query = super::parse_query(&format!("SELECT {default}"))?;
                let value = eval_query(ctx, &Env::default(), &query)?
                    .rows
                    .into_iter()
                    .next()
                    .and_then(|r| r.into_iter().next())
                    .unwrap_or(Value::Null);
                cast(value, col.ty)
            }
        })
        .collect()
}

/// The cells stored for `values`: each cast to its column's type, NULL
/// refused in a NOT NULL column.
pub(super) fn stored_cells(
    table: &StoredTable,
    columns: &[Col],
    values: Vec<Value>,
) -> Result<Vec<Option<String>>, SqlError> {
    let mut cells = Vec::with_capacity(values.len());
    for ((value, col), declared) in values.into_iter().zip(columns).zip(&table.columns) {
        let value = cast(value, col.ty)?;
        if value.is_null() && declared.not_null {
            return Err(not_null_violation());
        }
        cells.push(value.cell());
    }
    Ok(cells)
}

/// Snowflake's refusal of a NULL in a NOT NULL column.
fn not_null_violation() -> SqlError {
    SqlError {
        code: "100072".into(),
        sql_state: "22000".into(),
        message: "NULL result in a non-nullable column".into(),
    }
}

/// Snowflake's refusal of an INSERT whose values do not fit its column list.
pub(super) fn column_count_mismatch(expected: usize, got: usize) -> SqlError {
    SqlError {
        code: "002020".into(),
        sql_state: "21S01".into(),
        message: format!(
            "SQL compilation error:\nInsert value list does not match column list expecting {expected} but got {got}"
        ),
    }
}
