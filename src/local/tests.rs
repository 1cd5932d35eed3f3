//! Table rows through the account: DML, their row counts, persistence and
//! explicit transactions seen from two sessions; tag lookups that follow
//! the tag changes made between them; SHOW scoped to a schema or database
//! next to others.

use super::session::SessionState;
use super::{LocalAccount, scratch_account};
use crate::session::Rows;

const SETUP: &[&str] = &[
    "CREATE DATABASE D",
    "CREATE SCHEMA D.S",
    "CREATE TABLE D.S.HEAD (ENV VARCHAR NOT NULL, SERIAL NUMBER(38,0), NOTE VARCHAR DEFAULT 'none', AT TIMESTAMP_LTZ)",
];

fn run(account: &LocalAccount, sql: &str) -> Rows {
    account
        .execute_sync(sql)
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// The result as column names and text cells (`NULL` for NULL).
fn table(rows: &Rows) -> (Vec<String>, Vec<Vec<String>>) {
    (
        rows.columns.iter().map(|c| c.name.clone()).collect(),
        rows.rows
            .iter()
            .map(|r| {
                r.iter()
                    .map(|c| c.clone().unwrap_or_else(|| "NULL".into()))
                    .collect()
            })
            .collect(),
    )
}

fn cells(rows: &Rows) -> Vec<Vec<String>> {
    table(rows).1
}

fn strings(rows: &[&[&str]]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|r| r.iter().map(ToString::to_string).collect())
        .collect()
}

/// Another session on the same account, with `D.S` current.
fn other_session(account: &LocalAccount) -> LocalAccount {
    account.session_with(SessionState::default())
}

#[test]
fn dml_answers_snowflakes_row_counts_and_select_reads_the_rows_back() {
    let (_dir, acc) = scratch_account(SETUP);
    let inserted = run(
        &acc,
        "INSERT INTO D.S.HEAD (ENV, SERIAL) VALUES ('DEV', 1), ('PROD', 7), ('QA', 3)",
    );
    assert_eq!(
        table(&inserted),
        (vec!["number of rows inserted".into()], strings(&[&["3"]]))
    );
    let updated = run(
        &acc,
        "UPDATE D.S.HEAD SET SERIAL = SERIAL + 1, NOTE = 'bumped' WHERE SERIAL = 1",
    );
    assert_eq!(
        table(&updated),
        (
            vec![
                "number of rows updated".into(),
                "number of multi-joined rows updated".into()
            ],
            strings(&[&["1", "0"]])
        )
    );
    let missed = run(&acc, "UPDATE D.S.HEAD h SET SERIAL = 9 WHERE h.SERIAL = 1");
    assert_eq!(cells(&missed), strings(&[&["0", "0"]]));
    let deleted = run(&acc, "DELETE FROM D.S.HEAD WHERE ENV = 'QA'");
    assert_eq!(
        table(&deleted),
        (vec!["number of rows deleted".into()], strings(&[&["1"]]))
    );
    let rows = run(&acc, "SELECT ENV, SERIAL, NOTE FROM D.S.HEAD ORDER BY ENV");
    assert_eq!(
        cells(&rows),
        strings(&[&["DEV", "2", "bumped"], &["PROD", "7", "none"]])
    );
    let show = run(&acc, "SHOW TABLES LIKE 'HEAD' IN SCHEMA D.S");
    let at = show.columns.iter().position(|c| c.name == "rows").unwrap();
    assert_eq!(show.rows[0][at].as_deref(), Some("2"));
    assert_eq!(
        cells(&run(&acc, "DELETE FROM D.S.HEAD")),
        strings(&[&["2"]])
    );
    assert!(run(&acc, "SELECT * FROM D.S.HEAD").rows.is_empty());
}

