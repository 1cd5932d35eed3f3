//! `floe env` and `floe env list`: which environment a branch selects, why,
//! and where the branch came from.

mod common;

use common::{ENVIRONMENTS, Project};

const SHA: &str = "0123456789abcdef0123456789abcdef01234567";

fn project() -> Project {
    Project::with_environments(ENVIRONMENTS)
}

#[test]
fn a_branch_flag_selects_by_pattern_and_says_why() {
    project()
        .run(&["env", "--branch", "feature/login"])
        .code(0)
        .stdout_has("environment: DEV")
        .stdout_has("branch:      feature/login (from --branch)")
        .stdout_has("matched:     branch `feature/login` matches `feature/*` in DEV.branches (config/environments.yaml:5:21)")
        .stdout_has("database:    TEST_DB");
}

#[test]
fn the_branch_flag_beats_floe_branch_which_beats_ci_variables() {
    let p = project();
    p.run_with_env(&["env", "--branch", "main"], &[("FLOE_BRANCH", "dev")])
        .code(0)
        .stdout_has("environment: PROD");
    p.run_with_env(
        &["env"],
        &[("FLOE_BRANCH", "dev"), ("GITHUB_REF_NAME", "main")],
    )
    .code(0)
    .stdout_has("environment: DEV")
    .stdout_has("(from FLOE_BRANCH)");
    p.run_with_env(
        &["env"],
        &[
            ("GITHUB_HEAD_REF", "feature/pr"),
            ("GITHUB_REF_NAME", "main"),
        ],
    )
    .code(0)
    .stdout_has("(from the CI variable GITHUB_HEAD_REF)");
}

#[test]
fn the_checkout_branch_is_read_from_git_head() {
    project()
        .git("ref: refs/heads/main", &[("refs/heads/main", SHA)])
        .run(&["env"])
        .code(0)
        .stdout_has("environment: PROD")
        .stdout_has("(from the checkout (.git/HEAD))")
        .stdout_has(&format!("commit:      {SHA}"))
        .stdout_has("protected:   yes");
}

#[test]
fn a_checkout_exactly_at_a_matching_tag_selects_by_tag() {
    project()
        .git(SHA, &[("refs/tags/v1.2.0", SHA)])
        .run(&["env"])
        .code(0)
        .stdout_has("environment: PROD")
        .stdout_has("tag:         v1.2.0")
        .stdout_has("matches `v*` in PROD.tags");
}

#[test]
fn a_detached_head_without_a_branch_says_how_to_pass_one() {
    project()
        .git(SHA, &[])
        .run(&["env"])
        .code(1)
        .stderr_has("error: cannot tell which branch this is: HEAD is detached at 0123456789ab")
        .stderr_has("hint: pass it with --branch NAME or FLOE_BRANCH=NAME");
}

#[test]
fn a_branch_matching_no_environment_lists_every_pattern() {
    project()
        .run(&["env", "--branch", "hotfix/x"])
        .code(1)
        .stderr_has("error: the branch `hotfix/x` (from --branch) matches no environment")
        .stderr_has("--> config/environments.yaml:3:1")
        .stderr_has("caused by: DEV: branches `dev`, `feature/*`")
        .stderr_has("caused by: PROD: branches `main`, tags `v*`")
        .stderr_has("hint: add a matching pattern");
}

#[test]
fn env_list_shows_every_environment() {
    let out = project().run(&["env", "list"]);
    out.code(0);
    assert_eq!(
        out.stdout,
        "DEV   branches: dev, feature/*  database: TEST_DB\nPROD  branches: main  tags: v*  database: TEST_DB  protected\n"
    );
}

#[test]
fn a_broken_environments_file_is_located() {
    Project::with_environments("environments:\n  DEV:\n    branches: [dev]\n    databse: X\n")
        .run(&["env", "list"])
        .code(1)
        .stderr_has("error: unknown field `databse`")
        .stderr_has("--> config/environments.yaml:4:5")
        .stderr_has("hint: did you mean `database`?");
}
