//! Expressions: their static type and their value in one row (or group).
//!
//! Column references resolve as Snowflake resolves them (unquoted names
//! upper-cased, `t.X` through a table's name or alias, `$n` by position).
//! Comparisons and logic follow SQL's three-valued rules; casts follow
//! Snowflake's conversions for the types the evaluator knows.

use std::cmp::Ordering;

use sqlparser::ast::{self as sql, BinaryOperator, Expr, UnaryOperator};

use super::cast::{cast, numeric_not_recognized};
use super::value::{Ty, Value};
use super::{Col, Context, Env, functions, resolve_ident};
use crate::local::error::{self, SqlError};

/// The row (and, when aggregating, the group of rows) an expression sees.
pub(crate) struct Scope<'a> {
    pub columns: &'a [Col],
    pub row: &'a [Value],
    pub group: Option<&'a [Vec<Value>]>,
}

impl<'a> Scope<'a> {
    /// One row.
    pub fn row(columns: &'a [Col], row: &'a [Value]) -> Self {
        Scope {
            columns,
            row,
            group: None,
        }
    }

    /// A group of rows, `first` standing for the group's grouping columns.
    pub fn group(columns: &'a [Col], first: &'a [Value], rows: &'a [Vec<Value>]) -> Self {
        Scope {
            columns,
            row: first,
            group: Some(rows),
        }
    }
}

/// Snowflake's error for a name that is no column in scope.
pub(crate) fn invalid_identifier(name: &str) -> SqlError {
    SqlError {
        code: "000904".into(),
        sql_state: "42000".into(),
        message: format!(
            "SQL compilation error: error line 0 at position 0\ninvalid identifier '{name}'"
        ),
    }
}

/// The index of the column an identifier chain names.
pub(crate) fn lookup(columns: &[Col], parts: &[sql::Ident]) -> Result<usize, SqlError> {
    let names: Vec<String> = parts.iter().map(resolve_ident).collect();
    let (qualifier, name) = match names.as_slice() {
        [name] => (None, name),
        [.., q, name] => (Some(q), name),
        [] => return Err(invalid_identifier("")),
    };
    let mut found = columns.iter().enumerate().filter(|(_, c)| {
        &c.name == name && qualifier.is_none_or(|q| c.qualifier.as_ref() == Some(q))
    });
    let written = names.join(".");
    match (found.next(), found.next()) {
        (Some((i, _)), None) => Ok(i),
        (Some(_), Some(_)) => Err(error::invalid(format!("ambiguous column name '{written}'"))),
        (None, _) => Err(invalid_identifier(&written)),
    }
}

fn placeholder(columns: &[Col], text: &str) -> Result<usize, SqlError> {
    text.strip_prefix('$')
        .and_then(|n| n.parse::<usize>().ok())
        .filter(|n| (1..=columns.len()).contains(n))
        .map(|n| n - 1)
        .ok_or_else(|| invalid_identifier(text))
}

/// The result column name of an unaliased expression: a column's own
/// name, otherwise the expression's text upper-cased, as Snowflake names it.
pub(crate) fn column_name(e: &Expr) -> String {
    match e {
        Expr::Identifier(ident) => resolve_ident(ident),
        Expr::CompoundIdentifier(parts) => parts.last().map(resolve_ident).unwrap_or_default(),
        _ => e.to_string().to_ascii_uppercase(),
    }
}

/// True when the expression contains an aggregate outside a window.
pub(crate) fn has_aggregate(e: &Expr) -> bool {
    match e {
        Expr::Function(f) => {
            (f.over.is_none() && functions::is_aggregate(&functions::name(f)))
                || functions::args(f)
                    .iter()
                    .any(|a| a.is_some_and(has_aggregate))
        }
        Expr::BinaryOp { left, right, .. } => has_aggregate(left) || has_aggregate(right),
        Expr::UnaryOp { expr, .. }
        | Expr::Nested(expr)
        | Expr::Cast { expr, .. }
        | Expr::IsNull(expr)
        | Expr::IsNotNull(expr) => has_aggregate(expr),
        Expr::Case {
            operand,
            conditions,
            else_result,
            ..
        } => {
            operand.as_deref().is_some_and(has_aggregate)
                || conditions
                    .iter()
                    .any(|c| has_aggregate(&c.condition) || has_aggregate(&c.result))
                || else_result.as_deref().is_some_and(has_aggregate)
        }
        _ => false,
    }
}

