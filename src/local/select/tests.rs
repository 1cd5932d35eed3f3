use super::*;
use crate::ident::Ident;
use crate::local::exec;
use crate::local::parser::parse_script;
use crate::local::session::SessionState;
use crate::session::ColumnType;

/// A catalog built by running `sql` (DDL) in a fresh account.
fn catalog(sql: &str) -> (Catalog, SessionState) {
    let mut catalog = Catalog::default();
    let mut session = SessionState::default();
    for p in parse_script(sql).expect("the setup SQL parses") {
        let outcome =
            exec::execute(&catalog, &mut session, &p.statement, 0).expect("the setup SQL runs");
        catalog.apply(&outcome.changes);
    }
    (catalog, session)
}

fn run(
    catalog: &Catalog,
    session: &SessionState,
    results: &ResultCache,
    describe_only: bool,
    sql: &str,
) -> Result<Rows, SqlError> {
    let ctx = Context {
        catalog,
        session,
        results,
        now: 1_795_879_486_123,
        describe_only,
    };
    evaluate(&ctx, sql)
}

fn eval(sql: &str) -> Result<Rows, SqlError> {
    run(
        &Catalog::default(),
        &SessionState::default(),
        &ResultCache::default(),
        false,
        sql,
    )
}

fn names(rows: &Rows) -> Vec<&str> {
    rows.columns.iter().map(|c| c.name.as_str()).collect()
}

fn types(rows: &Rows) -> Vec<ColumnType> {
    rows.columns.iter().map(|c| c.ty).collect()
}

fn cells(rows: &Rows) -> Vec<Vec<Option<&str>>> {
    rows.rows
        .iter()
        .map(|r| r.iter().map(Option::as_deref).collect())
        .collect()
}

/// A SHOW-like result kept under `id`.
fn show_result(id: &str) -> ResultCache {
    let mut results = ResultCache::default();
    results.insert(
        id.to_string(),
        Rows {
            columns: vec![
                Column::new("name", ColumnType::Text),
                Column::new("comment", ColumnType::Text),
            ],
            rows: vec![
                vec![
                    Some("SNOWML_FEATURE_STORE_ENTITY_PUDO".into()),
                    Some("a point".into()),
                ],
                vec![Some("OTHER_TAG".into()), None],
            ],
            query_id: None,
        },
    );
    results
}

#[test]
fn values_with_casts_become_typed_columns() {
    let rows = eval(
        "SELECT $1 AS \"NAME\", $2::BOOLEAN AS \"ON\", PARSE_JSON($3)::ARRAY AS \"KEYS\", \
         TO_TIMESTAMP('2024-01-02 03:04:05') AS \"TS\" \
         FROM VALUES ('fv' :: STRING, 'true', '[\"PUDO_ID\"]'), ('other', 'false', '[]')",
    )
    .expect("supported query");
    assert_eq!(names(&rows), vec!["NAME", "ON", "KEYS", "TS"]);
    assert_eq!(
        types(&rows),
        vec![
            ColumnType::Text,
            ColumnType::Boolean,
            ColumnType::Array,
            ColumnType::TimestampNtz
        ]
    );
    let got = cells(&rows);
    assert_eq!(got[0][0], Some("fv"));
    assert_eq!(got[0][1], Some("true"));
    assert_eq!(got[1][1], Some("false"));
    let keys: serde_json::Value =
        serde_json::from_str(got[0][2].expect("an array")).expect("JSON text");
    assert_eq!(keys, serde_json::json!(["PUDO_ID"]));
    assert_eq!(got[0][3], Some("1704164645.000000000"));
}

#[test]
fn subquery_over_values_with_outer_where() {
    let rows = eval(
        "SELECT \"ID\", \"TS\" FROM ( SELECT $1 AS \"ID\", $2 AS \"TS\" \
         FROM VALUES (1 :: INT, 100 :: INT), (2, 200)) WHERE \"ID\" = 2",
    )
    .expect("supported query");
    assert_eq!(names(&rows), vec!["ID", "TS"]);
    assert_eq!(types(&rows), vec![ColumnType::Fixed, ColumnType::Fixed]);
    assert_eq!(cells(&rows), vec![vec![Some("2"), Some("200")]]);
}

