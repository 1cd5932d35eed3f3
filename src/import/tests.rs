use serde_json::json;

use super::*;
use crate::kinds::reconciler_kinds;
use crate::kinds::testing::{account, live, resolve, run};
use crate::model::Resource;

fn target(shares_database: bool) -> Target {
    Target {
        name: "DEV".into(),
        database: Ident::from_resolved("ML_DB"),
        shares_database,
        naming: Naming::new("DEV", "ML_DB", &["DEV", "PROD"]),
    }
}

fn object(address: &str, schema: Option<&str>, attributes: serde_json::Value) -> LiveObject {
    let address: Address = address.parse().unwrap();
    LiveObject {
        fqn: address.name.to_string(),
        address,
        schema: schema.map(Ident::from_resolved),
        attributes: serde_json::from_value(attributes).unwrap(),
    }
}

fn schemas(names: &[&str]) -> Vec<LiveObject> {
    names
        .iter()
        .map(|n| object(&format!("schema.{n}"), None, json!({})))
        .collect()
}

fn names(idents: &[Ident]) -> Vec<&str> {
    idents.iter().map(Ident::as_str).collect()
}

#[test]
fn a_shared_database_gives_the_schemas_named_for_the_environment() {
    let found = schemas(&["APP_DEV", "APP_PROD", "SHARED_DATA"]);
    let shared = choose_schemas(&found, &target(true), &[]).unwrap();
    assert_eq!(names(&shared), ["APP_DEV"]);
    let own = choose_schemas(&found, &target(false), &[]).unwrap();
    assert_eq!(names(&own), ["APP_DEV", "APP_PROD", "SHARED_DATA"]);
    let wanted = [Ident::from_resolved("SHARED_DATA")];
    let asked = choose_schemas(&found, &target(true), &wanted).unwrap();
    assert_eq!(names(&asked), ["SHARED_DATA"]);
}

#[test]
fn a_schema_the_database_lacks_is_named_with_those_it_has() {
    let found = schemas(&["APP_DEV"]);
    let err = choose_schemas(&found, &target(true), &[Ident::from_resolved("NOPE")]).unwrap_err();
    assert_eq!(err.schema, "NOPE");
    assert_eq!(err.found, ["APP_DEV"]);
}

#[test]
fn warehouses_come_with_their_users_or_their_name() {
    let objects = vec![
        object("warehouse.WH_DEV", None, json!({})),
        object("warehouse.USED", None, json!({})),
        object("warehouse.COMPUTE_WH", None, json!({})),
        object("task.T", Some("APP_DEV"), json!({"warehouse": "USED"})),
        object(
            "task.ELSEWHERE",
            Some("APP_PROD"),
            json!({"warehouse": "COMPUTE_WH"}),
        ),
        object("schema.APP_DEV", None, json!({})),
    ];
    let chosen = [Ident::from_resolved("APP_DEV")];
    let addresses = |limited: bool, skip: &BTreeSet<Address>| -> Vec<String> {
        choose_objects(objects.clone(), &chosen, &target(true), limited, skip)
            .iter()
            .map(|o| o.address.to_string())
            .collect()
    };
    assert_eq!(
        addresses(false, &BTreeSet::new()),
        [
            "schema.APP_DEV",
            "warehouse.USED",
            "warehouse.WH_DEV",
            "task.T"
        ]
    );
    assert_eq!(
        addresses(true, &BTreeSet::new()),
        ["schema.APP_DEV", "warehouse.USED", "task.T"]
    );
    let skip = BTreeSet::from(["task.T".parse().unwrap()]);
    assert_eq!(addresses(true, &skip), ["schema.APP_DEV", "warehouse.USED"]);
}

/// Every kind and the field forms floe imports, in environment DEV of `ML_DB`.
const PLATFORM: &str = r#"kind: Schema
name: FS_DEV
feature_store: true
comment: features of ${env.name}, not $${literal}
---
kind: Schema
name: APP_DEV
---
kind: Warehouse
name: WH_DEV
size: SMALL
auto_suspend: null
auto_resume: false
max_cluster_count: 3
comment: it's the warehouse
---
kind: Entity
name: CUSTOMER
schema: FS_DEV
join_keys: [CUSTOMER_ID]
description: a customer
---
kind: FeatureView
name: SPEND
schema: FS_DEV
version: V1
entities: [CUSTOMER]
timestamp_col: TS
refresh_freq: 1 day
warehouse: WH_DEV
description: spend per customer
columns: [{name: CUSTOMER_ID}, {name: TOTAL, comment: "sum of $${amounts}"}, {name: TS}]
query: |
  SELECT CUSTOMER_ID, SUM(AMOUNT) AS TOTAL, MAX(TS) AS TS
  FROM ${env.database}.APP_DEV.ORDERS
  GROUP BY CUSTOMER_ID
---
kind: FeatureView
name: RECENT
schema: FS_DEV
version: "2.0"
entities: [CUSTOMER]
query: SELECT CUSTOMER_ID, AMOUNT FROM ML_DB.APP_DEV.ORDERS
---
kind: Model
name: CHURN
schema: APP_DEV
comment: churn
versions:
  - {name: V1, from: "@ML_DB.APP_DEV.ST/churn/v1", comment: first, metrics: {mse: 0.5, n: 3}}
  - {name: V2, from: "@ML_DB.APP_DEV.ST/churn/v2", aliases: [BEST]}
