//! `floe import`: an environment built by other means (an earlier apply,
//! or the SQL Snowflake's Python feature store and registry send) becomes
//! resource files and state, after which the project validates and the
//! plan is empty.

mod common;

use common::Project;
use common::local::exec;

/// Runs `floe import --env DEV`, which must succeed, and returns what it printed.
fn import(project: &Project) -> String {
    let out = project.run(&["import", "--env", "DEV"]);
    out.code(0).no_panic();
    out.stdout.clone()
}

/// Deletes the folder `path` of the project, if there is one.
fn remove_dir(project: &Project, path: &str) {
    match std::fs::remove_dir_all(project.path().join(path)) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => panic!("cannot remove {path}: {e}"),
        _ => {}
    }
}

/// Asserts that `text` holds every one of `parts`.
fn assert_has(text: &str, parts: &[&str]) {
    for part in parts {
        assert!(text.contains(part), "{part:?} is not in:\n{text}");
    }
}

/// Asserts that the state of DEV records nothing.
fn assert_no_state(project: &Project) {
    project
        .run(&["state", "list", "--env", "DEV"])
        .code(0)
        .stdout_has("records no resources");
}

/// Asserts that every environment validates and that DEV's plan is empty.
fn assert_adopted(project: &Project) {
    project.run(&["validate"]).code(0).stdout_lacks("invalid");
    project
        .run(&["plan", "--env", "DEV", "--detailed-exitcode"])
        .code(0)
        .stdout_has("No changes. DEV matches the declarations.");
}

#[test]
fn the_applied_example_is_imported_back_and_plans_clean() {
    let project = Project::example().applied("feature/adopt");
    remove_dir(&project, "resources");
    remove_dir(&project, "state");
    let text = import(&project);
    assert_has(&text, &["Recorded 30 object(s) in the state of DEV."]);
    assert!(!text.contains("Not read back fully"), "{text}");
    assert_adopted(&project);
    project
        .run(&["validate", "--env", "DEV"])
        .code(0)
        .stdout_has("30 resources (3 schemas, 3 warehouses, 2 entities, 6 feature views, 1 model, 15 tasks)");
    let schemas = project.read("resources/schemas.yaml");
    assert!(
        schemas.starts_with(
            "# Imported by `floe import` from environment DEV (database OSS_SF_MLOPS) at "
        ),
        "{schemas}"
    );
    assert_has(
        &schemas,
        &["name: FEATURE_STORE_${env.name}\n", "feature_store: true"],
    );
    let features = project.read("resources/feature_store/feature_store.yaml");
    assert_has(
        &features,
        &[
            "FROM ${env.database}.SHARED_DATA.PARCELS",
            "warehouse: PUDO_FEATURE_WH_${env.name}\n",
        ],
    );
}

#[test]
fn another_environment_in_the_same_database_is_left_out() {
    let project = Project::example()
        .applied("feature/adopt")
        .applied("staging");
    remove_dir(&project, "resources");
    remove_dir(&project, "state");
    import(&project);
    let schemas = project.read("resources/schemas.yaml");
    assert!(!schemas.contains("STAGING"), "{schemas}");
    let warehouses = project.read("resources/warehouses.yaml");
    assert!(!warehouses.contains("STAGING"), "{warehouses}");
    assert_adopted(&project);
}

