//! The JSON documents of Snowflake's query protocol, as the Python connector
//! and snowflake-connector-rs read them: login answers, result sets
//! (`rowtype` + JSON `rowset`, larger ones split into an inline first page
//! and downloadable chunks), error answers and Snowflake's error codes.
//!
//! Pure functions from values to `serde_json::Value`; no I/O, no session
//! state. What the routes decide (which answer to give) lives in `routes.rs`.

use serde_json::{Value, json};

use crate::session::{ColumnType, LoginContext, Rows, SqlError};

/// `390100`: wrong user name or password.
pub const INCORRECT_CREDENTIALS: &str = "390100";
/// `390112`: the session token is unknown or expired; clients renew or log in again.
pub const SESSION_EXPIRED: &str = "390112";
/// `390113`: the master token presented for renewal is unknown.
pub const MASTER_TOKEN_NOT_FOUND: &str = "390113";
/// `390400`: a request the server cannot read.
pub const BAD_REQUEST: &str = "390400";
/// The `statementTypeId` of a query.
const STATEMENT_TYPE_SELECT: u32 = 0x1000;
/// The `statementTypeId`s of INSERT, UPDATE and DELETE, and the exact
/// result columns Snowflake answers them with: clients take a statement of
/// these types as DML and add its counts into `rowcount`.
const DML_RESULTS: &[(u32, &[&str])] = &[
    (0x3100, &["number of rows inserted"]),
    (
        0x3200,
        &[
            "number of rows updated",
            "number of multi-joined rows updated",
        ],
    ),
    (0x3300, &["number of rows deleted"]),
];
/// The `statementTypeId` of MERGE, whose result has one count column per
/// kind of clause it holds, in the order of [`MERGE_COLUMNS`]. A MERGE with
/// only an INSERT (or only a DELETE) clause has INSERT's (DELETE's) result
/// and is announced as one: clients count the rows of every DML type alike.
const STATEMENT_TYPE_MERGE: u32 = 0x3400;
/// The count columns a MERGE result takes its columns from, in order.
const MERGE_COLUMNS: &[&str] = &[
    "number of rows inserted",
    "number of rows updated",
    "number of rows deleted",
];

/// The `statementTypeId` of a result: a DML type when it is exactly one
/// row of a DML statement's counts, a query otherwise.
fn statement_type(rows: &Rows) -> u32 {
    let names: Vec<&str> = rows.columns.iter().map(|c| c.name.as_str()).collect();
    let counts_only =
        rows.rows.len() == 1 && rows.columns.iter().all(|c| c.ty == ColumnType::Fixed);
    if let Some((id, _)) = DML_RESULTS
        .iter()
        .find(|(_, columns)| counts_only && names == *columns)
    {
        return *id;
    }
    let mut merge_columns = MERGE_COLUMNS.iter();
    let is_merge =
        counts_only && !names.is_empty() && names.iter().all(|n| merge_columns.any(|m| m == n));
    match is_merge {
        true => STATEMENT_TYPE_MERGE,
        false => STATEMENT_TYPE_SELECT,
    }
}
/// Snowflake's reported length of an unbounded text column.
const TEXT_LENGTH: u64 = 16_777_216;

/// The session parameters sent at login and with each result.
pub fn session_parameters() -> Value {
    json!([
        {"name": "TIMEZONE", "value": "UTC"},
        {"name": "AUTOCOMMIT", "value": true},
        {"name": "CLIENT_SESSION_KEEP_ALIVE", "value": false},
        {"name": "CLIENT_SESSION_KEEP_ALIVE_HEARTBEAT_FREQUENCY", "value": 3600},
        {"name": "CLIENT_RESULT_CHUNK_SIZE", "value": 160},
        {"name": "QUERY_RESULT_FORMAT", "value": "JSON"},
    ])
}

/// `000709`: no result is kept for the query id asked for.
pub const RESULT_NOT_FOUND: &str = "000709";
/// Rows per page: the first page travels inline, each further page is a
/// chunk the client downloads from the URL the answer gives.
pub const PAGE_ROWS: usize = 1000;