#[test]
fn a_refused_row_changes_nothing() {
    let (_dir, acc) = scratch_account(SETUP);
    run(&acc, "INSERT INTO D.S.HEAD (ENV, SERIAL) VALUES ('DEV', 1)");
    let null = acc
        .execute_sync("INSERT INTO D.S.HEAD (ENV, SERIAL) VALUES ('QA', 2), (NULL, 3)")
        .unwrap_err();
    assert_eq!(null.code, "100072", "{null}");
    let short = acc
        .execute_sync("INSERT INTO D.S.HEAD (ENV, SERIAL) VALUES ('QA')")
        .unwrap_err();
    assert_eq!(short.code, "002020", "{short}");
    let not_a_number = acc
        .execute_sync("UPDATE D.S.HEAD SET SERIAL = 'x'")
        .unwrap_err();
    assert_eq!(not_a_number.code, "100038", "{not_a_number}");
    let missing = acc.execute_sync("DELETE FROM D.S.NOPE").unwrap_err();
    assert_eq!(missing.code, "002003", "{missing}");
    assert_eq!(
        cells(&run(&acc, "SELECT ENV, SERIAL FROM D.S.HEAD")),
        strings(&[&["DEV", "1"]])
    );
}

#[test]
fn rows_survive_reopening_the_account() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("account");
    {
        let acc = LocalAccount::open(&path, &[], None).unwrap();
        for sql in SETUP {
            run(&acc, sql);
        }
        run(
            &acc,
            "INSERT INTO D.S.HEAD (ENV, SERIAL, AT) VALUES ('DEV', 1, '2026-01-02 03:04:05'), ('QA', 2, NULL)",
        );
        run(&acc, "UPDATE D.S.HEAD SET SERIAL = 5 WHERE ENV = 'DEV'");
        run(&acc, "DELETE FROM D.S.HEAD WHERE ENV = 'QA'");
    }
    let acc = LocalAccount::open(&path, &[], None).unwrap();
    let rows = run(
        &acc,
        "SELECT ENV, SERIAL, TO_VARCHAR(AT) AS AT FROM D.S.HEAD",
    );
    assert_eq!(
        cells(&rows),
        strings(&[&["DEV", "5", "2026-01-02 03:04:05.000000000"]])
    );
}

#[test]
fn a_transaction_is_seen_by_its_session_only_until_commit() {
    let (_dir, acc) = scratch_account(SETUP);
    let other = other_session(&acc);
    run(&acc, "BEGIN TRANSACTION");
    run(&acc, "INSERT INTO D.S.HEAD (ENV, SERIAL) VALUES ('DEV', 1)");
    run(&acc, "UPDATE D.S.HEAD SET SERIAL = 2 WHERE SERIAL = 1");
    let mine = "SELECT ENV, SERIAL FROM D.S.HEAD";
    assert_eq!(cells(&run(&acc, mine)), strings(&[&["DEV", "2"]]));
    assert!(run(&other, mine).rows.is_empty());
    run(&acc, "COMMIT");
    assert_eq!(cells(&run(&other, mine)), strings(&[&["DEV", "2"]]));
}

#[test]
fn rollback_leaves_nothing_and_ddl_commits_the_open_transaction() {
    let (_dir, acc) = scratch_account(SETUP);
    let count = "SELECT COUNT(*) FROM D.S.HEAD";
    run(
        &acc,
        "BEGIN; INSERT INTO D.S.HEAD (ENV) VALUES ('A'); DELETE FROM D.S.HEAD",
    );
    run(&acc, "INSERT INTO D.S.HEAD (ENV) VALUES ('B')");
    run(&acc, "ROLLBACK");
    assert_eq!(cells(&run(&acc, count)), strings(&[&["0"]]));

    run(&acc, "START TRANSACTION NAME t1");
    run(&acc, "BEGIN");
    run(&acc, "INSERT INTO D.S.HEAD (ENV) VALUES ('C')");
    run(&acc, "CREATE SCHEMA D.OTHER");
    run(&acc, "INSERT INTO D.S.HEAD (ENV) VALUES ('D')");
    run(&acc, "ROLLBACK WORK");
    let other = other_session(&acc);
    assert_eq!(cells(&run(&other, count)), strings(&[&["2"]]));
}

