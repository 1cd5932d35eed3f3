//! The SELECT evaluator: queries Snowflake's own clients send, answered
//! from the catalog, recent results and literal rows.
//!
//! Statements are parsed with sqlparser's Snowflake dialect and evaluated
//! over small in-memory [`Table`]s: `FROM VALUES`, `TABLE(RESULT_SCAN(..))`,
//! `INFORMATION_SCHEMA.TABLES`, `TABLE(GENERATOR(..))`, CTEs, subqueries and
//! joins; projections, WHERE, GROUP BY with the common aggregates, ORDER BY
//! and LIMIT. Every column has a static [`Ty`] known before a row is read,
//! so describe-only requests and the column types of views and dynamic
//! tables come from the same code. A query reads a table's stored rows; a
//! view or dynamic table is answered in describe-only mode (columns, no
//! rows) and refused otherwise. [`dml`] evaluates INSERT, UPDATE and
//! DELETE the same way, [`merge`] MERGE. Nothing here changes the catalog.

mod cast;
pub(crate) mod dml;
mod entity_detail;
mod expr;
mod functions;
pub(crate) mod merge;
mod sources;
pub mod value;

use sqlparser::ast::{self as sql, Expr, SelectItem, SetExpr};
use sqlparser::dialect::SnowflakeDialect;
use sqlparser::parser::Parser;

use self::expr::Scope;
use self::value::{Ty, Value};
use super::catalog::{Catalog, Millis};
use super::error::{self, SqlError};
use super::results::ResultCache;
use super::session::SessionState;
use crate::session::{Column, Rows};

/// What a query may read besides its own text.
pub(crate) struct Context<'a> {
    /// The account's objects.
    pub catalog: &'a Catalog,
    /// The session's current database, schema, last query id, ...
    pub session: &'a SessionState,
    /// Recent results, for RESULT_SCAN.
    pub results: &'a ResultCache,
    /// The statement's time.
    pub now: Millis,
    /// True when only the result's columns are wanted.
    pub describe_only: bool,
}

/// A column of an intermediate table: the source's name or alias it is
/// reachable through, its name and its type.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Col {
    /// The table name or alias that qualifies it (`t` in `t.X`).
    pub qualifier: Option<String>,
    /// The column name, resolved.
    pub name: String,
    /// Its type.
    pub ty: Ty,
}

impl Col {
    fn new(name: impl Into<String>, ty: Ty) -> Self {
        Col {
            qualifier: None,
            name: name.into(),
            ty,
        }
    }
}

/// An intermediate result: columns and rows of values.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Table {
    /// The columns.
    pub columns: Vec<Col>,
    /// The rows; each has one value per column.
    pub rows: Vec<Vec<Value>>,
}

impl Table {
    fn into_rows(self, describe_only: bool) -> Rows {
        let columns = self
            .columns
            .iter()
            .map(|c| Column::new(c.name.clone(), c.ty.column_type()))
            .collect();
        let rows = if describe_only {
            Vec::new()
        } else {
            self.rows
                .iter()
                .map(|r| r.iter().map(Value::cell).collect())
                .collect()
        };
        Rows {
            columns,
            rows,
            query_id: None,
        }
    }
}

/// Named tables visible to a query: its CTEs and those of enclosing queries.
#[derive(Debug, Clone, Default)]
pub(crate) struct Env {
    ctes: Vec<(String, Table)>,
    /// How many view definitions enclose this query.
    depth: usize,
}

impl Env {
    fn cte(&self, name: &str) -> Option<&Table> {
        self.ctes
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, t)| t)
    }
}

/// Evaluates one SELECT (or WITH ... SELECT) statement.
pub(crate) fn evaluate(ctx: &Context<'_>, text: &str) -> Result<Rows, SqlError> {
    let query = parse_query(text)?;
    let table = eval_query(ctx, &Env::default(), &query)?;
    Ok(table.into_rows(ctx.describe_only))
}

/// The columns and types of a table, view or dynamic table (typing reads
/// no rows, so it runs as a describe-only request whatever the statement).
pub(crate) fn relation_columns(
    ctx: &Context<'_>,
    object: &super::catalog::Object,
) -> Result<Vec<Col>, SqlError> {
    let describe = Context {
        catalog: ctx.catalog,
        session: ctx.session,
        results: ctx.results,
        now: ctx.now,
        describe_only: true,
    };
    sources::relation_columns(&describe, &Env::default(), object)
}

