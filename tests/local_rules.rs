//! Snowflake's rules and errors as the local account enforces them, and the
//! SHOW columns (names and order) of every listed kind.

mod common;

use common::local::{SETUP, account, cell, err, names, ok};

#[test]
fn show_columns_match_snowflake_names_and_order() {
    let (_dir, acc) = account();
    ok(&acc, SETUP);
    let expect: &[(&str, &str)] = &[
        (
            "SHOW DATABASES",
            "created_on name is_default is_current origin owner comment options retention_time kind budget owner_role_type",
        ),
        (
            "SHOW SCHEMAS IN DATABASE OSS",
            "created_on name is_default is_current database_name owner comment options retention_time owner_role_type budget",
        ),
        (
            "SHOW WAREHOUSES",
            "name state type size min_cluster_count max_cluster_count started_clusters running queued is_default is_current auto_suspend auto_resume available provisioning quiescing other created_on resumed_on updated_on owner comment enable_query_acceleration query_acceleration_max_scale_factor resource_monitor actives pendings failed suspended uuid scaling_policy budget owner_role_type resource_constraint",
        ),
        (
            "SHOW TAGS IN OSS.FS",
            "created_on name database_name schema_name owner comment allowed_values owner_role_type",
        ),
        (
            "SHOW TABLES",
            "created_on name database_name schema_name kind comment cluster_by rows bytes owner retention_time automatic_clustering change_tracking search_optimization search_optimization_progress search_optimization_bytes is_external enable_schema_evolution owner_role_type is_event budget is_hybrid is_iceberg is_dynamic is_immutable",
        ),
        (
            "SHOW VIEWS",
            "created_on name reserved database_name schema_name owner comment text is_secure is_materialized owner_role_type change_tracking",
        ),
        (
            "SHOW DYNAMIC TABLES",
            "created_on name reserved database_name schema_name cluster_by rows bytes owner target_lag refresh_mode refresh_mode_reason warehouse comment text automatic_clustering scheduling_state last_suspended_on is_clone is_replica data_timestamp owner_role_type initialization_warehouse",
        ),
        (
            "SHOW TASKS",
            "created_on name id database_name schema_name owner comment warehouse schedule predecessors state definition condition allow_overlapping_execution error_integration last_committed_on last_suspended_on owner_role_type config budget task_relations last_suspended_reason",
        ),
        (
            "SHOW MODELS",
            "created_on name model_type database_name schema_name comment owner default_version_name versions aliases",
        ),
        (
            "SHOW TERSE TABLES",
            "created_on name kind database_name schema_name",
        ),
        (
            "SHOW TERSE VIEWS IN ACCOUNT",
            "created_on name kind database_name schema_name",
        ),
    ];
    for (sql, columns) in expect {
        assert_eq!(names(&ok(&acc, sql)).join(" "), *columns, "{sql}");
    }
    ok(
        &acc,
        "CREATE MODEL OSS.REG.M WITH VERSION V1 FROM @OSS.REG.S/m",
    );
    assert_eq!(
        names(&ok(&acc, "SHOW VERSIONS IN MODEL OSS.REG.M")).join(" "),
        "created_on name aliases comment database_name schema_name model_name is_default_version functions metadata user_data model_attributes size environment runnable_in inference_services"
    );
}

