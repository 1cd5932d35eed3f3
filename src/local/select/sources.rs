//! FROM: the tables a query reads.
//!
//! `VALUES (...)` rows, `TABLE(RESULT_SCAN('<id>' | LAST_QUERY_ID()))`
//! over the account's recent results, `TABLE(GENERATOR(ROWCOUNT => n))`,
//! `[<db>.]INFORMATION_SCHEMA.TABLES` from the catalog, CTEs, subqueries
//! and joins of these. Tables give their declared columns and stored rows;
//! views and dynamic tables their columns (typed from their query) and no
//! rows, so reading one is only answered in describe-only mode.

use sqlparser::ast::{self as sql, Expr, JoinConstraint, JoinOperator, TableFactor};

use super::expr::{self, Scope};
use super::value::{Ty, Value};
use super::{Col, Context, Env, Table, eval_query, resolve_ident};
use crate::ident::Ident;
use crate::local::catalog::{Namespace, Object, QualifiedName};
use crate::local::error::{self, SqlError};

/// How deep views may nest before the account gives up typing them.
const MAX_VIEW_DEPTH: usize = 32;

/// The most rows GENERATOR produces here.
const MAX_GENERATED_ROWS: i64 = 100_000;

/// The product of the FROM list (no FROM: one row without columns).
pub(crate) fn from(
    ctx: &Context<'_>,
    env: &Env,
    from: &[sql::TableWithJoins],
) -> Result<Table, SqlError> {
    let mut result = Table {
        columns: Vec::new(),
        rows: vec![Vec::new()],
    };
    for item in from {
        let mut table = factor(ctx, env, &item.relation)?;
        for join in &item.joins {
            let right = factor(ctx, env, &join.relation)?;
            table = joined(ctx, env, table, right, &join.join_operator)?;
        }
        result = cross(result, table);
    }
    Ok(result)
}

fn cross(left: Table, right: Table) -> Table {
    let mut columns = left.columns;
    columns.extend(right.columns);
    let mut rows = Vec::with_capacity(left.rows.len() * right.rows.len());
    for l in &left.rows {
        for r in &right.rows {
            let mut row = l.clone();
            row.extend(r.iter().cloned());
            rows.push(row);
        }
    }
    Table { columns, rows }
}

fn joined(
    ctx: &Context<'_>,
    env: &Env,
    left: Table,
    right: Table,
    op: &JoinOperator,
) -> Result<Table, SqlError> {
    let (constraint, keep_left, keep_right) = match op {
        JoinOperator::Join(c) | JoinOperator::Inner(c) => (Some(c), false, false),
        JoinOperator::Left(c) | JoinOperator::LeftOuter(c) => (Some(c), true, false),
        JoinOperator::Right(c) | JoinOperator::RightOuter(c) => (Some(c), false, true),
        JoinOperator::FullOuter(c) => (Some(c), true, true),
        JoinOperator::CrossJoin(_) => (None, false, false),
        _ => return Err(error::unsupported("this kind of JOIN")),
    };
    let condition = match constraint {
        None | Some(JoinConstraint::None) => None,
        Some(JoinConstraint::On(e)) => Some(e),
        Some(_) => return Err(error::unsupported("JOIN ... USING / NATURAL JOIN")),
    };
    let (left_width, right_width) = (left.columns.len(), right.columns.len());
    let product = cross(left.clone(), right.clone());
    if let Some(condition) = condition {
        expr::check_type(condition, &product.columns, ctx)?;
    }
    let mut rows = Vec::new();
    let mut right_matched = vec![false; right.rows.len()];
    for l in &left.rows {
        let mut matched = false;
        for (ri, r) in right.rows.iter().enumerate() {
            let mut row = l.clone();
            row.extend(r.iter().cloned());
            let hit = match condition {
                Some(c) => expr::eval(ctx, env, c, &Scope::row(&product.columns, &row))?.is_true(),
                None => true,
            };
            if hit {
                matched = true;
                right_matched[ri] = true;
                rows.push(row);
            }
        }
        if keep_left && !matched {
            let mut row = l.clone();
            row.extend(std::iter::repeat_n(Value::Null, right_width));
            rows.push(row);
        }
    }
    if keep_right {
        for (ri, r) in right.rows.iter().enumerate() {
            if !right_matched[ri] {
                let mut row = vec![Value::Null; left_width];
                row.extend(r.iter().cloned());
                rows.push(row);
            }
        }
    }
    Ok(Table {
        columns: product.columns,
        rows,
    })
}

fn qualify_all(table: &mut Table, qualifier: Option<String>) {
    for c in &mut table.columns {
        c.qualifier.clone_from(&qualifier);
    }
}