/// What snowflake-ml-python's FeatureStore and Registry, and a worksheet,
/// send to build a small platform (reference/snowflake.md §1-4).
const PYTHON_PLATFORM: &[&str] = &[
    "CREATE WAREHOUSE ML_WH_DEV WAREHOUSE_SIZE = 'SMALL' AUTO_SUSPEND = 120 COMMENT = 'ML work'",
    "CREATE SCHEMA IF NOT EXISTS OSS_SF_MLOPS.ML_FS_DEV",
    "CREATE TAG IF NOT EXISTS OSS_SF_MLOPS.ML_FS_DEV.SNOWML_FEATURE_VIEW_METADATA",
    "CREATE TAG IF NOT EXISTS OSS_SF_MLOPS.ML_FS_DEV.SNOWML_FEATURE_STORE_OBJECT",
    "CREATE TAG IF NOT EXISTS OSS_SF_MLOPS.ML_FS_DEV.SNOWML_FEATURE_STORE_ENTITY_POINT
                    ALLOWED_VALUES 'PUDO_ID'
                    COMMENT = 'A pick-up point'",
    "CREATE DYNAMIC TABLE OSS_SF_MLOPS.ML_FS_DEV.POINT_VOLUME$V1 (PUDO_ID , PARCELS COMMENT 'Parcels that arrived', UPDATED_AT )
                TARGET_LAG = '1 day'
                COMMENT = 'Parcels per point'
                TAG (
                    OSS_SF_MLOPS.ML_FS_DEV.SNOWML_FEATURE_STORE_OBJECT = '{\"type\": \"MANAGED_FEATURE_VIEW\", \"pkg_version\": \"2.6.0\"}',
                    OSS_SF_MLOPS.ML_FS_DEV.SNOWML_FEATURE_VIEW_METADATA = '{\"entities\": [\"POINT\"], \"timestamp_col\": \"UPDATED_AT\"}',
                    OSS_SF_MLOPS.ML_FS_DEV.SNOWML_FEATURE_STORE_ENTITY_POINT = 'PUDO_ID'
                )
                WAREHOUSE = ML_WH_DEV
                REFRESH_MODE = AUTO
                INITIALIZE = ON_CREATE
            CLUSTER BY (PUDO_ID, UPDATED_AT)
            AS SELECT PUDO_ID, COUNT(*) AS PARCELS, MAX(UPDATED_AT) AS UPDATED_AT FROM OSS_SF_MLOPS.SHARED_DATA.PARCELS GROUP BY PUDO_ID",
    "CREATE VIEW OSS_SF_MLOPS.ML_FS_DEV.POINT_SIZES$V1 (PUDO_ID , LARGE COMMENT 'Parcels of size L or XL')
            COMMENT = ''
            TAG (
                OSS_SF_MLOPS.ML_FS_DEV.SNOWML_FEATURE_STORE_OBJECT = '{\"type\": \"EXTERNAL_FEATURE_VIEW\", \"pkg_version\": \"2.6.0\"}',
                OSS_SF_MLOPS.ML_FS_DEV.SNOWML_FEATURE_VIEW_METADATA = '{\"entities\": [\"POINT\"], \"timestamp_col\": \"NULL\"}',
                OSS_SF_MLOPS.ML_FS_DEV.SNOWML_FEATURE_STORE_ENTITY_POINT = 'PUDO_ID'
            )
            AS SELECT PUDO_ID, COUNT_IF(SIZE_CLASS IN ('L', 'XL')) AS LARGE FROM OSS_SF_MLOPS.SHARED_DATA.PARCELS GROUP BY PUDO_ID",
    "CREATE SCHEMA OSS_SF_MLOPS.ML_REGISTRY_DEV COMMENT = 'Models'",
    "CREATE MODEL OSS_SF_MLOPS.ML_REGISTRY_DEV.FILL_RATE WITH VERSION V1 FROM @OSS_SF_MLOPS.ML_REGISTRY_DEV.MODELS/fill_rate/v1",
    "ALTER MODEL OSS_SF_MLOPS.ML_REGISTRY_DEV.FILL_RATE ADD VERSION V2 FROM @OSS_SF_MLOPS.ML_REGISTRY_DEV.MODELS/fill_rate/v2",
    "ALTER MODEL OSS_SF_MLOPS.ML_REGISTRY_DEV.FILL_RATE SET COMMENT = 'Fill rate of each point'",
    "ALTER MODEL OSS_SF_MLOPS.ML_REGISTRY_DEV.FILL_RATE MODIFY VERSION V1 SET COMMENT = 'Baseline'",
    "ALTER MODEL OSS_SF_MLOPS.ML_REGISTRY_DEV.FILL_RATE MODIFY VERSION V2 SET METADATA = '{\"metrics\": {\"mse\": 0.0138, \"r2\": 0.82}, \"snowpark_ml_schema_version\": \"2024-01-01\"}'",
    "ALTER MODEL OSS_SF_MLOPS.ML_REGISTRY_DEV.FILL_RATE SET DEFAULT_VERSION = V2",
    "ALTER MODEL OSS_SF_MLOPS.ML_REGISTRY_DEV.FILL_RATE VERSION V2 SET ALIAS = CHAMPION",
    "CREATE SCHEMA OSS_SF_MLOPS.ML_JOBS_DEV",
    "CREATE TASK OSS_SF_MLOPS.ML_JOBS_DEV.NIGHTLY WAREHOUSE = ML_WH_DEV SCHEDULE = 'USING CRON 0 4 * * * Europe/Paris' CONFIG = $${\"days\": 3}$$ AS SELECT 1",
    "CREATE TASK OSS_SF_MLOPS.ML_JOBS_DEV.SCORE WAREHOUSE = ML_WH_DEV AFTER OSS_SF_MLOPS.ML_JOBS_DEV.NIGHTLY AS SELECT COUNT(*) FROM OSS_SF_MLOPS.ML_FS_DEV.POINT_VOLUME$V1",
    "CREATE TASK OSS_SF_MLOPS.ML_JOBS_DEV.REPORT AFTER OSS_SF_MLOPS.ML_JOBS_DEV.NIGHTLY, OSS_SF_MLOPS.ML_JOBS_DEV.SCORE COMMENT = 'Serverless' AS SELECT 2",
    "ALTER TASK OSS_SF_MLOPS.ML_JOBS_DEV.REPORT RESUME",
    "ALTER TASK OSS_SF_MLOPS.ML_JOBS_DEV.SCORE RESUME",
    "ALTER TASK OSS_SF_MLOPS.ML_JOBS_DEV.NIGHTLY RESUME",
];

