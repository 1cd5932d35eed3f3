//! Values and types of the SELECT evaluator.
//!
//! A [`Value`] is one cell while a query runs; a [`Ty`] is a column's
//! static type, known before any row is read (describe-only answers need
//! it). Cells leave the evaluator as the text Snowflake's JSON result
//! format carries: numbers as digits, booleans as `true`/`false`,
//! timestamps as seconds since the epoch with nine decimals, dates as days
//! since the epoch, semi-structured values as JSON text.

use serde_json::Value as Json;

use crate::session::ColumnType;

/// A column's static type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    /// VARCHAR.
    Text,
    /// NUMBER(p, s).
    Fixed {
        /// Precision.
        precision: u8,
        /// Scale.
        scale: u8,
    },
    /// FLOAT.
    Real,
    /// BOOLEAN.
    Boolean,
    /// DATE.
    Date,
    /// TIMESTAMP_NTZ.
    TimestampNtz,
    /// TIMESTAMP_LTZ.
    TimestampLtz,
    /// TIMESTAMP_TZ.
    TimestampTz,
    /// VARIANT.
    Variant,
    /// ARRAY.
    Array,
    /// OBJECT.
    Object,
}

impl Ty {
    /// NUMBER(38,0).
    pub const INTEGER: Ty = Ty::Fixed {
        precision: 38,
        scale: 0,
    };

    /// The session column type of this type.
    pub fn column_type(self) -> ColumnType {
        match self {
            Ty::Text => ColumnType::Text,
            Ty::Fixed { .. } => ColumnType::Fixed,
            Ty::Real => ColumnType::Real,
            Ty::Boolean => ColumnType::Boolean,
            Ty::Date => ColumnType::Date,
            Ty::TimestampNtz => ColumnType::TimestampNtz,
            Ty::TimestampLtz => ColumnType::TimestampLtz,
            Ty::TimestampTz => ColumnType::TimestampTz,
            Ty::Variant => ColumnType::Variant,
            Ty::Array => ColumnType::Array,
            Ty::Object => ColumnType::Object,
        }
    }

    /// The type of a session column (a cached result's column).
    pub fn of_column(ty: ColumnType) -> Ty {
        match ty {
            ColumnType::Text => Ty::Text,
            ColumnType::Fixed => Ty::INTEGER,
            ColumnType::Real => Ty::Real,
            ColumnType::Boolean => Ty::Boolean,
            ColumnType::Date => Ty::Date,
            ColumnType::TimestampNtz => Ty::TimestampNtz,
            ColumnType::TimestampLtz => Ty::TimestampLtz,
            ColumnType::TimestampTz => Ty::TimestampTz,
            ColumnType::Variant => Ty::Variant,
            ColumnType::Array => Ty::Array,
            ColumnType::Object => Ty::Object,
        }
    }

    /// The type as DESCRIBE prints it (`VARCHAR(16777216)`, `NUMBER(38,0)`, ...).
    pub fn describe(self) -> String {
        match self {
            Ty::Text => "VARCHAR(16777216)".into(),
            Ty::Fixed { precision, scale } => format!("NUMBER({precision},{scale})"),
            Ty::Real => "FLOAT".into(),
            Ty::Boolean => "BOOLEAN".into(),
            Ty::Date => "DATE".into(),
            Ty::TimestampNtz => "TIMESTAMP_NTZ(9)".into(),
            Ty::TimestampLtz => "TIMESTAMP_LTZ(9)".into(),
            Ty::TimestampTz => "TIMESTAMP_TZ(9)".into(),
            Ty::Variant => "VARIANT".into(),
            Ty::Array => "ARRAY".into(),
            Ty::Object => "OBJECT".into(),
        }
    }

    /// The type a data type name written in DDL or a cast stands for
    /// (`VARCHAR(16)`, `NUMBER(9, 6)`, `TIMESTAMP_NTZ`, `STRING`, ...).
    /// Names outside Snowflake's list give `None`.
    pub fn from_name(written: &str) -> Option<Ty> {
        let upper = written.trim().to_ascii_uppercase();
        let (base, args) = match upper.split_once('(') {
            Some((b, rest)) => (b.trim().to_string(), rest.trim_end_matches(')').to_string()),
            None => (upper.clone(), String::new()),
        };
        let numbers: Vec<u8> = args
            .split(',')
            .filter_map(|a| a.trim().parse().ok())
            .collect();
        Some(match base.as_str() {
            "VARCHAR" | "STRING" | "TEXT" | "CHAR" | "CHARACTER" | "NCHAR" | "NVARCHAR"
            | "NVARCHAR2" | "CHAR VARYING" | "NCHAR VARYING" | "BINARY" | "VARBINARY" => Ty::Text,
            "NUMBER" | "DECIMAL" | "NUMERIC" => Ty::Fixed {
                precision: numbers.first().copied().unwrap_or(38),
                scale: numbers.get(1).copied().unwrap_or(0),
            },
            "INT" | "INTEGER" | "BIGINT" | "SMALLINT" | "TINYINT" | "BYTEINT" => Ty::INTEGER,
            "FLOAT" | "FLOAT4" | "FLOAT8" | "DOUBLE" | "DOUBLE PRECISION" | "REAL" => Ty::Real,
            "BOOLEAN" | "BOOL" => Ty::Boolean,
            "DATE" => Ty::Date,
            "TIMESTAMP_NTZ"
            | "DATETIME"
            | "TIMESTAMP"
            | "TIMESTAMPNTZ"
            | "TIMESTAMP WITHOUT TIME ZONE" => Ty::TimestampNtz,
            "TIMESTAMP_LTZ" | "TIMESTAMPLTZ" | "TIMESTAMP WITH LOCAL TIME ZONE" => Ty::TimestampLtz,
            "TIMESTAMP_TZ" | "TIMESTAMPTZ" | "TIMESTAMP WITH TIME ZONE" => Ty::TimestampTz,
            "VARIANT" => Ty::Variant,
            "ARRAY" => Ty::Array,
            "OBJECT" => Ty::Object,
            _ => return None,
        })
    }