fn alias_of(alias: Option<&sql::TableAlias>) -> Option<String> {
    alias.map(|a| resolve_ident(&a.name))
}

fn apply_alias(table: &mut Table, alias: Option<&sql::TableAlias>, default: Option<String>) {
    if let Some(a) = alias {
        for (col, def) in table.columns.iter_mut().zip(&a.columns) {
            col.name = resolve_ident(&def.name);
        }
    }
    qualify_all(table, alias_of(alias).or(default));
}

fn factor(ctx: &Context<'_>, env: &Env, factor: &TableFactor) -> Result<Table, SqlError> {
    match factor {
        TableFactor::Table {
            name, alias, args, ..
        } => {
            let parts: Vec<String> = name
                .0
                .iter()
                .filter_map(|p| p.as_ident().map(resolve_ident))
                .collect();
            if let Some(args) = args {
                let function = parts.last().cloned().unwrap_or_default();
                let values: Vec<&Expr> = args
                    .args
                    .iter()
                    .filter_map(|a| match a {
                        sql::FunctionArg::Unnamed(sql::FunctionArgExpr::Expr(e)) => Some(e),
                        _ => None,
                    })
                    .collect();
                let mut table = table_function(ctx, env, &function, &values, &args.args)?;
                apply_alias(&mut table, alias.as_ref(), None);
                return Ok(table);
            }
            let mut table = named(ctx, env, &parts)?;
            apply_alias(&mut table, alias.as_ref(), parts.last().cloned());
            Ok(table)
        }
        TableFactor::TableFunction { expr, alias } => {
            let Expr::Function(f) = expr else {
                return Err(error::unsupported("TABLE() over this expression"));
            };
            let name = super::functions::name(f);
            let args = super::functions::args(f);
            let values: Vec<&Expr> = args.iter().filter_map(|a| *a).collect();
            let raw = match &f.args {
                sql::FunctionArguments::List(list) => list.args.clone(),
                _ => Vec::new(),
            };
            let mut table = table_function(ctx, env, &name, &values, &raw)?;
            apply_alias(&mut table, alias.as_ref(), None);
            Ok(table)
        }
        TableFactor::Derived {
            subquery, alias, ..
        } => {
            let mut table = eval_query(ctx, env, subquery)?;
            apply_alias(&mut table, alias.as_ref(), None);
            Ok(table)
        }
        TableFactor::NestedJoin {
            table_with_joins,
            alias,
        } => {
            let mut table = from(ctx, env, std::slice::from_ref(table_with_joins.as_ref()))?;
            if alias.is_some() {
                apply_alias(&mut table, alias.as_ref(), None);
            }
            Ok(table)
        }
        _ => Err(error::unsupported("this FROM source")),
    }
}

fn table_function(
    ctx: &Context<'_>,
    env: &Env,
    name: &str,
    args: &[&Expr],
    raw: &[sql::FunctionArg],
) -> Result<Table, SqlError> {
    match name {
        "RESULT_SCAN" => result_scan(ctx, env, args),
        "GENERATOR" => generator(ctx, env, raw),
        other => Err(error::unsupported(&format!("table function {other}"))),
    }
}

fn result_scan(ctx: &Context<'_>, env: &Env, args: &[&Expr]) -> Result<Table, SqlError> {
    let [arg] = args else {
        return Err(error::invalid(
            "Invalid argument count for function RESULT_SCAN: expected 1.",
        ));
    };
    let empty = Table {
        columns: Vec::new(),
        rows: vec![Vec::new()],
    };
    let id = expr::eval(ctx, env, arg, &Scope::row(&empty.columns, &empty.rows[0]))?
        .text()
        .unwrap_or_default();
    let rows = ctx
        .results
        .get(&id)
        .ok_or_else(|| statement_not_found(&id))?;
    let columns: Vec<Col> = rows
        .columns
        .iter()
        .map(|c| Col {
            qualifier: None,
            name: c.name.clone(),
            ty: Ty::of_column(c.ty),
        })
        .collect();
    let values = rows
        .rows
        .iter()
        .map(|r| {
            r.iter()
                .zip(&columns)
                .map(|(cell, col)| Value::from_cell(cell.as_deref(), col.ty))
                .collect()
        })
        .collect();
    Ok(Table {
        columns,
        rows: values,
    })
}

/// Snowflake's error for RESULT_SCAN of an id it has no result for.
pub(crate) fn statement_not_found(id: &str) -> SqlError {
    SqlError {
        code: "000709".into(),
        sql_state: "02000".into(),
        message: format!("Statement {id} not found"),
    }
}