/// Checks that every column the expression names exists.
pub(crate) fn check_type(e: &Expr, columns: &[Col], ctx: &Context<'_>) -> Result<(), SqlError> {
    type_of(e, columns, ctx).map(|_| ())
}

/// The data type a cast names.
pub(crate) fn cast_type(data_type: &sql::DataType) -> Result<Ty, SqlError> {
    let written = data_type.to_string();
    Ty::from_name(&written).ok_or_else(|| error::unsupported(&format!("cast to {written}")))
}

/// The static type of `e` over `columns`.
pub(crate) fn type_of(e: &Expr, columns: &[Col], ctx: &Context<'_>) -> Result<Ty, SqlError> {
    Ok(match e {
        Expr::Identifier(ident) => columns[lookup(columns, std::slice::from_ref(ident))?].ty,
        Expr::CompoundIdentifier(parts) => columns[lookup(columns, parts)?].ty,
        Expr::Value(v) => match &v.value {
            sql::Value::Placeholder(p) => columns[placeholder(columns, p)?].ty,
            sql::Value::Number(n, _) => number_type(n),
            sql::Value::Boolean(_) => Ty::Boolean,
            _ => Ty::Text,
        },
        Expr::Nested(inner) => type_of(inner, columns, ctx)?,
        Expr::UnaryOp { op, expr } => match op {
            UnaryOperator::Not => Ty::Boolean,
            _ => type_of(expr, columns, ctx)?,
        },
        Expr::BinaryOp { left, op, right } => {
            let l = type_of(left, columns, ctx)?;
            let r = type_of(right, columns, ctx)?;
            binary_type(l, op, r)
        }
        Expr::Cast {
            data_type, expr, ..
        } => {
            type_of(expr, columns, ctx)?;
            cast_type(data_type)?
        }
        Expr::TypedString(t) => cast_type(&t.data_type)?,
        Expr::Substring { expr, .. } | Expr::Trim { expr, .. } => {
            type_of(expr, columns, ctx)?;
            Ty::Text
        }
        Expr::Function(f) => functions::type_of(f, columns, ctx)?,
        Expr::Case {
            conditions,
            else_result,
            ..
        } => match conditions.first() {
            Some(c) => type_of(&c.result, columns, ctx)?,
            None => else_result
                .as_deref()
                .map_or(Ok(Ty::Text), |e| type_of(e, columns, ctx))?,
        },
        Expr::IsNull(inner) | Expr::IsNotNull(inner) => {
            type_of(inner, columns, ctx)?;
            Ty::Boolean
        }
        Expr::In { expr, .. }
        | Expr::Between { expr, .. }
        | Expr::Like { expr, .. }
        | Expr::ILike { expr, .. } => {
            type_of(expr, columns, ctx)?;
            Ty::Boolean
        }
        other => return Err(unsupported_expr(other)),
    })
}

fn unsupported_expr(e: &Expr) -> SqlError {
    let text = e.to_string();
    let short: String = text.chars().take(60).collect();
    error::unsupported(&format!("expression {short}"))
}

fn number_type(n: &str) -> Ty {
    match n.split_once('.') {
        Some((whole, fraction)) => Ty::Fixed {
            precision: (whole.trim_start_matches('-').len() + fraction.len()).min(38) as u8,
            scale: fraction.len().min(37) as u8,
        },
        None if n.contains(['e', 'E']) => Ty::Real,
        None => Ty::INTEGER,
    }
}

fn binary_type(l: Ty, op: &BinaryOperator, r: Ty) -> Ty {
    use BinaryOperator as B;
    match op {
        B::StringConcat => Ty::Text,
        B::Plus | B::Minus | B::Multiply | B::Modulo => match (l, r) {
            (Ty::Real, _) | (_, Ty::Real) => Ty::Real,
            (Ty::Date | Ty::TimestampNtz | Ty::TimestampLtz | Ty::TimestampTz, _) => l,
            (Ty::Fixed { scale: a, .. }, Ty::Fixed { scale: b, .. }) => Ty::Fixed {
                precision: 38,
                scale: if matches!(op, B::Multiply) {
                    (a + b).min(37)
                } else {
                    a.max(b)
                },
            },
            _ => Ty::Real,
        },
        B::Divide => match (l, r) {
            (Ty::Real, _) | (_, Ty::Real) => Ty::Real,
            (Ty::Fixed { scale, .. }, _) => Ty::Fixed {
                precision: 38,
                scale: (scale + 6).min(37),
            },
            _ => Ty::Real,
        },
        _ => Ty::Boolean,
    }
}