#[test]
fn insert_overwrite_replaces_the_rows_and_insert_select_copies_them() {
    let (_dir, acc) = scratch_account(SETUP);
    run(&acc, "CREATE TABLE D.S.COPY (ENV VARCHAR, SERIAL NUMBER)");
    run(
        &acc,
        "INSERT INTO D.S.HEAD (ENV, SERIAL) VALUES ('DEV', 1), ('QA', 2)",
    );
    let copied = run(
        &acc,
        "INSERT INTO D.S.COPY SELECT ENV, SERIAL * 10 FROM D.S.HEAD WHERE SERIAL > 1",
    );
    assert_eq!(cells(&copied), strings(&[&["1"]]));
    let overwritten = run(
        &acc,
        "INSERT OVERWRITE INTO D.S.HEAD (ENV, SERIAL) VALUES ('PROD', 9)",
    );
    assert_eq!(cells(&overwritten), strings(&[&["1"]]));
    assert_eq!(
        cells(&run(&acc, "SELECT ENV, SERIAL FROM D.S.HEAD")),
        strings(&[&["PROD", "9"]])
    );
    assert_eq!(
        cells(&run(&acc, "SELECT ENV, SERIAL FROM D.S.COPY")),
        strings(&[&["QA", "20"]])
    );
}

/// The upsert snowflake-ml-python's feature store sends, with the target
/// and source aliased and a subquery as the source.
const UPSERT: &str = "MERGE INTO D.S.HEAD AS target
    USING (SELECT 'DEV' AS ENV, 5 AS SERIAL UNION ALL SELECT 'QA', 2) AS source
    ON target.ENV = source.ENV
    WHEN MATCHED THEN UPDATE SET SERIAL = source.SERIAL, NOTE = 'merged'
    WHEN NOT MATCHED THEN INSERT (ENV, SERIAL) VALUES (source.ENV, source.SERIAL)";

#[test]
fn merge_updates_the_matched_rows_inserts_the_others_and_counts_both() {
    let (_dir, acc) = scratch_account(SETUP);
    run(
        &acc,
        "INSERT INTO D.S.HEAD (ENV, SERIAL) VALUES ('DEV', 1), ('PROD', 7)",
    );
    assert_eq!(
        table(&run(&acc, UPSERT)),
        (
            vec![
                "number of rows inserted".into(),
                "number of rows updated".into()
            ],
            strings(&[&["1", "1"]])
        )
    );
    assert_eq!(
        cells(&run(
            &acc,
            "SELECT ENV, SERIAL, NOTE FROM D.S.HEAD ORDER BY ENV"
        )),
        strings(&[
            &["DEV", "5", "merged"],
            &["PROD", "7", "none"],
            &["QA", "2", "none"]
        ])
    );
    assert_eq!(cells(&run(&acc, UPSERT)), strings(&[&["0", "2"]]));
}

#[test]
fn merge_takes_the_first_clause_whose_predicate_holds_and_reports_its_kinds_only() {
    let (_dir, acc) = scratch_account(SETUP);
    run(&acc, "CREATE TABLE D.S.CHANGES (ENV VARCHAR, OP VARCHAR)");
    run(
        &acc,
        "INSERT INTO D.S.HEAD (ENV, SERIAL) VALUES ('DEV', 1), ('PROD', 7), ('QA', 3)",
    );
    run(
        &acc,
        "INSERT INTO D.S.CHANGES VALUES ('DEV', 'D'), ('QA', 'U'), ('NEW', 'U')",
    );
    let merged = run(
        &acc,
        "MERGE INTO D.S.HEAD h USING D.S.CHANGES ON h.ENV = CHANGES.ENV
         WHEN MATCHED AND CHANGES.OP = 'D' THEN DELETE
         WHEN MATCHED THEN UPDATE SET h.NOTE = CHANGES.OP",
    );
    assert_eq!(
        table(&merged),
        (
            vec![
                "number of rows updated".into(),
                "number of rows deleted".into()
            ],
            strings(&[&["1", "1"]])
        )
    );
    assert_eq!(
        cells(&run(
            &acc,
            "SELECT ENV, NOTE FROM D.S.HEAD ORDER BY SERIAL DESC"
        )),
        strings(&[&["PROD", "none"], &["QA", "U"]])
    );
}