    /// True for the three timestamp types.
    pub fn is_timestamp(self) -> bool {
        matches!(self, Ty::TimestampNtz | Ty::TimestampLtz | Ty::TimestampTz)
    }
}

/// One cell while a query runs.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// SQL NULL.
    Null,
    /// A string.
    Text(String),
    /// An exact number, as its decimal text.
    Number(String),
    /// A floating-point number.
    Real(f64),
    /// A boolean.
    Bool(bool),
    /// A date: days since 1970-01-01.
    Date(i64),
    /// A timestamp: nanoseconds since 1970-01-01 00:00:00 UTC.
    Timestamp(i128),
    /// A semi-structured value.
    Json(Json),
}

impl Value {
    /// The cell as Snowflake's JSON result format carries it; `None` for NULL.
    pub fn cell(&self) -> Option<String> {
        match self {
            Value::Null => None,
            Value::Text(s) | Value::Number(s) => Some(s.clone()),
            Value::Real(f) => Some(format_real(*f)),
            Value::Bool(b) => Some(b.to_string()),
            Value::Date(d) => Some(d.to_string()),
            Value::Timestamp(ns) => Some(format_epoch(*ns)),
            Value::Json(j) => Some(serde_json::to_string_pretty(j).unwrap_or_default()),
        }
    }

    /// A cell read back from a cached result of type `ty`.
    pub fn from_cell(cell: Option<&str>, ty: Ty) -> Value {
        let Some(text) = cell else {
            return Value::Null;
        };
        match ty {
            Ty::Fixed { .. } => Value::Number(text.to_string()),
            Ty::Real => text.parse().map_or(Value::Null, Value::Real),
            Ty::Boolean => Value::Bool(text.eq_ignore_ascii_case("true") || text == "1"),
            Ty::Date => text.parse().map_or(Value::Null, Value::Date),
            Ty::TimestampNtz | Ty::TimestampLtz | Ty::TimestampTz => {
                parse_epoch(text).map_or(Value::Text(text.to_string()), Value::Timestamp)
            }
            Ty::Variant | Ty::Array | Ty::Object => serde_json::from_str(text)
                .map_or_else(|_| Value::Text(text.to_string()), Value::Json),
            Ty::Text => Value::Text(text.to_string()),
        }
    }

    /// True for NULL.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// The value as text, as `::STRING` converts it; `None` for NULL.
    pub fn text(&self) -> Option<String> {
        match self {
            Value::Null => None,
            Value::Text(s) => Some(s.clone()),
            Value::Json(Json::String(s)) => Some(s.clone()),
            Value::Json(j) => Some(j.to_string()),
            Value::Timestamp(ns) => Some(format_timestamp(*ns)),
            Value::Date(d) => Some(format_date(*d)),
            other => other.cell(),
        }
    }

    /// The value as a number, when it is one or reads as one.
    pub fn number(&self) -> Option<f64> {
        match self {
            Value::Number(s) | Value::Text(s) => s.trim().parse().ok(),
            Value::Real(f) => Some(*f),
            Value::Json(Json::Number(n)) => n.as_f64(),
            Value::Bool(b) => Some(f64::from(u8::from(*b))),
            _ => None,
        }
    }

    /// The value as JSON (VARIANT conversion).
    pub fn json(&self) -> Json {
        match self {
            Value::Null => Json::Null,
            Value::Text(s) => Json::String(s.clone()),
            Value::Number(s) => serde_json::from_str(s).unwrap_or(Json::String(s.clone())),
            Value::Real(f) => serde_json::Number::from_f64(*f).map_or(Json::Null, Json::Number),
            Value::Bool(b) => Json::Bool(*b),
            Value::Json(j) => j.clone(),
            Value::Date(_) | Value::Timestamp(_) => Json::String(self.text().unwrap_or_default()),
        }
    }
}

fn format_real(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{f:.1}")
    } else {
        f.to_string()
    }
}

/// `seconds.nanoseconds` since the epoch, as the JSON result format sends timestamps.
fn format_epoch(ns: i128) -> String {
    let secs = ns.div_euclid(1_000_000_000);
    let frac = ns.rem_euclid(1_000_000_000);
    format!("{secs}.{frac:09}")
}