/// A successful login: the tokens and the session's description.
pub fn login_success(
    token: &str,
    master_token: &str,
    session_id: u64,
    user: &str,
    context: &LoginContext,
) -> Value {
    json!({
        "data": {
            "masterToken": master_token,
            "token": token,
            "validityInSeconds": 3600,
            "masterValidityInSeconds": 14400,
            "displayUserName": user,
            "serverVersion": "9.0.0",
            "firstLogin": false,
            "remMeToken": null,
            "remMeValidityInSeconds": 0,
            "healthCheckInterval": 45,
            "newClientForUpgrade": null,
            "sessionId": session_id,
            "parameters": session_parameters(),
            "sessionInfo": {
                "databaseName": context.database,
                "schemaName": context.schema,
                "warehouseName": context.warehouse,
                "roleName": context.role.as_deref().unwrap_or("ACCOUNTADMIN"),
            },
            "idToken": null,
            "idTokenValidityInSeconds": 0,
            "responseData": null,
            "mfaToken": null,
            "mfaTokenValidityInSeconds": 0,
        },
        "code": null,
        "message": null,
        "success": true,
    })
}

/// A refused login, as Snowflake answers wrong credentials.
pub fn login_failure(code: &str, message: &str) -> Value {
    json!({
        "data": {
            "nextAction": "RETRY_LOGIN",
            "authnMethod": "USERNAME_PASSWORD",
            "signInOptions": {},
        },
        "code": code,
        "message": message,
        "success": false,
        "headers": null,
    })
}

/// A failed request that is not a SQL error (expired session, bad request).
pub fn failure(code: &str, message: &str) -> Value {
    json!({
        "data": null,
        "code": code,
        "message": message,
        "success": false,
        "headers": null,
    })
}

/// A request that succeeded with nothing to return (heartbeat, logout, telemetry).
pub fn empty_success() -> Value {
    json!({"data": null, "code": null, "message": null, "success": true})
}

/// A renewed session token (`/session/token-request`).
pub fn renewed(token: &str, master_token: &str) -> Value {
    json!({
        "data": {
            "sessionToken": token,
            "validityInSeconds": 3600,
            "masterToken": master_token,
            "masterValidityInSeconds": 14400,
        },
        "code": null,
        "message": null,
        "success": true,
    })
}

/// A statement that the account refused, with Snowflake's code and SQLSTATE.
pub fn sql_failure(error: &SqlError, query_id: &str) -> Value {
    json!({
        "data": {
            "internalError": false,
            "errorCode": error.code,
            "age": 0,
            "sqlState": error.sql_state,
            "queryId": query_id,
            "line": -1,
            "pos": -1,
            "type": "COMPILATION",
        },
        "code": error.code,
        "message": error.message,
        "success": false,
        "headers": null,
    })
}

/// A result set encoded for the wire: the answer, and the body of each
/// chunk it points to (rows as JSON arrays separated by commas, without
/// enclosing brackets, as Snowflake's JSON chunks are).
#[derive(Debug, Clone, PartialEq)]
pub struct Encoded {
    /// The query answer, with the first page inline.
    pub answer: Value,
    /// The chunk bodies, in the order of the answer's `chunks`.
    pub chunks: Vec<String>,
}

/// A result set in Snowflake's JSON result format. Past [`PAGE_ROWS`]
/// rows, the rest is split into chunks of that many rows, each announced
/// with its `url` (`chunk_url(index)`), `rowCount` and sizes; `chunkHeaders`
/// is empty, as the URLs themselves carry their key.
pub fn result_set(rows: &Rows, query_id: &str, chunk_url: &dyn Fn(usize) -> String) -> Encoded {
    let rowtype: Vec<Value> = rows
        .columns
        .iter()
        .enumerate()
        .map(|(index, column)| column_type(column.ty, rows, index).rowtype(&column.name))
        .collect();
    let cells = |cells: &Vec<Option<String>>| -> Vec<Option<String>> {
        cells
            .iter()
            .zip(&rows.columns)
            .map(|(cell, column)| cell.as_deref().map(|v| wire_cell(column.ty, v)))
            .collect()
    };
    let mut pages = rows.rows.chunks(PAGE_ROWS);
    let rowset: Vec<Vec<Option<String>>> = pages
        .next()
        .map(|page| page.iter().map(cells).collect())
        .unwrap_or_default();
    let chunks: Vec<String> = pages
        .map(|page| {
            page.iter()
                .map(|row| Value::from(cells(row)).to_string())
                .collect::<Vec<_>>()
                .join(",")
        })
        .collect();
    let mut answer = json!({
        "data": {
            "parameters": session_parameters(),
            "rowtype": rowtype,
            "rowset": rowset,
            "total": rows.len(),
            "returned": rows.len(),
            "queryId": query_id,
            "databaseProvider": null,
            "numberOfBinds": 0,
            "arrayBindSupported": false,
            "statementTypeId": statement_type(rows),
            "version": 1,
            "sendResultTime": 0,
            "queryResultFormat": "json",
        },
        "code": null,
        "message": null,
        "success": true,
    });
    if !chunks.is_empty() {
        let described: Vec<Value> = chunks
            .iter()
            .zip(rows.rows.chunks(PAGE_ROWS).skip(1))
            .enumerate()
            .map(|(index, (body, page))| {
                json!({
                    "url": chunk_url(index),
                    "rowCount": page.len(),
                    "uncompressedSize": body.len(),
                    "compressedSize": body.len(),
                })
            })
            .collect();
        answer["data"]["chunks"] = Value::from(described);
        answer["data"]["chunkHeaders"] = json!({});
    }
    Encoded { answer, chunks }
}