#[test]
fn show_filters_like_starts_with_limit_and_scope() {
    let (_dir, acc) = account();
    ok(&acc, SETUP);
    for name in ["A_ONE", "A_TWO", "B_ONE", "AXONE"] {
        ok(&acc, &format!("CREATE WAREHOUSE {name}"));
    }
    let list = |sql: &str| -> Vec<String> {
        ok(&acc, sql)
            .rows
            .iter()
            .map(|r| r[0].clone().unwrap_or_default())
            .collect()
    };
    assert_eq!(
        list("SHOW WAREHOUSES LIKE 'a%'"),
        ["AXONE", "A_ONE", "A_TWO"]
    );
    assert_eq!(list("SHOW WAREHOUSES LIKE 'a_one'"), ["AXONE", "A_ONE"]);
    let names = |sql: &str| -> Vec<String> {
        ok(&acc, sql)
            .rows
            .iter()
            .map(|r| r[1].clone().unwrap_or_default())
            .collect()
    };
    assert_eq!(
        names("SHOW SCHEMAS IN DATABASE OSS STARTS WITH 'R'"),
        ["RAW", "REG"]
    );
    assert_eq!(
        names("SHOW SCHEMAS IN DATABASE OSS LIMIT 2 FROM 'OPS'"),
        ["PUBLIC", "RAW"]
    );
    assert_eq!(
        names("SHOW SCHEMAS IN DATABASE OSS"),
        ["FS", "INFORMATION_SCHEMA", "OPS", "PUBLIC", "RAW", "REG"]
    );
    assert_eq!(names("SHOW TABLES IN ACCOUNT"), ["PARCELS"]);
    assert!(names("SHOW TAGS IN SCHEMA OSS.RAW").is_empty());
    let e = err(&acc, "SHOW TAGS IN SCHEMA OSS.NOPE");
    assert_eq!((e.code.as_str(), e.sql_state.as_str()), ("002003", "02000"));
    assert!(
        e.message.contains("Schema 'OSS.NOPE' does not exist"),
        "{}",
        e.message
    );
}

#[test]
fn existing_and_missing_objects_get_snowflake_errors() {
    let (_dir, acc) = account();
    ok(&acc, SETUP);
    let e = err(&acc, "CREATE WAREHOUSE ML_WH");
    assert_eq!(e.code, "002002");
    assert_eq!(e.sql_state, "42710");
    assert_eq!(
        e.message,
        "SQL compilation error:\nObject 'ML_WH' already exists."
    );
    assert_eq!(
        cell(&ok(&acc, "CREATE WAREHOUSE IF NOT EXISTS ml_wh"), "status").as_deref(),
        Some("ML_WH already exists, statement succeeded.")
    );
    let e = err(&acc, "ALTER VIEW OSS.FS.NOPE SET COMMENT = 'x'");
    assert_eq!(e.code, "002003");
    assert_eq!(
        e.message,
        "SQL compilation error:\nObject 'OSS.FS.NOPE' does not exist or not authorized."
    );
    let e = err(
        &acc,
        "CREATE VIEW OSS.FS.V AS SELECT * FROM RAW.MISSING m JOIN OSS.RAW.PARCELS p ON TRUE",
    );
    assert_eq!(
        e.message,
        "SQL compilation error:\nObject 'OSS.RAW.MISSING' does not exist or not authorized."
    );
    let e = err(&acc, "CREATE SCHEMA NOPE.S");
    assert_eq!(
        e.message,
        "SQL compilation error:\nDatabase 'NOPE' does not exist or not authorized."
    );
    let e = err(&acc, "DROP VIEW OSS.RAW.PARCELS");
    assert_eq!(
        e.message,
        "SQL compilation error:\nObject found is of type 'TABLE', not specified type 'VIEW'."
    );
    assert_eq!(
        cell(&ok(&acc, "DROP TASK IF EXISTS OSS.OPS.NOPE"), "status").as_deref(),
        Some("Drop statement executed successfully (NOPE already dropped).")
    );
    let e = err(
        &acc,
        "CREATE DYNAMIC TABLE OSS.FS.D TARGET_LAG = '1 hour' WAREHOUSE = NOPE_WH AS SELECT * FROM OSS.RAW.PARCELS",
    );
    assert!(
        e.message.contains("'NOPE_WH' does not exist"),
        "{}",
        e.message
    );
    let e = err(
        &acc,
        "CREATE TASK OSS.OPS.T WAREHOUSE = NOPE_WH AS SELECT 1",
    );
    assert!(
        e.message.contains("'NOPE_WH' does not exist"),
        "{}",
        e.message
    );
}