#[test]
fn projection_over_result_scan_with_functions_and_where() {
    let results = show_result("01b00000-0000-0001-0000-000000000001");
    let rows = run(
        &Catalog::default(),
        &SessionState::default(),
        &results,
        false,
        "SELECT SUBSTRING(\"name\", 29) AS \"NAME\", REPLACE(\"name\", 'SNOWML_', '') AS r, \
         \"comment\" AS \"DESC\" \
         FROM (SELECT * FROM TABLE(RESULT_SCAN('01b00000-0000-0001-0000-000000000001'))) \
         WHERE \"name\" LIKE 'SNOWML_FEATURE_STORE_ENTITY_%'",
    )
    .expect("supported query");
    assert_eq!(names(&rows), vec!["NAME", "R", "DESC"]);
    assert_eq!(
        cells(&rows),
        vec![vec![
            Some("PUDO"),
            Some("FEATURE_STORE_ENTITY_PUDO"),
            Some("a point")
        ]]
    );
}

#[test]
fn result_scan_of_last_query_id_reads_the_sessions_last_result() {
    let id = "01b00000-0000-0001-0000-000000000002";
    let results = show_result(id);
    let session = SessionState {
        last_query_id: Some(id.to_string()),
        ..SessionState::default()
    };
    let rows = run(
        &Catalog::default(),
        &session,
        &results,
        false,
        "SELECT \"name\" FROM TABLE(RESULT_SCAN(LAST_QUERY_ID())) WHERE \"comment\" IS NULL",
    )
    .expect("supported query");
    assert_eq!(cells(&rows), vec![vec![Some("OTHER_TAG")]]);
}

#[test]
fn result_scan_of_an_unknown_id_is_snowflakes_error() {
    let e = eval("SELECT * FROM TABLE(RESULT_SCAN('01b00000-0000-0001-0000-0000000000ff'))")
        .expect_err("no such result");
    assert_eq!(e.code, "000709");
    assert!(
        e.message
            .contains("01b00000-0000-0001-0000-0000000000ff not found")
    );
}

#[test]
fn describe_only_answers_columns_without_rows() {
    let rows = run(
        &Catalog::default(),
        &SessionState::default(),
        &ResultCache::default(),
        true,
        "SELECT $1 AS \"NAME\", TO_TIMESTAMP($2) AS \"AT\" FROM VALUES ('a', '2024-01-01')",
    )
    .expect("supported query");
    assert_eq!(names(&rows), vec!["NAME", "AT"]);
    assert_eq!(
        types(&rows),
        vec![ColumnType::Text, ColumnType::TimestampNtz]
    );
    assert!(rows.rows.is_empty());
}

#[test]
fn count_over_information_schema_tables_uses_the_current_database() {
    let (catalog, session) = catalog(
        "CREATE DATABASE DB; CREATE SCHEMA DB.FS; \
         CREATE TABLE DB.FS.META (K VARCHAR); CREATE TABLE DB.FS.OTHER (K VARCHAR); \
         USE SCHEMA DB.FS",
    );
    let sql = |table: &str| {
        format!(
            "SELECT COUNT(*) AS cnt FROM INFORMATION_SCHEMA.TABLES \
             WHERE TABLE_SCHEMA = 'FS' AND TABLE_NAME = '{table}'"
        )
    };
    let found = run(
        &catalog,
        &session,
        &ResultCache::default(),
        false,
        &sql("META"),
    )
    .expect("supported query");
    assert_eq!(names(&found), vec!["CNT"]);
    assert_eq!(cells(&found), vec![vec![Some("1")]]);
    let missing = run(
        &catalog,
        &session,
        &ResultCache::default(),
        false,
        &sql("NOPE"),
    )
    .expect("supported query");
    assert_eq!(cells(&missing), vec![vec![Some("0")]]);
}

#[test]
fn context_functions_answer_the_session() {
    let session = SessionState {
        database: Some(Ident::from_resolved("DB")),
        schema: Some(Ident::from_resolved("S")),
        ..SessionState::default()
    };
    let rows = run(
        &Catalog::default(),
        &session,
        &ResultCache::default(),
        false,
        "SELECT CURRENT_DATABASE(), CURRENT_SCHEMA() AS s, CURRENT_WAREHOUSE() \
         , SYSTEM$CANCEL_ALL_QUERIES(42)",
    )
    .expect("supported query");
    assert_eq!(
        names(&rows),
        vec![
            "CURRENT_DATABASE()",
            "S",
            "CURRENT_WAREHOUSE()",
            "SYSTEM$CANCEL_ALL_QUERIES(42)"
        ]
    );
    assert_eq!(
        cells(&rows),
        vec![vec![Some("DB"), Some("S"), None, Some("0 cancelled.")]]
    );
}

