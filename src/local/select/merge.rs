//! MERGE on one stored table, evaluated from its text with the same
//! expressions, casts and sources as SELECT.
//!
//! The target's rows are joined with the source (a table, view or subquery)
//! on the ON condition. Each target row that joins a source row takes the
//! first `WHEN MATCHED` clause whose `AND` predicate holds (UPDATE SET or
//! DELETE); each source row that joins no target row takes the first
//! `WHEN NOT MATCHED` clause whose predicate holds (INSERT). As with
//! Snowflake's default `ERROR_ON_NONDETERMINISTIC_MERGE = TRUE`, a target
//! row that two source rows would update or delete is refused. Only the
//! forms Snowflake documents are answered; `UPDATE ALL BY NAME`,
//! `INSERT ALL BY NAME` and other dialects' clauses are refused.

use sqlparser::ast::{self as sql, Expr, MergeAction, MergeClauseKind};

use super::dml::{
    column_count_mismatch, defaults, insert_targets, parse_one, qualifier, row_values,
    stored_cells, table_columns,
};
use super::expr::{self, Scope};
use super::value::Value;
use super::{Col, Context, Env, sources};
use crate::local::catalog::{Row, Table as StoredTable};
use crate::local::error::{self, SqlError};

/// What a MERGE does to a table, and which counts its result reports.
#[derive(Debug, Default)]
pub(crate) struct Merged {
    /// New rows (from `WHEN NOT MATCHED ... INSERT`), each with a new id.
    pub inserted: Vec<Row>,
    /// Rows with new contents (from `WHEN MATCHED ... UPDATE`).
    pub updated: Vec<Row>,
    /// Ids of removed rows (from `WHEN MATCHED ... DELETE`).
    pub deleted: Vec<u64>,
    /// The statement has an INSERT clause: the result reports its count.
    pub reports_inserted: bool,
    /// The statement has an UPDATE clause.
    pub reports_updated: bool,
    /// The statement has a DELETE clause.
    pub reports_deleted: bool,
}

/// One `WHEN` clause, checked and resolved against the target's columns.
enum Clause<'q> {
    /// `WHEN MATCHED [AND p] THEN UPDATE SET c = e, ...`: column indexes
    /// and their expressions.
    Update(Option<&'q Expr>, Vec<(usize, &'q Expr)>),
    /// `WHEN MATCHED [AND p] THEN DELETE`.
    Delete(Option<&'q Expr>),
    /// `WHEN NOT MATCHED [AND p] THEN INSERT [(c, ...)] VALUES (e, ...)`:
    /// column indexes and their expressions.
    Insert(Option<&'q Expr>, Vec<(usize, &'q Expr)>),
}

/// What `MERGE INTO t USING s ON ... WHEN ...` changes in `table`, new
/// rows taking ids from `next_id`.
pub(crate) fn merge(
    ctx: &Context<'_>,
    text: &str,
    table: &StoredTable,
    mut next_id: impl FnMut() -> u64,
) -> Result<Merged, SqlError> {
    let sql::Statement::Merge(statement) = parse_one(text)? else {
        return Err(error::unsupported("this form of MERGE"));
    };
    if statement.output.is_some() {
        return Err(error::unsupported("MERGE ... OUTPUT"));
    }
    let env = Env::default();
    let target = table_columns(table, qualifier(&statement.table, table));
    let source = sources::from(
        ctx,
        &env,
        &[sql::TableWithJoins {
            relation: statement.source.clone(),
            joins: Vec::new(),
        }],
    )?;
    let joined: Vec<Col> = target.iter().chain(&source.columns).cloned().collect();
    expr::check_type(&statement.on, &joined, ctx)?;
    let clauses = statement
        .clauses
        .iter()
        .map(|c| clause(c, &target))
        .collect::<Result<Vec<_>, _>>()?;
    for c in &clauses {
        check_clause(ctx, c, &joined, &source.columns)?;
    }
    let mut merged = Merged {
        reports_inserted: clauses.iter().any(|c| matches!(c, Clause::Insert(..))),
        reports_updated: clauses.iter().any(|c| matches!(c, Clause::Update(..))),
        reports_deleted: clauses.iter().any(|c| matches!(c, Clause::Delete(..))),
        ..Merged::default()
    };
    let shapes = Shapes {
        target: &target,
        source: &source.columns,
        joined: &joined,
    };
    let mut source_matched = vec![false; source.rows.len()];
    for (row, values) in table.data.iter().zip(row_values(table, &target)) {
        let mut acted = false;
        for (s, source_values) in source.rows.iter().enumerate() {
            let pair: Vec<Value> = values.iter().chain(source_values).cloned().collect();
            let scope = Scope::row(&joined, &pair);
            if !expr::eval(ctx, &env, &statement.on, &scope)?.is_true() {
                continue;
            }
            source_matched[s] = true;
            let action = matched_action(ctx, &env, &clauses, &shapes, &pair)?;
            if let Some(action) = action {
                if acted {
                    return Err(duplicate_row(&pair));
                }
                acted = true;
                apply_matched(table, &target, row.id, action, &mut merged)?;
            }
        }
    }
    for (source_values, _) in source
        .rows
        .iter()
        .zip(&source_matched)
        .filter(|(_, m)| !**m)
    {
        if let Some(values) = insert_values(ctx, &env, &clauses, &shapes, source_values)? {
            let mut cells = defaults(ctx, table, &target)?;
            for (index, value) in values {
                cells[index] = value;
            }
            merged.inserted.push(Row {
                id: next_id(),
                cells: stored_cells(table, &target, cells)?,
            });
        }
    }
    Ok(merged)
}