/// Parses `text` as exactly one query.
fn parse_query(text: &str) -> Result<sql::Query, SqlError> {
    let mut statements = Parser::parse_sql(&SnowflakeDialect {}, text)
        .map_err(|e| error::parse_failed(&e.to_string()))?;
    match (statements.pop(), statements.is_empty()) {
        (Some(sql::Statement::Query(query)), true) => Ok(*query),
        _ => Err(error::unsupported("SELECT")),
    }
}

/// Snowflake's resolution of an identifier: unquoted upper-cased, quoted verbatim.
pub(crate) fn resolve_ident(ident: &sql::Ident) -> String {
    match ident.quote_style {
        Some(_) => ident.value.clone(),
        None => ident.value.to_ascii_uppercase(),
    }
}

pub(crate) fn eval_query(
    ctx: &Context<'_>,
    outer: &Env,
    query: &sql::Query,
) -> Result<Table, SqlError> {
    let mut env = outer.clone();
    if let Some(with) = &query.with {
        for cte in &with.cte_tables {
            let mut table = eval_query(ctx, &env, &cte.query)?;
            let name = resolve_ident(&cte.alias.name);
            rename_columns(&mut table, &cte.alias.columns)?;
            for c in &mut table.columns {
                c.qualifier = None;
            }
            env.ctes.push((name, table));
        }
    }
    let (mut table, source) = match query.body.as_ref() {
        SetExpr::Select(select) => eval_select_rows(ctx, &env, select)?,
        body => (eval_set_expr(ctx, &env, body)?, None),
    };
    if let Some(order_by) = &query.order_by {
        order(ctx, &env, &mut table, source.as_ref(), order_by)?;
    }
    if let Some(limit) = &query.limit_clause {
        apply_limit(&mut table, limit)?;
    }
    Ok(table)
}

fn rename_columns(table: &mut Table, names: &[sql::TableAliasColumnDef]) -> Result<(), SqlError> {
    if names.is_empty() {
        return Ok(());
    }
    if names.len() != table.columns.len() {
        return Err(error::invalid(format!(
            "The number of column names ({}) does not match the number of columns ({}).",
            names.len(),
            table.columns.len()
        )));
    }
    for (col, def) in table.columns.iter_mut().zip(names) {
        col.name = resolve_ident(&def.name);
    }
    Ok(())
}

fn eval_set_expr(ctx: &Context<'_>, env: &Env, body: &SetExpr) -> Result<Table, SqlError> {
    match body {
        SetExpr::Select(select) => eval_select(ctx, env, select),
        SetExpr::Query(query) => eval_query(ctx, env, query),
        SetExpr::Values(values) => sources::values(ctx, values),
        SetExpr::SetOperation {
            op: sql::SetOperator::Union,
            set_quantifier,
            left,
            right,
        } => {
            let mut left = eval_set_expr(ctx, env, left)?;
            let right = eval_set_expr(ctx, env, right)?;
            if left.columns.len() != right.columns.len() {
                return Err(error::invalid(format!(
                    "invalid number of result columns for set operator input branches, expected {}, got {} in branch {{2}}",
                    left.columns.len(),
                    right.columns.len()
                )));
            }
            left.rows.extend(right.rows);
            if !matches!(set_quantifier, sql::SetQuantifier::All) {
                dedup(&mut left.rows);
            }
            Ok(left)
        }
        _ => Err(error::unsupported("SELECT with this set operation")),
    }
}

fn dedup(rows: &mut Vec<Vec<Value>>) {
    let mut kept: Vec<Vec<Value>> = Vec::new();
    for row in rows.drain(..) {
        if !kept.contains(&row) {
            kept.push(row);
        }
    }
    *rows = kept;
}

fn eval_select(ctx: &Context<'_>, env: &Env, select: &sql::Select) -> Result<Table, SqlError> {
    Ok(eval_select_rows(ctx, env, select)?.0)
}

/// A SELECT's result and, when each result row comes from one source row
/// (no grouping, no DISTINCT), the source rows in the same order, which
/// ORDER BY may sort on.
fn eval_select_rows(
    ctx: &Context<'_>,
    env: &Env,
    select: &sql::Select,
) -> Result<(Table, Option<Table>), SqlError> {
    let mut source = sources::from(ctx, env, &select.from)?;
    if let Some(condition) = &select.selection {
        expr::check_type(condition, &source.columns, ctx)?;
        let mut kept = Vec::new();
        for row in std::mem::take(&mut source.rows) {
            let scope = Scope::row(&source.columns, &row);
            if expr::eval(ctx, env, condition, &scope)?.is_true() {
                kept.push(row);
            }
        }
        source.rows = kept;
    }
    let group_by = match &select.group_by {
        sql::GroupByExpr::Expressions(exprs, _) => exprs.clone(),
        sql::GroupByExpr::All(_) => return Err(error::unsupported("GROUP BY ALL")),
    };
    let aggregated = !group_by.is_empty()
        || select.projection.iter().any(|item| match item {
            SelectItem::UnnamedExpr(e)
            | SelectItem::ExprWithAlias { expr: e, .. }
            | SelectItem::ExprWithAliases { expr: e, .. } => expr::has_aggregate(e),
            _ => false,
        });
    if aggregated {
        let mut table = project_groups(ctx, env, &select.projection, &group_by, &source)?;
        if select.distinct.is_some() {
            dedup(&mut table.rows);
        }
        return Ok((table, None));
    }
    let mut table = project_rows(ctx, env, &select.projection, &source)?;
    if select.distinct.is_some() {
        dedup(&mut table.rows);
        return Ok((table, None));
    }
    Ok((table, Some(source)))
}

