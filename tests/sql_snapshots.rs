//! The SQL floe plans for the example project, kept as snapshots
//! (`tests/snapshots/`) so that any change to the statements a kind
//! generates shows in review.
//!
//! Each snapshot is the output of `floe plan --sql --branch feature/try`
//! (DEV), as a user reads it: what changes, why, and the statements of
//! every step. `create` plans the example against an empty local account;
//! every other snapshot starts from the example applied once (the project
//! folder with its local account copied per case) and edits the
//! declarations: per kind, every field that is altered in place (one
//! section per field), a change that replaces the object, and a removal.
//! The plans hold no temporary path or commit id, so nothing is redacted.

mod common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::Project;

/// The branch that selects DEV.
const DEV: &str = "feature/try";

const SCHEMAS: &str = "resources/schemas.yaml";
const WAREHOUSES: &str = "resources/warehouses.yaml";
const ENTITIES: &str = "resources/feature_store/entities.yaml";
const PARCEL_DEMAND: &str = "resources/feature_store/parcel_demand.yaml";
const CARRIER_PERFORMANCE: &str = "resources/feature_store/carrier_performance.yaml";
const FILL_RATE: &str = "resources/feature_store/fill_rate.yaml";
const GEOSPATIAL: &str = "resources/feature_store/geospatial.yaml";
const MODELS: &str = "resources/registry/models.yaml";
const TRAINING_DAG: &str = "resources/tasks/training_dag.yaml";
const INFERENCE_DAG: &str = "resources/tasks/inference_dag.yaml";
const MONITORING: &str = "resources/tasks/monitoring.yaml";

/// One change to the applied example, named for its snapshot section.
type Case = (&'static str, fn(&Project));

/// The folder holding the example applied to its local DEV account, made
/// once per test run (under cargo's scratch folder for integration tests)
/// and copied by every case.
fn applied() -> &'static Path {
    static APPLIED: OnceLock<PathBuf> = OnceLock::new();
    APPLIED.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("sql_snapshots_applied");
        if dir.exists() {
            std::fs::remove_dir_all(&dir).expect("the previous copy can be removed");
        }
        let project = Project::example().applied(DEV);
        common::project::copy_tree(project.path(), &dir);
        dir
    })
}

/// The note every plan of the example prints (its tasks declare
/// `timeout_ms`), whatever changes: left out of the snapshots.
const TASK_FIELDS_NOTE: &str = "Note: task timeout_ms and suspend_after_failures";

/// The start of the line every plan opens with, saying what it compares
/// (the same whatever changes): left out of the snapshots with the blank
/// line after it.
const ORIGIN_LINE: &str = "Plan for DEV: ";

/// `floe plan --sql` of DEV, which must have changes to show.
fn plan(project: &Project) -> String {
    let out = project.on_branch(DEV, &["plan", "--sql", "--detailed-exitcode"]);
    out.code(2).no_panic();
    let body = match out.stdout.split_once("\n\n") {
        Some((first, rest)) if first.starts_with(ORIGIN_LINE) => rest,
        _ => out.stdout.as_str(),
    };
    let mut text = String::new();
    for line in body.lines() {
        if !line.starts_with(TASK_FIELDS_NOTE) {
            text.push_str(line);
            text.push('\n');
        }
    }
    text
}

/// Compares `text` with the snapshot `name` in tests/snapshots/.
fn snapshot(name: &str, text: String) {
    insta::assert_snapshot!(name, text);
}

/// The plan of each case, each made on its own copy of the applied
/// example, one section per case.
fn plans(cases: &[Case]) -> String {
    let mut text = String::new();
    for (name, change) in cases {
        let project = Project::copy_of(applied());
        change(&project);
        text.push_str(&format!("=== {name}\n{}\n", plan(&project)));
    }
    text
}

/// [`plans`] of removals, each then applied with `--allow-destroy`, after
/// which DEV matches the declarations.
fn deletes(cases: &[Case]) -> String {
    let mut text = String::new();
    for (name, change) in cases {
        let project = Project::copy_of(applied());
        change(&project);
        text.push_str(&format!("=== {name}\n{}\n", plan(&project)));
        project
            .on_branch(DEV, &["apply", "--auto-approve", "--allow-destroy"])
            .code(0)
            .stdout_has("Apply complete");
        project.assert_clean(DEV, "DEV");
    }
    text
}