/// The example project with no resources, and `statements` run in its
/// local account.
fn built_with(statements: &[&str]) -> Project {
    let project = Project::example();
    remove_dir(&project, "resources");
    for sql in statements {
        exec(&project, sql);
    }
    project
}

/// The example project with no resources, and PYTHON_PLATFORM built in
/// its local account.
fn python_platform() -> Project {
    built_with(PYTHON_PLATFORM)
}

#[test]
fn a_platform_built_by_the_python_libraries_is_imported_and_plans_clean() {
    let project = python_platform();
    let text = import(&project);
    assert_has(&text, &["Recorded 11 object(s) in the state of DEV."]);
    assert_adopted(&project);
    project
        .run(&["validate", "--env", "DEV"])
        .code(0)
        .stdout_has(
            "11 resources (3 schemas, 1 warehouse, 1 entity, 2 feature views, 1 model, 3 tasks)",
        );
    let features = project.read("resources/feature_store/ml_fs.yaml");
    assert_has(
        &features,
        &[
            "kind: Entity\nname: POINT\nschema: ML_FS_${env.name}\njoin_keys:\n- PUDO_ID\ndescription: A pick-up point\n",
            "name: POINT_VOLUME\nschema: ML_FS_${env.name}\nversion: V1\n",
            "refresh_freq: 1 day\nwarehouse: ML_WH_${env.name}\n",
        ],
    );
    let tasks = project.read("resources/tasks/ml_jobs.yaml");
    assert_has(
        &tasks,
        &[
            "after:\n- NIGHTLY\n- SCORE\n",
            "schedule: 0 4 * * * Europe/Paris\n",
            "config:\n  days: 3\n",
            "FROM ${env.database}.ML_FS_${env.name}.POINT_VOLUME$V1",
        ],
    );
    let model = project.read("resources/registry/ml_registry.yaml");
    assert_has(
        &model,
        &[
            "aliases:\n  - CHAMPION",
            "default_version: V2",
            "  metrics:\n    mse: 0.0138\n    r2: 0.82\n",
        ],
    );
}