#[test]
fn names_resolve_against_use_and_ctes_are_not_objects() {
    let (_dir, acc) = account();
    ok(&acc, SETUP);
    let e = err(&acc, "USE SCHEMA NOPE");
    assert_eq!(e.code, "002003");
    ok(&acc, "USE DATABASE OSS");
    ok(&acc, "USE SCHEMA FS");
    let current = ok(&acc, "SELECT CURRENT_DATABASE(), CURRENT_SCHEMA() AS S, 1");
    assert_eq!(cell(&current, "CURRENT_DATABASE()").as_deref(), Some("OSS"));
    assert_eq!(cell(&current, "S").as_deref(), Some("FS"));
    assert_eq!(cell(&current, "1").as_deref(), Some("1"));
    ok(
        &acc,
        "CREATE VIEW \"daily\" AS WITH x AS (SELECT * FROM RAW.PARCELS) SELECT EXTRACT(YEAR FROM ds) y FROM x",
    );
    let rows = ok(&acc, "SHOW VIEWS IN SCHEMA");
    assert_eq!(cell(&rows, "name").as_deref(), Some("daily"));
    assert_eq!(cell(&rows, "schema_name").as_deref(), Some("FS"));
}

#[test]
fn task_graph_changes_are_refused_while_the_root_runs() {
    let (_dir, acc) = account();
    ok(&acc, SETUP);
    ok(
        &acc,
        "CREATE TASK OSS.OPS.ROOT WAREHOUSE = ML_WH SCHEDULE = '60 MINUTE' AS SELECT 1",
    );
    ok(
        &acc,
        "CREATE TASK OSS.OPS.A WAREHOUSE = ML_WH AFTER OSS.OPS.ROOT AS SELECT 2",
    );
    ok(
        &acc,
        "CREATE TASK OSS.OPS.B WAREHOUSE = ML_WH AFTER OSS.OPS.A AS SELECT 3",
    );
    ok(&acc, "ALTER TASK OSS.OPS.ROOT RESUME");
    let state = |name: &str| {
        cell(
            &ok(&acc, &format!("SHOW TASKS LIKE '{name}' IN OSS.OPS")),
            "state",
        )
        .unwrap_or_default()
    };
    assert_eq!(
        (state("ROOT"), state("A")),
        ("started".into(), "suspended".into())
    );
    for sql in [
        "ALTER TASK OSS.OPS.B SET COMMENT = 'x'",
        "ALTER TASK OSS.OPS.B MODIFY AS SELECT 4",
        "ALTER TASK OSS.OPS.A RESUME",
        "ALTER TASK OSS.OPS.ROOT SET SCHEDULE = '5 MINUTE'",
        "CREATE TASK OSS.OPS.C AFTER OSS.OPS.B AS SELECT 5",
        "CREATE OR REPLACE TASK OSS.OPS.A AFTER OSS.OPS.ROOT AS SELECT 6",
    ] {
        let e = err(&acc, sql);
        assert_eq!(e.code, "091421", "{sql}");
        assert_eq!(
            e.message,
            "Unable to update graph with root task OSS.OPS.ROOT since that root task is not suspended."
        );
    }
    ok(&acc, "ALTER TASK OSS.OPS.ROOT SUSPEND");
    ok(&acc, "ALTER TASK OSS.OPS.B MODIFY AS SELECT 4");
    ok(&acc, "ALTER TASK OSS.OPS.B REMOVE AFTER OSS.OPS.A");
    ok(
        &acc,
        "ALTER TASK OSS.OPS.B ADD AFTER OSS.OPS.ROOT, OSS.OPS.A",
    );
    let e = err(&acc, "ALTER TASK OSS.OPS.ROOT ADD AFTER OSS.OPS.B");
    assert!(e.message.contains("cycle"), "{}", e.message);
    ok(&acc, "SELECT SYSTEM$TASK_DEPENDENTS_ENABLE('OSS.OPS.ROOT')");
    assert_eq!(
        (state("ROOT"), state("A"), state("B")),
        ("started".into(), "started".into(), "started".into())
    );
    ok(&acc, "ALTER TASK OSS.OPS.ROOT SUSPEND");
    ok(&acc, "DROP TASK OSS.OPS.A");
    let b = ok(&acc, "SHOW TASKS LIKE 'B' IN OSS.OPS");
    assert_eq!(
        cell(&b, "predecessors").as_deref(),
        Some("[\n  \"\\\"OSS\\\".\\\"OPS\\\".\\\"ROOT\\\"\"\n]")
    );
}