/// Removes from `path` the YAML document that declares `name`.
fn remove_document(project: &Project, path: &str, name: &str) {
    let text = project.read(path);
    let line = format!("\nname: {name}\n");
    let documents: Vec<&str> = text.split("\n---\n").collect();
    let kept: Vec<&str> = documents
        .iter()
        .copied()
        .filter(|d| !format!("\n{d}\n").contains(&line))
        .collect();
    assert_eq!(
        kept.len() + 1,
        documents.len(),
        "{path} declares {name} once"
    );
    std::fs::write(project.path().join(path), kept.join("\n---\n")).expect("the file is written");
}

#[test]
fn create() {
    snapshot("create", plan(&Project::example()));
}

#[test]
fn schema() {
    snapshot(
        "schema_update",
        plans(&[
            ("comment", |p| {
                p.edit(
                    SCHEMAS,
                    "task graphs, training sets",
                    "task graphs and training sets",
                )
            }),
            ("comment removed", |p| {
                p.edit(
                    SCHEMAS,
                    "comment: Snowflake ML Model Registry of the PUDO platform (${env.name}) - capacity models and their packaged artifacts stage",
                    "",
                )
            }),
            ("feature_store turned on", |p| {
                p.edit(
                    SCHEMAS,
                    "name: MODEL_REGISTRY_${env.name}\n",
                    "name: MODEL_REGISTRY_${env.name}\nfeature_store: true\n",
                )
            }),
        ]),
    );
    // A schema is replaced only when `feature_store` is turned off, which
    // validation refuses while the example's feature views live in it.
    snapshot(
        "schema_delete",
        deletes(&[("MODEL_REGISTRY_DEV removed with its model", |p| {
            remove_model(p);
            remove_document(p, SCHEMAS, "MODEL_REGISTRY_${env.name}");
        })]),
    );
}

/// Takes the DEV model out of the declarations, and the inference
/// graph's dependency on it.
fn remove_model(p: &Project) {
    p.edit(
        MODELS,
        "environments: [DEV, STAGING]",
        "environments: [STAGING]",
    );
    p.edit(
        INFERENCE_DAG,
        "depends_on: [\"model.${config.training.model_name}\"]\n",
        "",
    );
}

/// A warehouse is never replaced: every field is altered in place, but
/// `initially_suspended`, which only matters at creation.
#[test]
fn warehouse() {
    snapshot(
        "warehouse_update",
        plans(&[
            ("size", |p| {
                p.edit(
                    WAREHOUSES,
                    "size: ${config.warehouses.feature_refresh.size}",
                    "size: SMALL",
                )
            }),
            ("type", |p| {
                p.edit(
                    WAREHOUSES,
                    "type: ${config.warehouses.training.type}",
                    "type: SNOWPARK-OPTIMIZED",
                )
            }),
            ("type (running warehouse)", |p| {
                p.on_branch(
                    DEV,
                    &[
                        "local",
                        "exec",
                        "ALTER WAREHOUSE PUDO_TRAINING_WH_DEV RESUME",
                    ],
                )
                .code(0);
                p.edit(
                    WAREHOUSES,
                    "type: ${config.warehouses.training.type}",
                    "type: SNOWPARK-OPTIMIZED",
                )
            }),
            ("auto_suspend", |p| {
                p.edit(
                    WAREHOUSES,
                    "auto_suspend: ${config.warehouses.auto_suspend}",
                    "auto_suspend: 300",
                )
            }),
            ("auto_suspend never", |p| {
                p.edit(
                    WAREHOUSES,
                    "auto_suspend: ${config.warehouses.auto_suspend}",
                    "auto_suspend: null",
                )
            }),
            ("auto_resume", |p| {
                p.edit(WAREHOUSES, "auto_resume: true", "auto_resume: false")
            }),
            ("min_cluster_count (with max_cluster_count)", |p| {
                p.edit(WAREHOUSES, "min_cluster_count: 1", "min_cluster_count: 2");
                p.edit(
                    WAREHOUSES,
                    "max_cluster_count: ${config.warehouses.inference.max_cluster_count}",
                    "max_cluster_count: 3",
                );
            }),
            ("max_cluster_count", |p| {
                p.edit(
                    WAREHOUSES,
                    "max_cluster_count: ${config.warehouses.inference.max_cluster_count}",
                    "max_cluster_count: 4",
                )
            }),
            ("scaling_policy", |p| {
                p.edit(
                    WAREHOUSES,
                    "scaling_policy: ${config.warehouses.inference.scaling_policy}",
                    "scaling_policy: ECONOMY",
                )
            }),
            ("resource_monitor", |p| {
                p.edit(
                    WAREHOUSES,
                    "auto_resume: true",
                    "auto_resume: true\nresource_monitor: PUDO_MONITOR",
                )
            }),
            ("comment", |p| {
                p.edit(
                    WAREHOUSES,
                    "comment: Refreshes the PUDO feature views (dynamic tables) in ${env.name}",
                    "comment: Refreshes the PUDO feature views in ${env.name}",
                )
            }),
            ("comment removed", |p| {
                p.edit(
                    WAREHOUSES,
                    "comment: Refreshes the PUDO feature views (dynamic tables) in ${env.name}",
                    "",
                )
            }),
            ("enable_query_acceleration", |p| {
                p.edit(
                    WAREHOUSES,
                    "enable_query_acceleration: ${config.warehouses.feature_refresh.enable_query_acceleration}",
                    "enable_query_acceleration: true",
                )
            }),
            ("query_acceleration_max_scale_factor", |p| {
                p.edit(
                    WAREHOUSES,
                    "enable_query_acceleration: ${config.warehouses.feature_refresh.enable_query_acceleration}",
                    "enable_query_acceleration: ${config.warehouses.feature_refresh.enable_query_acceleration}\nquery_acceleration_max_scale_factor: 2",
                )
            }),
        ]),
    );
    snapshot(
        "warehouse_delete",
        deletes(&[("PUDO_TRAINING_WH_DEV removed, its tasks moved", |p| {
            remove_document(p, WAREHOUSES, "PUDO_TRAINING_WH_${env.name}");
            p.edit_all(
                TRAINING_DAG,
                "warehouse: PUDO_TRAINING_WH_${env.name}",
                "warehouse: PUDO_INFERENCE_WH_${env.name}",
            );
        })]),
    );
}