fn generator(ctx: &Context<'_>, env: &Env, raw: &[sql::FunctionArg]) -> Result<Table, SqlError> {
    let empty: Vec<Value> = Vec::new();
    let mut count = 0i64;
    for arg in raw {
        if let sql::FunctionArg::Named {
            name,
            arg: sql::FunctionArgExpr::Expr(e),
            ..
        } = arg
            && resolve_ident(name) == "ROWCOUNT"
        {
            let value = expr::eval(ctx, env, e, &Scope::row(&[], &empty))?;
            count = value.number().unwrap_or_default() as i64;
        }
    }
    let rows = if ctx.describe_only {
        0
    } else {
        count.clamp(0, MAX_GENERATED_ROWS) as usize
    };
    Ok(Table {
        columns: Vec::new(),
        rows: vec![Vec::new(); rows],
    })
}

/// A named source: a CTE, INFORMATION_SCHEMA.TABLES or a relation.
fn named(ctx: &Context<'_>, env: &Env, parts: &[String]) -> Result<Table, SqlError> {
    if let [name] = parts
        && let Some(cte) = env.cte(name)
    {
        return Ok(cte.clone());
    }
    match parts {
        [schema, view] | [_, schema, view]
            if schema == "INFORMATION_SCHEMA" && view == "TABLES" =>
        {
            let database = match parts {
                [db, _, _] => Ident::from_resolved(db.clone()),
                _ => ctx
                    .session
                    .database
                    .clone()
                    .ok_or_else(|| error::no_current("database", "SELECT"))?,
            };
            information_schema_tables(ctx, &database)
        }
        // Other INFORMATION_SCHEMA views are not emulated by this evaluator.
        [schema, _] | [_, schema, _] if schema == "INFORMATION_SCHEMA" => {
            Err(error::unsupported("SELECT"))
        }
        _ => relation(ctx, env, parts),
    }
}

fn relation(ctx: &Context<'_>, env: &Env, parts: &[String]) -> Result<Table, SqlError> {
    let ident = |s: &String| Ident::from_resolved(s.clone());
    let current =
        |v: &Option<Ident>, kind: &str| v.clone().ok_or_else(|| error::no_current(kind, "SELECT"));
    let name = match parts {
        [n] => QualifiedName {
            database: current(&ctx.session.database, "database")?,
            schema: current(&ctx.session.schema, "schema")?,
            name: ident(n),
        },
        [s, n] => QualifiedName {
            database: current(&ctx.session.database, "database")?,
            schema: ident(s),
            name: ident(n),
        },
        [d, s, n] => QualifiedName {
            database: ident(d),
            schema: ident(s),
            name: ident(n),
        },
        _ => return Err(error::object_missing(&parts.join("."))),
    };
    let object = ctx
        .catalog
        .object(&name, Namespace::Relation)
        .ok_or_else(|| error::object_missing(&name.display()))?;
    let columns = relation_columns(ctx, env, object)?;
    if ctx.describe_only {
        return Ok(Table {
            columns,
            rows: Vec::new(),
        });
    }
    match object {
        Object::Table(t) => Ok(Table {
            columns,
            rows: super::dml::stored_rows(t),
        }),
        _ => Err(error::unsupported(&format!(
            "reading the rows of {} (the local account keeps rows of tables only; a view's or dynamic table's columns can be described)",
            name.display()
        ))),
    }
}

/// The columns and types of a table, view or dynamic table. Tables give
/// their declared types; views and dynamic tables the types of their
/// query's result (renamed by a column list when one was written).
pub(crate) fn relation_columns(
    ctx: &Context<'_>,
    env: &Env,
    object: &Object,
) -> Result<Vec<Col>, SqlError> {
    let (declared, text) = match object {
        Object::Table(t) => {
            return Ok(t
                .columns
                .iter()
                .map(|c| Col {
                    qualifier: None,
                    name: c.name.to_string(),
                    // A column without a declared type comes from a CTAS
                    // the local account cannot type: VARCHAR.
                    ty: c
                        .data_type
                        .as_deref()
                        .and_then(Ty::from_name)
                        .unwrap_or(Ty::Text),
                })
                .collect());
        }
        Object::View(v) => (&v.columns, &v.text),
        Object::DynamicTable(d) => (&d.columns, &d.text),
        _ => return Ok(Vec::new()),
    };
    if env.depth >= MAX_VIEW_DEPTH {
        return Err(error::invalid("View definitions nest too deeply."));
    }
    let inner = Env {
        ctes: Vec::new(),
        depth: env.depth + 1,
    };
    let query = super::parse_query(&query_of(text))?;
    let mut columns = eval_query(ctx, &inner, &query)?.columns;
    for (col, spec) in columns.iter_mut().zip(declared.iter()) {
        col.name = spec.name.to_string();
        if let Some(ty) = spec.data_type.as_deref().and_then(Ty::from_name) {
            col.ty = ty;
        }
    }
    for col in &mut columns {
        col.qualifier = None;
    }
    Ok(columns)
}