/// The value of `e` in `scope`.
pub(crate) fn eval(
    ctx: &Context<'_>,
    env: &Env,
    e: &Expr,
    scope: &Scope<'_>,
) -> Result<Value, SqlError> {
    Ok(match e {
        Expr::Identifier(ident) => {
            scope.row[lookup(scope.columns, std::slice::from_ref(ident))?].clone()
        }
        Expr::CompoundIdentifier(parts) => scope.row[lookup(scope.columns, parts)?].clone(),
        Expr::Value(v) => literal(&v.value, scope)?,
        Expr::Nested(inner) => eval(ctx, env, inner, scope)?,
        Expr::UnaryOp { op, expr } => unary(op, eval(ctx, env, expr, scope)?)?,
        Expr::BinaryOp { left, op, right } => binary(ctx, env, left, op, right, scope)?,
        Expr::Cast {
            expr, data_type, ..
        } => cast(eval(ctx, env, expr, scope)?, cast_type(data_type)?)?,
        Expr::TypedString(t) => cast(literal(&t.value.value, scope)?, cast_type(&t.data_type)?)?,
        Expr::Substring {
            expr,
            substring_from,
            substring_for,
            ..
        } => {
            let value = eval(ctx, env, expr, scope)?;
            let from = match substring_from {
                Some(f) => eval(ctx, env, f, scope)?,
                None => Value::Number("1".into()),
            };
            let len = match substring_for {
                Some(l) => Some(eval(ctx, env, l, scope)?),
                None => None,
            };
            functions::substring(&value, &from, len.as_ref())
        }
        Expr::Trim { expr, .. } => match eval(ctx, env, expr, scope)?.text() {
            Some(s) => Value::Text(s.trim().to_string()),
            None => Value::Null,
        },
        Expr::Function(f) => functions::call(ctx, env, f, scope)?,
        Expr::Case {
            operand,
            conditions,
            else_result,
            ..
        } => case(
            ctx,
            env,
            operand.as_deref(),
            conditions,
            else_result.as_deref(),
            scope,
        )?,
        Expr::IsNull(inner) => Value::Bool(eval(ctx, env, inner, scope)?.is_null()),
        Expr::IsNotNull(inner) => Value::Bool(!eval(ctx, env, inner, scope)?.is_null()),
        Expr::In {
            expr,
            target: sql::InTarget::List(list),
            negated,
            ..
        } => {
            let value = eval(ctx, env, expr, scope)?;
            if value.is_null() {
                return Ok(Value::Null);
            }
            let mut hit = false;
            for item in list {
                let item = eval(ctx, env, item, scope)?;
                hit |= compare_sql(&value, &item) == Some(Ordering::Equal);
            }
            Value::Bool(hit != *negated)
        }
        Expr::Between {
            expr,
            negated,
            low,
            high,
        } => {
            let value = eval(ctx, env, expr, scope)?;
            let low = compare_sql(&value, &eval(ctx, env, low, scope)?);
            let high = compare_sql(&value, &eval(ctx, env, high, scope)?);
            match (low, high) {
                (Some(l), Some(h)) => {
                    Value::Bool((l != Ordering::Less && h != Ordering::Greater) != *negated)
                }
                _ => Value::Null,
            }
        }
        Expr::Like {
            negated,
            expr,
            pattern,
            ..
        } => like(ctx, env, expr, pattern, *negated, false, scope)?,
        Expr::ILike {
            negated,
            expr,
            pattern,
            ..
        } => like(ctx, env, expr, pattern, *negated, true, scope)?,
        other => return Err(unsupported_expr(other)),
    })
}

fn literal(v: &sql::Value, scope: &Scope<'_>) -> Result<Value, SqlError> {
    Ok(match v {
        sql::Value::Number(n, _) => Value::Number(n.clone()),
        sql::Value::SingleQuotedString(s) | sql::Value::DoubleQuotedString(s) => {
            Value::Text(s.clone())
        }
        sql::Value::DollarQuotedString(s) => Value::Text(s.value.clone()),
        sql::Value::Boolean(b) => Value::Bool(*b),
        sql::Value::Null => Value::Null,
        sql::Value::Placeholder(p) => scope.row[placeholder(scope.columns, p)?].clone(),
        other => return Err(error::unsupported(&format!("literal {other}"))),
    })
}

