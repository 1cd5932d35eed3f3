//! The queries Snowflake's own Python libraries send, answered by the local
//! account through `floe local exec`: ENTITY_DETAIL tag lookups, projections
//! over RESULT_SCAN, DESCRIBE of views, SHOW ONLINE FEATURE TABLES and
//! SHOW FUNCTIONS IN MODEL.

mod common;

use common::Project;
use common::local::{exec_json, json_rows, refused};

const ENVIRONMENTS: &str = r#"project: pudo
default_connection: local
environments:
  DEV:
    branches: [dev, "feature/*"]
    database: OSS
local:
  seed: [config/local/seed.sql]
"#;

const SEED: &str = "CREATE DATABASE OSS;
CREATE SCHEMA OSS.RAW;
CREATE SCHEMA OSS.FS;
CREATE TABLE OSS.RAW.PARCELS (PUDO_ID VARCHAR(16) NOT NULL, ARRIVED_AT TIMESTAMP_NTZ, WEIGHT NUMBER(7, 3));
CREATE TAG OSS.FS.SNOWML_FEATURE_STORE_OBJECT;
CREATE TAG OSS.FS.SNOWML_FEATURE_STORE_ENTITY_PUDO ALLOWED_VALUES 'PUDO_ID';
CREATE VIEW OSS.FS.ARRIVALS$V1 (PUDO_ID, DAY, LAST_ARRIVAL COMMENT 'When the last parcel arrived', N)
  COMMENT = 'Arrivals per point and day'
  TAG (OSS.FS.SNOWML_FEATURE_STORE_OBJECT = '{\"type\": \"EXTERNAL_FEATURE_VIEW\"}',
       OSS.FS.SNOWML_FEATURE_STORE_ENTITY_PUDO = 'PUDO_ID')
  AS SELECT PUDO_ID, CAST(ARRIVED_AT AS DATE) AS DAY, MAX(ARRIVED_AT) AS LAST_ARRIVAL, COUNT(*) AS N
     FROM OSS.RAW.PARCELS GROUP BY PUDO_ID, CAST(ARRIVED_AT AS DATE);
";

fn project() -> Project {
    Project::with_environments(ENVIRONMENTS).file("config/local/seed.sql", SEED)
}

#[test]
fn entity_detail_lists_the_objects_a_tag_is_set_on() {
    let project = project();
    let result = exec_json(
        &project,
        "SELECT ENTITY_DETAIL('TAG', 'OSS.FS.SNOWML_FEATURE_STORE_ENTITY_PUDO', \
         '[\"TAG_REFERENCES_INTERNAL\"]') AS D",
    );
    let text = json_rows(&result)[0]["D"]
        .as_str()
        .expect("JSON text")
        .to_string();
    let detail: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    assert_eq!(
        detail["referencedEntities"]["tagReferenceList"],
        serde_json::json!([{
            "domain": "TABLE",
            "entityName": "ARRIVALS$V1",
            "tagName": "SNOWML_FEATURE_STORE_ENTITY_PUDO",
            "tagValue": "PUDO_ID"
        }])
    );
    let on_object = exec_json(
        &project,
        "SELECT ENTITY_DETAIL('table', 'OSS.FS.ARRIVALS$V1', '[\"TAG_REFERENCES\"]')",
    );
    let text = on_object["rows"][0][0]
        .as_str()
        .expect("JSON text")
        .to_string();
    let detail: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    let names: Vec<&str> = detail["tagReferencesInfo"]["tagReferenceList"]
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|t| t["tagName"].as_str())
        .collect();
    assert_eq!(
        names,
        vec![
            "SNOWML_FEATURE_STORE_OBJECT",
            "SNOWML_FEATURE_STORE_ENTITY_PUDO"
        ]
    );
    let err = refused(
        &project,
        "SELECT ENTITY_DETAIL('TAG', 'OSS.FS.NO_SUCH_TAG', '[\"TAG_REFERENCES_INTERNAL\"]')",
    );
    assert!(err.contains("OSS.FS.NO_SUCH_TAG"), "{err}");
}