#[test]
fn reading_table_rows_is_refused_but_describing_them_is_typed() {
    let (catalog, session) = catalog(
        "CREATE DATABASE DB; CREATE SCHEMA DB.S; \
         CREATE TABLE DB.S.T (ID VARCHAR(16), AT TIMESTAMP_NTZ, N NUMBER(9, 2)); \
         CREATE VIEW DB.S.V AS SELECT ID, CAST(AT AS DATE) AS DAY, MAX(AT) AS LAST_AT, \
         COUNT(*) AS N, SUM(N) OVER (PARTITION BY ID) AS TOTAL FROM DB.S.T GROUP BY ID, AT, N",
    );
    let results = ResultCache::default();
    let e = run(&catalog, &session, &results, false, "SELECT * FROM DB.S.V")
        .expect_err("the local account keeps no rows");
    assert!(e.message.contains("DB.S.V"), "{}", e.message);
    let rows = run(&catalog, &session, &results, true, "SELECT * FROM DB.S.V")
        .expect("describe-only is answered");
    assert_eq!(names(&rows), vec!["ID", "DAY", "LAST_AT", "N", "TOTAL"]);
    assert_eq!(
        types(&rows),
        vec![
            ColumnType::Text,
            ColumnType::Date,
            ColumnType::TimestampNtz,
            ColumnType::Fixed,
            ColumnType::Fixed
        ]
    );
}

#[test]
fn unknown_columns_and_functions_are_refused_by_name() {
    let e = eval("SELECT \"nope\" FROM VALUES (1)").expect_err("no such column");
    assert_eq!(e.code, "000904");
    assert!(e.message.contains("invalid identifier 'nope'"));
    let e = eval("SELECT FROBNICATE(1)").expect_err("not emulated");
    assert!(e.message.contains("FROBNICATE"), "{}", e.message);
    let e = eval("SELECT FROM WHERE").expect_err("not SQL");
    assert_eq!(e.code, "001003");
}

#[test]
fn joins_ctes_group_by_and_order_by_evaluate() {
    let rows = eval(
        "WITH a AS (SELECT $1 AS K, $2 AS V FROM VALUES ('x', 1), ('y', 2), ('x', 3)), \
         b AS (SELECT $1 AS K, $2 AS LABEL FROM VALUES ('x', 'ex')) \
         SELECT a.K, COUNT(*) AS N, SUM(a.V) AS TOTAL, MAX(b.LABEL) AS LABEL \
         FROM a LEFT JOIN b ON a.K = b.K GROUP BY a.K ORDER BY N DESC",
    )
    .expect("supported query");
    assert_eq!(names(&rows), vec!["K", "N", "TOTAL", "LABEL"]);
    assert_eq!(
        cells(&rows),
        vec![
            vec![Some("x"), Some("2"), Some("4"), Some("ex")],
            vec![Some("y"), Some("1"), Some("2"), None],
        ]
    );
}

#[test]
fn dateadd_moves_timestamps_and_dates_by_time_parts() {
    let rows = eval(
        "SELECT TO_VARCHAR(DATEADD(second, 90, '2026-01-02 03:04:05'::TIMESTAMP_NTZ)) AS T, \
         TO_VARCHAR(DATEADD(hours, -4, '2026-01-02 03:04:05'::TIMESTAMP_NTZ)) AS H, \
         TO_VARCHAR(DATEADD(day, -2, '2026-01-02'::DATE)) AS D, \
         DATEADD(minute, 1, NULL) AS N",
    )
    .unwrap();
    assert_eq!(
        cells(&rows),
        vec![vec![
            Some("2026-01-02 03:05:35.000000000"),
            Some("2026-01-01 23:04:05.000000000"),
            Some("2025-12-31"),
            None
        ]]
    );
    let refused = eval("SELECT DATEADD(fortnight, 1, '2026-01-02'::DATE)").unwrap_err();
    assert_eq!(refused.code, "000002", "{refused}");
}

#[test]
fn order_by_sorts_on_source_columns_left_out_of_the_select_list() {
    let rows = eval(
        "SELECT A FROM (SELECT $1 AS A, $2 AS B FROM VALUES (1, 'x'), (2, 'y'), (3, 'x')) \
         ORDER BY B DESC, A DESC LIMIT 2",
    )
    .expect("supported query");
    assert_eq!(names(&rows), vec!["A"]);
    assert_eq!(cells(&rows), vec![vec![Some("2")], vec![Some("3")]]);
    let e = eval("SELECT A FROM (SELECT $1 AS A FROM VALUES (1)) ORDER BY NOPE")
        .expect_err("no such column");
    assert_eq!(e.code, "000904");
    let e = eval("SELECT DISTINCT A FROM (SELECT $1 AS A, $2 AS B FROM VALUES (1, 2)) ORDER BY B")
        .expect_err("not emulated");
    assert_eq!(e.code, "000002", "{}", e.message);
}