fn unary(op: &UnaryOperator, value: Value) -> Result<Value, SqlError> {
    Ok(match (op, value) {
        (_, Value::Null) => Value::Null,
        (UnaryOperator::Not, v) => Value::Bool(!truth(&v)?),
        (UnaryOperator::Plus, v) => v,
        (UnaryOperator::Minus, Value::Number(n)) => Value::Number(match n.strip_prefix('-') {
            Some(positive) => positive.to_string(),
            None => format!("-{n}"),
        }),
        (UnaryOperator::Minus, v) => match v.number() {
            Some(f) => Value::Real(-f),
            None => return Err(numeric_not_recognized(&v)),
        },
        (op, _) => return Err(error::unsupported(&format!("operator {op}"))),
    })
}

/// A value used as a condition.
fn truth(v: &Value) -> Result<bool, SqlError> {
    match v {
        Value::Bool(b) => Ok(*b),
        other => match cast(other.clone(), Ty::Boolean)? {
            Value::Bool(b) => Ok(b),
            _ => Ok(false),
        },
    }
}

impl Value {
    /// True only for TRUE (NULL and FALSE filter a row out).
    pub fn is_true(&self) -> bool {
        !self.is_null() && truth(self).unwrap_or(false)
    }
}

fn binary(
    ctx: &Context<'_>,
    env: &Env,
    left: &Expr,
    op: &BinaryOperator,
    right: &Expr,
    scope: &Scope<'_>,
) -> Result<Value, SqlError> {
    use BinaryOperator as B;
    let l = eval(ctx, env, left, scope)?;
    if matches!(op, B::And | B::Or) {
        let r = eval(ctx, env, right, scope)?;
        let l = (!l.is_null()).then(|| truth(&l)).transpose()?;
        let r = (!r.is_null()).then(|| truth(&r)).transpose()?;
        return Ok(match (op, l, r) {
            (B::And, Some(false), _) | (B::And, _, Some(false)) => Value::Bool(false),
            (B::And, Some(true), Some(true)) => Value::Bool(true),
            (B::Or, Some(true), _) | (B::Or, _, Some(true)) => Value::Bool(true),
            (B::Or, Some(false), Some(false)) => Value::Bool(false),
            _ => Value::Null,
        });
    }
    let r = eval(ctx, env, right, scope)?;
    if l.is_null() || r.is_null() {
        return Ok(Value::Null);
    }
    let ordering = || compare_sql(&l, &r);
    Ok(match op {
        B::Eq => Value::Bool(ordering() == Some(Ordering::Equal)),
        B::NotEq => Value::Bool(ordering() != Some(Ordering::Equal)),
        B::Lt => Value::Bool(ordering() == Some(Ordering::Less)),
        B::LtEq => Value::Bool(matches!(ordering(), Some(Ordering::Less | Ordering::Equal))),
        B::Gt => Value::Bool(ordering() == Some(Ordering::Greater)),
        B::GtEq => Value::Bool(matches!(
            ordering(),
            Some(Ordering::Greater | Ordering::Equal)
        )),
        B::StringConcat => Value::Text(format!(
            "{}{}",
            l.text().unwrap_or_default(),
            r.text().unwrap_or_default()
        )),
        B::Plus | B::Minus | B::Multiply | B::Divide | B::Modulo => arithmetic(&l, op, &r)?,
        other => return Err(error::unsupported(&format!("operator {other}"))),
    })
}

fn arithmetic(l: &Value, op: &BinaryOperator, r: &Value) -> Result<Value, SqlError> {
    use BinaryOperator as B;
    let a = l.number().ok_or_else(|| numeric_not_recognized(l))?;
    let b = r.number().ok_or_else(|| numeric_not_recognized(r))?;
    let exact = matches!(l, Value::Number(_)) && matches!(r, Value::Number(_));
    let result = match op {
        B::Plus => a + b,
        B::Minus => a - b,
        B::Multiply => a * b,
        B::Divide | B::Modulo if b == 0.0 => {
            return Err(SqlError {
                code: "100051".into(),
                sql_state: "22012".into(),
                message: "Division by zero".into(),
            });
        }
        B::Divide => a / b,
        _ => a % b,
    };
    Ok(
        if exact && result.fract() == 0.0 && !matches!(op, B::Divide) {
            Value::Number(format!("{result:.0}"))
        } else if exact {
            Value::Number(format!("{result:.6}"))
        } else {
            Value::Real(result)
        },
    )
}

