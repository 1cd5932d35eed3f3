//! `floe state history`, `restore` and `migrate` on the example: history
//! and restore with the state kept in the account's tables, and moving the
//! state between files and tables without losing a record.

mod common;

use common::local::exec;
use common::project::Project;

const DEV: &str = "dev";

const WAREHOUSE: &str = "warehouse.PUDO_FEATURE_WH_DEV";

/// Changes the feature warehouse's comment, and only that.
fn change_comment(project: &Project) {
    project.edit(
        "resources/warehouses.yaml",
        "comment: Refreshes the PUDO feature views (dynamic tables) in",
        "comment: Refreshes the PUDO features in",
    );
}

/// The serial of the first line `floe state history` prints.
fn newest_serial(project: &Project) -> u64 {
    let out = project.on_branch(DEV, &["state", "history", "--limit", "1"]);
    out.code(0);
    out.stdout
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no serial in:\n{}", out.stdout))
}

/// The project applied, then applied again with one change; returns the
/// serial the first apply ended at.
fn applied_twice() -> (Project, u64) {
    let project = Project::example_in_tables().applied(DEV);
    let first = newest_serial(&project);
    change_comment(&project);
    project.apply(DEV);
    (project, first)
}

#[test]
fn history_lists_serials_newest_first_with_what_each_changed() {
    let (project, first) = applied_twice();
    let out = project.on_branch(DEV, &["state", "history", "--limit", "100"]);
    out.code(0);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert!(
        lines[0].starts_with(&format!("serial {} ", first + 1)),
        "{}",
        out.stdout
    );
    assert!(
        lines[0].ends_with(&format!("  ~{WAREHOUSE}")),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].starts_with(&format!("serial {first} ")),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("+schema.PUDO_DEV"), "{}", out.stdout);

    let only = project.on_branch(DEV, &["state", "history", WAREHOUSE]);
    only.code(0);
    let lines: Vec<&str> = only.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", only.stdout);
    assert!(lines[0].ends_with(&format!("~{WAREHOUSE}")), "{}", lines[0]);
    assert!(lines[1].ends_with(&format!("+{WAREHOUSE}")), "{}", lines[1]);

    project
        .on_branch(DEV, &["state", "history", "--limit", "1"])
        .code(0)
        .stdout_has(&format!("({first} older serials not shown"));
}

#[test]
fn history_of_state_files_is_refused_with_where_history_is_kept() {
    let project = Project::example().applied(DEV);
    project
        .on_branch(DEV, &["state", "history"])
        .code(1)
        .stderr_has("DEV.json keeps no history of earlier serials")
        .stderr_has("state: {backend: snowflake}");
}

#[test]
fn restore_writes_the_earlier_records_as_a_new_serial_and_leaves_the_account() {
    let (project, first) = applied_twice();
    let serial = first.to_string();
    // Without a terminal to confirm on, nothing is written.
    project
        .on_branch(DEV, &["state", "restore", &serial])
        .code(1)
        .stdout_has(&format!("~ {WAREHOUSE} (changed: comment"))
        .stderr_has("needs a confirmation");
    assert_eq!(newest_serial(&project), first + 1);

    project
        .on_branch(DEV, &["state", "restore", &serial, "--auto-approve"])
        .code(0)
        .stdout_has("the account is not touched")
        .stdout_has(&format!(
            "as they were after serial {first}, written as serial {}",
            first + 2
        ));
    project
        .on_branch(DEV, &["state", "show", WAREHOUSE])
        .code(0)
        .stdout_has("Refreshes the PUDO feature views (dynamic tables) in DEV");
    // The account kept the new comment: the plan only records it again.
    let live = exec(&project, "SHOW WAREHOUSES LIKE 'PUDO_FEATURE_WH_DEV'");
    assert!(
        live.contains("Refreshes the PUDO features in DEV"),
        "{live}"
    );
    project
        .on_branch(DEV, &["plan"])
        .code(0)
        .stdout_has("State only: apply records 1 and forgets 0");
    // History stays append-only: the restore is its newest serial.
    let newest = project.on_branch(DEV, &["state", "history", "--limit", "1"]);
    newest
        .code(0)
        .stdout_has(&format!("serial {} ", first + 2))
        .stdout_has(&format!("~{WAREHOUSE}"));
}