/// Adds what is current in the session after a statement to its answer
/// (`finalDatabaseName`, ...), which clients read to follow `USE`.
pub fn with_context(mut answer: Value, current: &LoginContext) -> Value {
    if answer["data"].is_object() {
        answer["data"]["finalDatabaseName"] = Value::from(current.database.clone());
        answer["data"]["finalSchemaName"] = Value::from(current.schema.clone());
        answer["data"]["finalWarehouseName"] = Value::from(current.warehouse.clone());
        answer["data"]["finalRoleName"] = Value::from(current.role.clone());
    }
    answer
}

/// The answer to a request that ran several statements: one row saying
/// so, and `resultIds`, the query ids of each statement's own result in
/// order, which clients fetch one by one (`cursor.nextset()`).
pub fn multiple_results(query_id: &str, result_ids: &[String]) -> Value {
    let mut answer = result_set(&Rows::multiple_statements(), query_id, &|_| String::new()).answer;
    answer["data"]["resultIds"] = Value::from(result_ids.join(","));
    answer
}

/// How a column is declared on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WireType {
    Text,
    Fixed {
        scale: usize,
    },
    Boolean,
    TimestampLtz {
        scale: usize,
    },
    /// Other typed columns (`timestamp_ntz`, `date`, `real`, `array`, ...),
    /// declared by their own name.
    Other {
        ty: ColumnType,
        scale: usize,
    },
    Variant,
}

impl WireType {
    fn rowtype(self, name: &str) -> Value {
        let (ty, length, precision, scale) = match self {
            WireType::Text => ("text", Some(TEXT_LENGTH), None, None),
            WireType::Fixed { scale } => ("fixed", None, Some(38), Some(scale)),
            WireType::Boolean => ("boolean", None, None, None),
            WireType::TimestampLtz { scale } => ("timestamp_ltz", None, Some(0), Some(scale)),
            WireType::Variant => ("variant", Some(TEXT_LENGTH), None, None),
            WireType::Other { ty, scale } => match ty {
                ColumnType::Array | ColumnType::Object => {
                    (ty.wire_name(), Some(TEXT_LENGTH), None, None)
                }
                ColumnType::TimestampNtz | ColumnType::TimestampTz => {
                    (ty.wire_name(), None, Some(0), Some(scale))
                }
                _ => (ty.wire_name(), None, None, None),
            },
        };
        json!({
            "name": name,
            "database": "",
            "schema": "",
            "table": "",
            "type": ty,
            "nullable": true,
            "length": length,
            "byteLength": length,
            "precision": precision,
            "scale": scale,
            "collation": null,
        })
    }
}