#[test]
fn a_refused_merge_changes_nothing() {
    let (_dir, acc) = scratch_account(SETUP);
    run(&acc, "INSERT INTO D.S.HEAD (ENV, SERIAL) VALUES ('DEV', 1)");
    let twice = acc
        .execute_sync(
            "MERGE INTO D.S.HEAD t USING (SELECT 'DEV' AS ENV, 2 AS N UNION ALL SELECT 'DEV', 3) s
             ON t.ENV = s.ENV WHEN MATCHED THEN UPDATE SET SERIAL = s.N
             WHEN NOT MATCHED THEN INSERT (ENV) VALUES (s.ENV)",
        )
        .unwrap_err();
    assert_eq!(
        (twice.code.as_str(), twice.sql_state.as_str()),
        ("100090", "42P18"),
        "{twice}"
    );
    let target_in_insert = acc
        .execute_sync(
            "MERGE INTO D.S.HEAD t USING (SELECT 'QA' AS ENV) s ON t.ENV = s.ENV
             WHEN NOT MATCHED THEN INSERT (ENV, SERIAL) VALUES (s.ENV, t.SERIAL)",
        )
        .unwrap_err();
    assert_eq!(target_in_insert.code, "000904", "{target_in_insert}");
    let by_source = acc
        .execute_sync(
            "MERGE INTO D.S.HEAD t USING (SELECT 'QA' AS ENV) s ON t.ENV = s.ENV
             WHEN NOT MATCHED BY SOURCE THEN DELETE",
        )
        .unwrap_err();
    assert_eq!(by_source.code, "000002", "{by_source}");
    let view = acc
        .execute_sync("CREATE VIEW D.S.V AS SELECT ENV FROM D.S.HEAD")
        .and_then(|_| {
            acc.execute_sync(
                "MERGE INTO D.S.V USING (SELECT 'QA' AS ENV) s ON V.ENV = s.ENV
                 WHEN MATCHED THEN DELETE",
            )
        })
        .unwrap_err();
    assert_eq!(view.code, "002203", "{view}");
    assert_eq!(
        cells(&run(&acc, "SELECT ENV, SERIAL, NOTE FROM D.S.HEAD")),
        strings(&[&["DEV", "1", "none"]])
    );
}

#[test]
fn a_merge_in_a_transaction_is_undone_by_rollback() {
    let (_dir, acc) = scratch_account(SETUP);
    run(&acc, "BEGIN");
    assert_eq!(cells(&run(&acc, UPSERT)), strings(&[&["2", "0"]]));
    assert_eq!(
        cells(&run(&acc, "SELECT COUNT(*) FROM D.S.HEAD")),
        strings(&[&["2"]])
    );
    run(&acc, "ROLLBACK");
    assert!(run(&acc, "SELECT * FROM D.S.HEAD").rows.is_empty());
}

/// The `(entityName, tagValue)` of each object `tag` is set on, as one
/// statement of the session sees them.
fn tagged(account: &LocalAccount, tag: &str) -> Vec<(String, String)> {
    let rows = run(
        account,
        &format!("SELECT ENTITY_DETAIL('TAG', '{tag}', '[\"TAG_REFERENCES_INTERNAL\"]') AS D"),
    );
    let text = cells(&rows)[0][0].clone();
    let detail: serde_json::Value = serde_json::from_str(&text).expect("JSON text");
    detail["referencedEntities"]["tagReferenceList"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|item| {
            let field = |k: &str| item[k].as_str().unwrap_or_default().to_string();
            (field("entityName"), field("tagValue"))
        })
        .collect()
}