default_version: V2
---
kind: Task
name: ROOT
schema: APP_DEV
warehouse: WH_DEV
schedule: USING CRON 0 3 * * * Europe/Paris
config: {days: 3, note: "$${not interpolated}"}
sql: SELECT 1
---
kind: Task
name: CHILD
schema: APP_DEV
after: [ROOT]
when: SYSTEM$GET_PREDECESSOR_RETURN_VALUE('ROOT') = 'OK'
comment: child of ${env.name}
sql: INSERT INTO ML_DB.APP_DEV.ORDERS SELECT 1, 2, CURRENT_TIMESTAMP()
enabled: false
"#;

/// Creates every resource of `PLATFORM` in a scratch account and reads the
/// account back with every kind.
fn created() -> (Vec<Resource>, Vec<LiveObject>) {
    let env = resolve(PLATFORM);
    let (_dir, account) = account();
    let kinds = reconciler_kinds();
    let table =
        "CREATE TABLE ML_DB.APP_DEV.ORDERS (CUSTOMER_ID NUMBER, AMOUNT NUMBER, TS TIMESTAMP_NTZ)";
    let mut resumes = Vec::new();
    for resource in &env.resources {
        let kind = kinds.get(resource.address.kind).unwrap();
        run(&account, &kind.create_sql(resource));
        // Tasks are created suspended; enabled ones are resumed once their
        // graph is complete, as apply does.
        if kind
            .graph_node(&resource.attributes)
            .is_some_and(|n| n.enabled)
        {
            resumes.extend(kind.resume_sql(&resource.fqn, &resource.attributes));
        }
        if resource.address.to_string() == "schema.APP_DEV" {
            run(&account, &[table.to_string()]);
        }
    }
    run(&account, &resumes);
    let objects = kinds
        .iter()
        .flat_map(|k| live(k.as_ref(), &account))
        .collect();
    (env.resources, objects)
}

/// The resources of `PLATFORM`, and the files importing what `created`
/// read of them in the schemas `FS_DEV` and `APP_DEV`.
fn imported() -> (Vec<Resource>, Vec<ImportFile>) {
    let (declared, objects) = created();
    let chosen = choose_objects(
        objects,
        &[
            Ident::from_resolved("FS_DEV"),
            Ident::from_resolved("APP_DEV"),
        ],
        &target(true),
        false,
        &BTreeSet::new(),
    );
    let written = files(&chosen, &target(true), "2026-01-01T00:00:00Z");
    (declared, written)
}

#[test]
fn imported_files_declare_what_was_created() {
    let (declared, written) = imported();
    let paths: Vec<String> = written
        .iter()
        .map(|f| f.path.display().to_string())
        .collect();
    assert_eq!(
        paths,
        [
            "feature_store/fs.yaml",
            "registry/app.yaml",
            "schemas.yaml",
            "tasks/app.yaml",
            "warehouses.yaml"
        ]
    );
    let text: Vec<&str> = written.iter().map(|f| f.text.as_str()).collect();
    let reread = resolve(&text.join("---\n"));
    assert_eq!(reread.resources.len(), declared.len());
    for original in &declared {
        let again = reread
            .resource(&original.address)
            .unwrap_or_else(|| panic!("{} not imported:\n{}", original.address, text.join("")));
        let mut expected = original.attributes.clone();
        if original.address.kind == KindName::Model {
            // The source of a version is not in the account: a placeholder.
            for version in expected
                .get_mut("versions")
                .and_then(|v| v.as_array_mut())
                .unwrap()
            {
                let name = version["name"].as_str().unwrap().to_string();
                version["from"] =
                    json!({"stage": crate::kinds::model::import::unknown_source("CHURN", &name)});
            }
        }
        assert_eq!(again.attributes, expected, "{}", original.address);
    }
}

#[test]
fn names_of_the_environment_are_interpolated_and_notes_say_what_is_unknown() {
    let (_, written) = imported();
    let file = |p: &str| written.iter().find(|f| f.path == Path::new(p)).unwrap();
    let fs = &file("feature_store/fs.yaml").text;
    assert!(fs.starts_with("# Imported by `floe import` from environment DEV (database ML_DB) at 2026-01-01T00:00:00Z."), "{fs}");
    assert!(fs.contains("schema: FS_${env.name}\n"), "{fs}");
    assert!(
        fs.contains("FROM ${env.database}.APP_${env.name}.ORDERS"),
        "{fs}"
    );
    assert!(fs.contains("warehouse: WH_${env.name}\n"), "{fs}");
    let model = &file("registry/app.yaml").text;
    assert!(
        model.contains("# TODO: model.CHURN Snowflake does not record where"),
        "{model}"
    );
    let tasks = &file("tasks/app.yaml").text;
    assert!(
        tasks.contains("# TODO: `timeout_ms` and `suspend_after_failures`"),
        "{tasks}"
    );
    assert!(tasks.contains("note: $${not interpolated}"), "{tasks}");
    assert_eq!(file("tasks/app.yaml").todos, 1);
}
