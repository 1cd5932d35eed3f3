//! Runs cut short (SIGKILL, one or two Ctrl-C, a failing statement) and
//! damaged local account files: what is left on disk and on screen, and how
//! the next run finds its way back, driven through the `floe` binary.

mod common;

use std::io::{BufRead, BufReader};

use common::Project;
use common::project::{read_until, signal};

/// The branch that selects DEV.
const DEV: &str = "dev";

const ENVIRONMENTS: &str = "\
project: test
default_connection: local
local:
  seed: [config/seed.sql]
environments:
  DEV:
    branches: [dev]
    database: TEST_DB
";

const RESOURCES: &str = "\
kind: Schema
name: OPS
---
kind: Warehouse
name: ML_WH
---
kind: Task
name: ROOT
schema: OPS
warehouse: ML_WH
schedule: 1 hour
sql: SELECT 1
---
kind: Task
name: CHILD
schema: OPS
warehouse: ML_WH
after: [ROOT]
sql: SELECT 2
";

/// A project with one task graph in a fresh local DEV account.
fn project() -> Project {
    Project::with_environments(ENVIRONMENTS)
        .file("config/seed.sql", "CREATE DATABASE TEST_DB;\n")
        .file("resources/all.yaml", RESOURCES)
}

#[test]
fn a_task_killed_before_its_resume_is_recorded_suspended_and_drift_blames_no_one() {
    let project = project();
    let mut child = project.slow_apply(DEV, 800, 1);
    let log = read_until(&mut child, &["ok", "create", "task.CHILD"]);
    child.kill().expect("the apply can be killed");
    child.wait().expect("the apply ends");
    let log = log.join().expect("the log is read").join("\n");
    assert!(!log.contains("resume"), "{log}");
    project
        .on_branch(DEV, &["state", "show", "task.CHILD"])
        .code(0)
        .stdout_has("\"enabled\": false");
    // State says what the account holds: nothing changed outside floe.
    project.on_branch(DEV, &["drift"]).code(0);
    // The next plan resumes the tasks, as an ordinary change, and says how
    // to remove the lock the killed run left.
    project
        .on_branch(DEV, &["plan"])
        .code(0)
        .stderr_has("warning: ")
        .stderr_has("state/DEV.lock")
        .stderr_has("`floe state unlock --env DEV`")
        .stderr_has("task.ROOT was left suspended")
        .stdout_lacks("outside floe");
    project.on_branch(DEV, &["state", "unlock"]).code(0);
    project.on_branch(DEV, &["apply", "--auto-approve"]).code(0);
    project.assert_clean(DEV, "DEV");
}

#[test]
fn a_second_ctrl_c_says_what_it_leaves_and_the_next_plan_points_at_it() {
    let project = project().applied(DEV);
    project.edit("resources/all.yaml", "sql: SELECT 2", "sql: SELECT 3");
    let mut child = project.slow_apply(DEV, 1000, 1);
    let log = read_until(&mut child, &["ok", "suspend", "task.ROOT"]);
    signal(&child, "-INT");
    std::thread::sleep(std::time::Duration::from_millis(200));
    signal(&child, "-INT");
    let status = child.wait().expect("the apply ends");
    let log = log.join().expect("the log is read").join("\n");
    assert_eq!(status.code(), Some(130), "{log}");
    assert!(log.contains("Quit at once. Left behind:"), "{log}");
    assert!(log.contains("state/DEV.lock"), "{log}");
    assert!(log.contains("floe state unlock --env DEV"), "{log}");
    assert!(log.contains("task.ROOT, suspended by this apply"), "{log}");
    assert!(project.path().join("state/DEV.lock").exists());
    project
        .on_branch(DEV, &["plan"])
        .code(0)
        .stderr_has("`floe state unlock --env DEV`")
        .stderr_has("task.ROOT was left suspended")
        .stdout_lacks("outside floe");
    project.on_branch(DEV, &["state", "unlock"]).code(0);
    project.on_branch(DEV, &["apply", "--auto-approve"]).code(0);
    project.assert_clean(DEV, "DEV");
    project
        .on_branch(
            DEV,
            &[
                "local",
                "exec",
                "SHOW TASKS LIKE 'ROOT' IN DATABASE TEST_DB",
            ],
        )
        .code(0)
        .stdout_has("started");
}

