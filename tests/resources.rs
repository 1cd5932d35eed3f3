//! The validated `Resource` list, the contract with plan and apply: canonical
//! attributes of every kind (defaults filled, enums in one spelling, names
//! resolved) and dependency order, through the library entry points.

use std::path::Path;

use floe::load::Project;
use floe::resolve::{EnvSelection, ResolvedEnv};
use serde_json::json;

const ENVIRONMENTS: &str = "\
environments:
  DEV:
    branches: [dev]
    database: ml_db
  PROD:
    branches: [main]
    database: ML_DB
    vars: {suffix: P}
";

const RESOURCES: &str = "\
kind: Schema
name: fs_${env.name}
feature_store: true
---
kind: Schema
name: REG
comment: ''
---
kind: Warehouse
name: wh
size: 2X-Large
auto_suspend: ${config.wh.auto_suspend}
---
kind: Warehouse
name: never_suspends
auto_suspend: null
type: snowpark-optimized
scaling_policy: economy
max_cluster_count: 3
---
kind: Entity
name: pudo
schema: FS_${env.name}
join_keys: [pudo_id, '\"Day\"']
description: A pick-up point
---
kind: FeatureView
name: daily
version: v1
schema: FS_${env.name}
entities: [pudo]
timestamp_col: ds
refresh_freq: 3600 seconds
warehouse: wh
query: \"SELECT * FROM raw.parcels;\"
columns: [{name: n, comment: parcels}]
---
kind: FeatureView
name: scheduled
version: V1
schema: FS_${env.name}
entities: [pudo]
refresh_freq: 0 6 * * * Europe/Paris
warehouse: wh
initialize: on_schedule
query: SELECT 1
---
kind: FeatureView
name: plain
version: V1
schema: FS_${env.name}
entities: [pudo]
query: SELECT * FROM \"daily$v1\"
---
kind: Model
name: forecast
schema: reg
environments: [DEV]
versions:
  - {name: v1, from: '@ML.MODELS/f/v1', metrics: {mape: 0.12}, aliases: [champion]}
  - {name: V2, from: '@ML.MODELS/f/v2', aliases: [b]}
---
kind: Model
name: forecast
schema: reg
environments: [PROD]
comment: ${env.vars.suffix}
default_version: V1
versions:
  - {name: V1, from: {env: dev, version: V1}, comment: promoted}
---
kind: Task
name: root
schema: REG
warehouse: WH
schedule: 120 minutes
config: {mode: full}
sql: CALL train()
---
kind: Task
name: child
schema: REG
after: [ROOT]
when: SYSTEM$STREAM_HAS_DATA('S')
enabled: false
sql: SELECT * FROM TABLE(forecast!PREDICT(1));
";

fn resolve(env: &str) -> ResolvedEnv {
    let dir = tempfile::tempdir().unwrap();
    let write = |p: &str, t: &str| {
        let f = dir.path().join(p);
        std::fs::create_dir_all(f.parent().unwrap()).unwrap();
        std::fs::write(f, t).unwrap();
    };
    write("config/environments.yaml", ENVIRONMENTS);
    write("config/wh/base.yaml", "auto_suspend: 300\n");
    write("resources/all.yaml", RESOURCES);
    let project =
        Project::load(dir.path()).unwrap_or_else(|d| panic!("{}", d.render(Path::new("."))));
    let selection = project
        .select_with(&EnvSelection::env(env), &|_| None, None)
        .unwrap();
    project
        .resolve_selection(selection)
        .unwrap_or_else(|d| panic!("{}", d.render(dir.path())))
}

fn attributes(r: &ResolvedEnv, address: &str) -> serde_json::Value {
    let address = address.parse().unwrap();
    let resource = r
        .resource(&address)
        .unwrap_or_else(|| panic!("{address} is declared"));
    serde_json::to_value(&resource.attributes).unwrap()
}

#[test]
fn schemas_and_warehouses_are_canonical_with_defaults() {
    let r = resolve("DEV");
    assert_eq!(
        attributes(&r, "schema.FS_DEV"),
        json!({"database": "ML_DB", "name": "FS_DEV", "comment": null, "feature_store": true})
    );
    assert_eq!(attributes(&r, "schema.REG")["comment"], json!(null));
    assert_eq!(
        attributes(&r, "warehouse.WH"),
        json!({
            "name": "WH", "size": "XXLARGE", "type": "STANDARD", "auto_suspend": 300, "auto_resume": true,
            "min_cluster_count": 1, "max_cluster_count": 1, "scaling_policy": "STANDARD",
            "initially_suspended": false, "resource_monitor": null, "comment": null,
            "enable_query_acceleration": false, "query_acceleration_max_scale_factor": 8
        })
    );
    let never = attributes(&r, "warehouse.NEVER_SUSPENDS");
    assert_eq!(never["auto_suspend"], json!(null));
    assert_eq!(never["type"], json!("SNOWPARK-OPTIMIZED"));
    assert_eq!(never["scaling_policy"], json!("ECONOMY"));
    let wh = r.resource(&"warehouse.WH".parse().unwrap()).unwrap();
    assert_eq!(wh.fqn, "WH");
}