/// The wire type of column `index`. Fixed and timestamp columns carry their
/// scale (digits after the point), which clients need to decode the cells;
/// a column whose cells are not numbers is declared `text` rather than
/// sending clients a value they cannot parse.
fn column_type(ty: ColumnType, rows: &Rows, index: usize) -> WireType {
    let cells = || rows.rows.iter().filter_map(|r| r.get(index)?.as_deref());
    let numeric_scale = || -> Option<usize> {
        let mut scale = None;
        for cell in cells() {
            let digits = decimal_scale(cell)?;
            scale = Some(scale.map_or(digits, |s: usize| s.max(digits)));
        }
        Some(scale.unwrap_or(0))
    };
    match ty {
        ColumnType::Text => WireType::Text,
        ColumnType::Variant => WireType::Variant,
        ColumnType::Boolean if cells().all(|c| bool_cell(c).is_some()) => WireType::Boolean,
        ColumnType::Fixed => {
            numeric_scale().map_or(WireType::Text, |scale| WireType::Fixed { scale })
        }
        ColumnType::TimestampLtz => {
            numeric_scale().map_or(WireType::Text, |scale| WireType::TimestampLtz {
                scale: scale.max(3),
            })
        }
        ColumnType::Boolean => WireType::Text,
        ColumnType::TimestampNtz | ColumnType::TimestampTz => WireType::Other {
            ty,
            scale: numeric_scale().unwrap_or(9).max(3),
        },
        ColumnType::Date | ColumnType::Real | ColumnType::Array | ColumnType::Object => {
            WireType::Other { ty, scale: 0 }
        }
    }
}

/// Digits after the point of a plain decimal number, `None` when `cell` is not one.
fn decimal_scale(cell: &str) -> Option<usize> {
    let unsigned = cell.strip_prefix('-').unwrap_or(cell);
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    (!whole.is_empty() && digits(whole) && digits(fraction)).then_some(fraction.len())
}