#[test]
fn show_results_are_projected_through_result_scan_of_the_last_query() {
    let project = project();
    let result = exec_json(
        &project,
        "SHOW TAGS IN SCHEMA OSS.FS;
         SELECT SUBSTR(\"name\", 29) AS \"NAME\", REPLACE(\"allowed_values\", '\"', '') AS KEYS
         FROM TABLE(RESULT_SCAN(LAST_QUERY_ID()))
         WHERE \"name\" LIKE 'SNOWML_FEATURE_STORE_ENTITY_%'",
    );
    let got = json_rows(&result);
    assert_eq!(got.len(), 1, "{result}");
    assert_eq!(got[0]["NAME"], "PUDO");
    assert_eq!(got[0]["KEYS"], "[PUDO_ID]");
}

#[test]
fn result_scan_of_an_unknown_query_id_is_refused() {
    let project = project();
    let err = refused(
        &project,
        "SELECT * FROM TABLE(RESULT_SCAN('01b00000-0000-0000-0000-000000000000'))",
    );
    assert!(err.contains("000709"), "{err}");
    assert!(
        err.contains("Statement 01b00000-0000-0000-0000-000000000000 not found"),
        "{err}"
    );
}

#[test]
fn describe_view_types_columns_from_the_query() {
    let project = project();
    let result = exec_json(&project, "DESC VIEW OSS.FS.ARRIVALS$V1");
    let got = json_rows(&result);
    let column = |name: &str| {
        got.iter()
            .find(|r| r["name"] == name)
            .unwrap_or_else(|| panic!("column {name} in {result}"))
            .clone()
    };
    assert_eq!(column("PUDO_ID")["type"], "VARCHAR(16777216)");
    assert_eq!(column("DAY")["type"], "DATE");
    assert_eq!(column("LAST_ARRIVAL")["type"], "TIMESTAMP_NTZ(9)");
    assert_eq!(
        column("LAST_ARRIVAL")["comment"],
        "When the last parcel arrived"
    );
    assert_eq!(column("N")["type"], "NUMBER(38,0)");
    assert_eq!(column("N")["kind"], "COLUMN");
    let table = exec_json(&project, "DESCRIBE TABLE OSS.RAW.PARCELS");
    let got = json_rows(&table);
    assert_eq!(got[0]["type"], "VARCHAR(16)");
    assert_eq!(got[0]["null?"], "N");
    assert_eq!(got[2]["type"], "NUMBER(7,3)");
    let err = refused(&project, "DESC DYNAMIC TABLE OSS.FS.ARRIVALS$V1");
    assert!(err.contains("does not exist"), "{err}");
}

#[test]
fn select_from_a_view_is_refused_without_describe_only() {
    let project = project();
    let err = refused(&project, "SELECT * FROM OSS.FS.ARRIVALS$V1");
    assert!(err.contains("keeps rows of tables only"), "{err}");
}

#[test]
fn information_schema_tables_counts_in_the_current_database() {
    let project = project();
    let result = exec_json(
        &project,
        "USE DATABASE OSS;
         SELECT COUNT(*) AS CNT FROM INFORMATION_SCHEMA.TABLES
         WHERE TABLE_SCHEMA = 'RAW' AND TABLE_NAME = 'PARCELS'",
    );
    assert_eq!(json_rows(&result)[0]["CNT"], "1");
}

#[test]
fn online_feature_tables_are_none_and_functions_need_a_version() {
    let project = project();
    let result = exec_json(&project, "SHOW ONLINE FEATURE TABLES LIKE '%' IN OSS.FS");
    assert_eq!(result["rows"], serde_json::json!([]));
    let columns = result["columns"].as_array().expect("columns");
    assert!(columns.iter().any(|c| c == "name"), "{result}");
    let err = refused(&project, "SHOW ONLINE FEATURE TABLES IN OSS.NOPE");
    assert!(err.contains("does not exist"), "{err}");
    let err = refused(
        &project,
        "SHOW FUNCTIONS IN MODEL OSS.FS.NO_MODEL VERSION V1",
    );
    assert!(err.contains("OSS.FS.NO_MODEL"), "{err}");
}

#[test]
fn model_versions_show_a_model_spec_when_the_session_asks_and_one_function() {
    let project = project();
    let show = "SHOW VERSIONS LIKE 'V1' IN MODEL OSS.FS.M";
    let plain = exec_json(
        &project,
        &format!("CREATE MODEL OSS.FS.M WITH VERSION V1 FROM @OSS.FS.STAGE/m; {show}"),
    );
    let columns = plain["columns"].as_array().expect("columns");
    assert!(!columns.iter().any(|c| c == "model_spec"), "{plain}");
    let detailed = exec_json(
        &project,
        &format!("ALTER SESSION SET SHOW_MODEL_DETAILS_IN_SHOW_VERSIONS_IN_MODEL = TRUE; {show}"),
    );
    let row = &json_rows(&detailed)[0];
    let spec: serde_json::Value =
        serde_json::from_str(row["model_spec"].as_str().expect("model_spec text"))
            .expect("the specification is JSON (and so YAML)");
    assert_eq!(spec["version"], "2.0");
    let functions = spec["serving"]["functions"].as_object().expect("functions");
    let listed = exec_json(&project, "SHOW FUNCTIONS IN MODEL OSS.FS.M VERSION V1");
    let names: Vec<String> = json_rows(&listed)
        .iter()
        .map(|r| r["name"].as_str().expect("name").to_lowercase())
        .collect();
    assert_eq!(names, functions.keys().cloned().collect::<Vec<_>>());
    assert_eq!(json_rows(&listed)[0]["return_type"], "OBJECT");
    let err = refused(&project, "SHOW FUNCTIONS IN MODEL OSS.FS.M VERSION V9");
    assert!(err.contains("V9"), "{err}");
}