/// An output column: its name and type, and the expression computing it
/// or the index of the source column a wildcard copies.
type Output = (Col, Option<Expr>, Option<usize>);

/// One output column per select item (wildcards expand), typed statically.
fn output_columns(
    ctx: &Context<'_>,
    items: &[SelectItem],
    source: &[Col],
) -> Result<Vec<Output>, SqlError> {
    let mut out = Vec::new();
    for item in items {
        match item {
            SelectItem::UnnamedExpr(e) => {
                let ty = expr::type_of(e, source, ctx)?;
                out.push((Col::new(expr::column_name(e), ty), Some(e.clone()), None));
            }
            SelectItem::ExprWithAlias { expr: e, alias } => {
                let ty = expr::type_of(e, source, ctx)?;
                out.push((Col::new(resolve_ident(alias), ty), Some(e.clone()), None));
            }
            SelectItem::Wildcard(_) => {
                for (i, c) in source.iter().enumerate() {
                    out.push((Col::new(c.name.clone(), c.ty), None, Some(i)));
                }
            }
            SelectItem::ExprWithAliases { .. } => {
                return Err(error::unsupported("a SELECT item with several aliases"));
            }
            SelectItem::QualifiedWildcard(kind, _) => {
                let qualifier = match kind {
                    sql::SelectItemQualifiedWildcardKind::ObjectName(name) => {
                        name.0.last().and_then(|p| p.as_ident()).map(resolve_ident)
                    }
                    sql::SelectItemQualifiedWildcardKind::Expr(_) => None,
                };
                let before = out.len();
                for (i, c) in source.iter().enumerate() {
                    if c.qualifier.is_some() && c.qualifier == qualifier {
                        out.push((Col::new(c.name.clone(), c.ty), None, Some(i)));
                    }
                }
                if out.len() == before {
                    return Err(expr::invalid_identifier(&format!(
                        "{}.*",
                        qualifier.unwrap_or_default()
                    )));
                }
            }
        }
    }
    Ok(out)
}

fn project_rows(
    ctx: &Context<'_>,
    env: &Env,
    items: &[SelectItem],
    source: &Table,
) -> Result<Table, SqlError> {
    let outputs = output_columns(ctx, items, &source.columns)?;
    let mut rows = Vec::with_capacity(source.rows.len());
    for row in &source.rows {
        let scope = Scope::row(&source.columns, row);
        let mut cells = Vec::with_capacity(outputs.len());
        for (_, e, index) in &outputs {
            cells.push(match (e, index) {
                (Some(e), _) => expr::eval(ctx, env, e, &scope)?,
                (None, Some(i)) => row[*i].clone(),
                (None, None) => Value::Null,
            });
        }
        rows.push(cells);
    }
    Ok(Table {
        columns: outputs.into_iter().map(|(c, _, _)| c).collect(),
        rows,
    })
}

fn project_groups(
    ctx: &Context<'_>,
    env: &Env,
    items: &[SelectItem],
    group_by: &[Expr],
    source: &Table,
) -> Result<Table, SqlError> {
    let outputs = output_columns(ctx, items, &source.columns)?;
    if outputs.iter().any(|(_, e, _)| e.is_none()) {
        return Err(error::invalid(
            "'*' is not allowed in a SELECT list that aggregates or groups.",
        ));
    }
    let mut groups: Vec<(Vec<Value>, Vec<Vec<Value>>)> = Vec::new();
    for row in &source.rows {
        let scope = Scope::row(&source.columns, row);
        let key = group_by
            .iter()
            .map(|e| expr::eval(ctx, env, e, &scope))
            .collect::<Result<Vec<_>, _>>()?;
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, rows)) => rows.push(row.clone()),
            None => groups.push((key, vec![row.clone()])),
        }
    }
    if groups.is_empty() && group_by.is_empty() {
        groups.push((Vec::new(), Vec::new()));
    }
    let mut rows = Vec::with_capacity(groups.len());
    for (_, members) in &groups {
        let empty = vec![Value::Null; source.columns.len()];
        let first = members.first().unwrap_or(&empty);
        let scope = Scope::group(&source.columns, first, members);
        let mut cells = Vec::with_capacity(outputs.len());
        for (_, e, _) in &outputs {
            if let Some(e) = e {
                cells.push(expr::eval(ctx, env, e, &scope)?);
            }
        }
        rows.push(cells);
    }
    Ok(Table {
        columns: outputs.into_iter().map(|(c, _, _)| c).collect(),
        rows,
    })
}