/// `true`/`false` in any case, or `1`/`0`.
fn bool_cell(cell: &str) -> Option<bool> {
    match cell {
        "1" => Some(true),
        "0" => Some(false),
        _ if cell.eq_ignore_ascii_case("true") => Some(true),
        _ if cell.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

/// A cell as Snowflake's JSON format carries it: booleans as `1`/`0`, the
/// rest as the session gave it.
fn wire_cell(ty: ColumnType, value: &str) -> String {
    match (ty, bool_cell(value)) {
        (ColumnType::Boolean, Some(b)) => if b { "1" } else { "0" }.to_string(),
        _ => value.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::Column;

    fn answer_of(rows: &Rows, query_id: &str) -> Value {
        let encoded = result_set(rows, query_id, &|index| format!("chunk {index}"));
        assert!(encoded.chunks.is_empty(), "small results have no chunks");
        encoded.answer
    }

    #[test]
    fn a_large_result_comes_as_an_inline_page_and_chunks() {
        let cells: Vec<Option<String>> = (0..PAGE_ROWS * 2 + 5)
            .map(|n| Some(n.to_string()))
            .collect();
        let cells: Vec<Option<&str>> = cells.iter().map(|c| c.as_deref()).collect();
        let encoded = result_set(&rows(ColumnType::Text, &cells), "q", &|index| {
            format!("http://server/chunk/{index}")
        });
        let data = &encoded.answer["data"];
        assert_eq!(data["total"], PAGE_ROWS * 2 + 5);
        assert_eq!(data["rowset"].as_array().map(Vec::len), Some(PAGE_ROWS));
        assert_eq!(data["chunks"][0]["url"], "http://server/chunk/0");
        assert_eq!(data["chunks"][0]["rowCount"], PAGE_ROWS);
        assert_eq!(data["chunks"][1]["rowCount"], 5);
        assert_eq!(data["chunkHeaders"], json!({}));
        assert_eq!(encoded.chunks.len(), 2);
        assert_eq!(
            data["chunks"][1]["uncompressedSize"],
            encoded.chunks[1].len()
        );
        let last: Value = serde_json::from_str(&format!("[{}]", encoded.chunks[1]))
            .expect("a chunk is rows separated by commas");
        assert_eq!(last[0], json!([(PAGE_ROWS * 2).to_string()]));
        assert_eq!(last.as_array().map(Vec::len), Some(5));
    }

    #[test]
    fn dml_counts_are_announced_as_dml_and_look_alike_queries_are_not() {
        let counts = |names: &[&str], ty: ColumnType| Rows {
            columns: names.iter().map(|n| Column::new(*n, ty)).collect(),
            rows: vec![names.iter().map(|_| Some("1".to_string())).collect()],
            query_id: None,
        };
        let type_of = |rows: &Rows| answer_of(rows, "q")["data"]["statementTypeId"].clone();
        let update = [
            "number of rows updated",
            "number of multi-joined rows updated",
        ];
        assert_eq!(
            type_of(&counts(&["number of rows inserted"], ColumnType::Fixed)),
            0x3100
        );
        assert_eq!(type_of(&counts(&update, ColumnType::Fixed)), 0x3200);
        assert_eq!(
            type_of(&counts(&["number of rows deleted"], ColumnType::Fixed)),
            0x3300
        );
        assert_eq!(
            type_of(&counts(&["number of rows deleted"], ColumnType::Text)),
            STATEMENT_TYPE_SELECT
        );
        assert_eq!(
            type_of(&counts(&["status"], ColumnType::Fixed)),
            STATEMENT_TYPE_SELECT
        );
        assert_eq!(
            type_of(&counts(MERGE_COLUMNS, ColumnType::Fixed)),
            STATEMENT_TYPE_MERGE
        );
        assert_eq!(
            type_of(&counts(
                &[MERGE_COLUMNS[0], MERGE_COLUMNS[1]],
                ColumnType::Fixed
            )),
            STATEMENT_TYPE_MERGE
        );
        assert_eq!(
            type_of(&counts(
                &[MERGE_COLUMNS[1], MERGE_COLUMNS[0]],
                ColumnType::Fixed
            )),
            STATEMENT_TYPE_SELECT
        );
    }

    #[test]
    fn several_results_are_announced_by_their_query_ids() {
        let answer = multiple_results("parent", &["a".into(), "b".into()]);
        assert_eq!(answer["data"]["resultIds"], "a,b");
        assert_eq!(answer["data"]["queryId"], "parent");
        assert_eq!(
            answer["data"]["rowset"],
            json!([["Multiple statements executed successfully."]])
        );
    }

    fn rows(ty: ColumnType, cells: &[Option<&str>]) -> Rows {
        Rows {
            columns: vec![Column::new("c", ty)],
            rows: cells.iter().map(|c| vec![c.map(str::to_string)]).collect(),
            query_id: None,
        }
    }

    #[test]
    fn result_set_declares_columns_and_carries_cells_as_text_or_null() {
        let set = answer_of(&rows(ColumnType::Text, &[Some("WH"), None]), "q1");
        assert_eq!(set["success"], true);
        assert_eq!(set["data"]["queryId"], "q1");
        assert_eq!(set["data"]["total"], 2);
        assert_eq!(set["data"]["rowtype"][0]["name"], "c");
        assert_eq!(set["data"]["rowtype"][0]["type"], "text");
        assert_eq!(set["data"]["rowset"], json!([["WH"], [null]]));
    }

    #[test]
    fn fixed_and_timestamp_columns_carry_their_scale() {
        let fixed = answer_of(&rows(ColumnType::Fixed, &[Some("1"), Some("2.50")]), "q");
        assert_eq!(fixed["data"]["rowtype"][0]["type"], "fixed");
        assert_eq!(fixed["data"]["rowtype"][0]["scale"], 2);
        let ts = answer_of(
            &rows(ColumnType::TimestampLtz, &[Some("1700000000.123")]),
            "q",
        );
        assert_eq!(ts["data"]["rowtype"][0]["type"], "timestamp_ltz");
        assert_eq!(ts["data"]["rowtype"][0]["scale"], 3);
    }

    #[test]
    fn a_typed_column_with_unparsable_cells_is_declared_text() {
        let set = answer_of(
            &rows(
                ColumnType::TimestampLtz,
                &[Some("2024-01-01 00:00:00.000 -0800")],
            ),
            "q",
        );
        assert_eq!(set["data"]["rowtype"][0]["type"], "text");
        assert_eq!(set["data"]["rowset"][0][0], "2024-01-01 00:00:00.000 -0800");
    }

    #[test]
    fn booleans_travel_as_one_and_zero() {
        let set = answer_of(
            &rows(ColumnType::Boolean, &[Some("true"), Some("false")]),
            "q",
        );
        assert_eq!(set["data"]["rowtype"][0]["type"], "boolean");
        assert_eq!(set["data"]["rowset"], json!([["1"], ["0"]]));
    }

    #[test]
    fn sql_failure_carries_code_sqlstate_and_message() {
        let error = SqlError {
            code: "002003".into(),
            sql_state: "02000".into(),
            message: "SQL compilation error:\nObject 'X' does not exist or not authorized.".into(),
        };
        let answer = sql_failure(&error, "q9");
        assert_eq!(answer["success"], false);
        assert_eq!(answer["code"], "002003");
        assert_eq!(answer["message"], error.message.as_str());
        assert_eq!(answer["data"]["sqlState"], "02000");
        assert_eq!(answer["data"]["queryId"], "q9");
    }
}