#[test]
fn what_the_account_does_not_show_is_a_todo_and_the_files_still_validate() {
    let project = python_platform();
    import(&project);
    let model = project.read("resources/registry/ml_registry.yaml");
    assert_has(
        &model,
        &[
            "# TODO: model.FILL_RATE Snowflake does not record where a model version was loaded from",
            "from: '@UNKNOWN_SOURCE/FILL_RATE/V1'",
        ],
    );
    let tasks = project.read("resources/tasks/ml_jobs.yaml");
    assert_has(
        &tasks,
        &["# TODO: `timeout_ms` and `suspend_after_failures` are task parameters"],
    );
    let warehouses = project.read("resources/warehouses.yaml");
    assert_has(&warehouses, &["# TODO: `initially_suspended`"]);
    project.run(&["validate"]).code(0);
}

#[test]
fn an_existing_file_is_never_overwritten() {
    let project = python_platform();
    let kept = "# mine\nkind: Schema\nname: KEPT\n";
    let project = project.file("resources/schemas.yaml", kept);
    let out = project.run(&["import", "--env", "DEV"]);
    out.code(1)
        .stderr_has("schemas.yaml already exists; floe import never overwrites a file");
    assert_eq!(project.read("resources/schemas.yaml"), kept);
    assert!(!project.path().join("resources/warehouses.yaml").exists());
    assert_no_state(&project);
}

#[test]
fn out_writes_elsewhere_and_records_no_state() {
    let project = python_platform();
    let review = project.path().join("review");
    let review_arg = review.display().to_string();
    let out = project.run(&["import", "--env", "DEV", "--out", &review_arg]);
    out.code(0).stdout_has("No state recorded (--out)");
    assert!(review.join("schemas.yaml").exists());
    assert_no_state(&project);
}

#[test]
fn schema_limits_the_import_and_brings_only_the_warehouses_used() {
    let project = python_platform();
    let out = project.run(&["import", "--env", "DEV", "--schema", "ML_JOBS_DEV"]);
    out.code(0)
        .stdout_has("Recorded 5 object(s) in the state of DEV.");
    let schemas = project.read("resources/schemas.yaml");
    assert!(
        schemas.contains("name: ML_JOBS_${env.name}") && !schemas.contains("ML_FS"),
        "{schemas}"
    );
    assert!(
        project
            .read("resources/warehouses.yaml")
            .contains("name: ML_WH_${env.name}")
    );
    assert!(!project.path().join("resources/feature_store").exists());
    let unknown = project.run(&["import", "--env", "DEV", "--schema", "NOPE"]);
    unknown.code(1).stderr_has("has no schema NOPE");
}

#[test]
fn objects_floe_cannot_declare_are_named_and_left_out() {
    let project = built_with(&[
        "CREATE SCHEMA OSS_SF_MLOPS.JOBS_DEV",
        "CREATE TASK OSS_SF_MLOPS.JOBS_DEV.MANUAL AS SELECT 1",
        "CREATE TASK OSS_SF_MLOPS.JOBS_DEV.AFTER_MANUAL AFTER OSS_SF_MLOPS.JOBS_DEV.MANUAL AS SELECT 2",
        "CREATE TASK OSS_SF_MLOPS.JOBS_DEV.\"every 5\" SCHEDULE = '5 MINUTES' AS SELECT 3",
    ]);
    let text = import(&project);
    assert_has(
        &text,
        &[
            "Not imported (floe cannot declare them as they are):\n  task.MANUAL: DEV: a root task (no `after`) needs a schedule\n",
            "  task.AFTER_MANUAL: DEV: `after` names the task `MANUAL`, which is not declared\n",
            "`timeout_ms` and `suspend_after_failures` of 1 task(s)",
        ],
    );
    let tasks = project.read("resources/tasks/jobs.yaml");
    assert_has(&tasks, &["name: '\"every 5\"'\n"]);
    assert!(!tasks.contains("MANUAL"), "{tasks}");
    assert_adopted(&project);
}

