//! A feature store built by snowflake-ml-python itself, through `floe local
//! serve`, becomes floe's: `floe import` declares it, the plan is empty, and
//! what floe then applies reads back through the same library.
//!
//! Runs `tests/python/feature_store_register.py` with the interpreter named
//! by `FLOE_TEST_PYTHON`; without it the test says it is skipped, except
//! when `CI` is set, where it fails.

mod common;

use common::Project;
use common::local::exec;
use common::python::{interpreter, run_script};
use common::serve::serve;

const PASSWORD: &str = "s3cret-feature-store";
const FEATURES: &str = "resources/feature_store/ml_fs.yaml";

/// Runs `feature_store_register.py PORT OSS_SF_MLOPS ML_FS_DEV ML_WH_DEV
/// <args>`, which must print `done`.
fn feature_store(python: &std::ffi::OsString, port: u16, args: &[&str], done: &str) {
    let port = port.to_string();
    let mut all = vec![port.as_str(), "OSS_SF_MLOPS", "ML_FS_DEV", "ML_WH_DEV"];
    all.extend_from_slice(args);
    run_script(
        python.clone(),
        "feature_store_register.py",
        &all,
        PASSWORD,
        done,
    );
}

#[test]
fn a_feature_store_registered_by_snowflake_ml_python_is_imported_and_applied() {
    let Some(python) = interpreter("feature_store_python") else {
        return;
    };
    let project = Project::example();
    std::fs::remove_dir_all(project.path().join("resources")).expect("resources can be removed");
    exec(
        &project,
        "CREATE WAREHOUSE ML_WH_DEV WAREHOUSE_SIZE = 'SMALL' COMMENT = 'Feature refreshes'",
    );
    let (_server, port) = serve(&project, PASSWORD);
    feature_store(&python, port, &["register"], "registered");

    project.run(&["import", "--env", "DEV"]).code(0).no_panic();
    let features = project.read(FEATURES);
    for declared in [
        "kind: Entity\nname: POINT\nschema: ML_FS_${env.name}\njoin_keys:\n- PUDO_ID\ndescription: A pick-up point\n",
        "name: POINT_VOLUME\nschema: ML_FS_${env.name}\nversion: V1\n",
        "refresh_freq: 1 day\nwarehouse: ML_WH_${env.name}\n",
        "description: Parcels per point\n",
        "- name: PARCELS\n  comment: Parcels that arrived\n",
        "name: POINT_SIZES\nschema: ML_FS_${env.name}\nversion: V1\n",
        "description: Large parcels per point\n",
    ] {
        assert!(features.contains(declared), "{declared:?} in\n{features}");
    }
    project.run(&["validate"]).code(0).stdout_lacks("invalid");
    project
        .run(&["plan", "--env", "DEV", "--detailed-exitcode"])
        .code(0)
        .stdout_has("No changes. DEV matches the declarations.");

    project.edit(
        FEATURES,
        "description: Parcels per point\n",
        "description: Parcels that arrived at each point\n",
    );
    project
        .run(&["apply", "--branch", "feature/adopt", "--auto-approve"])
        .code(0)
        .stdout_has("1 to update");
    feature_store(
        &python,
        port,
        &[
            "check",
            "POINT_VOLUME",
            "V1",
            "Parcels that arrived at each point",
        ],
        "checked",
    );
}
