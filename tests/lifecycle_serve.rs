//! The example's lifecycle over Snowflake's HTTP protocol: floe reaches
//! `floe local serve` through a named connection in connections.toml, with
//! the snowflake-connector-rs driver, exactly as it reaches Snowflake.

mod common;

use common::serve::{serve, serve_slowly, write_connection};
use common::{Output, Project};

const PASSWORD: &str = "s3rved-secret";

fn served(project: &Project, args: &[&str]) -> Output {
    let all: Vec<&str> = args
        .iter()
        .copied()
        .chain(["--branch", "feature/try", "--connection", "served"])
        .collect();
    project.run(&all)
}

/// A text plan without its first line, which names the connection.
fn body(plan: &str) -> &str {
    plan.split_once("\n\n").map_or(plan, |(_, rest)| rest)
}

/// The branch that selects DEV.
const DEV: &str = "feature/try";

#[test]
fn plan_apply_drift_and_revert_through_a_served_account() {
    let project = Project::example();
    let (_server, port) = serve(&project, PASSWORD);
    write_connection(&project, port, PASSWORD);

    let over_wire = served(&project, &["plan"]);
    over_wire.code(0).stdout_has("Plan: 30 to create");
    let local = project.on_branch(DEV, &["plan"]);
    over_wire.stdout_has("compared with the account of connection served.");
    local.stdout_has("compared with the account of connection local.");
    assert_eq!(
        body(&over_wire.stdout),
        body(&local.stdout),
        "the two paths plan differently"
    );

    served(&project, &["apply", "--auto-approve"])
        .code(0)
        .stdout_has("Apply complete");
    served(&project, &["plan", "--detailed-exitcode"])
        .code(0)
        .stdout_has("No changes. DEV matches the declarations.");

    project
        .on_branch(
            DEV,
            &[
                "local",
                "exec",
                "ALTER WAREHOUSE PUDO_INFERENCE_WH_DEV SET MAX_CLUSTER_COUNT = 4",
            ],
        )
        .code(0);
    served(&project, &["drift"])
        .code(2)
        .stdout_has("warehouse.PUDO_INFERENCE_WH_DEV");
    let over_wire = served(&project, &["plan"]);
    over_wire.code(0).stdout_has("(1 drift)");
    let local = project.on_branch(DEV, &["plan"]);
    assert_eq!(body(&over_wire.stdout), body(&local.stdout));
    served(&project, &["apply", "--auto-approve"]).code(0);
    served(&project, &["drift"]).code(0);
    let saved = served(&project, &["plan", "-v", "--out", "wire.plan"]);
    saved.code(0);
    assert!(!saved.stdout.contains(PASSWORD) && !saved.stderr.contains(PASSWORD));
    for file in ["state/DEV.json", "state/DEV.json.backup", "wire.plan"] {
        assert!(
            !project.read(file).contains(PASSWORD),
            "{file} holds the password"
        );
    }
}

#[test]
fn a_wrong_password_or_unknown_connection_is_named() {
    let project = Project::example();
    let (_server, port) = serve(&project, PASSWORD);
    write_connection(&project, port, "not-the-password");
    served(&project, &["plan"])
        .code(1)
        .stderr_has("served")
        .stderr_lacks("not-the-password");
    project
        .run(&["plan", "--branch", "feature/try", "--connection", "nowhere"])
        .code(1)
        .stderr_has("nowhere");
}

#[test]
fn a_server_gone_mid_apply_stops_cleanly_and_the_rerun_converges() {
    let project = Project::example();
    let (mut server, port) = serve_slowly(&project, PASSWORD, 60);
    write_connection(&project, port, PASSWORD);
    let home = project.path().join(".home");
    let mut apply = std::process::Command::new(env!("CARGO_BIN_EXE_floe"))
        .arg("-C")
        .arg(project.path())
        .args(["apply", "--auto-approve", "--parallelism", "2"])
        .args(["--branch", "feature/try", "--connection", "served"])
        .env("HOME", &home)
        .env("SNOWFLAKE_HOME", home.join(".snowflake"))
        .env_remove("FLOE_CONNECTION")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    project.wait_for_recorded("DEV", 5, &mut apply);
    server.kill();
    let out = apply.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("Apply failed"), "{stdout}");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));

    let listed = project.on_branch(DEV, &["state", "list"]);
    listed.code(0);
    let recorded = listed.stdout.lines().count();
    assert!((5..30).contains(&recorded), "{}", listed.stdout);
    assert!(
        !project.path().join("state/DEV.lock").exists(),
        "the lock was left behind"
    );

    let (_server, port) = serve(&project, PASSWORD);
    write_connection(&project, port, PASSWORD);
    served(&project, &["apply", "--auto-approve"]).code(0);
    served(&project, &["plan", "--detailed-exitcode"]).code(0);
}