#[test]
fn a_held_lock_refuses_the_import_before_any_file_is_written() {
    let project = python_platform();
    project.hold_lock("DEV", "ci@build-7");
    project
        .run(&["import", "--env", "DEV"])
        .code(1)
        .stderr_has("ci@build-7");
    assert!(!project.path().join("resources").exists());
}

/// The number of statements `floe import -v --env DEV` says it read the
/// environment with.
fn statements_read(project: &Project) -> usize {
    let out = project.run(&["import", "-v", "--env", "DEV"]);
    out.code(0);
    let line = out
        .stderr
        .lines()
        .find(|l| l.starts_with("read the environment with "))
        .unwrap_or_else(|| panic!("no statement count in:\n{}", out.stderr));
    line["read the environment with ".len()..]
        .split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no number in {line:?}"))
}

#[test]
fn import_reads_in_batches_whatever_the_number_of_objects() {
    let small = python_platform();
    let large = python_platform();
    for i in 0..12 {
        exec(
            &large,
            &format!(
                "CREATE TASK OSS_SF_MLOPS.ML_JOBS_DEV.EXTRA_{i} SCHEDULE = '10 MINUTES' AS SELECT {i}"
            ),
        );
        exec(
            &large,
            &format!("CREATE WAREHOUSE EXTRA_{i}_DEV WAREHOUSE_SIZE = 'XSMALL'"),
        );
    }
    assert_eq!(statements_read(&large), statements_read(&small));
    assert!(
        large
            .read("resources/tasks/ml_jobs.yaml")
            .contains("name: EXTRA_11\n")
    );
}

#[test]
fn a_feature_view_missing_a_feature_store_tag_is_declared_and_left_for_plan() {
    let project = built_with(&[
        "CREATE SCHEMA OSS_SF_MLOPS.FS_DEV",
        "CREATE TAG IF NOT EXISTS OSS_SF_MLOPS.FS_DEV.SNOWML_FEATURE_VIEW_METADATA",
        "CREATE TAG IF NOT EXISTS OSS_SF_MLOPS.FS_DEV.SNOWML_FEATURE_STORE_OBJECT",
        "CREATE TAG IF NOT EXISTS OSS_SF_MLOPS.FS_DEV.SNOWML_FEATURE_STORE_ENTITY_POINT ALLOWED_VALUES 'PUDO_ID'",
        "CREATE VIEW OSS_SF_MLOPS.FS_DEV.HALF$V1 COMMENT = '' TAG (
            OSS_SF_MLOPS.FS_DEV.SNOWML_FEATURE_VIEW_METADATA = '{\"entities\": [\"POINT\"], \"timestamp_col\": \"NULL\"}',
            OSS_SF_MLOPS.FS_DEV.SNOWML_FEATURE_STORE_ENTITY_POINT = 'PUDO_ID')
         AS SELECT PUDO_ID FROM OSS_SF_MLOPS.SHARED_DATA.PARCELS",
    ]);
    let text = import(&project);
    assert_has(
        &text,
        &[
            "Recorded 2 object(s) in the state of DEV.",
            "Not read back fully (declared, not recorded; plan will change them):\n  feature_view.HALF$V1: feature_store_tags\n",
        ],
    );
    let features = project.read("resources/feature_store/fs.yaml");
    assert_has(
        &features,
        &["# TODO: feature_view.HALF$V1 the object carries 1 of the two feature-store tags"],
    );
    project.run(&["validate"]).code(0);
    project
        .run(&["plan", "--env", "DEV", "--detailed-exitcode"])
        .code(2)
        .stdout_has("~ feature_view.HALF$V1");
}