#[test]
fn the_summary_numbers_steps_as_the_progress_lines_do() {
    let project = project().file(
        "resources/fs.yaml",
        "kind: Schema\nname: FS\nfeature_store: true\n---\n\
         kind: Entity\nname: PUDO\nschema: FS\njoin_keys: [PUDO_ID]\n---\n\
         kind: FeatureView\nname: DAILY\nversion: V1\nschema: FS\nentities: [PUDO]\n\
         refresh_freq: 1 hour\nwarehouse: ML_WH\n\
         query: SELECT PUDO_ID FROM TEST_DB.RAW.MISSING\n---\n\
         kind: Task\nname: USES_FV\nschema: OPS\nwarehouse: ML_WH\nschedule: 1 hour\n\
         sql: SELECT * FROM TEST_DB.FS.DAILY$V1\n",
    );
    let out = project.on_branch(DEV, &["apply", "--auto-approve"]);
    out.code(1).stdout_has("Apply failed");
    let mut checked = 0;
    for line in out.stdout.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        let (id, address) = match words.as_slice() {
            ["failed", "step", id, address, ..] | ["skipped", "step", id, address, ..] => {
                (*id, address.trim_end_matches(':'))
            }
            _ => continue,
        };
        // The same step, by the same number, in the progress lines.
        let step = format!(" step {id} ");
        assert!(
            out.stderr.lines().any(|l| l.contains(&step)
                && l.split_whitespace()
                    .any(|w| w.trim_end_matches(':') == address)),
            "no progress line for `{line}`\n{}",
            out.stderr
        );
        checked += 1;
    }
    assert!(checked >= 2, "{}", out.stdout);
}

#[test]
fn temp_files_of_killed_runs_are_removed_and_live_ones_kept() {
    let project = project().applied(DEV);
    // A pid above the kernel's limit (2^22) is never a running process.
    // State is per environment; the local account is the project's.
    for (dir, own) in [("state", "DEV"), (".floe/local", "account")] {
        let path = |name: &str| project.path().join(dir).join(name);
        for name in [
            format!(".{own}.json.4194305.tmp"),
            format!(".{own}.json.{}.tmp", std::process::id()),
            ".PROD.json.4194305.tmp".to_string(),
        ] {
            std::fs::write(path(&name), "partial").unwrap();
        }
    }
    project.on_branch(DEV, &["apply", "--auto-approve"]).code(0);
    for (dir, own) in [("state", "DEV"), (".floe/local", "account")] {
        let path = |name: &str| project.path().join(dir).join(name);
        let dead = format!(".{own}.json.4194305.tmp");
        let alive = format!(".{own}.json.{}.tmp", std::process::id());
        assert!(!path(&dead).exists(), "{dir}/{dead} is left");
        assert!(path(&alive).exists(), "{dir}/{alive} was removed");
        assert!(path(".PROD.json.4194305.tmp").exists());
    }
}

#[test]
fn a_damaged_journal_record_is_an_error_that_loses_nothing() {
    let project = project().applied(DEV);
    let path = project.path().join(".floe/local/account.journal");
    let journal = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = journal.lines().collect();
    assert!(lines.len() >= 6, "{journal}");
    let damaged_line = 4;
    let mut damaged: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    damaged[damaged_line - 1] = damaged[damaged_line - 1].replacen("\"op\"", "\"oq\"", 1);
    assert_ne!(damaged[damaged_line - 1], lines[damaged_line - 1]);
    let damaged = damaged.join("\n") + "\n";
    std::fs::write(&path, &damaged).unwrap();
    for command in [&["plan"][..], &["apply", "--auto-approve"], &["drift"]] {
        project
            .on_branch(DEV, command)
            .code(1)
            .stderr_has(".floe/local/account.journal is damaged at line 4")
            .stderr_lacks("panicked");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), damaged);
    }
    std::fs::write(&path, &journal).unwrap();
    project.assert_clean(DEV, "DEV");
}