fn parse_epoch(text: &str) -> Option<i128> {
    let (secs, frac) = text.split_once('.').unwrap_or((text, "0"));
    let secs: i128 = secs.parse().ok()?;
    let frac = format!("{frac:0<9}");
    let frac: i128 = frac.get(..9)?.parse().ok()?;
    Some(secs * 1_000_000_000 + frac)
}

/// `YYYY-MM-DD HH:MM:SS.fffffffff`.
pub fn format_timestamp(ns: i128) -> String {
    let secs = ns.div_euclid(1_000_000_000);
    let frac = ns.rem_euclid(1_000_000_000);
    let days = secs.div_euclid(86_400) as i64;
    let rem = secs.rem_euclid(86_400);
    format!(
        "{} {:02}:{:02}:{:02}.{frac:09}",
        format_date(days),
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

/// `YYYY-MM-DD`.
pub fn format_date(days: i64) -> String {
    let (y, m, d) = crate::local::time::civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Reads `YYYY-MM-DD[ |T]HH:MM[:SS[.fff]][Z|±HH:MM]` as nanoseconds since
/// the epoch (an offset is applied; without one the time is UTC).
pub fn parse_timestamp(text: &str) -> Option<i128> {
    let text = text.trim();
    let date = text.get(..10)?;
    let days = parse_date(date)?;
    let mut ns = i128::from(days) * 86_400 * 1_000_000_000;
    let rest = text[10..].trim_start_matches(['T', ' ']);
    if rest.is_empty() {
        return Some(ns);
    }
    let (clock, offset) = split_offset(rest);
    let mut parts = clock.split(':');
    let hours: i128 = parts.next()?.trim().parse().ok()?;
    let minutes: i128 = parts.next()?.trim().parse().ok()?;
    let (seconds, fraction) = match parts.next() {
        Some(s) => {
            let (whole, frac) = s.trim().split_once('.').unwrap_or((s.trim(), ""));
            let frac = format!("{frac:0<9}");
            (
                whole.parse::<i128>().ok()?,
                frac.get(..9)?.parse::<i128>().ok()?,
            )
        }
        None => (0, 0),
    };
    if hours > 23 || minutes > 59 || seconds > 59 {
        return None;
    }
    ns += ((hours * 60 + minutes) * 60 + seconds) * 1_000_000_000 + fraction;
    Some(ns - offset? * 60 * 1_000_000_000)
}

/// Splits a trailing `Z` or `±HH:MM` / `±HHMM` offset; the offset in minutes.
fn split_offset(rest: &str) -> (&str, Option<i128>) {
    if let Some(clock) = rest.strip_suffix('Z') {
        return (clock.trim(), Some(0));
    }
    let Some(at) = rest.rfind(['+', '-']) else {
        return (rest, Some(0));
    };
    let (clock, offset) = rest.split_at(at);
    let sign = if offset.starts_with('-') { -1 } else { 1 };
    let digits: String = offset[1..].chars().filter(char::is_ascii_digit).collect();
    let minutes = match digits.len() {
        2 => digits.parse::<i128>().ok().map(|h| h * 60),
        4 => {
            let h = digits[..2].parse::<i128>().ok();
            let m = digits[2..].parse::<i128>().ok();
            h.zip(m).map(|(h, m)| h * 60 + m)
        }
        _ => None,
    };
    (clock.trim(), minutes.map(|m| sign * m))
}

/// Reads `YYYY-MM-DD` as days since the epoch.
pub fn parse_date(text: &str) -> Option<i64> {
    let mut parts = text.trim().splitn(3, '-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    let d: u32 = parts.next()?.get(..2)?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    Some(days_from_civil(y, m, d))
}

/// Howard Hinnant's civil-to-days conversion (proleptic Gregorian).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_round_trip_through_text_and_epoch() {
        let ns = parse_timestamp("2024-02-29 13:45:10.5").expect("valid timestamp");
        assert_eq!(format_timestamp(ns), "2024-02-29 13:45:10.500000000");
        assert_eq!(
            Value::Timestamp(ns).cell().as_deref(),
            Some("1709214310.500000000")
        );
        let with_offset = parse_timestamp("2024-02-29T15:45:10.5+02:00").expect("offset");
        assert_eq!(with_offset, ns);
        assert_eq!(parse_timestamp("2024-13-01"), None);
    }

    #[test]
    fn type_names_map_to_snowflake_types() {
        assert_eq!(Ty::from_name("VARCHAR(16)"), Some(Ty::Text));
        assert_eq!(
            Ty::from_name("NUMBER(9, 6)"),
            Some(Ty::Fixed {
                precision: 9,
                scale: 6
            })
        );
        assert_eq!(Ty::from_name("timestamp_ntz"), Some(Ty::TimestampNtz));
        assert_eq!(Ty::from_name("GEOGRAPHY"), None);
        assert_eq!(Ty::TimestampNtz.describe(), "TIMESTAMP_NTZ(9)");
    }
}