/// The query of a CREATE VIEW / CREATE DYNAMIC TABLE text: what follows
/// the top-level `AS`.
fn query_of(create_text: &str) -> String {
    let tokens = match crate::local::lexer::tokenize(create_text) {
        Ok(tokens) => tokens,
        Err(_) => return create_text.to_string(),
    };
    let mut depth = 0usize;
    for (i, t) in tokens.iter().enumerate() {
        if t.is_symbol("(") {
            depth += 1;
        } else if t.is_symbol(")") {
            depth = depth.saturating_sub(1);
        } else if depth == 0
            && t.is_word("AS")
            && tokens
                .get(i + 1)
                .is_some_and(|n| n.is_word("SELECT") || n.is_word("WITH") || n.is_symbol("("))
        {
            let start = tokens[i + 1].start;
            return create_text[start..].to_string();
        }
    }
    create_text.to_string()
}

/// `INFORMATION_SCHEMA.TABLES` of one database: tables, views and dynamic
/// tables (the columns the local account can fill).
fn information_schema_tables(ctx: &Context<'_>, database: &Ident) -> Result<Table, SqlError> {
    if !ctx.catalog.databases.contains_key(database) {
        return Err(error::database_missing(&database.to_sql()));
    }
    let text = |name: &str| Col::new_text(name);
    let columns = vec![
        text("TABLE_CATALOG"),
        text("TABLE_SCHEMA"),
        text("TABLE_NAME"),
        text("TABLE_OWNER"),
        text("TABLE_TYPE"),
        text("IS_TRANSIENT"),
        Col::new_typed("ROW_COUNT", Ty::INTEGER),
        Col::new_typed("CREATED", Ty::TimestampLtz),
        Col::new_typed("LAST_ALTERED", Ty::TimestampLtz),
        text("COMMENT"),
        text("IS_DYNAMIC"),
    ];
    let mut rows = Vec::new();
    for (key, object) in &ctx.catalog.objects {
        if &key.database != database || key.namespace != Namespace::Relation {
            continue;
        }
        let (kind, row_count, created, comment, dynamic) = match object {
            Object::Table(t) => (
                "BASE TABLE",
                Some(t.data.len()),
                t.created_on,
                &t.comment,
                "NO",
            ),
            Object::View(v) => ("VIEW", None, v.created_on, &v.comment, "NO"),
            Object::DynamicTable(d) => ("BASE TABLE", Some(0), d.created_on, &d.comment, "YES"),
            _ => continue,
        };
        let ts = Value::Timestamp(i128::from(created) * 1_000_000);
        rows.push(vec![
            Value::Text(key.database.to_string()),
            Value::Text(key.schema.to_string()),
            Value::Text(key.name.to_string()),
            Value::Text("ACCOUNTADMIN".into()),
            Value::Text(kind.into()),
            Value::Text("NO".into()),
            row_count.map_or(Value::Null, |n| Value::Number(n.to_string())),
            ts.clone(),
            ts,
            comment.clone().map_or(Value::Null, Value::Text),
            Value::Text(dynamic.into()),
        ]);
    }
    Ok(Table { columns, rows })
}

impl Col {
    fn new_text(name: &str) -> Col {
        Col::new_typed(name, Ty::Text)
    }

    fn new_typed(name: &str, ty: Ty) -> Col {
        Col {
            qualifier: None,
            name: name.to_string(),
            ty,
        }
    }
}

/// `VALUES (...), (...)`: columns `COLUMN1..n`, typed by the first row
/// (later rows keep their own values; the local account does not compute
/// a common type across rows).
pub(crate) fn values(ctx: &Context<'_>, values: &sql::Values) -> Result<Table, SqlError> {
    let env = Env::default();
    let none: Vec<Value> = Vec::new();
    let scope = Scope::row(&[], &none);
    let mut columns: Vec<Col> = Vec::new();
    let mut rows = Vec::with_capacity(values.rows.len());
    for (i, row) in values.rows.iter().enumerate() {
        if i == 0 {
            for (n, e) in row.content.iter().enumerate() {
                columns.push(Col::new_typed(
                    &format!("COLUMN{}", n + 1),
                    expr::type_of(e, &[], ctx)?,
                ));
            }
        } else if row.content.len() != columns.len() {
            return Err(error::invalid(format!(
                "Different number of values in VALUES clause rows: {} and {}.",
                columns.len(),
                row.content.len()
            )));
        }
        let mut cells = Vec::with_capacity(row.content.len());
        for e in &row.content {
            cells.push(expr::eval(ctx, &env, e, &scope)?);
        }
        rows.push(cells);
    }
    Ok(Table { columns, rows })
}
