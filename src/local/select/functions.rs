//! Function calls: context functions, string and conversion functions,
//! aggregates, ENTITY_DETAIL and SYSTEM$CANCEL_ALL_QUERIES.
//!
//! Every function has a static result type. Some functions only have a
//! type here (date arithmetic, window ranking, geography math): they occur
//! in the queries of views and dynamic tables, whose columns the local
//! account must type, but the account holds no rows to run them on; called
//! on a row they are refused as unsupported. A function this module does
//! not know at all is typed VARCHAR when its type is asked for (the type a
//! client can always read) and refused when it is called.

use sqlparser::ast::{self as sql, Expr, Function, FunctionArg, FunctionArgExpr};

use super::cast::{cast, numeric_not_recognized};
use super::expr::{self, Scope, compare};
use super::value::{Ty, Value};
use super::{Col, Context, Env, entity_detail};
use crate::local::error::{self, SqlError};

/// The function's name, upper-cased (last part of a qualified name).
pub(crate) fn name(f: &Function) -> String {
    f.name
        .0
        .last()
        .and_then(|p| p.as_ident())
        .map(|i| i.value.to_ascii_uppercase())
        .unwrap_or_default()
}

/// The positional arguments; `None` stands for `*`.
pub(crate) fn args(f: &Function) -> Vec<Option<&Expr>> {
    match &f.args {
        sql::FunctionArguments::List(list) => list
            .args
            .iter()
            .map(|a| match a {
                FunctionArg::Unnamed(FunctionArgExpr::Expr(e))
                | FunctionArg::Named {
                    arg: FunctionArgExpr::Expr(e),
                    ..
                }
                | FunctionArg::ExprNamed {
                    arg: FunctionArgExpr::Expr(e),
                    ..
                } => Some(e),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// True for the aggregate functions the evaluator computes.
pub(crate) fn is_aggregate(name: &str) -> bool {
    matches!(
        name,
        "COUNT" | "COUNT_IF" | "SUM" | "AVG" | "MIN" | "MAX" | "ANY_VALUE" | "LISTAGG"
    )
}

/// Functions with a fixed result type.
fn fixed_type(name: &str) -> Option<Ty> {
    Some(match name {
        "CURRENT_DATABASE"
        | "CURRENT_SCHEMA"
        | "CURRENT_WAREHOUSE"
        | "CURRENT_ROLE"
        | "CURRENT_VERSION"
        | "CURRENT_ACCOUNT"
        | "CURRENT_USER"
        | "CURRENT_REGION"
        | "CURRENT_SESSION"
        | "LAST_QUERY_ID"
        | "SUBSTR"
        | "SUBSTRING"
        | "REPLACE"
        | "UPPER"
        | "LOWER"
        | "TRIM"
        | "LTRIM"
        | "RTRIM"
        | "CONCAT"
        | "TO_VARCHAR"
        | "TO_CHAR"
        | "LEFT"
        | "RIGHT"
        | "SPLIT_PART"
        | "ENTITY_DETAIL"
        | "SYSTEM$CANCEL_ALL_QUERIES"
        | "TO_JSON"
        | "LISTAGG"
        | "INITCAP"
        | "LPAD"
        | "RPAD" => Ty::Text,
        "COUNT" | "COUNT_IF" | "LENGTH" | "LEN" | "ROW_NUMBER" | "RANK" | "DENSE_RANK" | "SEQ1"
        | "SEQ2" | "SEQ4" | "SEQ8" | "DATEDIFF" | "TIMESTAMPDIFF" | "YEAR" | "MONTH" | "DAY"
        | "DAYOFMONTH" | "DAYOFWEEK" | "DAYOFWEEKISO" | "DAYOFYEAR" | "WEEK" | "WEEKISO"
        | "WEEKOFYEAR" | "QUARTER" | "HOUR" | "MINUTE" | "SECOND" | "DATE_PART" | "ARRAY_SIZE"
        | "NTILE" | "SIGN" => Ty::INTEGER,
        "STARTSWITH" | "ENDSWITH" | "CONTAINS" | "TO_BOOLEAN" | "IS_NULL_VALUE" => Ty::Boolean,
        "HAVERSINE" | "SQRT" | "LN" | "LOG" | "EXP" | "POWER" | "POW" | "STDDEV"
        | "STDDEV_SAMP" | "STDDEV_POP" | "VARIANCE" | "VAR_SAMP" | "VAR_POP" | "CORR"
        | "RANDOM" | "PERCENT_RANK" | "CUME_DIST" | "SIN" | "COS" | "ATAN2" | "RADIANS" => Ty::Real,
        "TO_TIMESTAMP" | "TO_TIMESTAMP_NTZ" | "SYSDATE" => Ty::TimestampNtz,
        "TO_TIMESTAMP_LTZ" | "CURRENT_TIMESTAMP" | "LOCALTIMESTAMP" | "GETDATE" => Ty::TimestampLtz,
        "TO_TIMESTAMP_TZ" => Ty::TimestampTz,
        "TO_DATE" | "DATE" | "CURRENT_DATE" | "LAST_DAY" => Ty::Date,
        "PARSE_JSON" | "TO_VARIANT" | "TRY_PARSE_JSON" => Ty::Variant,
        "ARRAY_CONSTRUCT" | "TO_ARRAY" | "ARRAY_AGG" | "SPLIT" => Ty::Array,
        "OBJECT_CONSTRUCT" | "TO_OBJECT" | "OBJECT_AGG" => Ty::Object,
        "TO_NUMBER" | "TO_DECIMAL" | "TO_NUMERIC" => Ty::INTEGER,
        "DIV0" | "DIV0NULL" => Ty::Fixed {
            precision: 38,
            scale: 6,
        },
        _ => return None,
    })
}

/// Functions whose type is that of their argument at `index`.
fn argument_type_index(name: &str) -> Option<usize> {
    Some(match name {
        "MIN" | "MAX" | "ANY_VALUE" | "LAG" | "LEAD" | "FIRST_VALUE" | "LAST_VALUE"
        | "NTH_VALUE" | "ABS" | "ROUND" | "TRUNC" | "TRUNCATE" | "FLOOR" | "CEIL" | "GREATEST"
        | "LEAST" | "COALESCE" | "NVL" | "IFNULL" | "NULLIF" | "ZEROIFNULL" | "NULLIFZERO"
        | "MEDIAN" | "MODE" => 0,
        "IFF" | "NVL2" | "DATEADD" | "TIMESTAMPADD" | "DATE_TRUNC" => 1,
        _ => return None,
    })
}

/// The static type of a call.
pub(crate) fn type_of(f: &Function, columns: &[Col], ctx: &Context<'_>) -> Result<Ty, SqlError> {
    let name = name(f);
    let args = args(f);
    let mut arg_types = Vec::with_capacity(args.len());
    for a in &args {
        arg_types.push(match a {
            Some(e) if !is_date_part(&name, e) => Some(expr::type_of(e, columns, ctx)?),
            _ => None,
        });
    }
    if let Some(ty) = fixed_type(&name) {
        return Ok(ty);
    }
    let arg = |i: usize| arg_types.get(i).copied().flatten();
    Ok(match name.as_str() {
        "SUM" => match arg(0) {
            Some(Ty::Fixed { scale, .. }) => Ty::Fixed {
                precision: 38,
                scale,
            },
            _ => Ty::Real,
        },
        "AVG" => match arg(0) {
            Some(Ty::Fixed { scale, .. }) => Ty::Fixed {
                precision: 38,
                scale: (scale + 3).clamp(6, 37),
            },
            _ => Ty::Real,
        },
        // DATEADD(part, n, x) and DATE_TRUNC(part, x): the type of x.
        "DATEADD" | "TIMESTAMPADD" => arg(2).unwrap_or(Ty::TimestampNtz),
        "DATE_TRUNC" => arg(1).unwrap_or(Ty::TimestampNtz),
        _ => match argument_type_index(&name) {
            Some(i) => arg(i).unwrap_or(Ty::Text),
            // Unknown to the local account: typed VARCHAR (see the module doc).
            None => Ty::Text,
        },
    })
}

/// The first argument of DATEADD/DATEDIFF/DATE_TRUNC/... is a date part
/// keyword (`day`, `hour`), not a column.
fn is_date_part(name: &str, e: &Expr) -> bool {
    matches!(
        name,
        "DATEADD" | "DATEDIFF" | "TIMESTAMPADD" | "TIMESTAMPDIFF" | "DATE_TRUNC" | "DATE_PART"
    ) && matches!(e, Expr::Identifier(_))
}

/// The value of a call in `scope`.
pub(crate) fn call(
    ctx: &Context<'_>,
    env: &Env,
    f: &Function,
    scope: &Scope<'_>,
) -> Result<Value, SqlError> {
    let name = name(f);
    if f.over.is_some() {
        return Err(error::unsupported(&format!("window function {name}")));
    }
    if is_aggregate(&name) {
        return aggregate(ctx, env, &name, f, scope);
    }
    let mut values = Vec::new();
    for (i, a) in args(f).into_iter().enumerate() {
        values.push(match a {
            // A date part is a keyword, not a column.
            Some(e) if i == 0 && is_date_part(&name, e) => {
                Value::Text(expr::column_name(e).to_ascii_uppercase())
            }
            Some(e) => expr::eval(ctx, env, e, scope)?,
            None => Value::Null,
        });
    }
    if let Some(v) = context_function(ctx, &name) {
        return Ok(v);
    }
    scalar(ctx, &name, &values)
}

fn context_function(ctx: &Context<'_>, name: &str) -> Option<Value> {
    let text = |v: Option<String>| v.map_or(Value::Null, Value::Text);
    let session = ctx.session;
    Some(match name {
        "CURRENT_DATABASE" => text(session.database.as_ref().map(|d| d.to_string())),
        "CURRENT_SCHEMA" => text(session.schema.as_ref().map(|s| s.to_string())),
        "CURRENT_WAREHOUSE" => text(session.warehouse.as_ref().map(|w| w.to_string())),
        "CURRENT_ROLE" => Value::Text("ACCOUNTADMIN".into()),
        "CURRENT_ACCOUNT" => Value::Text("LOCAL".into()),
        "CURRENT_VERSION" => Value::Text(format!("floe-local {}", env!("CARGO_PKG_VERSION"))),
        "LAST_QUERY_ID" => text(session.last_query_id.clone()),
        "CURRENT_TIMESTAMP" | "LOCALTIMESTAMP" | "GETDATE" | "SYSDATE" => {
            Value::Timestamp(i128::from(ctx.now) * 1_000_000)
        }
        "CURRENT_DATE" => Value::Date((ctx.now / 86_400_000) as i64),
        _ => return None,
    })
}

fn scalar(ctx: &Context<'_>, name: &str, v: &[Value]) -> Result<Value, SqlError> {
    let arg = |i: usize| v.get(i).cloned().unwrap_or(Value::Null);
    let text = |i: usize| v.get(i).and_then(Value::text);
    Ok(match name {
        "SUBSTR" | "SUBSTRING" => substring(&arg(0), &arg(1), v.get(2)),
        "REPLACE" => match (text(0), text(1)) {
            (Some(s), Some(from)) if !from.is_empty() => {
                Value::Text(s.replace(&from, &text(2).unwrap_or_default()))
            }
            (Some(s), Some(_)) => Value::Text(s),
            _ => Value::Null,
        },
        "UPPER" => text(0).map_or(Value::Null, |s| Value::Text(s.to_uppercase())),
        "LOWER" => text(0).map_or(Value::Null, |s| Value::Text(s.to_lowercase())),
        "TRIM" => text(0).map_or(Value::Null, |s| Value::Text(s.trim().to_string())),
        "LTRIM" => text(0).map_or(Value::Null, |s| Value::Text(s.trim_start().to_string())),
        "RTRIM" => text(0).map_or(Value::Null, |s| Value::Text(s.trim_end().to_string())),
        "LENGTH" | "LEN" => text(0).map_or(Value::Null, |s| {
            Value::Number(s.chars().count().to_string())
        }),
        "CONCAT" => match v.iter().map(Value::text).collect::<Option<Vec<_>>>() {
            Some(parts) => Value::Text(parts.concat()),
            None => Value::Null,
        },
        "STARTSWITH" | "ENDSWITH" | "CONTAINS" => match (text(0), text(1)) {
            (Some(s), Some(p)) => Value::Bool(match name {
                "STARTSWITH" => s.starts_with(&p),
                "ENDSWITH" => s.ends_with(&p),
                _ => s.contains(&p),
            }),
            _ => Value::Null,
        },
        "COALESCE" | "NVL" | "IFNULL" => v
            .iter()
            .find(|x| !x.is_null())
            .cloned()
            .unwrap_or(Value::Null),
        "IFF" => {
            if arg(0).is_true() {
                arg(1)
            } else {
                arg(2)
            }
        }
        "NULLIF" => match expr::compare_sql(&arg(0), &arg(1)) {
            Some(std::cmp::Ordering::Equal) => Value::Null,
            _ => arg(0),
        },
        "TO_VARCHAR" | "TO_CHAR" => cast(arg(0), Ty::Text)?,
        "TO_BOOLEAN" => cast(arg(0), Ty::Boolean)?,
        "TO_NUMBER" | "TO_DECIMAL" | "TO_NUMERIC" => cast(arg(0), Ty::INTEGER)?,
        "TO_DATE" | "DATE" => cast(arg(0), Ty::Date)?,
        "TO_TIMESTAMP" | "TO_TIMESTAMP_NTZ" | "TO_TIMESTAMP_LTZ" | "TO_TIMESTAMP_TZ" => {
            cast(arg(0), Ty::TimestampNtz)?
        }
        "PARSE_JSON" | "TRY_PARSE_JSON" => match text(0) {
            None => Value::Null,
            Some(s) => match serde_json::from_str(&s) {
                Ok(j) => Value::Json(j),
                Err(_) if name == "TRY_PARSE_JSON" => Value::Null,
                Err(e) => {
                    return Err(SqlError {
                        code: "100069".into(),
                        sql_state: "22P02".into(),
                        message: format!("Error parsing JSON: {e}"),
                    });
                }
            },
        },
        "DATEADD" | "TIMESTAMPADD" => date_add(text(0).as_deref(), &arg(1), arg(2))?,
        "TO_VARIANT" => cast(arg(0), Ty::Variant)?,
        "TO_ARRAY" => cast(arg(0), Ty::Array)?,
        "TO_JSON" => Value::Text(arg(0).json().to_string()),
        "ARRAY_CONSTRUCT" => Value::Json(serde_json::Value::Array(
            v.iter().map(Value::json).collect(),
        )),
        "ARRAY_SIZE" => match arg(0).json() {
            serde_json::Value::Array(items) => Value::Number(items.len().to_string()),
            _ => Value::Null,
        },
        "ENTITY_DETAIL" => entity_detail::call(ctx, &text(0), &text(1), &text(2))?,
        "SYSTEM$CANCEL_ALL_QUERIES" => {
            // The local account runs statements one at a time and to the
            // end: no query of the session is ever running to cancel.
            Value::Text("0 cancelled.".into())
        }
        other => return Err(error::unsupported(&format!("function {other}"))),
    })
}

/// SUBSTR(s, from [, len]) with Snowflake's 1-based, end-relative positions.
pub(crate) fn substring(value: &Value, from: &Value, len: Option<&Value>) -> Value {
    let (Some(s), Some(from)) = (value.text(), from.number()) else {
        return Value::Null;
    };
    let chars: Vec<char> = s.chars().collect();
    let count = chars.len() as i64;
    let from = from as i64;
    let start = match from {
        0 | 1 => 0,
        n if n > 0 => n - 1,
        n => (count + n).max(0),
    };
    let end = match len {
        Some(l) => match l.number() {
            Some(l) if l <= 0.0 => start,
            Some(l) => start.saturating_add(l as i64),
            None => return Value::Null,
        },
        None => count,
    };
    let (start, end) = (start.clamp(0, count) as usize, end.clamp(0, count) as usize);
    Value::Text(chars[start..end.max(start)].iter().collect())
}

fn aggregate(
    ctx: &Context<'_>,
    env: &Env,
    name: &str,
    f: &Function,
    scope: &Scope<'_>,
) -> Result<Value, SqlError> {
    let Some(rows) = scope.group else {
        return Err(error::invalid(format!(
            "Aggregate function {name} is not allowed here."
        )));
    };
    let arg = args(f).first().copied().flatten();
    let mut values = Vec::with_capacity(rows.len());
    for row in rows {
        let row_scope = Scope::row(scope.columns, row);
        values.push(match arg {
            Some(e) => expr::eval(ctx, env, e, &row_scope)?,
            None => Value::Bool(true),
        });
    }
    let mut present = values.iter().filter(|v| !v.is_null());
    Ok(match name {
        "COUNT" => Value::Number(present.count().to_string()),
        "COUNT_IF" => Value::Number(values.iter().filter(|v| v.is_true()).count().to_string()),
        "SUM" | "AVG" => {
            let numbers: Vec<f64> = present.filter_map(Value::number).collect();
            if numbers.is_empty() {
                Value::Null
            } else {
                let sum: f64 = numbers.iter().sum();
                let result = if name == "SUM" {
                    sum
                } else {
                    sum / numbers.len() as f64
                };
                Value::Number(if result.fract() == 0.0 && name == "SUM" {
                    format!("{result:.0}")
                } else {
                    format!("{result:.6}")
                })
            }
        }
        "MIN" => present
            .min_by(|a, b| compare(a, b))
            .cloned()
            .unwrap_or(Value::Null),
        "MAX" => present
            .max_by(|a, b| compare(a, b))
            .cloned()
            .unwrap_or(Value::Null),
        "ANY_VALUE" => present.next().cloned().unwrap_or(Value::Null),
        other => return Err(error::unsupported(&format!("function {other}"))),
    })
}

/// `DATEADD(part, n, x)` for the time parts second, minute, hour and day
/// (singular or plural): `x` moved by `n` of them; NULL in, NULL out.
fn date_add(part: Option<&str>, n: &Value, x: Value) -> Result<Value, SqlError> {
    let unit: i128 = match part.unwrap_or_default() {
        "SECOND" | "SECONDS" => 1_000_000_000,
        "MINUTE" | "MINUTES" => 60 * 1_000_000_000,
        "HOUR" | "HOURS" => 3_600 * 1_000_000_000,
        "DAY" | "DAYS" => 86_400 * 1_000_000_000,
        other => return Err(error::unsupported(&format!("DATEADD by {other}"))),
    };
    if n.is_null() || x.is_null() {
        return Ok(Value::Null);
    }
    let count = n.number().ok_or_else(|| numeric_not_recognized(n))?.trunc() as i128;
    Ok(match x {
        Value::Date(days) if unit % 86_400_000_000_000 == 0 => {
            Value::Date(days + (count * unit / 86_400_000_000_000) as i64)
        }
        Value::Date(days) => Value::Timestamp(i128::from(days) * 86_400_000_000_000 + count * unit),
        other => match cast(other, Ty::TimestampNtz)? {
            Value::Timestamp(ns) => Value::Timestamp(ns + count * unit),
            v => v,
        },
    })
}