#[test]
fn restore_refuses_serials_outside_the_kept_history() {
    let project = Project::example_in_tables().applied(DEV);
    let head = newest_serial(&project);
    project
        .on_branch(DEV, &["state", "restore", &(head + 1).to_string()])
        .code(1)
        .stderr_has(&format!(
            "newer than the state of DEV, which is at serial {head}"
        ));
    // The last 100 serials are kept: at serial 150, serial 49 is gone.
    exec(
        &project,
        "UPDATE OSS_SF_MLOPS.FLOE.FLOE_STATE_HEAD SET SERIAL = 150 WHERE ENVIRONMENT = 'DEV'",
    );
    project
        .on_branch(DEV, &["state", "restore", "49", "--auto-approve"])
        .code(1)
        .stderr_has("serial 49 is older than the history kept for DEV: the oldest serial it can restore is 50");
}

#[test]
fn migrate_moves_every_record_to_the_tables_and_back() {
    let project = Project::example().applied(DEV);
    let list = |p: &Project| {
        let out = p.on_branch(DEV, &["state", "list"]);
        out.code(0);
        out.stdout.clone()
    };
    let show = |p: &Project| {
        let out = p.on_branch(DEV, &["state", "show", WAREHOUSE]);
        out.code(0);
        out.stdout.clone()
    };
    let (records, entry) = (list(&project), show(&project));
    assert_eq!(records.lines().count(), 30, "{records}");

    project
        .on_branch(DEV, &["state", "migrate", "--to", "snowflake"])
        .code(0)
        .stdout_has("Migrated 30 records of DEV")
        .stdout_has("DEV.json.migrated")
        .stdout_has("set `state: {backend: snowflake}`");
    assert!(!project.path().join("state/DEV.json").exists());
    assert!(project.path().join("state/DEV.json.migrated").exists());
    project.keep_state_in_tables(true);
    assert_eq!(list(&project), records);
    assert_eq!(show(&project), entry);
    project.assert_clean(DEV, "DEV");

    project
        .on_branch(DEV, &["state", "migrate", "--to", "files"])
        .code(0)
        .stdout_has("Migrated 30 records of DEV")
        .stdout_has("DELETE FROM OSS_SF_MLOPS.FLOE.FLOE_STATE_RESOURCES WHERE ENVIRONMENT = 'DEV'");
    project.keep_state_in_tables(false);
    assert_eq!(list(&project), records);
    assert_eq!(show(&project), entry);
    project.assert_clean(DEV, "DEV");
}

#[test]
fn migrate_never_writes_over_records_and_refuses_an_empty_source() {
    let project = Project::example_in_tables().applied(DEV);
    project
        .on_branch(DEV, &["state", "migrate", "--to", "snowflake"])
        .code(1)
        .stderr_has("DEV.json records nothing for DEV to migrate")
        .stderr_has("already keeps the state of DEV in `snowflake`");
    project
        .on_branch(DEV, &["state", "migrate", "--to", "files"])
        .code(0);
    // The tables still hold the records: migrating back would overwrite them.
    project
        .on_branch(DEV, &["state", "migrate", "--to", "snowflake"])
        .code(1)
        .stderr_has("FLOE_STATE_RESOURCES already records 30 resources of DEV")
        .stderr_has("DELETE FROM OSS_SF_MLOPS.FLOE.FLOE_STATE_RESOURCES");
    assert!(
        project.path().join("state/DEV.json").exists(),
        "a refused migration leaves its source"
    );
    project
        .on_branch(DEV, &["state", "migrate", "--to", "files"])
        .code(1)
        .stderr_has("DEV.json already records 30 resources of DEV");
}

#[test]
fn a_migration_that_cannot_write_its_target_leaves_the_source() {
    let project = Project::example_in_tables().applied(DEV);
    // `state` is a file, so no state folder can be made.
    std::fs::write(project.path().join("state"), "not a folder\n").expect("write state");
    project
        .on_branch(DEV, &["state", "migrate", "--to", "files"])
        .code(1)
        .stderr_has("cannot access")
        .stderr_has("state");
    let out = project.on_branch(DEV, &["state", "list"]);
    assert_eq!(out.code(0).stdout.lines().count(), 30, "{}", out.stdout);
}