#[test]
fn entity() {
    snapshot(
        "entity_update",
        plans(&[("description", |p| {
            p.edit(
                ENTITIES,
                "description: A carrier network delivering parcels to the points",
                "description: A carrier network delivering parcels",
            )
        })]),
    );
    snapshot(
        "entity_replace",
        plans(&[("join_keys", |p| {
            p.edit(
                ENTITIES,
                "join_keys: [PUDO_ID, DATE]",
                "join_keys: [PUDO_ID]",
            )
        })]),
    );
    snapshot(
        "entity_delete",
        deletes(&[(
            "CARRIER removed, its feature view joined on PUDO only",
            |p| {
                remove_document(p, ENTITIES, "CARRIER");
                p.edit(
                    CARRIER_PERFORMANCE,
                    "entities: [PUDO, CARRIER]",
                    "entities: [PUDO]",
                );
            },
        )]),
    );
}

#[test]
fn feature_view() {
    snapshot(
        "feature_view_update",
        plans(&[
            ("refresh_freq", |p| {
                p.edit(
                    PARCEL_DEMAND,
                    "refresh_freq: 12 hours",
                    "refresh_freq: 6 hours",
                )
            }),
            ("refresh_freq (cron)", |p| {
                p.edit(
                    CARRIER_PERFORMANCE,
                    "refresh_freq: \"0 3 * * * UTC\"",
                    "refresh_freq: \"0 4 * * * UTC\"",
                )
            }),
            ("refresh_freq to cron", |p| {
                p.edit(
                    PARCEL_DEMAND,
                    "refresh_freq: 12 hours",
                    "refresh_freq: \"0 5 * * * UTC\"",
                )
            }),
            ("refresh_freq from cron", |p| {
                p.edit(
                    CARRIER_PERFORMANCE,
                    "refresh_freq: \"0 3 * * * UTC\"",
                    "refresh_freq: 1 day",
                )
            }),
            ("warehouse", |p| {
                p.edit(
                    PARCEL_DEMAND,
                    "warehouse: PUDO_FEATURE_WH_${env.name}",
                    "warehouse: PUDO_INFERENCE_WH_${env.name}",
                )
            }),
            ("warehouse (cron)", |p| {
                p.edit(
                    CARRIER_PERFORMANCE,
                    "warehouse: PUDO_FEATURE_WH_${env.name}",
                    "warehouse: PUDO_INFERENCE_WH_${env.name}",
                )
            }),
            ("description", |p| {
                p.edit(
                    PARCEL_DEMAND,
                    "description: Daily parcel arrivals, pick-ups, net inflow and dwell time of each point",
                    "description: Daily parcel arrivals and pick-ups of each point",
                )
            }),
            ("description (view)", |p| {
                p.edit(
                    GEOSPATIAL,
                    "description: Competing points and parcel demand within 1 km of each point, per day (haversine distance)",
                    "description: Competing points within 1 km of each point, per day",
                )
            }),
            ("cluster_by", |p| {
                p.edit(
                    FILL_RATE,
                    "cluster_by: [PUDO_ID, DATE]",
                    "cluster_by: [DATE]",
                )
            }),
            ("cluster_by emptied", |p| {
                p.edit(FILL_RATE, "cluster_by: [PUDO_ID, DATE]", "cluster_by: []")
            }),
            ("cluster_by left out (join keys and timestamp)", |p| {
                p.edit(FILL_RATE, "cluster_by: [PUDO_ID, DATE]\n", "")
            }),
        ]),
    );
    snapshot(
        "feature_view_replace",
        plans(&[("query", |p| {
            p.edit(
                PARCEL_DEMAND,
                "WHERE ARRIVED_AT IS NOT NULL",
                "WHERE ARRIVED_AT IS NOT NULL AND PUDO_ID IS NOT NULL",
            )
        })]),
    );
    snapshot(
        "feature_view_delete",
        deletes(&[("PUDO_TRAINING_FEATURES removed", |p| {
            p.remove("resources/feature_store/training.yaml")
        })]),
    );
}

