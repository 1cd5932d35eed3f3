//! Feature views created in the local account read back as declared,
//! change in place or are replaced, and keep every string inside its statement.

use serde_json::json;

use super::fs_text::{Header, read_fs_text};
use super::*;
use crate::kinds::entity::reconciler::EntityKind;
use crate::kinds::schema::reconciler::SchemaKind;
use crate::kinds::testing::{account, live, resolve, run};
use crate::local::LocalAccount;
use crate::resolve::ResolvedEnv;

/// Warehouses, a feature store with one entity, then the feature views.
const BASE: &str = "\
kind: Warehouse
name: ml_wh
---
kind: Warehouse
name: other_wh
---
kind: Schema
name: fs
feature_store: true
---
kind: Entity
name: pudo
schema: FS
join_keys: [pudo_id]
";

const VIEW_FV: &str = "\
kind: FeatureView
name: pudo_static
schema: FS
version: v1
entities: [pudo]
timestamp_col: event_ts
query: |
  SELECT pudo_id, event_ts, parcels
  FROM ml_db.raw.events;
description: Parcels per pick-up point
columns:
  - {name: pudo_id}
  - {name: event_ts}
  - {name: parcels, comment: \"Parcels that day, as counted\"}
";

const DT_FV: &str = "\
kind: FeatureView
name: pudo_daily
schema: FS
version: V1
entities: [pudo]
timestamp_col: event_ts
query: SELECT pudo_id, event_ts, SUM(parcels) AS parcels FROM ml_db.raw.events GROUP BY ALL
refresh_freq: 1 day
warehouse: ml_wh
refresh_mode: FULL
initialize: on_schedule
description: Daily volume
";

const CRON_FV: &str = "\
kind: FeatureView
name: pudo_hourly
schema: FS
version: V1
entities: [pudo]
query: SELECT pudo_id, parcels FROM ml_db.raw.events
refresh_freq: 0 6 * * * Europe/Paris
warehouse: ml_wh
cluster_by: [parcels]
";

fn declared(env: &ResolvedEnv, address: &str) -> Resource {
    env.resource(&address.parse().unwrap()).unwrap().clone()
}

/// A local account with the raw table, the warehouses, the feature
/// store and its entity, and the resolved declarations of `fvs`.
fn setup(fvs: &[&str]) -> (tempfile::TempDir, LocalAccount, ResolvedEnv) {
    let mut resources = BASE.to_string();
    for fv in fvs {
        resources.push_str("---\n");
        resources.push_str(fv);
    }
    let env = resolve(&resources);
    let (dir, account) = account();
    run(
        &account,
        &[
            "CREATE WAREHOUSE ML_WH".to_string(),
            "CREATE WAREHOUSE OTHER_WH".to_string(),
            "CREATE SCHEMA ML_DB.RAW".to_string(),
            "CREATE TABLE ML_DB.RAW.EVENTS (PUDO_ID NUMBER, EVENT_TS TIMESTAMP_NTZ, PARCELS NUMBER)"
                .to_string(),
        ],
    );
    run(
        &account,
        &SchemaKind.create_sql(&declared(&env, "schema.FS")),
    );
    run(
        &account,
        &EntityKind.create_sql(&declared(&env, "entity.PUDO")),
    );
    (dir, account, env)
}

fn live_fv(account: &LocalAccount, address: &Address) -> LiveObject {
    live(&FeatureViewKind, account)
        .into_iter()
        .find(|o| &o.address == address)
        .unwrap_or_else(|| panic!("{address} is not live"))
}

/// The attribute keys whose values differ, as the diff reports them.
fn changed(declared: &Attributes, current: &Attributes) -> Vec<String> {
    declared
        .keys()
        .chain(current.keys())
        .filter(|k| declared.get(*k) != current.get(*k))
        .cloned()
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// Plans `declared` against the account, applies the update, and
/// returns the statements it ran.
fn converge(account: &LocalAccount, declared: &Resource) -> Vec<String> {
    let current = live_fv(account, &declared.address).attributes;
    let fields = changed(&declared.attributes, &current);
    assert!(!fields.is_empty(), "nothing to converge");
    let Change::Update(sql) = FeatureViewKind.plan_change(declared, &current, &fields) else {
        panic!("expected an in-place update of {fields:?}");
    };
    run(account, &sql);
    assert_eq!(
        live_fv(account, &declared.address).attributes,
        declared.attributes
    );
    sql
}

fn show(account: &LocalAccount, sql: &str) -> Rows {
    account.execute_sync(sql).unwrap()
}

#[test]
fn views_dynamic_tables_and_cron_feature_views_read_back_as_declared() {
    let (_dir, account, env) = setup(&[VIEW_FV, DT_FV, CRON_FV]);
    let fvs = [
        "feature_view.\"PUDO_STATIC$v1\"",
        "feature_view.PUDO_DAILY$V1",
        "feature_view.PUDO_HOURLY$V1",
    ]
    .map(|a| declared(&env, a));
    for fv in &fvs {
        run(&account, &FeatureViewKind.create_sql(fv));
    }
    let live = live(&FeatureViewKind, &account);
    assert_eq!(live.len(), 3, "{live:?}");
    for fv in &fvs {
        let object = live.iter().find(|o| o.address == fv.address).unwrap();
        assert_eq!(object.fqn, fv.fqn);
        assert_eq!(object.schema, Some(Ident::from_resolved("FS")));
        assert_eq!(object.attributes, fv.attributes, "{}", fv.address);
    }
    assert_eq!(fvs[0].attributes["object"], json!("VIEW"));
    assert_eq!(
        fvs[1].attributes["cluster_by"],
        json!(["PUDO_ID", "EVENT_TS"])
    );
    assert_eq!(
        fvs[2].attributes["refresh_freq"],
        json!("0 6 * * * Europe/Paris")
    );
}

#[test]
fn the_feature_store_reader_rule_parses_what_show_dynamic_tables_returns() {
    let (_dir, account, env) = setup(&[DT_FV]);
    let fv = declared(&env, "feature_view.PUDO_DAILY$V1");
    run(&account, &FeatureViewKind.create_sql(&fv));
    let rows = show(
        &account,
        "SHOW DYNAMIC TABLES LIKE 'PUDO_DAILY$V1' IN SCHEMA ML_DB.FS",
    );
    let row = rows.iter().next().unwrap();
    let text = row.get("text").unwrap();
    let read = read_fs_text(text).unwrap_or_else(|| panic!("unreadable:\n{text}"));
    assert_eq!(read.object, "DYNAMIC TABLE");
    assert_eq!(read.comment, "Daily volume");
    assert_eq!(read.query, fv.attributes["query"].as_str().unwrap());
    // What the Python client's json.loads gets, byte for byte: the
    // minimal form every client from 1.5 reads.
    assert_eq!(
        read.metadata,
        r#"{"entities": ["PUDO"], "timestamp_col": "EVENT_TS"}"#
    );
    let metadata: Value = serde_json::from_str(read.metadata).unwrap();
    assert_eq!(metadata["entities"], json!(["PUDO"]));
    assert_eq!(metadata["timestamp_col"], json!("EVENT_TS"));
    let header = Header::read(&text[..read.query_start]);
    assert_eq!(header.refresh_mode.as_deref(), Some("FULL"));
    assert_eq!(header.initialize.as_deref(), Some("ON_SCHEDULE"));
    // SHOW resolves AUTO/FULL to what Snowflake chose; the declared mode is in the text.
    assert_eq!(row.get("target_lag"), Some("1 day"));
    // The entity tag, with the entity's allowed value, is how the client
    // lists a feature view by entity.
    assert_eq!(
        header.entity_tags,
        [("PUDO".to_string(), "PUDO_ID".to_string())]
    );
    let tag = show(
        &account,
        "SELECT SYSTEM$GET_TAG('ML_DB.FS.SNOWML_FEATURE_STORE_ENTITY_PUDO', 'ML_DB.FS.PUDO_DAILY$V1', 'TABLE')",
    );
    assert_eq!(tag.rows[0][0].as_deref(), Some("PUDO_ID"));
}

#[test]
fn a_query_change_replaces_and_a_target_lag_change_is_altered_in_place() {
    let (_dir, account, env) = setup(&[DT_FV]);
    let fv = declared(&env, "feature_view.PUDO_DAILY$V1");
    run(&account, &FeatureViewKind.create_sql(&fv));
    let current = live_fv(&account, &fv.address).attributes;

    let new_query = resolve(&format!(
        "{BASE}---\n{}",
        DT_FV.replace("GROUP BY ALL", "WHERE parcels > 0 GROUP BY ALL")
    ));
    let new_query = declared(&new_query, "feature_view.PUDO_DAILY$V1");
    assert_eq!(
        FeatureViewKind.plan_change(
            &new_query,
            &current,
            &changed(&new_query.attributes, &current)
        ),
        Change::Replace {
            reason: "query changed".into()
        }
    );
    assert!(FeatureViewKind.destroys_data(&current));
    let view = resolve(&format!(
        "{BASE}---\n{}",
        DT_FV.replace("refresh_freq: 1 day\n", "")
    ));
    let view = declared(&view, "feature_view.PUDO_DAILY$V1");
    assert_eq!(
        FeatureViewKind.plan_change(&view, &current, &changed(&view.attributes, &current)),
        Change::Replace {
            reason: "object changed".into()
        }
    );

    let lag = resolve(&format!(
        "{BASE}---\n{}",
        DT_FV.replace("1 day", "120 minutes")
    ));
    let lag = declared(&lag, "feature_view.PUDO_DAILY$V1");
    assert_eq!(lag.attributes["refresh_freq"], json!("2 hours"));
    let sql = converge(&account, &lag);
    assert_eq!(
        sql,
        vec!["ALTER DYNAMIC TABLE ML_DB.FS.PUDO_DAILY$V1 SET TARGET_LAG = '2 hours'"]
    );
}

#[test]
fn a_warehouse_clustering_and_description_changed_out_of_band_are_restored() {
    let (_dir, account, env) = setup(&[DT_FV, VIEW_FV]);
    let dt = declared(&env, "feature_view.PUDO_DAILY$V1");
    let view = declared(&env, "feature_view.\"PUDO_STATIC$v1\"");
    run(&account, &FeatureViewKind.create_sql(&dt));
    run(&account, &FeatureViewKind.create_sql(&view));
    run(
        &account,
        &[
            "ALTER DYNAMIC TABLE ML_DB.FS.PUDO_DAILY$V1 SET WAREHOUSE = OTHER_WH".to_string(),
            "ALTER DYNAMIC TABLE ML_DB.FS.PUDO_DAILY$V1 SET COMMENT = 'edited'".to_string(),
            "ALTER DYNAMIC TABLE ML_DB.FS.PUDO_DAILY$V1 DROP CLUSTERING KEY".to_string(),
            "ALTER VIEW ML_DB.FS.\"PUDO_STATIC$v1\" SET COMMENT = 'edited'".to_string(),
        ],
    );
    let drifted = live_fv(&account, &dt.address).attributes;
    assert_eq!(drifted["warehouse"], json!("OTHER_WH"));
    assert_eq!(
        changed(&dt.attributes, &drifted),
        vec!["cluster_by", "description", "warehouse"]
    );
    converge(&account, &dt);
    converge(&account, &view);
    assert!(!FeatureViewKind.destroys_data(&view.attributes));
}

#[test]
fn feature_store_tags_unset_out_of_band_are_seen_and_set_again() {
    let (_dir, account, env) = setup(&[DT_FV, VIEW_FV]);
    let dt = declared(&env, "feature_view.PUDO_DAILY$V1");
    let view = declared(&env, "feature_view.\"PUDO_STATIC$v1\"");
    run(&account, &FeatureViewKind.create_sql(&dt));
    run(&account, &FeatureViewKind.create_sql(&view));
    run(
        &account,
        &[
            "ALTER DYNAMIC TABLE ML_DB.FS.PUDO_DAILY$V1 UNSET TAG \
             ML_DB.FS.SNOWML_FEATURE_STORE_OBJECT, ML_DB.FS.SNOWML_FEATURE_STORE_ENTITY_PUDO"
                .to_string(),
            "ALTER VIEW ML_DB.FS.\"PUDO_STATIC$v1\" UNSET TAG ML_DB.FS.SNOWML_FEATURE_VIEW_METADATA"
                .to_string(),
        ],
    );
    let dt_live = live_fv(&account, &dt.address).attributes;
    assert_eq!(
        changed(&dt.attributes, &dt_live),
        vec!["entity_tags", "feature_store_tags"]
    );
    assert_eq!(
        dt_live["feature_store_tags"],
        json!(["SNOWML_FEATURE_VIEW_METADATA"])
    );
    let view_live = live_fv(&account, &view.address).attributes;
    assert_eq!(
        changed(&view.attributes, &view_live),
        vec!["feature_store_tags"]
    );
    let sql = converge(&account, &dt);
    assert_eq!(sql.len(), 1, "{sql:?}");
    assert!(sql[0].starts_with("ALTER DYNAMIC TABLE ML_DB.FS.PUDO_DAILY$V1 SET TAG"));
    converge(&account, &view);
}

#[test]
fn refresh_freq_moves_between_lags_and_crons_in_place() {
    let (_dir, account, env) = setup(&[DT_FV]);
    let fv = declared(&env, "feature_view.PUDO_DAILY$V1");
    run(&account, &FeatureViewKind.create_sql(&fv));
    let with = |freq: &str| {
        let env = resolve(&format!("{BASE}---\n{}", DT_FV.replace("1 day", freq)));
        declared(&env, "feature_view.PUDO_DAILY$V1")
    };
    let tasks = |account: &LocalAccount| {
        show(
            account,
            "SHOW TASKS LIKE 'PUDO_DAILY$V1' IN SCHEMA ML_DB.FS",
        )
        .len()
    };
    converge(&account, &with("0 6 * * * UTC"));
    assert_eq!(tasks(&account), 1);
    let sql = converge(&account, &with("30 5 * * MON UTC"));
    assert_eq!(
        sql.first().map(String::as_str),
        Some("ALTER TASK ML_DB.FS.PUDO_DAILY$V1 SUSPEND")
    );
    // A refresh task suspended behind floe's back refreshes nothing: it
    // reads as DOWNSTREAM and is resumed.
    run(
        &account,
        &["ALTER TASK ML_DB.FS.PUDO_DAILY$V1 SUSPEND".to_string()],
    );
    assert_eq!(
        live_fv(&account, &fv.address).attributes["refresh_freq"],
        json!("DOWNSTREAM")
    );
    converge(&account, &with("30 5 * * MON UTC"));
    // A dropped refresh task is created again.
    run(&account, &["DROP TASK ML_DB.FS.PUDO_DAILY$V1".to_string()]);
    converge(&account, &with("30 5 * * MON UTC"));
    // The task runs on the feature view's warehouse.
    let moved = resolve(&format!(
        "{BASE}---\n{}",
        DT_FV
            .replace("1 day", "30 5 * * MON UTC")
            .replace("warehouse: ml_wh", "warehouse: other_wh")
    ));
    converge(&account, &declared(&moved, "feature_view.PUDO_DAILY$V1"));
    let task = show(
        &account,
        "SHOW TASKS LIKE 'PUDO_DAILY$V1' IN SCHEMA ML_DB.FS",
    );
    let task = task.iter().next().unwrap();
    assert_eq!(task.get("warehouse"), Some("OTHER_WH"));
    assert_eq!(task.get("state"), Some("started"));
    converge(&account, &with("1 day"));
    assert_eq!(tasks(&account), 0);
}

#[test]
fn a_cron_dynamic_table_dropped_alone_is_created_again_beside_its_surviving_task() {
    let (_dir, account, env) = setup(&[CRON_FV]);
    let fv = declared(&env, "feature_view.PUDO_HOURLY$V1");
    run(&account, &FeatureViewKind.create_sql(&fv));
    run(
        &account,
        &["DROP DYNAMIC TABLE ML_DB.FS.PUDO_HOURLY$V1".to_string()],
    );
    let task = "SHOW TASKS LIKE 'PUDO_HOURLY$V1' IN SCHEMA ML_DB.FS";
    assert_eq!(show(&account, task).len(), 1, "the refresh task survives");
    assert!(
        live(&FeatureViewKind, &account)
            .iter()
            .all(|o| o.address != fv.address)
    );
    run(&account, &FeatureViewKind.create_sql(&fv));
    assert_eq!(live_fv(&account, &fv.address).attributes, fv.attributes);
    let tasks = show(&account, task);
    assert_eq!(tasks.len(), 1);
    assert_eq!(tasks.iter().next().unwrap().get("state"), Some("started"));
}

#[test]
fn quotes_dollar_quotes_and_semicolons_stay_inside_their_statement() {
    let fv = "\
kind: FeatureView
name: tricky
schema: FS
version: V1
entities: [pudo]
timestamp_col: '\"ev''t $$; ts\"'
query: |
  SELECT pudo_id, 'it''s; $$ DROP SCHEMA ml_db.fs; $$' AS note, $$x; 'y'$$ AS other
  FROM ml_db.raw.events
refresh_freq: 1 hour
warehouse: ml_wh
cluster_by: [pudo_id]
description: \"it's $$; DROP SCHEMA ML_DB.FS; -- \\\\\"
columns:
  - {name: pudo_id}
  - {name: note, comment: \"'; DROP SCHEMA ML_DB.FS; $$\"}
  - {name: other}
";
    for fv in [fv.to_string(), fv.replace("refresh_freq: 1 hour\n", "")] {
        let (_dir, account, env) = setup(&[&fv]);
        let fv = declared(&env, "feature_view.TRICKY$V1");
        assert_eq!(fv.attributes["timestamp_col"], json!("ev't $$; ts"));
        let create = FeatureViewKind.create_sql(&fv);
        assert_eq!(create.len(), 1);
        let statements = crate::local::parser::parse_script(&create[0]).unwrap();
        assert_eq!(statements.len(), 1, "{}", create[0]);
        run(&account, &create);
        assert_eq!(
            show(&account, "SHOW SCHEMAS LIKE 'FS' IN DATABASE ML_DB").len(),
            1
        );
        let live = live_fv(&account, &fv.address);
        assert_eq!(live.attributes, fv.attributes);
        let listing = match fv.attributes["object"].as_str() {
            Some("VIEW") => "SHOW VIEWS IN SCHEMA ML_DB.FS",
            _ => "SHOW DYNAMIC TABLES IN SCHEMA ML_DB.FS",
        };
        let rows = show(&account, listing);
        let text = rows.iter().next().and_then(|r| r.get("text")).unwrap();
        // The Python client reads the same timestamp column from the text.
        let metadata: Value = serde_json::from_str(read_fs_text(text).unwrap().metadata).unwrap();
        assert_eq!(metadata["timestamp_col"], json!("\"ev't $$; ts\""));
    }
}

#[test]
fn a_cron_feature_view_owns_a_resumed_tagged_refresh_task_that_delete_removes() {
    let (_dir, account, env) = setup(&[CRON_FV, VIEW_FV]);
    let fv = declared(&env, "feature_view.PUDO_HOURLY$V1");
    run(&account, &FeatureViewKind.create_sql(&fv));
    let tasks = show(
        &account,
        "SHOW TASKS LIKE 'PUDO_HOURLY$V1' IN SCHEMA ML_DB.FS",
    );
    let task = tasks.iter().next().expect("the refresh task exists");
    assert_eq!(task.get("state"), Some("started"));
    assert_eq!(
        task.get("schedule"),
        Some("USING CRON 0 6 * * * Europe/Paris")
    );
    assert_eq!(task.get("warehouse"), Some("ML_WH"));
    assert_eq!(
        task.get("definition"),
        Some("ALTER DYNAMIC TABLE ML_DB.FS.PUDO_HOURLY$V1 REFRESH")
    );
    let tag = |object: &str, domain: &str| {
        let rows = show(
            &account,
            &format!(
                "SELECT SYSTEM$GET_TAG('ML_DB.FS.SNOWML_FEATURE_STORE_OBJECT', '{object}', '{domain}')"
            ),
        );
        rows.rows[0][0].clone().unwrap_or_default()
    };
    assert_eq!(
        tag("ML_DB.FS.PUDO_HOURLY$V1", "TASK"),
        r#"{"type": "FEATURE_VIEW_REFRESH_TASK", "pkg_version": "1.5.4"}"#
    );
    assert_eq!(
        tag("ML_DB.FS.PUDO_HOURLY$V1", "TABLE"),
        r#"{"type": "MANAGED_FEATURE_VIEW", "pkg_version": "1.5.4"}"#
    );
    let dt = show(&account, "SHOW DYNAMIC TABLES IN SCHEMA ML_DB.FS");
    assert_eq!(
        dt.iter().next().and_then(|r| r.get("target_lag")),
        Some("DOWNSTREAM")
    );

    run(
        &account,
        &FeatureViewKind.delete_sql(&fv.address, &fv.fqn, &fv.attributes),
    );
    assert!(show(&account, "SHOW TASKS IN SCHEMA ML_DB.FS").is_empty());
    assert!(show(&account, "SHOW DYNAMIC TABLES IN SCHEMA ML_DB.FS").is_empty());

    let view = declared(&env, "feature_view.\"PUDO_STATIC$v1\"");
    run(&account, &FeatureViewKind.create_sql(&view));
    assert_eq!(
        FeatureViewKind.delete_sql(&view.address, &view.fqn, &view.attributes),
        vec!["DROP VIEW ML_DB.FS.\"PUDO_STATIC$v1\"".to_string()]
    );
    run(
        &account,
        &FeatureViewKind.delete_sql(&view.address, &view.fqn, &view.attributes),
    );
    assert!(live(&FeatureViewKind, &account).is_empty());
}