/// The columns a clause's expressions see: the target's, the source's, and
/// both side by side for a matched pair.
struct Shapes<'a> {
    target: &'a [Col],
    source: &'a [Col],
    joined: &'a [Col],
}

/// What a matched target row becomes.
enum Matched {
    /// Its new values, in the target's column order.
    Update(Vec<Value>),
    /// Removed.
    Delete,
}

/// The action of the first matched clause whose predicate holds for
/// `pair` (target values then source values); `None` when none does.
fn matched_action(
    ctx: &Context<'_>,
    env: &Env,
    clauses: &[Clause<'_>],
    shapes: &Shapes<'_>,
    pair: &[Value],
) -> Result<Option<Matched>, SqlError> {
    let scope = Scope::row(shapes.joined, pair);
    for clause in clauses {
        let predicate = match clause {
            Clause::Update(p, _) | Clause::Delete(p) => *p,
            Clause::Insert(..) => continue,
        };
        if !holds(ctx, env, predicate, &scope)? {
            continue;
        }
        return match clause {
            Clause::Update(_, assignments) => {
                let mut new = pair[..shapes.target.len()].to_vec();
                for (index, e) in assignments {
                    new[*index] = expr::eval(ctx, env, e, &scope)?;
                }
                Ok(Some(Matched::Update(new)))
            }
            _ => Ok(Some(Matched::Delete)),
        };
    }
    Ok(None)
}

/// The column values the first NOT MATCHED clause whose predicate holds
/// inserts for `source_values`; `None` when none does.
fn insert_values(
    ctx: &Context<'_>,
    env: &Env,
    clauses: &[Clause<'_>],
    shapes: &Shapes<'_>,
    source_values: &[Value],
) -> Result<Option<Vec<(usize, Value)>>, SqlError> {
    let scope = Scope::row(shapes.source, source_values);
    for clause in clauses {
        let Clause::Insert(predicate, columns) = clause else {
            continue;
        };
        if !holds(ctx, env, *predicate, &scope)? {
            continue;
        }
        let values = columns
            .iter()
            .map(|(index, e)| Ok((*index, expr::eval(ctx, env, e, &scope)?)))
            .collect::<Result<Vec<_>, SqlError>>()?;
        return Ok(Some(values));
    }
    Ok(None)
}

/// Types a clause's expressions before any row is read, so that an unknown
/// column is refused even when no row would reach the clause, as Snowflake
/// compiles the statement first: matched clauses see both sides, NOT
/// MATCHED clauses only the source.
fn check_clause(
    ctx: &Context<'_>,
    clause: &Clause<'_>,
    joined: &[Col],
    source: &[Col],
) -> Result<(), SqlError> {
    let (columns, predicate, values): (&[Col], _, &[(usize, &Expr)]) = match clause {
        Clause::Update(p, a) => (joined, *p, a),
        Clause::Delete(p) => (joined, *p, &[]),
        Clause::Insert(p, a) => (source, *p, a),
    };
    if let Some(p) = predicate {
        expr::check_type(p, columns, ctx)?;
    }
    for (_, e) in values {
        expr::check_type(e, columns, ctx)?;
    }
    Ok(())
}

fn holds(
    ctx: &Context<'_>,
    env: &Env,
    predicate: Option<&Expr>,
    scope: &Scope<'_>,
) -> Result<bool, SqlError> {
    match predicate {
        None => Ok(true),
        Some(p) => Ok(expr::eval(ctx, env, p, scope)?.is_true()),
    }
}

/// Records the action on target row `id` in `merged`.
fn apply_matched(
    table: &StoredTable,
    target: &[Col],
    id: u64,
    action: Matched,
    merged: &mut Merged,
) -> Result<(), SqlError> {
    match action {
        Matched::Update(values) => merged.updated.push(Row {
            id,
            cells: stored_cells(table, target, values)?,
        }),
        Matched::Delete => merged.deleted.push(id),
    }
    Ok(())
}

/// One WHEN clause checked against the target's columns; the forms
/// Snowflake does not document (or the local account does not answer)
/// refused.
fn clause<'q>(c: &'q sql::MergeClause, target: &[Col]) -> Result<Clause<'q>, SqlError> {
    let predicate = c.predicate.as_ref();
    match (&c.clause_kind, &c.action) {
        (MergeClauseKind::Matched, MergeAction::Update(update)) => {
            if update.update_predicate.is_some() || update.delete_predicate.is_some() {
                return Err(error::unsupported("MERGE ... UPDATE ... WHERE"));
            }
            let sql::MergeUpdateKind::Set(assignments) = &update.kind else {
                return Err(error::unsupported("MERGE ... UPDATE ALL BY NAME"));
            };
            let assignments = assignments
                .iter()
                .map(|a| Ok((assignment_target(a, target)?, &a.value)))
                .collect::<Result<Vec<_>, SqlError>>()?;
            Ok(Clause::Update(predicate, assignments))
        }
        (MergeClauseKind::Matched, MergeAction::Delete { .. }) => Ok(Clause::Delete(predicate)),
        (MergeClauseKind::NotMatched, MergeAction::Insert(insert)) => {
            if insert.insert_predicate.is_some() {
                return Err(error::unsupported("MERGE ... INSERT ... WHERE"));
            }
            let sql::MergeInsertKind::Values(values) = &insert.kind else {
                return Err(error::unsupported("MERGE ... INSERT ALL BY NAME"));
            };
            let [row] = values.rows.as_slice() else {
                return Err(error::unsupported("MERGE ... INSERT of several rows"));
            };
            let targets = insert_targets(&insert.columns, target)?;
            if targets.len() != row.content.len() {
                return Err(column_count_mismatch(targets.len(), row.content.len()));
            }
            Ok(Clause::Insert(
                predicate,
                targets.into_iter().zip(&row.content).collect(),
            ))
        }
        (kind, action) => Err(error::unsupported(&format!(
            "MERGE ... WHEN {kind} THEN {}",
            action_keyword(action)
        ))),
    }
}

