//! Every CREATE form floe sends is read back by SHOW with every option
//! intact, in Snowflake's formats.

mod common;

use common::local::{SETUP, account, cell, ok};

const FEATURE_VIEW_DT: &str = r#"CREATE OR REPLACE DYNAMIC TABLE OSS.FS.PUDO_DAILY$V1 (PUDO_ID , DS , VOLUME COMMENT 'parcels per day')
TARGET_LAG = '5 minutes'
WAREHOUSE = ML_WH
REFRESH_MODE = AUTO
INITIALIZE = ON_CREATE
CLUSTER BY (PUDO_ID, DS)
COMMENT = 'daily volume'
TAG (
OSS.FS.SNOWML_FEATURE_STORE_OBJECT = '{"type": "MANAGED_FEATURE_VIEW", "pkg_version": "1.5.4"}',
OSS.FS.SNOWML_FEATURE_STORE_ENTITY_PUDO = 'PUDO_ID',
OSS.FS.SNOWML_FEATURE_VIEW_METADATA = '{"entities": ["PUDO"], "timestamp_col": "DS"}'
)
AS SELECT PUDO_ID, DS, SUM(PARCELS) AS VOLUME FROM OSS.RAW.PARCELS GROUP BY 1, 2 -- trailing comment"#;

#[test]
fn feature_view_dynamic_table_reads_back_with_text_verbatim() {
    let (_dir, acc) = account();
    ok(&acc, SETUP);
    ok(&acc, FEATURE_VIEW_DT);
    let rows = ok(&acc, "SHOW DYNAMIC TABLES LIKE 'PUDO_DAILY$V1' IN OSS.FS");
    assert_eq!(cell(&rows, "name").as_deref(), Some("PUDO_DAILY$V1"));
    assert_eq!(cell(&rows, "text").as_deref(), Some(FEATURE_VIEW_DT));
    assert_eq!(cell(&rows, "target_lag").as_deref(), Some("5 minutes"));
    assert_eq!(cell(&rows, "refresh_mode").as_deref(), Some("INCREMENTAL"));
    assert_eq!(cell(&rows, "warehouse").as_deref(), Some("ML_WH"));
    assert_eq!(
        cell(&rows, "cluster_by").as_deref(),
        Some("LINEAR(PUDO_ID, DS)")
    );
    assert_eq!(cell(&rows, "comment").as_deref(), Some("daily volume"));
    assert_eq!(cell(&rows, "scheduling_state").as_deref(), Some("ACTIVE"));
    assert_eq!(cell(&rows, "automatic_clustering").as_deref(), Some("ON"));
    assert_eq!(cell(&rows, "initialization_warehouse"), None);
    assert_eq!(cell(&rows, "database_name").as_deref(), Some("OSS"));
    assert_eq!(cell(&rows, "schema_name").as_deref(), Some("FS"));

    let tag = ok(
        &acc,
        "SELECT SYSTEM$GET_TAG('OSS.FS.SNOWML_FEATURE_VIEW_METADATA', 'OSS.FS.PUDO_DAILY$V1', 'TABLE') AS TAG_VALUE",
    );
    assert_eq!(
        cell(&tag, "TAG_VALUE").as_deref(),
        Some(r#"{"entities": ["PUDO"], "timestamp_col": "DS"}"#)
    );
    let refs = ok(
        &acc,
        "SELECT TAG_NAME, TAG_VALUE FROM TABLE(OSS.INFORMATION_SCHEMA.TAG_REFERENCES('OSS.FS.PUDO_DAILY$V1', 'TABLE'))",
    );
    let tags: Vec<_> = refs
        .rows
        .iter()
        .map(|r| r[0].clone().unwrap_or_default())
        .collect();
    assert_eq!(
        tags,
        [
            "SNOWML_FEATURE_STORE_OBJECT",
            "SNOWML_FEATURE_STORE_ENTITY_PUDO",
            "SNOWML_FEATURE_VIEW_METADATA"
        ]
    );
}

#[test]
fn dynamic_table_alters_show_new_values_but_keep_the_original_text() {
    let (_dir, acc) = account();
    ok(&acc, SETUP);
    ok(&acc, "CREATE WAREHOUSE BIG_WH");
    ok(&acc, FEATURE_VIEW_DT);
    ok(
        &acc,
        "ALTER DYNAMIC TABLE OSS.FS.PUDO_DAILY$V1 SET TARGET_LAG = 'DOWNSTREAM' WAREHOUSE = BIG_WH COMMENT = 'new'",
    );
    ok(
        &acc,
        "ALTER DYNAMIC TABLE OSS.FS.PUDO_DAILY$V1 SET INITIALIZATION_WAREHOUSE = ML_WH",
    );
    ok(&acc, "ALTER DYNAMIC TABLE OSS.FS.PUDO_DAILY$V1 SUSPEND");
    let rows = ok(&acc, "SHOW DYNAMIC TABLES IN SCHEMA OSS.FS");
    assert_eq!(cell(&rows, "target_lag").as_deref(), Some("DOWNSTREAM"));
    assert_eq!(cell(&rows, "warehouse").as_deref(), Some("BIG_WH"));
    assert_eq!(cell(&rows, "comment").as_deref(), Some("new"));
    assert_eq!(
        cell(&rows, "initialization_warehouse").as_deref(),
        Some("ML_WH")
    );
    assert_eq!(
        cell(&rows, "scheduling_state").as_deref(),
        Some("SUSPENDED")
    );
    assert_eq!(cell(&rows, "text").as_deref(), Some(FEATURE_VIEW_DT));
}

#[test]
fn feature_view_view_reads_back() {
    let (_dir, acc) = account();
    ok(&acc, SETUP);
    let ddl = r#"CREATE VIEW OSS.FS.PUDO_STATIC$V1 (PUDO_ID COMMENT 'id', DS )
            COMMENT = 'static'
            TAG (
                OSS.FS.SNOWML_FEATURE_STORE_OBJECT = '{"type": "EXTERNAL_FEATURE_VIEW", "pkg_version": "1.5.4"}'
            )
            AS SELECT PUDO_ID, DS FROM OSS.RAW.PARCELS"#;
    ok(&acc, ddl);
    let rows = ok(&acc, "SHOW VIEWS LIKE 'PUDO_STATIC$V1' IN OSS.FS");
    assert_eq!(cell(&rows, "text").as_deref(), Some(ddl));
    assert_eq!(cell(&rows, "comment").as_deref(), Some("static"));
    assert_eq!(cell(&rows, "is_secure").as_deref(), Some("false"));
}

#[test]
fn refresh_task_of_a_cron_feature_view_reads_back_tagged_and_started() {
    let (_dir, acc) = account();
    ok(&acc, SETUP);
    ok(
        &acc,
        &FEATURE_VIEW_DT.replace("'5 minutes'", "'DOWNSTREAM'"),
    );
    ok(
        &acc,
        "CREATE OR REPLACE TASK OSS.FS.PUDO_DAILY$V1
                    WAREHOUSE = ML_WH
                    SCHEDULE = 'USING CRON 0 6 * * * Europe/Paris'
                    AS ALTER DYNAMIC TABLE OSS.FS.PUDO_DAILY$V1 REFRESH",
    );
    ok(
        &acc,
        r#"ALTER TASK OSS.FS.PUDO_DAILY$V1
                SET TAG OSS.FS.SNOWML_FEATURE_STORE_OBJECT='{"type": "FEATURE_VIEW_REFRESH_TASK", "pkg_version": "1.5.4"}'"#,
    );
    ok(&acc, "ALTER TASK OSS.FS.PUDO_DAILY$V1 RESUME");
    let rows = ok(&acc, "SHOW TASKS LIKE 'PUDO_DAILY$V1' IN SCHEMA OSS.FS");
    assert_eq!(
        cell(&rows, "schedule").as_deref(),
        Some("USING CRON 0 6 * * * Europe/Paris")
    );
    assert_eq!(cell(&rows, "state").as_deref(), Some("started"));
    assert_eq!(cell(&rows, "warehouse").as_deref(), Some("ML_WH"));
    assert_eq!(
        cell(&rows, "definition").as_deref(),
        Some("ALTER DYNAMIC TABLE OSS.FS.PUDO_DAILY$V1 REFRESH")
    );
    assert_eq!(cell(&rows, "predecessors").as_deref(), Some("[]"));
    let tag = ok(
        &acc,
        "SELECT SYSTEM$GET_TAG('OSS.FS.SNOWML_FEATURE_STORE_OBJECT', 'OSS.FS.PUDO_DAILY$V1', 'TASK')",
    );
    assert_eq!(
        rows_first(&tag),
        Some(r#"{"type": "FEATURE_VIEW_REFRESH_TASK", "pkg_version": "1.5.4"}"#.to_string())
    );
}

fn rows_first(rows: &floe::session::Rows) -> Option<String> {
    rows.rows[0][0].clone()
}

#[test]
fn entity_tag_shows_allowed_values_as_one_json_string() {
    let (_dir, acc) = account();
    ok(&acc, SETUP);
    ok(
        &acc,
        "CREATE TAG IF NOT EXISTS OSS.FS.SNOWML_FEATURE_STORE_ENTITY_ROUTE
                    ALLOWED_VALUES 'ROUTE_ID,DS'
                    COMMENT = 'delivery route'",
    );
    let rows = ok(
        &acc,
        "SHOW TAGS LIKE 'SNOWML_FEATURE_STORE_ENTITY_R%' IN SCHEMA OSS.FS",
    );
    assert_eq!(
        cell(&rows, "name").as_deref(),
        Some("SNOWML_FEATURE_STORE_ENTITY_ROUTE")
    );
    assert_eq!(
        cell(&rows, "allowed_values").as_deref(),
        Some(r#"["ROUTE_ID,DS"]"#)
    );
    assert_eq!(cell(&rows, "comment").as_deref(), Some("delivery route"));
    ok(
        &acc,
        "ALTER TAG OSS.FS.SNOWML_FEATURE_STORE_ENTITY_ROUTE SET COMMENT = 'routes'",
    );
    let rows = ok(
        &acc,
        "SHOW TAGS LIKE 'SNOWML_FEATURE_STORE_ENTITY_ROUTE' IN OSS.FS",
    );
    assert_eq!(cell(&rows, "comment").as_deref(), Some("routes"));
    let untagged = ok(
        &acc,
        "SHOW TAGS LIKE 'SNOWML_FEATURE_STORE_OBJECT' IN OSS.FS",
    );
    assert_eq!(cell(&untagged, "allowed_values"), None);
}

#[test]
fn warehouse_with_every_option_reads_back() {
    let (_dir, acc) = account();
    ok(
        &acc,
        "CREATE OR REPLACE WAREHOUSE ml_training_wh WITH WAREHOUSE_TYPE = 'SNOWPARK-OPTIMIZED'
           WAREHOUSE_SIZE = MEDIUM MAX_CLUSTER_COUNT = 3 MIN_CLUSTER_COUNT = 2 SCALING_POLICY = ECONOMY
           AUTO_SUSPEND = 120 AUTO_RESUME = FALSE INITIALLY_SUSPENDED = TRUE RESOURCE_MONITOR = RM1
           COMMENT = 'training' ENABLE_QUERY_ACCELERATION = TRUE QUERY_ACCELERATION_MAX_SCALE_FACTOR = 4
           MAX_CONCURRENCY_LEVEL = 4 STATEMENT_QUEUED_TIMEOUT_IN_SECONDS = 60 STATEMENT_TIMEOUT_IN_SECONDS = 3600",
    );
    let rows = ok(&acc, "SHOW WAREHOUSES LIKE 'ML_TRAINING_WH'");
    let expect = [
        ("name", "ML_TRAINING_WH"),
        ("state", "SUSPENDED"),
        ("type", "SNOWPARK-OPTIMIZED"),
        ("size", "Medium"),
        ("min_cluster_count", "2"),
        ("max_cluster_count", "3"),
        ("scaling_policy", "ECONOMY"),
        ("auto_suspend", "120"),
        ("auto_resume", "false"),
        ("resource_monitor", "RM1"),
        ("comment", "training"),
        ("enable_query_acceleration", "true"),
        ("query_acceleration_max_scale_factor", "4"),
        ("is_default", "N"),
        ("is_current", "Y"),
    ];
    for (column, value) in expect {
        assert_eq!(cell(&rows, column).as_deref(), Some(value), "{column}");
    }
    ok(
        &acc,
        "ALTER WAREHOUSE ML_TRAINING_WH SET WAREHOUSE_SIZE = 'X4LARGE' AUTO_SUSPEND = NULL",
    );
    ok(
        &acc,
        "ALTER WAREHOUSE ML_TRAINING_WH UNSET RESOURCE_MONITOR, COMMENT",
    );
    let rows = ok(&acc, "SHOW WAREHOUSES LIKE 'ml_training%'");
    assert_eq!(cell(&rows, "size").as_deref(), Some("4X-Large"));
    assert_eq!(cell(&rows, "auto_suspend"), None);
    assert_eq!(cell(&rows, "resource_monitor").as_deref(), Some("null"));
    assert_eq!(cell(&rows, "comment").as_deref(), Some(""));
}

#[test]
fn task_with_every_option_reads_back() {
    let (_dir, acc) = account();
    ok(&acc, SETUP);
    ok(&acc, "CREATE TAG OSS.OPS.TEAM ALLOWED_VALUES 'ml', 'ops'");
    ok(
        &acc,
        r#"CREATE TASK OSS.OPS.PUDO_ROOT WITH TAG (OSS.OPS.TEAM = 'ml')
             WAREHOUSE = ML_WH
             SCHEDULE = 'USING CRON 0 5 * * * UTC'
             CONFIG = $${"env": "dev"}$$
             ALLOW_OVERLAPPING_EXECUTION = TRUE
             USER_TASK_TIMEOUT_MS = 3600000
             SUSPEND_TASK_AFTER_NUM_FAILURES = 3
             COMMENT = 'root of inference'
             AS CALL OSS.OPS.RUN_INFERENCE()"#,
    );
    ok(
        &acc,
        "CREATE TASK OSS.OPS.PUDO_SCORE WAREHOUSE = ML_WH AFTER OSS.OPS.PUDO_ROOT
             WHEN SYSTEM$STREAM_HAS_DATA('OSS.OPS.NEW_ROWS') AS INSERT INTO OSS.OPS.SCORES SELECT 1",
    );
    let root = ok(&acc, "SHOW TASKS LIKE 'PUDO_ROOT' IN SCHEMA OSS.OPS");
    assert_eq!(
        cell(&root, "schedule").as_deref(),
        Some("USING CRON 0 5 * * * UTC")
    );
    assert_eq!(cell(&root, "config").as_deref(), Some(r#"{"env": "dev"}"#));
    assert_eq!(
        cell(&root, "allow_overlapping_execution").as_deref(),
        Some("true")
    );
    assert_eq!(cell(&root, "comment").as_deref(), Some("root of inference"));
    assert_eq!(
        cell(&root, "definition").as_deref(),
        Some("CALL OSS.OPS.RUN_INFERENCE()")
    );
    assert_eq!(cell(&root, "state").as_deref(), Some("suspended"));
    assert_eq!(cell(&root, "error_integration").as_deref(), Some("null"));
    let child = ok(&acc, "SHOW TASKS LIKE 'PUDO_SCORE' IN SCHEMA OSS.OPS");
    assert_eq!(
        cell(&child, "predecessors").as_deref(),
        Some("[\n  \"\\\"OSS\\\".\\\"OPS\\\".\\\"PUDO_ROOT\\\"\"\n]")
    );
    assert_eq!(
        cell(&child, "condition").as_deref(),
        Some("SYSTEM$STREAM_HAS_DATA('OSS.OPS.NEW_ROWS')")
    );
    assert_eq!(
        cell(&child, "task_relations").as_deref(),
        Some(r#"{"Predecessors":["\"OSS\".\"OPS\".\"PUDO_ROOT\""]}"#)
    );
    let tag = ok(
        &acc,
        "SELECT SYSTEM$GET_TAG('OSS.OPS.TEAM', 'OSS.OPS.PUDO_ROOT', 'TASK') AS V",
    );
    assert_eq!(cell(&tag, "V").as_deref(), Some("ml"));
}

#[test]
fn model_versions_aliases_comments_metadata_read_back() {
    let (_dir, acc) = account();
    ok(&acc, SETUP);
    ok(&acc, "CREATE SCHEMA OSS.PROD_REG");
    ok(&acc, "CREATE TAG OSS.REG.STAGE");
    let script = [
        "CREATE MODEL OSS.REG.PUDO_CAPACITY WITH VERSION V1 FROM @OSS.REG.MODELS/pudo/v1",
        "ALTER MODEL OSS.REG.PUDO_CAPACITY ADD VERSION V2 FROM @OSS.REG.MODELS/pudo/v2",
        "ALTER MODEL OSS.REG.PUDO_CAPACITY SET DEFAULT_VERSION = V2",
        "ALTER MODEL OSS.REG.PUDO_CAPACITY VERSION V2 SET ALIAS = PROD",
        "ALTER MODEL OSS.REG.PUDO_CAPACITY MODIFY VERSION V2 SET COMMENT=$$trained on 365 days$$",
        r#"ALTER MODEL OSS.REG.PUDO_CAPACITY MODIFY VERSION V2 SET METADATA=$${"metrics": {"mape": 0.12}, "snowpark_ml_schema_version": "2024-01-01"}$$"#,
        "COMMENT ON MODEL OSS.REG.PUDO_CAPACITY IS $$PUDO capacity forecast$$",
        "ALTER MODEL OSS.REG.PUDO_CAPACITY SET TAG OSS.REG.STAGE = $$candidate$$",
        "CREATE MODEL OSS.PROD_REG.PUDO_CAPACITY WITH VERSION V2 FROM MODEL OSS.REG.PUDO_CAPACITY VERSION V2",
    ];
    for sql in script {
        ok(&acc, sql);
    }
    let model = ok(&acc, "SHOW MODELS LIKE 'PUDO_CAPACITY' IN SCHEMA OSS.REG");
    assert_eq!(
        cell(&model, "comment").as_deref(),
        Some("PUDO capacity forecast")
    );
    assert_eq!(cell(&model, "default_version_name").as_deref(), Some("V2"));
    assert_eq!(cell(&model, "versions").as_deref(), Some(r#"["V1","V2"]"#));
    assert_eq!(
        cell(&model, "aliases").as_deref(),
        Some(r#"{"DEFAULT":"V2","FIRST":"V1","LAST":"V2","PROD":"V2"}"#)
    );
    let v2 = ok(
        &acc,
        "SHOW VERSIONS LIKE 'V2' IN MODEL OSS.REG.PUDO_CAPACITY",
    );
    assert_eq!(cell(&v2, "is_default_version").as_deref(), Some("true"));
    assert_eq!(cell(&v2, "comment").as_deref(), Some("trained on 365 days"));
    assert_eq!(
        cell(&v2, "aliases").as_deref(),
        Some(r#"["DEFAULT","LAST","PROD"]"#)
    );
    assert_eq!(
        cell(&v2, "metadata").as_deref(),
        Some(r#"{"metrics":{"mape":0.12},"snowpark_ml_schema_version":"2024-01-01"}"#)
    );
    let v1 = ok(
        &acc,
        "SHOW VERSIONS LIKE 'v1' IN MODEL OSS.REG.PUDO_CAPACITY",
    );
    assert_eq!(cell(&v1, "is_default_version").as_deref(), Some("false"));
    assert_eq!(cell(&v1, "metadata").as_deref(), Some("{}"));
    let tag = ok(
        &acc,
        "SELECT SYSTEM$GET_TAG($$OSS.REG.STAGE$$, $$OSS.REG.PUDO_CAPACITY$$, 'MODULE') AS TAG_VALUE",
    );
    assert_eq!(cell(&tag, "TAG_VALUE").as_deref(), Some("candidate"));
    let promoted = ok(&acc, "SHOW VERSIONS IN MODEL OSS.PROD_REG.PUDO_CAPACITY");
    assert_eq!(cell(&promoted, "name").as_deref(), Some("V2"));
    ok(
        &acc,
        "ALTER MODEL OSS.REG.PUDO_CAPACITY VERSION PROD UNSET ALIAS",
    );
    ok(&acc, "ALTER MODEL OSS.REG.PUDO_CAPACITY DROP VERSION V1");
    let model = ok(&acc, "SHOW MODELS IN SCHEMA OSS.REG");
    assert_eq!(cell(&model, "versions").as_deref(), Some(r#"["V2"]"#));
}

#[test]
fn seed_tables_show_their_rows_and_dynamic_tables_appear_in_show_tables() {
    let (_dir, acc) = account();
    ok(&acc, SETUP);
    ok(
        &acc,
        "INSERT INTO OSS.RAW.PARCELS (PUDO_ID, DS) VALUES (1, '2026-01-01'), (2, '2026-01-02')",
    );
    let rows = ok(&acc, "SHOW TABLES LIKE 'PARCELS' IN SCHEMA OSS.RAW");
    assert_eq!(cell(&rows, "rows").as_deref(), Some("2"));
    assert_eq!(cell(&rows, "kind").as_deref(), Some("TABLE"));
    assert_eq!(cell(&rows, "is_dynamic").as_deref(), Some("N"));
    ok(&acc, FEATURE_VIEW_DT);
    let rows = ok(&acc, "SHOW TABLES IN SCHEMA OSS.FS");
    assert_eq!(cell(&rows, "is_dynamic").as_deref(), Some("Y"));
}

#[test]
fn task_and_warehouse_parameters_read_back_through_show_parameters() {
    let (_dir, acc) = account();
    ok(&acc, SETUP);
    ok(
        &acc,
        "CREATE TASK OSS.OPS.T WAREHOUSE = ML_WH USER_TASK_TIMEOUT_MS = 60000 SUSPEND_TASK_AFTER_NUM_FAILURES = 3 AS SELECT 1",
    );
    let params = ok(&acc, "SHOW PARAMETERS LIKE 'USER_TASK%' IN TASK OSS.OPS.T");
    assert_eq!(
        cell(&params, "key").as_deref(),
        Some("USER_TASK_TIMEOUT_MS")
    );
    assert_eq!(cell(&params, "value").as_deref(), Some("60000"));
    assert_eq!(cell(&params, "default").as_deref(), Some("3600000"));
    assert_eq!(cell(&params, "level").as_deref(), Some("TASK"));
    ok(
        &acc,
        "ALTER TASK OSS.OPS.T UNSET SUSPEND_TASK_AFTER_NUM_FAILURES",
    );
    let params = ok(
        &acc,
        "SHOW PARAMETERS LIKE 'SUSPEND_TASK_AFTER_NUM_FAILURES' IN TASK OSS.OPS.T",
    );
    assert_eq!(cell(&params, "value").as_deref(), Some("10"));
    assert_eq!(cell(&params, "level").as_deref(), Some(""));
    ok(&acc, "ALTER WAREHOUSE ML_WH SET MAX_CONCURRENCY_LEVEL = 4");
    let params = ok(
        &acc,
        "SHOW PARAMETERS LIKE 'MAX_CONCURRENCY_LEVEL' IN WAREHOUSE ML_WH",
    );
    assert_eq!(cell(&params, "value").as_deref(), Some("4"));
    assert_eq!(cell(&params, "level").as_deref(), Some("WAREHOUSE"));
}
