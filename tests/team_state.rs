//! Two checkouts of the example, two people, one served account keeping the
//! state (`state: {backend: snowflake}`): while one applies, the other is
//! refused naming them; when the first apply is killed mid-way, the other
//! removes its lock and converges, and both see the same, empty plan.
//! Nothing is written under `state/` in either checkout.

mod common;

use std::process::{Child, Command, Stdio};

use common::Project;
use common::local::exec;
use common::project::read_until;
use common::serve::{serve_slowly, write_connection};

const PASSWORD: &str = "te4m-secret";

/// The served account's delay before each statement: an apply of the
/// example, one step at a time, then takes several seconds.
const LATENCY_MS: u64 = 150;

/// A checkout of the example on git branch `branch` (which selects DEV),
/// committed, keeping its state in the account.
fn checkout(branch: &str) -> Project {
    let project = Project::example_in_tables();
    project.run_git(&["init", "--quiet", "--initial-branch", branch]);
    project.run_git(&["add", "config", "resources"]);
    project.run_git(&["commit", "--quiet", "-m", "The PUDO platform"]);
    project
}

/// The commit the checkout's HEAD points at.
fn head_commit(project: &Project) -> String {
    let out = Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(project.path())
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git rev-parse failed");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// `floe <args> --connection served`: against the served account.
fn served(project: &Project, args: &[&str]) -> common::Output {
    let all: Vec<&str> = args
        .iter()
        .copied()
        .chain(["--connection", "served"])
        .collect();
    project.run(&all)
}

/// Starts the checkout's apply, one step at a time, its log piped.
fn start_apply(project: &Project) -> Child {
    project
        .command(
            &[
                "apply",
                "--auto-approve",
                "--parallelism",
                "1",
                "--connection",
                "served",
            ],
            &[],
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("floe starts")
}

#[test]
fn a_killed_apply_is_taken_over_by_a_second_checkout_that_converges() {
    let alice = checkout("dev");
    let bob = checkout("feature/teammate");
    let (_server, port) = serve_slowly(&alice, PASSWORD, LATENCY_MS);
    for person in [&alice, &bob] {
        write_connection(person, port, PASSWORD);
    }

    // Alice applies; her third step's `ok` is logged once it is recorded,
    // so she holds the lock and the tables hold part of her work.
    let mut apply = start_apply(&alice);
    let pid = apply.id();
    let log = read_until(&mut apply, &["[3/", "] ok "]);

    let commit = head_commit(&alice);
    let holder = format!("(pid {pid}, floe apply on dev at {}", &commit[..12]);
    served(&bob, &["apply", "--auto-approve"])
        .code(1)
        .stderr_has("locked by ")
        .stderr_has(&holder)
        .stderr_lacks("stale")
        .stderr_has("floe state unlock");
    assert!(
        apply.try_wait().expect("the apply can be polled").is_none(),
        "Alice's apply finished before Bob's was refused: raise LATENCY_MS"
    );

    apply.kill().expect("the apply can be killed");
    apply.wait().expect("the apply ends");
    let log = log.join().expect("the log is read").join("\n");
    assert!(!log.contains("Apply complete"), "{log}");

    // Her lock outlives her: its lease has not run out.
    served(&bob, &["apply", "--auto-approve"])
        .code(1)
        .stderr_has(&holder)
        .stderr_lacks("stale");
    served(&bob, &["state", "unlock"])
        .code(0)
        .stdout_has(&format!("(pid {pid}, `floe apply`"));
    served(&bob, &["apply", "--auto-approve"])
        .code(0)
        .stdout_has("Apply complete")
        .stdout_has(" 0 failed");

    for person in [&bob, &alice] {
        served(person, &["plan", "--detailed-exitcode"])
            .code(0)
            .stdout_has("No changes. DEV matches the declarations.");
        served(person, &["drift"]).code(0);
        assert!(
            !person.path().join("state").exists(),
            "no state/ folder is written when state is kept in the account"
        );
    }
    let locked = exec(
        &alice,
        "SELECT COUNT(*) AS HELD FROM OSS_SF_MLOPS.FLOE.FLOE_STATE_LOCK WHERE ENVIRONMENT = 'DEV' AND LOCK_ID IS NOT NULL",
    );
    assert_eq!(locked.lines().last().map(str::trim), Some("0"), "{locked}");
}
