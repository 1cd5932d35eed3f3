//! `floe local exec` and `floe local reset` driven as a user would, through
//! the built binary on a temporary project.

mod common;

use common::Project;
use common::local::{exec, exec_json, first, refused};

const ENVIRONMENTS: &str = r#"project: pudo
default_connection: local
environments:
  DEV:
    branches: [dev, "feature/*"]
    database: OSS
  PROD:
    branches: [main]
    database: OSS
local:
  seed: [config/local/shared_data.sql]
"#;

const SEED: &str = "CREATE DATABASE OSS;
CREATE SCHEMA OSS.RAW;
CREATE SCHEMA OSS.OPS;
CREATE SCHEMA OSS.FS;
CREATE TABLE OSS.RAW.PARCELS (PUDO_ID NUMBER, DS DATE);
";

fn project() -> Project {
    Project::with_environments(ENVIRONMENTS).file("config/local/shared_data.sql", SEED)
}

#[test]
fn a_platform_engineer_builds_and_reworks_an_account_across_processes() {
    let p = &project();
    let created = exec(
        p,
        "CREATE WAREHOUSE ML_WH WAREHOUSE_SIZE = XSMALL AUTO_SUSPEND = 60",
    );
    assert!(
        created.contains("Warehouse ML_WH successfully created."),
        "{created}"
    );
    let table = exec(p, "SHOW WAREHOUSES LIKE 'ml_wh'");
    assert!(
        table
            .lines()
            .next()
            .unwrap()
            .starts_with("name  | state   | type     | size"),
        "{table}"
    );
    assert!(table.contains("| X-Small |"), "{table}");
    exec(p, "ALTER WAREHOUSE ML_WH SET WAREHOUSE_SIZE = LARGE");
    assert_eq!(
        first(&exec_json(p, "SHOW WAREHOUSES LIKE 'ML_WH'"), "size"),
        "Large"
    );

    exec(
        p,
        "CREATE TASK OSS.OPS.ROOT WAREHOUSE = ML_WH SCHEDULE = 'USING CRON 0 5 * * * UTC' AS SELECT 1",
    );
    exec(
        p,
        "CREATE TASK OSS.OPS.LOAD WAREHOUSE = ML_WH AFTER OSS.OPS.ROOT AS SELECT 2",
    );
    exec(
        p,
        "CREATE TASK OSS.OPS.SCORE WAREHOUSE = ML_WH AFTER OSS.OPS.ROOT AS SELECT 3",
    );
    exec(p, "SELECT SYSTEM$TASK_DEPENDENTS_ENABLE('OSS.OPS.ROOT')");
    let stderr = refused(p, "ALTER TASK OSS.OPS.LOAD SET COMMENT = 'loads parcels'");
    assert!(stderr.contains("091421"), "{stderr}");
    assert!(
        stderr.contains("Unable to update graph with root task OSS.OPS.ROOT since that root task is not suspended."),
        "{stderr}"
    );
    exec(p, "ALTER TASK OSS.OPS.ROOT SUSPEND");
    // 2026_06 behaviour change: a task in a graph must itself be suspended.
    let stderr = refused(p, "ALTER TASK OSS.OPS.LOAD SET COMMENT = 'loads parcels'");
    assert!(stderr.contains("OSS.OPS.LOAD"), "{stderr}");
    exec(p, "ALTER TASK OSS.OPS.LOAD SUSPEND");
    exec(p, "ALTER TASK OSS.OPS.LOAD SET COMMENT = 'loads parcels'");
    exec(p, "ALTER TASK OSS.OPS.LOAD RESUME");
    exec(p, "ALTER TASK OSS.OPS.ROOT RESUME");

    exec(
        p,
        "CREATE TAG OSS.FS.SNOWML_FEATURE_STORE_ENTITY_PUDO ALLOWED_VALUES 'A,B' COMMENT = 'pudo'",
    );
    let tags = exec_json(
        p,
        "SHOW TAGS LIKE 'SNOWML_FEATURE_STORE_ENTITY_%' IN SCHEMA OSS.FS",
    );
    assert_eq!(first(&tags, "allowed_values"), r#"["A,B"]"#);

    let tasks = exec_json(p, "SHOW TASKS IN SCHEMA OSS.OPS");
    let rows = tasks["rows"].as_array().unwrap();
    let state_of = |name: &str| {
        let columns = tasks["columns"].as_array().unwrap();
        let (n, s, c) = (
            columns.iter().position(|c| c == "name").unwrap(),
            columns.iter().position(|c| c == "state").unwrap(),
            columns.iter().position(|c| c == "comment").unwrap(),
        );
        let row = rows.iter().find(|r| r[n] == name).expect("task listed");
        (row[s].clone(), row[c].clone())
    };
    assert_eq!(state_of("ROOT").0, "started");
    assert_eq!(state_of("LOAD"), ("started".into(), "loads parcels".into()));
    assert_eq!(state_of("SCORE").0, "started");
    assert_eq!(
        first(&exec_json(p, "SHOW TABLES IN SCHEMA OSS.RAW"), "name"),
        "PARCELS"
    );
}

#[test]
fn bad_sql_exits_1_with_snowflakes_error_and_changes_nothing() {
    let p = &project();
    let before = exec(p, "SHOW SCHEMAS IN DATABASE OSS");
    for sql in [
        "CREATE SCHEMA OSS.\"unterminated",
        "CREATE SCHEMA OSS.X COMMENT = 'oops",
        "DROP SCHEMA OSS.RAW /* never closed",
        "CREATE SCHEMA OSS.Y WITH TAG (OSS.RAW.NOPE = 'x')",
        "INSERT INTO OSS.RAW.NOPE VALUES (1)",
        "UPDATE OSS.RAW.NOPE SET DS = NULL",
    ] {
        let stderr = refused(p, sql);
        assert!(stderr.starts_with("error: 00"), "{sql}: {stderr}");
    }
    assert_eq!(exec(p, "SHOW SCHEMAS IN DATABASE OSS"), before);
}

#[test]
fn every_environment_shares_the_project_account_and_reset_reseeds_it() {
    let p = &project();
    p.run(&[
        "local",
        "exec",
        "--branch",
        "feature/x",
        "CREATE WAREHOUSE FEATURE_WH",
    ])
    .code(0);
    let out = p.run(&["local", "exec", "--branch", "main", "SHOW WAREHOUSES"]);
    out.code(0).stdout_has("FEATURE_WH");
    assert!(p.path().join(".floe/local/account.json").exists());
    let refused = p.run(&["local", "reset", "--env", "DEV"]);
    refused
        .code(1)
        .stderr_has("takes no `--env DEV`")
        .stderr_has("shared by every environment");
    assert!(
        exec(p, "SHOW WAREHOUSES").contains("FEATURE_WH"),
        "nothing was deleted"
    );
    let out = p.run(&["local", "reset"]);
    out.code(0)
        .stdout_has("Deleted the project's local account");
    assert!(!exec(p, "SHOW WAREHOUSES").contains("FEATURE_WH"));
    assert!(
        exec(p, "SHOW DATABASES").contains("OSS"),
        "the seed ran again"
    );
}

#[test]
fn env_makes_the_environments_database_current_and_without_it_none_is() {
    let p = &project();
    let with_env = p.run(&[
        "local",
        "exec",
        "--env",
        "PROD",
        "--json",
        "SELECT CURRENT_DATABASE()",
    ]);
    with_env.code(0);
    let value: serde_json::Value = serde_json::from_str(&with_env.stdout).unwrap();
    assert_eq!(value["rows"][0][0], "OSS", "{value}");
    let without = p.run(&["local", "exec", "--json", "SELECT CURRENT_DATABASE()"]);
    without.code(0);
    let value: serde_json::Value = serde_json::from_str(&without.stdout).unwrap();
    assert_eq!(value["rows"][0][0], serde_json::Value::Null, "{value}");
    let unqualified = p.run(&["local", "exec", "CREATE SCHEMA SCRATCH"]);
    unqualified.code(1).stderr_has("no database current");
}

/// Moves the project's account to `<env>.json` and `<env>.journal`, as
/// older floe named an environment's account.
fn as_older_floe_left_it(p: &Project, env: &str) {
    let local = p.path().join(".floe/local");
    for ext in ["json", "journal"] {
        std::fs::rename(
            local.join(format!("account.{ext}")),
            local.join(format!("{env}.{ext}")),
        )
        .unwrap();
    }
}

#[test]
fn a_lone_account_of_an_older_floe_becomes_the_project_account() {
    let p = &project();
    exec(p, "CREATE WAREHOUSE KEPT_WH");
    as_older_floe_left_it(p, "DEV");
    let out = p.run(&["local", "exec", "SHOW WAREHOUSES"]);
    out.code(0)
        .stdout_has("KEPT_WH")
        .stderr_has(".floe/local/DEV.json of an older floe is now the project's local account");
    assert!(!p.path().join(".floe/local/DEV.json").exists());
    let again = p.run(&["local", "exec", "SHOW WAREHOUSES"]);
    again
        .code(0)
        .stdout_has("KEPT_WH")
        .stderr_lacks("older floe");
}

#[test]
fn several_accounts_of_an_older_floe_stop_every_command_until_reset() {
    let p = &project();
    exec(p, "CREATE WAREHOUSE DEV_WH");
    let local = p.path().join(".floe/local");
    for ext in ["json", "journal"] {
        std::fs::copy(
            local.join(format!("account.{ext}")),
            local.join(format!("DEV.{ext}")),
        )
        .unwrap();
    }
    exec(p, "DROP WAREHOUSE DEV_WH; CREATE WAREHOUSE PROD_WH");
    as_older_floe_left_it(p, "PROD");
    for args in [
        &["local", "exec", "SHOW WAREHOUSES"][..],
        &["plan", "--env", "DEV"],
    ] {
        p.run(args)
            .code(1)
            .stderr_has(".floe/local/DEV.json")
            .stderr_has(".floe/local/PROD.json")
            .stderr_has("run `floe local reset`");
    }
    for file in ["DEV.json", "DEV.journal", "PROD.json", "PROD.journal"] {
        assert!(local.join(file).exists(), "{file} kept");
    }
    assert!(!p.path().join(".floe/local/account.json").exists());
    p.run(&["local", "reset"])
        .code(0)
        .stdout_has("DEV.json, a per-environment local account of an older floe")
        .stdout_has("PROD.json, a per-environment local account of an older floe");
    let fresh = exec(p, "SHOW WAREHOUSES");
    assert!(
        !fresh.contains("DEV_WH") && !fresh.contains("PROD_WH"),
        "{fresh}"
    );
}

#[test]
fn an_older_account_beside_the_project_account_is_warned_about_not_read() {
    let p = &project();
    exec(p, "CREATE WAREHOUSE OLD_WH");
    let local = p.path().join(".floe/local");
    std::fs::copy(local.join("account.json"), local.join("PROD.json")).unwrap();
    exec(p, "DROP WAREHOUSE OLD_WH");
    let out = p.run(&["local", "exec", "SHOW WAREHOUSES"]);
    out.code(0)
        .stdout_lacks("OLD_WH")
        .stderr_has("warning: the local account")
        .stderr_has("PROD.json of an older floe, one per environment, is not read");
    assert!(local.join("PROD.json").exists());
}

#[test]
fn two_processes_writing_concurrently_keep_both_sets_of_objects() {
    let p = &project();
    exec(p, "SHOW DATABASES");
    std::thread::scope(|scope| {
        let writers: Vec<_> = ["A", "B"]
            .into_iter()
            .map(|who| {
                scope.spawn(move || {
                    for i in 0..30 {
                        exec(p, &format!("CREATE WAREHOUSE WH_{who}_{i}"));
                    }
                })
            })
            .collect();
        for w in writers {
            w.join().expect("writer finished");
        }
    });
    let all = exec_json(p, "SHOW WAREHOUSES LIKE 'WH_%'");
    assert_eq!(all["rows"].as_array().unwrap().len(), 60);
}

#[test]
fn local_exec_runs_a_script_of_several_statements_and_prints_the_last_result() {
    let p = &project();
    let result = exec_json(
        p,
        "CREATE SCHEMA OSS.SCRATCH; USE SCHEMA OSS.SCRATCH; SELECT CURRENT_SCHEMA()",
    );
    assert_eq!(result["rows"][0][0], "SCRATCH", "{result}");
    let listed = exec_json(p, "SHOW SCHEMAS LIKE 'SCRATCH' IN DATABASE OSS");
    assert_eq!(first(&listed, "name"), "SCRATCH");
}