#[test]
fn each_tag_lookup_sees_the_tags_set_and_unset_before_it() {
    let (_dir, acc) = scratch_account(&[
        "CREATE DATABASE D",
        "CREATE SCHEMA D.S",
        "CREATE SCHEMA D.T",
        "CREATE TAG D.S.K",
        "CREATE TABLE D.S.A (X NUMBER)",
        "CREATE TABLE D.T.B (X NUMBER)",
    ]);
    let pair = |name: &str, value: &str| vec![(name.to_string(), value.to_string())];
    assert_eq!(tagged(&acc, "D.S.K"), vec![]);
    run(&acc, "ALTER TABLE D.S.A SET TAG D.S.K = 'one'");
    assert_eq!(tagged(&acc, "D.S.K"), pair("A", "one"));
    run(&acc, "ALTER TABLE D.S.A UNSET TAG D.S.K");
    assert_eq!(tagged(&acc, "D.S.K"), vec![]);
    run(&acc, "ALTER TABLE D.T.B SET TAG D.S.K = 'two'");
    assert_eq!(tagged(&acc, "D.S.K"), pair("B", "two"));
    run(&acc, "ALTER TABLE D.T.B SET TAG D.S.K = 'three'");
    run(&acc, "ALTER TABLE D.S.A SET TAG D.S.K = 'four'");
    assert_eq!(
        tagged(&acc, "D.S.K"),
        [pair("A", "four"), pair("B", "three")].concat()
    );
    run(&acc, "DROP TABLE D.T.B");
    assert_eq!(tagged(&acc, "D.S.K"), pair("A", "four"));
}

#[test]
fn show_in_a_schema_or_a_database_lists_only_its_objects() {
    let (_dir, acc) = scratch_account(&[
        "CREATE DATABASE D",
        "CREATE DATABASE DA",
        "CREATE DATABASE C",
        "CREATE SCHEMA D.R",
        "CREATE SCHEMA D.S",
        "CREATE SCHEMA D.T",
        "CREATE SCHEMA DA.S",
        "CREATE SCHEMA C.S",
        "CREATE TABLE C.S.X (X NUMBER)",
        "CREATE TABLE D.R.X (X NUMBER)",
        "CREATE TABLE D.S.B (X NUMBER)",
        "CREATE TAG D.S.A",
        "CREATE TABLE D.S.C (X NUMBER)",
        "CREATE TABLE D.T.X (X NUMBER)",
        "CREATE TABLE DA.S.X (X NUMBER)",
    ]);
    let listed = |sql: &str| -> Vec<String> {
        let rows = run(&acc, sql);
        let (columns, cells) = table(&rows);
        let at = |name: &str| columns.iter().position(|c| c == name).expect(name);
        let (db, schema, name) = (at("database_name"), at("schema_name"), at("name"));
        cells
            .iter()
            .map(|r| format!("{}.{}.{}", r[db], r[schema], r[name]))
            .collect()
    };
    assert_eq!(listed("SHOW TABLES IN SCHEMA D.S"), ["D.S.B", "D.S.C"]);
    assert_eq!(listed("SHOW TAGS IN SCHEMA D.S"), ["D.S.A"]);
    assert_eq!(
        listed("SHOW TABLES IN DATABASE D"),
        ["D.R.X", "D.S.B", "D.S.C", "D.T.X"]
    );
    assert_eq!(listed("SHOW TABLES IN SCHEMA D.R"), ["D.R.X"]);
    assert_eq!(
        listed("SHOW TABLES IN ACCOUNT"),
        ["C.S.X", "D.R.X", "D.S.B", "D.S.C", "D.T.X", "DA.S.X"]
    );
}
