//! Casts: Snowflake's conversions between the types the evaluator knows,
//! with its errors for values that do not convert.

use super::value::{Ty, Value, parse_date, parse_timestamp};
use crate::local::error::{self, SqlError};

/// Converts `value` to `ty` as Snowflake's cast does.
pub(crate) fn cast(value: Value, ty: Ty) -> Result<Value, SqlError> {
    if value.is_null() {
        return Ok(Value::Null);
    }
    Ok(match ty {
        Ty::Text => Value::Text(value.text().unwrap_or_default()),
        Ty::Boolean => to_boolean(&value)?,
        Ty::Fixed { scale, .. } => {
            let n = value
                .number()
                .ok_or_else(|| numeric_not_recognized(&value))?;
            Value::Number(format!("{n:.prec$}", prec = usize::from(scale)))
        }
        Ty::Real => Value::Real(
            value
                .number()
                .ok_or_else(|| numeric_not_recognized(&value))?,
        ),
        Ty::Date => match &value {
            Value::Date(_) => value,
            Value::Timestamp(ns) => Value::Date(ns.div_euclid(86_400_000_000_000) as i64),
            other => {
                let text = other.text().unwrap_or_default();
                Value::Date(parse_date(&text).ok_or_else(|| not_recognized("Date", &text))?)
            }
        },
        Ty::TimestampNtz | Ty::TimestampLtz | Ty::TimestampTz => to_timestamp(&value)?,
        Ty::Variant => Value::Json(value.json()),
        Ty::Array => match value.json() {
            serde_json::Value::Array(items) => Value::Json(serde_json::Value::Array(items)),
            other => Value::Json(serde_json::Value::Array(vec![other])),
        },
        Ty::Object => match value.json() {
            serde_json::Value::Object(map) => Value::Json(serde_json::Value::Object(map)),
            _ => {
                return Err(error::invalid(format!(
                    "Invalid object of type '{}' cannot be cast to OBJECT",
                    value.text().unwrap_or_default()
                )));
            }
        },
    })
}

fn to_boolean(value: &Value) -> Result<Value, SqlError> {
    if let Value::Bool(_) = value {
        return Ok(value.clone());
    }
    if let (Value::Number(_) | Value::Real(_), Some(n)) = (value, value.number()) {
        return Ok(Value::Bool(n != 0.0));
    }
    let text = value.text().unwrap_or_default();
    match text.trim().to_ascii_lowercase().as_str() {
        "true" | "t" | "yes" | "y" | "on" | "1" => Ok(Value::Bool(true)),
        "false" | "f" | "no" | "n" | "off" | "0" => Ok(Value::Bool(false)),
        _ => Err(not_recognized("Boolean", &text)),
    }
}

fn to_timestamp(value: &Value) -> Result<Value, SqlError> {
    Ok(match value {
        Value::Timestamp(_) => value.clone(),
        Value::Date(d) => Value::Timestamp(i128::from(*d) * 86_400_000_000_000),
        Value::Number(_) | Value::Real(_) => {
            let secs = value.number().unwrap_or_default();
            Value::Timestamp((secs * 1e9) as i128)
        }
        other => {
            let text = other.text().unwrap_or_default();
            match parse_timestamp(&text) {
                Some(ns) => Value::Timestamp(ns),
                None => match text.trim().parse::<i128>() {
                    Ok(secs) => Value::Timestamp(secs * 1_000_000_000),
                    Err(_) => return Err(not_recognized("Timestamp", &text)),
                },
            }
        }
    })
}

fn not_recognized(what: &str, text: &str) -> SqlError {
    let (code, what) = match what {
        "Boolean" => ("100037", "Boolean value"),
        "Timestamp" => ("100035", "Timestamp"),
        _ => ("100040", what),
    };
    SqlError {
        code: code.into(),
        sql_state: "22018".into(),
        message: format!("{what} '{text}' is not recognized"),
    }
}

/// Snowflake's error for a value that is not a number.
pub(crate) fn numeric_not_recognized(v: &Value) -> SqlError {
    SqlError {
        code: "100038".into(),
        sql_state: "22018".into(),
        message: format!(
            "Numeric value '{}' is not recognized",
            v.text().unwrap_or_default()
        ),
    }
}