fn action_keyword(action: &MergeAction) -> &'static str {
    match action {
        MergeAction::Insert(_) => "INSERT",
        MergeAction::Update(_) => "UPDATE",
        MergeAction::Delete { .. } => "DELETE",
        MergeAction::DoNothing { .. } => "DO NOTHING",
    }
}

/// The target column an `UPDATE SET` assignment writes.
fn assignment_target(a: &sql::Assignment, target: &[Col]) -> Result<usize, SqlError> {
    let sql::AssignmentTarget::ColumnName(name) = &a.target else {
        return Err(error::unsupported("MERGE ... UPDATE of a column tuple"));
    };
    let parts: Vec<sql::Ident> = name
        .0
        .iter()
        .filter_map(|p| p.as_ident().cloned())
        .collect();
    expr::lookup(target, &parts)
}

/// Snowflake's refusal of a target row joined to several source rows that
/// would each update or delete it (`ERROR_ON_NONDETERMINISTIC_MERGE`).
fn duplicate_row(pair: &[Value]) -> SqlError {
    let values: Vec<String> = pair
        .iter()
        .map(|v| match v.cell() {
            None => "NULL".to_string(),
            Some(text) => serde_json::Value::String(text).to_string(),
        })
        .collect();
    SqlError {
        code: "100090".into(),
        sql_state: "42P18".into(),
        message: format!(
            "Duplicate row detected during DML action\nRow Values: [{}]",
            values.join(", ")
        ),
    }
}