#[test]
fn a_task_names_at_most_100_predecessors() {
    let (_dir, acc) = account();
    ok(&acc, SETUP);
    let mut parents = Vec::new();
    for i in 0..101 {
        ok(&acc, &format!("CREATE TASK OSS.OPS.P{i} AS SELECT 1"));
        parents.push(format!("OSS.OPS.P{i}"));
    }
    let e = err(
        &acc,
        &format!(
            "CREATE TASK OSS.OPS.CHILD AFTER {} AS SELECT 1",
            parents.join(", ")
        ),
    );
    assert!(e.message.contains("at most 100"), "{}", e.message);
    ok(
        &acc,
        &format!(
            "CREATE TASK OSS.OPS.CHILD AFTER {} AS SELECT 1",
            parents[..100].join(", ")
        ),
    );
}

#[test]
fn tag_values_must_be_allowed_and_tags_must_exist() {
    let (_dir, acc) = account();
    ok(&acc, SETUP);
    let e = err(
        &acc,
        "CREATE VIEW OSS.FS.V TAG (OSS.FS.SNOWML_FEATURE_STORE_ENTITY_PUDO = 'OTHER') AS SELECT * FROM OSS.RAW.PARCELS",
    );
    assert!(e.message.contains("allowed values"), "{}", e.message);
    let e = err(&acc, "ALTER WAREHOUSE ML_WH SET TAG OSS.FS.NOPE = 'x'");
    assert_eq!(
        e.message,
        "SQL compilation error:\nObject 'OSS.FS.NOPE' does not exist or not authorized."
    );
    ok(
        &acc,
        "ALTER WAREHOUSE ML_WH SET TAG OSS.FS.SNOWML_FEATURE_STORE_ENTITY_PUDO = 'PUDO_ID'",
    );
    let v = ok(
        &acc,
        "SELECT SYSTEM$GET_TAG('OSS.FS.SNOWML_FEATURE_STORE_ENTITY_PUDO', 'ML_WH', 'WAREHOUSE') AS V",
    );
    assert_eq!(cell(&v, "V").as_deref(), Some("PUDO_ID"));
    ok(
        &acc,
        "ALTER WAREHOUSE ML_WH UNSET TAG OSS.FS.SNOWML_FEATURE_STORE_ENTITY_PUDO",
    );
    let v = ok(
        &acc,
        "SELECT SYSTEM$GET_TAG('OSS.FS.SNOWML_FEATURE_STORE_ENTITY_PUDO', 'ML_WH', 'WAREHOUSE') AS V",
    );
    assert_eq!(cell(&v, "V"), None);
}

#[test]
fn model_rules_on_versions_and_defaults() {
    let (_dir, acc) = account();
    ok(&acc, SETUP);
    ok(
        &acc,
        "CREATE MODEL OSS.REG.M WITH VERSION V1 FROM @OSS.REG.S/v1",
    );
    let e = err(
        &acc,
        "ALTER MODEL OSS.REG.M ADD VERSION v1 FROM @OSS.REG.S/v1",
    );
    assert!(e.message.contains("already exists"), "{}", e.message);
    let e = err(&acc, "ALTER MODEL OSS.REG.M SET DEFAULT_VERSION = V9");
    assert!(e.message.contains("'V9' does not exist"), "{}", e.message);
    let e = err(&acc, "ALTER MODEL OSS.REG.M DROP VERSION V1");
    assert!(e.message.contains("default version"), "{}", e.message);
    let e = err(&acc, "ALTER MODEL OSS.REG.M VERSION V1 SET ALIAS = DEFAULT");
    assert!(e.message.contains("system alias"), "{}", e.message);
    let e = err(
        &acc,
        "CREATE MODEL OSS.REG.N WITH VERSION V1 FROM MODEL OSS.REG.M VERSION V2",
    );
    assert!(e.message.contains("'V2' does not exist"), "{}", e.message);
    let e = err(
        &acc,
        "ALTER MODEL OSS.REG.M MODIFY VERSION V1 SET METADATA = $$[1]$$",
    );
    assert!(e.message.contains("JSON object"), "{}", e.message);
}