#[test]
fn entities_and_feature_views_are_canonical() {
    let r = resolve("DEV");
    assert_eq!(
        attributes(&r, "entity.PUDO"),
        json!({"database": "ML_DB", "schema": "FS_DEV", "name": "PUDO", "tag": "SNOWML_FEATURE_STORE_ENTITY_PUDO",
               "join_keys": ["PUDO_ID", "Day"], "description": "A pick-up point"})
    );
    assert_eq!(
        r.resource(&"entity.PUDO".parse().unwrap()).unwrap().fqn,
        "ML_DB.FS_DEV.SNOWML_FEATURE_STORE_ENTITY_PUDO"
    );
    let daily = r
        .resource(&"feature_view.\"DAILY$v1\"".parse().unwrap())
        .expect("the version keeps its case");
    assert_eq!(daily.fqn, "ML_DB.FS_DEV.DAILY$v1");
    assert_eq!(
        serde_json::to_value(&daily.attributes).unwrap(),
        json!({
            "database": "ML_DB", "schema": "FS_DEV", "name": "DAILY$v1", "feature_view": "DAILY", "version": "v1",
            "object": "DYNAMIC TABLE", "entities": ["PUDO"], "entity_tags": {"PUDO": "PUDO_ID,Day"},
            "feature_store_tags": ["SNOWML_FEATURE_STORE_OBJECT", "SNOWML_FEATURE_VIEW_METADATA"],
            "timestamp_col": "DS",
            "query": "SELECT * FROM raw.parcels", "refresh_freq": "1 hour", "warehouse": "WH",
            "refresh_mode": "AUTO", "initialize": "ON_CREATE", "cluster_by": ["PUDO_ID", "Day", "DS"],
            "description": null, "columns": [{"name": "N", "comment": "parcels"}]
        })
    );
    let scheduled = attributes(&r, "feature_view.SCHEDULED$V1");
    assert_eq!(scheduled["refresh_freq"], json!("0 6 * * * Europe/Paris"));
    assert_eq!(scheduled["initialize"], json!("ON_SCHEDULE"));
    let plain = attributes(&r, "feature_view.PLAIN$V1");
    assert_eq!(plain["object"], json!("VIEW"));
    assert_eq!(
        (
            plain["warehouse"].clone(),
            plain["cluster_by"].clone(),
            plain["refresh_mode"].clone()
        ),
        (json!(null), json!(null), json!(null))
    );
}

#[test]
fn models_and_tasks_are_canonical() {
    let r = resolve("DEV");
    assert_eq!(
        attributes(&r, "model.FORECAST"),
        json!({
            "database": "ML_DB", "schema": "REG", "name": "FORECAST", "comment": null, "default_version": "V1",
            "versions": [
                {"name": "V1", "from": {"stage": "@ML.MODELS/f/v1"}, "comment": null, "metrics": {"mape": 0.12}, "aliases": ["CHAMPION"]},
                {"name": "V2", "from": {"stage": "@ML.MODELS/f/v2"}, "comment": null, "metrics": {}, "aliases": ["B"]}
            ]
        })
    );
    assert_eq!(
        attributes(&r, "task.ROOT"),
        json!({
            "database": "ML_DB", "schema": "REG", "name": "ROOT", "warehouse": "WH", "schedule": "2 hours", "after": [],
            "when": null, "sql": "CALL train()", "config": {"mode": "full"}, "comment": null, "timeout_ms": 3600000,
            "suspend_after_failures": 10, "allow_overlapping_execution": false,
            "error_integration": null, "finalize": null, "enabled": true
        })
    );
    let child = attributes(&r, "task.CHILD");
    assert_eq!(
        (
            child["after"].clone(),
            child["schedule"].clone(),
            child["enabled"].clone()
        ),
        (json!(["ROOT"]), json!(null), json!(false))
    );
    assert_eq!(
        child["sql"],
        json!("SELECT * FROM TABLE(forecast!PREDICT(1))")
    );
}

#[test]
fn a_promoted_version_names_the_source_model_of_the_other_environment() {
    let r = resolve("PROD");
    let model = attributes(&r, "model.FORECAST");
    assert_eq!(
        model["versions"][0]["from"],
        json!({"env": "DEV", "model": "ML_DB.REG.FORECAST", "version": "V1"})
    );
    assert_eq!(model["versions"][0]["comment"], json!("promoted"));
    assert_eq!(
        model["comment"],
        json!("P"),
        "env.vars reach resources; DEV never reads this document"
    );
}

#[test]
fn resources_come_in_dependency_order_with_depends_on_filled() {
    let r = resolve("DEV");
    let order: Vec<String> = r.resources.iter().map(|r| r.address.to_string()).collect();
    let pos = |a: &str| {
        order
            .iter()
            .position(|o| o == a)
            .unwrap_or_else(|| panic!("{a} in {order:?}"))
    };
    assert!(pos("schema.FS_DEV") < pos("entity.PUDO"));
    assert!(pos("entity.PUDO") < pos("feature_view.\"DAILY$v1\""));
    assert!(
        pos("feature_view.\"DAILY$v1\"") < pos("feature_view.PLAIN$V1"),
        "the quoted name in the query is a reference"
    );
    assert!(pos("task.ROOT") < pos("task.CHILD"));
    assert!(
        pos("model.FORECAST") < pos("task.CHILD"),
        "the model named in the task's SQL comes first"
    );
    let child = r.resource(&"task.CHILD".parse().unwrap()).unwrap();
    let deps: Vec<String> = child.depends_on.iter().map(ToString::to_string).collect();
    assert_eq!(deps, vec!["schema.REG", "model.FORECAST", "task.ROOT"]);
    let reverse = r.graph.reverse_order().unwrap();
    assert_eq!(
        reverse.last().map(ToString::to_string),
        order.first().cloned()
    );
}