#[test]
fn a_torn_journal_tail_is_recovered() {
    let project = project().applied(DEV);
    let path = project.path().join(".floe/local/account.journal");
    let mut journal = std::fs::read_to_string(&path).unwrap();
    journal.push_str("[{\"op\":\"drop_sch");
    std::fs::write(&path, &journal).unwrap();
    project.assert_clean(DEV, "DEV");
}

#[test]
fn a_lost_local_account_beside_recorded_state_is_warned_about() {
    let project = project().applied(DEV);
    let local = project.path().join(".floe/local");
    std::fs::remove_file(local.join("account.journal")).unwrap();
    project
        .on_branch(DEV, &["plan"])
        .code(0)
        .stderr_has("warning: the journal")
        .stderr_has("account.journal of the local account was missing")
        .stderr_has("records 4 objects");
    std::fs::remove_file(local.join("account.json")).unwrap();
    std::fs::remove_file(local.join("account.journal")).unwrap();
    project
        .on_branch(DEV, &["plan"])
        .code(0)
        .stderr_has("warning: the local account")
        .stderr_has("did not exist, so a new one was created from the seed files")
        .stderr_has("records 4 objects")
        .stdout_has("deleted outside floe");
    // Nothing recorded, nothing to warn about.
    let fresh = self::project();
    fresh
        .on_branch(DEV, &["plan"])
        .code(0)
        .stderr_lacks("warning:");
}

#[test]
fn a_killed_apply_is_read_back_from_its_journal_and_a_complete_one_leaves_none() {
    let project = Project::example();
    let mut child = project.slow_apply(DEV, 60, 2);
    // A step's `ok` line is printed once its record is on disk.
    let mut log = BufReader::new(child.stderr.take().expect("stderr is piped")).lines();
    let mut finished = Vec::new();
    while finished.len() < 5 {
        let line = log
            .next()
            .expect("the apply logs until killed")
            .expect("the log is text");
        if line.contains("] ok ") {
            finished.push(line);
        }
    }
    child.kill().expect("the apply can be killed");
    child.wait().expect("the apply ends");
    finished.extend(
        log.map_while(Result::ok)
            .filter(|line| line.contains("] ok ")),
    );

    let journal = project.path().join("state/DEV.journal");
    assert!(journal.exists(), "the killed run left no journal");
    let listed = project.on_branch(DEV, &["state", "list"]);
    listed.code(0);
    for line in &finished {
        let address = line.split_whitespace().last().expect("an address");
        assert!(
            listed.stdout.lines().any(|l| l.trim() == address),
            "{address} finished but is not listed:\n{}",
            listed.stdout
        );
    }
    project
        .on_branch(DEV, &["plan"])
        .code(0)
        .stdout_has("to create");
    project.on_branch(DEV, &["state", "unlock"]).code(0);
    project.on_branch(DEV, &["apply", "--auto-approve"]).code(0);
    project.assert_clean(DEV, "DEV");
    assert!(!journal.exists(), "a complete apply leaves its journal");
    // The snapshot alone holds everything `floe state list` shows.
    let snapshot: serde_json::Value =
        serde_json::from_str(&project.read("state/DEV.json")).expect("the snapshot is JSON");
    let listed = project.on_branch(DEV, &["state", "list"]);
    assert_eq!(
        snapshot["resources"].as_object().map(serde_json::Map::len),
        Some(listed.stdout.lines().count())
    );
}
