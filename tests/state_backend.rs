//! The example project with `state: {backend: snowflake}`: floe keeps what
//! it applied, and the lock, in tables of the environment's database in the
//! local account, and nothing under `state/`.

mod common;

use common::local::exec;
use common::project::Project;
use common::serve::{serve, write_connection};

const PASSWORD: &str = "s3rved-secret";

const DEV: &str = "dev";

#[test]
fn an_apply_keeps_its_state_in_tables_and_leaves_no_state_files() {
    let project = Project::example_in_tables().applied(DEV);
    assert!(
        !project.path().join("state").exists(),
        "no state/ folder is written when state is kept in the account"
    );
    project.assert_clean(DEV, "DEV");
    project
        .on_branch(DEV, &["state", "list"])
        .code(0)
        .stdout_has("warehouse.PUDO_FEATURE_WH_DEV")
        .stdout_has("schema.PUDO_DEV");
    let recorded = exec(
        &project,
        "SELECT ADDRESS FROM OSS_SF_MLOPS.FLOE.FLOE_STATE_RESOURCES WHERE ENVIRONMENT = 'DEV' AND ADDRESS = 'warehouse.PUDO_FEATURE_WH_DEV'",
    );
    assert!(
        recorded.contains("warehouse.PUDO_FEATURE_WH_DEV"),
        "{recorded}"
    );
    project
        .on_branch(DEV, &["state", "show", "warehouse.PUDO_FEATURE_WH_DEV"])
        .code(0)
        .stdout_has("PUDO_FEATURE_WH_DEV");
}

#[test]
fn state_rm_forgets_an_address_in_the_tables() {
    let project = Project::example_in_tables().applied(DEV);
    project
        .on_branch(DEV, &["state", "rm", "warehouse.PUDO_FEATURE_WH_DEV"])
        .code(0);
    project
        .on_branch(DEV, &["state", "list"])
        .code(0)
        .stdout_lacks("warehouse.PUDO_FEATURE_WH_DEV")
        .stdout_has("schema.PUDO_DEV");
}

#[test]
fn a_held_lock_row_refuses_an_apply_naming_its_holder_until_unlocked() {
    let project = Project::example_in_tables().applied(DEV);
    exec(
        &project,
        "UPDATE OSS_SF_MLOPS.FLOE.FLOE_STATE_LOCK SET LOCK_ID = 'other', HOLDER = 'ana@ci-runner', PID = 4242, COMMAND = 'floe apply', BRANCH = 'feature/x', GIT_COMMIT = 'abcdef1234567890', SINCE = CURRENT_TIMESTAMP(), LEASE_UNTIL = DATEADD(second, 600, CURRENT_TIMESTAMP()) WHERE ENVIRONMENT = 'DEV'",
    );
    project
        .on_branch(DEV, &["apply", "--auto-approve"])
        .code(1)
        .stderr_has("locked by ana@ci-runner (pid 4242, floe apply on feature/x at abcdef123456")
        .stderr_lacks("stale")
        .stderr_has("floe state unlock");
    project
        .on_branch(DEV, &["state", "unlock"])
        .code(0)
        .stdout_has("ana@ci-runner");
    project
        .on_branch(DEV, &["apply", "--auto-approve"])
        .code(0)
        .stdout_has("No changes");
    let lock = exec(
        &project,
        "SELECT COUNT(*) AS HELD FROM OSS_SF_MLOPS.FLOE.FLOE_STATE_LOCK WHERE ENVIRONMENT = 'DEV' AND LOCK_ID IS NOT NULL",
    );
    let held = lock.lines().last().map(str::trim);
    assert_eq!(held, Some("0"), "the apply freed its lock: {lock}");
}

#[test]
fn a_lock_whose_lease_ran_out_is_reported_stale() {
    let project = Project::example_in_tables().applied(DEV);
    exec(
        &project,
        "UPDATE OSS_SF_MLOPS.FLOE.FLOE_STATE_LOCK SET LOCK_ID = 'other', HOLDER = 'ana@ci-runner', PID = 4242, COMMAND = 'floe apply', SINCE = DATEADD(second, -900, CURRENT_TIMESTAMP()), LEASE_UNTIL = DATEADD(second, -300, CURRENT_TIMESTAMP()) WHERE ENVIRONMENT = 'DEV'",
    );
    project
        .on_branch(DEV, &["apply", "--auto-approve"])
        .code(1)
        .stderr_has("locked by ana@ci-runner")
        .stderr_has("the lock is stale");
}

#[test]
fn a_second_checkout_on_the_same_account_sees_what_the_first_applied() {
    let first = Project::example_in_tables();
    let (_server, port) = serve(&first, PASSWORD);
    let second = Project::example_in_tables();
    for checkout in [&first, &second] {
        write_connection(checkout, port, PASSWORD);
    }
    let served = ["--branch", DEV, "--connection", "served"];
    let apply: Vec<&str> = ["apply", "--auto-approve"]
        .into_iter()
        .chain(served)
        .collect();
    first.run(&apply).code(0).stdout_has("Apply complete");
    let plan: Vec<&str> = ["plan", "--detailed-exitcode"]
        .into_iter()
        .chain(served)
        .collect();
    second
        .run(&plan)
        .code(0)
        .stdout_has("No changes. DEV matches the declarations.");
    assert!(!second.path().join("state").exists());
    assert!(!first.path().join("state").exists());
}

#[test]
fn import_records_into_the_tables_when_state_is_in_the_account() {
    let project = Project::example_in_tables().applied(DEV);
    // The declarations and the records are lost; the objects remain.
    std::fs::remove_dir_all(project.path().join("resources")).expect("remove resources/");
    for table in ["RESOURCES", "HISTORY", "HEAD"] {
        exec(
            &project,
            &format!("DELETE FROM OSS_SF_MLOPS.FLOE.FLOE_STATE_{table} WHERE ENVIRONMENT = 'DEV'"),
        );
    }
    project
        .run(&["import", "--env", "DEV"])
        .code(0)
        .stdout_has("Recorded 30 object(s) in the state of DEV.");
    assert!(!project.path().join("state").exists());
    let recorded = exec(
        &project,
        "SELECT COUNT(*) AS RECORDED FROM OSS_SF_MLOPS.FLOE.FLOE_STATE_RESOURCES WHERE ENVIRONMENT = 'DEV'",
    );
    assert_eq!(
        recorded.lines().last().map(str::trim),
        Some("30"),
        "{recorded}"
    );
    let lock = exec(
        &project,
        "SELECT COUNT(*) AS HELD FROM OSS_SF_MLOPS.FLOE.FLOE_STATE_LOCK WHERE ENVIRONMENT = 'DEV' AND LOCK_ID IS NOT NULL",
    );
    assert_eq!(
        lock.lines().last().map(str::trim),
        Some("0"),
        "the import freed its lock: {lock}"
    );
    project
        .run(&["plan", "--env", "DEV", "--detailed-exitcode"])
        .code(0)
        .stdout_has("No changes. DEV matches the declarations.");
}