fn case(
    ctx: &Context<'_>,
    env: &Env,
    operand: Option<&Expr>,
    conditions: &[sql::CaseWhen],
    else_result: Option<&Expr>,
    scope: &Scope<'_>,
) -> Result<Value, SqlError> {
    let subject = operand.map(|o| eval(ctx, env, o, scope)).transpose()?;
    for when in conditions {
        let condition = eval(ctx, env, &when.condition, scope)?;
        let hit = match &subject {
            Some(s) => compare_sql(s, &condition) == Some(Ordering::Equal),
            None => condition.is_true(),
        };
        if hit {
            return eval(ctx, env, &when.result, scope);
        }
    }
    else_result.map_or(Ok(Value::Null), |e| eval(ctx, env, e, scope))
}

fn like(
    ctx: &Context<'_>,
    env: &Env,
    expr: &Expr,
    pattern: &Expr,
    negated: bool,
    insensitive: bool,
    scope: &Scope<'_>,
) -> Result<Value, SqlError> {
    let (Some(text), Some(pattern)) = (
        eval(ctx, env, expr, scope)?.text(),
        eval(ctx, env, pattern, scope)?.text(),
    ) else {
        return Ok(Value::Null);
    };
    let hit = if insensitive {
        like_matches(&pattern.to_lowercase(), &text.to_lowercase())
    } else {
        like_matches(&pattern, &text)
    };
    Ok(Value::Bool(hit != negated))
}

/// SQL LIKE with `%`, `_` and `\` escapes.
pub(crate) fn like_matches(pattern: &str, text: &str) -> bool {
    fn go(p: &[char], t: &[char]) -> bool {
        match p.split_first() {
            None => t.is_empty(),
            Some(('%', rest)) => (0..=t.len()).any(|i| go(rest, &t[i..])),
            Some(('_', rest)) => !t.is_empty() && go(rest, &t[1..]),
            Some(('\\', rest)) if !rest.is_empty() => {
                t.first() == Some(&rest[0]) && go(&rest[1..], &t[1..])
            }
            Some((c, rest)) => t.first() == Some(c) && go(rest, &t[1..]),
        }
    }
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    go(&p, &t)
}

/// SQL comparison: `None` when either side is NULL or they do not compare.
pub(crate) fn compare_sql(a: &Value, b: &Value) -> Option<Ordering> {
    match (a, b) {
        (Value::Null, _) | (_, Value::Null) => None,
        (Value::Text(x), Value::Text(y)) => Some(x.cmp(y)),
        (Value::Bool(x), Value::Bool(y)) => Some(x.cmp(y)),
        (Value::Date(x), Value::Date(y)) => Some(x.cmp(y)),
        (Value::Timestamp(x), Value::Timestamp(y)) => Some(x.cmp(y)),
        (Value::Json(x), Value::Json(y)) => Some(x.to_string().cmp(&y.to_string())),
        (Value::Date(_) | Value::Timestamp(_), Value::Text(_)) => {
            compare_sql(a, &cast(b.clone(), temporal_type(a)).ok()?)
        }
        (Value::Text(_), Value::Date(_) | Value::Timestamp(_)) => {
            compare_sql(&cast(a.clone(), temporal_type(b)).ok()?, b)
        }
        _ => match (a.number(), b.number()) {
            (Some(x), Some(y)) => x.partial_cmp(&y),
            _ => Some(a.text()?.cmp(&b.text()?)),
        },
    }
}

fn temporal_type(v: &Value) -> Ty {
    match v {
        Value::Date(_) => Ty::Date,
        _ => Ty::TimestampNtz,
    }
}

/// A total order for ORDER BY: NULLs last.
pub(crate) fn compare(a: &Value, b: &Value) -> Ordering {
    match (a.is_null(), b.is_null()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        _ => compare_sql(a, b).unwrap_or(Ordering::Equal),
    }
}