#[test]
fn model() {
    snapshot(
        "model_update",
        plans(&[
            ("comment", |p| {
                p.edit(
                    MODELS,
                    "comment: XGBoost regressor forecasting the daily fill rate of each pick-up/drop-off point",
                    "comment: XGBoost regressor forecasting daily fill rates",
                )
            }),
            ("comment removed", |p| {
                p.edit(
                    MODELS,
                    "comment: XGBoost regressor forecasting the daily fill rate of each pick-up/drop-off point\nversions:\n  - name: V1\n    from: \"@",
                    "versions:\n  - name: V1\n    from: \"@",
                )
            }),
            ("default_version", |p| {
                p.edit(MODELS, "default_version: V2", "default_version: V1")
            }),
            ("version comment", |p| {
                p.edit(
                    MODELS,
                    "comment: Baseline - fill-rate history and calendar features, 90 days of training data",
                    "comment: Baseline - fill-rate history and calendar features",
                )
            }),
            ("version metrics", |p| {
                p.edit(
                    MODELS,
                    "metrics: {test_mse: 0.0192, test_mae: 0.104, r2: 0.74}",
                    "metrics: {test_mse: 0.0192, test_mae: 0.104, r2: 0.75}",
                )
            }),
            ("version alias moved", |p| {
                p.edit(MODELS, "    aliases: [CHAMPION]\n", "");
                p.edit(
                    MODELS,
                    "    metrics: {test_mse: 0.0192, test_mae: 0.104, r2: 0.74}\n",
                    "    metrics: {test_mse: 0.0192, test_mae: 0.104, r2: 0.74}\n    aliases: [CHAMPION]\n",
                );
            }),
            ("version added", |p| {
                p.edit(
                    MODELS,
                    "default_version: V2",
                    "  - name: V3\n    from: \"@${env.database}.MODEL_REGISTRY_${env.name}.MODEL_STAGE/pudo_capacity/v3\"\n    comment: Retrained on 180 days\ndefault_version: V2",
                )
            }),
            ("version removed", |p| {
                p.edit(
                    MODELS,
                    "  - name: V1\n    from: \"@${env.database}.MODEL_REGISTRY_${env.name}.MODEL_STAGE/pudo_capacity/v1\"\n    comment: Baseline - fill-rate history and calendar features, 90 days of training data\n    metrics: {test_mse: 0.0192, test_mae: 0.104, r2: 0.74}\n",
                    "",
                )
            }),
            ("version source changed", |p| {
                p.edit(MODELS, "pudo_capacity/v1\"", "pudo_capacity/v1b\"")
            }),
        ]),
    );
    snapshot(
        "model_replace",
        plans(&[("every version's source changed", |p| {
            p.edit(MODELS, "pudo_capacity/v1\"", "pudo_capacity/v1b\"");
            p.edit(MODELS, "pudo_capacity/v2\"", "pudo_capacity/v2b\"");
        })]),
    );
    snapshot(
        "model_delete",
        deletes(&[("model removed from DEV", remove_model)]),
    );
}