/// One ORDER BY key: a result column, or an expression over the source
/// row a result row came from.
enum SortKey<'q> {
    Output(usize),
    Source(&'q Expr),
}

/// Sorts the result on ORDER BY: a position, a result column's name or
/// alias, or (when `source` is aligned with the result) any expression
/// over the source's columns, as in `SELECT A FROM t ORDER BY B`.
fn order(
    ctx: &Context<'_>,
    env: &Env,
    table: &mut Table,
    source: Option<&Table>,
    order_by: &sql::OrderBy,
) -> Result<(), SqlError> {
    let sql::OrderByKind::Expressions(exprs) = &order_by.kind else {
        return Err(error::unsupported("ORDER BY ALL"));
    };
    let mut keys: Vec<(SortKey<'_>, bool)> = Vec::new();
    for e in exprs {
        let key = match (output_index(table, &e.expr), source) {
            (Some(i), _) => SortKey::Output(i),
            (None, Some(source)) => {
                expr::check_type(&e.expr, &source.columns, ctx)?;
                SortKey::Source(&e.expr)
            }
            (None, None) => return Err(error::unsupported("ORDER BY on an expression")),
        };
        let descending = matches!(e.options.sort, Some(sql::OrderBySort::Desc));
        keys.push((key, descending));
    }
    let mut sort_values = Vec::with_capacity(table.rows.len());
    for (i, row) in std::mem::take(&mut table.rows).into_iter().enumerate() {
        let mut values = Vec::with_capacity(keys.len());
        for (key, _) in &keys {
            values.push(match (key, source) {
                (SortKey::Output(c), _) => row[*c].clone(),
                (SortKey::Source(e), Some(source)) => {
                    let scope = Scope::row(&source.columns, &source.rows[i]);
                    expr::eval(ctx, env, e, &scope)?
                }
                (SortKey::Source(_), None) => Value::Null,
            });
        }
        sort_values.push((values, row));
    }
    sort_values.sort_by(|(a, _), (b, _)| {
        for (i, (_, descending)) in keys.iter().enumerate() {
            let ordering = expr::compare(&a[i], &b[i]);
            let ordering = if *descending {
                ordering.reverse()
            } else {
                ordering
            };
            if ordering != std::cmp::Ordering::Equal {
                return ordering;
            }
        }
        std::cmp::Ordering::Equal
    });
    table.rows = sort_values.into_iter().map(|(_, row)| row).collect();
    Ok(())
}

/// The result column an ORDER BY item names: by position or by name.
fn output_index(table: &Table, e: &Expr) -> Option<usize> {
    match e {
        Expr::Value(v) => match &v.value {
            sql::Value::Number(n, _) => n
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=table.columns.len()).contains(n))
                .map(|n| n - 1),
            _ => None,
        },
        Expr::Identifier(ident) => {
            let name = resolve_ident(ident);
            table.columns.iter().position(|c| c.name == name)
        }
        _ => None,
    }
}

fn apply_limit(table: &mut Table, limit: &sql::LimitClause) -> Result<(), SqlError> {
    let number = |e: &Expr| match e {
        Expr::Value(v) => match &v.value {
            sql::Value::Number(n, _) => n.parse::<usize>().ok(),
            _ => None,
        },
        _ => None,
    };
    let (limit, offset) = match limit {
        sql::LimitClause::LimitOffset { limit, offset, .. } => (
            limit.as_ref().map(number),
            offset.as_ref().map(|o| number(&o.value)),
        ),
        sql::LimitClause::OffsetCommaLimit { offset, limit } => {
            (Some(number(limit)), Some(number(offset)))
        }
    };
    let invalid = || error::invalid("Invalid row count in LIMIT.");
    let offset = offset.map_or(Ok(0), |o| o.ok_or_else(invalid))?;
    table.rows.drain(..offset.min(table.rows.len()));
    if let Some(limit) = limit {
        table.rows.truncate(limit.ok_or_else(invalid)?);
    }
    Ok(())
}

#[cfg(test)]
mod tests;
