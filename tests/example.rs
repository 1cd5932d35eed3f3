//! The example project at the repository root, checked the way a newcomer
//! explores it on a fresh clone.

mod common;

use common::Project;

/// What `floe <args>` prints on a fresh copy of the example, which must
/// succeed.
fn stdout_of(args: &[&str]) -> String {
    let out = Project::example().run(args);
    out.code(0);
    out.stdout
}

#[test]
fn the_example_validates_for_every_environment() {
    let text = stdout_of(&["validate"]);
    for env in ["DEV", "STAGING", "PROD"] {
        let line = text
            .lines()
            .find(|l| l.starts_with(env))
            .unwrap_or_else(|| panic!("no line for {env} in:\n{text}"));
        assert!(line.contains(" ok "), "{line}");
        assert!(
            line.contains("feature views") && line.contains("tasks"),
            "{line}"
        );
    }
}

#[test]
fn a_release_branch_selects_staging_and_says_why() {
    let text = stdout_of(&["env", "--branch", "release/2026.12"]);
    assert!(text.contains("environment: STAGING"), "{text}");
    assert!(
        text.contains("`release/*`"),
        "names the matching pattern:\n{text}"
    );
}

#[test]
fn prod_training_size_comes_from_the_prod_overlay() {
    let text = stdout_of(&["config", "show", "--env", "PROD"]);
    let line = text
        .lines()
        .find(|l| l.starts_with("config.training.n_estimators:"))
        .unwrap_or_else(|| panic!("no n_estimators in:\n{text}"));
    assert!(line.contains("1000"), "{line}");
    assert!(
        line.contains("config/training/prod.override.yaml"),
        "{line}"
    );
}

#[test]
fn the_dot_graph_shows_the_example_dependencies() {
    let text = stdout_of(&["graph", "--env", "DEV", "--format", "dot"]);
    assert!(text.starts_with("digraph"), "{text}");
    // A feature view on its warehouse, and a task after its predecessor.
    assert!(
        text.lines().any(|l| l.contains("feature_view.")
            && l.contains("->")
            && l.contains("warehouse.PUDO_FEATURE_WH_DEV")),
        "no feature view → warehouse edge:\n{text}"
    );
    assert!(
        text.lines().any(|l| l.contains("task.PREDICT_CAPACITY")
            && l.contains("->")
            && l.contains("task.BUILD_INFERENCE_FEATURES")),
        "no task → predecessor edge:\n{text}"
    );
}