#[test]
fn task() {
    snapshot(
        "task_update",
        plans(&[
            ("warehouse", |p| {
                p.edit(
                    TRAINING_DAG,
                    "warehouse: PUDO_TRAINING_WH_${env.name}\nafter: [PUDO_TRAINING_ROOT]",
                    "warehouse: PUDO_INFERENCE_WH_${env.name}\nafter: [PUDO_TRAINING_ROOT]",
                );
            }),
            ("schedule", |p| {
                p.edit(
                    TRAINING_DAG,
                    "schedule: ${config.training.schedule}",
                    "schedule: \"0 3 * * 0 Europe/Paris\"",
                )
            }),
            ("config", |p| {
                p.edit(
                    TRAINING_DAG,
                    "max_depth: ${config.training.max_depth}",
                    "max_depth: 12",
                )
            }),
            ("allow_overlapping_execution", |p| {
                p.edit(
                    TRAINING_DAG,
                    "allow_overlapping_execution: false",
                    "allow_overlapping_execution: true",
                )
            }),
            ("error_integration", |p| {
                p.edit(
                    TRAINING_DAG,
                    "allow_overlapping_execution: false",
                    "allow_overlapping_execution: false\nerror_integration: PUDO_TASK_ERRORS",
                )
            }),
            ("timeout_ms", |p| {
                p.edit(
                    TRAINING_DAG,
                    "timeout_ms: 300000\ncomment: Clears",
                    "timeout_ms: 600000\ncomment: Clears",
                )
            }),
            ("suspend_after_failures", |p| {
                p.edit(
                    TRAINING_DAG,
                    "suspend_after_failures: 3",
                    "suspend_after_failures: 5",
                )
            }),
            ("comment", |p| {
                p.edit(
                    TRAINING_DAG,
                    "comment: Clears the staged candidates once the approved one is published (after a rejection they are kept for inspection)",
                    "comment: Clears the staged candidates once the approved one is published",
                )
            }),
            ("comment removed", |p| {
                p.edit(
                    TRAINING_DAG,
                    "comment: Clears the staged candidates once the approved one is published (after a rejection they are kept for inspection)\n",
                    "",
                )
            }),
            ("comment (in the running inference graph)", |p| {
                p.edit(
                    INFERENCE_DAG,
                    "comment: Raises an alert for every point forecast",
                    "comment: Raises an alert for each point forecast",
                )
            }),
            ("sql", |p| {
                p.edit(
                    TRAINING_DAG,
                    "REMOVE @${env.database}.MODEL_REGISTRY_${env.name}.MODEL_STAGE/pudo_capacity/candidates/",
                    "REMOVE @${env.database}.MODEL_REGISTRY_${env.name}.MODEL_STAGE/pudo_capacity/candidates/ PATTERN = '.*[.]json'",
                )
            }),
            ("when", |p| {
                p.edit(
                    TRAINING_DAG,
                    "when: \"SYSTEM$GET_PREDECESSOR_RETURN_VALUE('CHECK_MODEL_QUALITY') = 'PASSED'\"",
                    "when: \"SYSTEM$GET_PREDECESSOR_RETURN_VALUE('CHECK_MODEL_QUALITY') IN ('PASSED')\"",
                )
            }),
            ("when removed", |p| {
                p.edit(
                    TRAINING_DAG,
                    "when: \"SYSTEM$GET_PREDECESSOR_RETURN_VALUE('CHECK_MODEL_QUALITY') <> 'PASSED'\"\n",
                    "",
                )
            }),
            ("after", |p| {
                p.edit(
                    TRAINING_DAG,
                    "after: [PROMOTE_MODEL]",
                    "after: [CHECK_MODEL_QUALITY]",
                )
            }),
            ("finalize", |p| {
                p.edit(
                    INFERENCE_DAG,
                    "finalize: PUDO_INFERENCE_ROOT",
                    "finalize: PUDO_TRAINING_ROOT",
                )
            }),
            ("enabled", |p| {
                p.edit(
                    MONITORING,
                    "enabled: ${config.monitoring.enabled}",
                    "enabled: true",
                )
            }),
        ]),
    );
    snapshot(
        "task_replace",
        plans(&[("schema", |p| {
            p.edit(
                MONITORING,
                "schema: PUDO_${env.name}",
                "schema: MODEL_REGISTRY_${env.name}",
            )
        })]),
    );
    snapshot(
        "task_delete",
        deletes(&[("PUDO_DRIFT_MONITOR removed", |p| p.remove(MONITORING))]),
    );
}