#[test]
fn a_version_is_copied_from_a_named_version_an_alias_or_the_default() {
    let (_dir, acc) = account();
    ok(&acc, SETUP);
    ok(
        &acc,
        "CREATE MODEL OSS.REG.M WITH VERSION V1 FROM @OSS.REG.S/v1",
    );
    ok(
        &acc,
        "ALTER MODEL OSS.REG.M ADD VERSION V2 FROM @OSS.REG.S/v2",
    );
    ok(
        &acc,
        "ALTER MODEL OSS.REG.M VERSION V2 SET ALIAS = CHAMPION",
    );
    // Without VERSION, Snowflake copies the source model's default version.
    ok(
        &acc,
        "CREATE MODEL OSS.REG.N WITH VERSION D FROM MODEL OSS.REG.M",
    );
    for (name, source) in [
        ("A", "CHAMPION"),
        ("L", "LAST"),
        ("F", "first"),
        ("V", "V1"),
    ] {
        ok(
            &acc,
            &format!(
                "ALTER MODEL OSS.REG.N ADD VERSION {name} FROM MODEL OSS.REG.M VERSION {source}"
            ),
        );
    }
    let versions = ok(&acc, "SHOW VERSIONS IN MODEL OSS.REG.N");
    let listed: Vec<String> = versions
        .iter()
        .map(|r| r.get("name").unwrap_or_default().to_string())
        .collect();
    assert_eq!(listed, ["D", "A", "L", "F", "V"]);
    let e = err(
        &acc,
        "ALTER MODEL OSS.REG.N ADD VERSION X FROM MODEL OSS.REG.M VERSION NOPE",
    );
    assert!(e.message.contains("'NOPE' does not exist"), "{}", e.message);
}

#[test]
fn syntax_errors_and_unsupported_statements_are_snowflake_errors() {
    let (_dir, acc) = account();
    let e = err(&acc, "CREATE WAREHOUSE");
    assert_eq!((e.code.as_str(), e.sql_state.as_str()), ("001003", "42000"));
    assert_eq!(
        e.message,
        "SQL compilation error:\nsyntax error line 1 at position 16 unexpected '<EOF>'."
    );
    let e = err(&acc, "CREATE WAREHOUSE W WAREHOUSE_SIZ = XSMALL");
    assert_eq!(
        e.message,
        "SQL compilation error:\nsyntax error line 1 at position 19 unexpected 'WAREHOUSE_SIZ'."
    );
    let e = err(&acc, "GRANT USAGE ON WAREHOUSE W TO ROLE R");
    assert_eq!(e.code, "000002");
    assert!(e.message.contains("'GRANT'"), "{}", e.message);
    let e = err(&acc, "SHOW STAGES");
    assert!(e.message.contains("'SHOW STAGES'"), "{}", e.message);
    let e = err(
        &acc,
        "CREATE WAREHOUSE W AUTO_SUSPEND = 99999999999999999999999",
    );
    assert_eq!(e.code, "001008");
    let e = err(&acc, "SELECT 'unterminated");
    assert_eq!(e.code, "001003");
}

#[test]
fn a_refused_statement_changes_nothing_but_earlier_ones_in_a_script_commit() {
    let (_dir, acc) = account();
    ok(&acc, SETUP);
    let before = ok(&acc, "SHOW WAREHOUSES");
    err(
        &acc,
        "CREATE WAREHOUSE W2 MIN_CLUSTER_COUNT = 3 MAX_CLUSTER_COUNT = 2",
    );
    err(
        &acc,
        "ALTER WAREHOUSE ML_WH SET WAREHOUSE_SIZE = LARGE AUTO_SUSPEND = -5",
    );
    assert_eq!(ok(&acc, "SHOW WAREHOUSES"), before);
    err(&acc, "CREATE WAREHOUSE W3; CREATE WAREHOUSE ML_WH");
    assert_eq!(ok(&acc, "SHOW WAREHOUSES LIKE 'W3'").len(), 1);
}
