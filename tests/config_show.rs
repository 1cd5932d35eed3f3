//! `floe config show`: merged overlays with the file that set each value.

mod common;

use common::{ENVIRONMENTS, Project};

fn project() -> Project {
    Project::with_environments(ENVIRONMENTS)
        .file(
            "config/training/base.yaml",
            "train_days: 90\nn_estimators: 500\nlearning_rate: 0.05\nschema: ML_${env.name}\n",
        )
        .file(
            "config/training/prod.override.yaml",
            "train_days: 365\nn_estimators: 1000\n",
        )
}

#[test]
fn each_leaf_shows_the_file_that_set_it() {
    let out = project().run(&["config", "show", "--env", "PROD"]);
    out.code(0);
    assert_eq!(
        out.stdout,
        "# configuration for PROD\n\
         config.training.train_days: 365       # config/training/prod.override.yaml\n\
         config.training.n_estimators: 1000    # config/training/prod.override.yaml\n\
         config.training.learning_rate: 0.05   # config/training/base.yaml\n\
         config.training.schema: ML_PROD       # config/training/base.yaml\n"
    );
}

#[test]
fn without_an_override_the_base_values_stand() {
    project()
        .run(&["config", "show", "--branch", "feature/x"])
        .code(0)
        .stdout_has("config.training.train_days: 90 ")
        .stdout_has("config.training.schema: ML_DEV");
}

#[test]
fn an_overlay_for_an_unknown_environment_is_an_error() {
    project()
        .file("config/training/qa.override.yaml", "train_days: 1\n")
        .run(&["config", "show", "--env", "DEV"])
        .code(1)
        .stderr_has("`qa.override.yaml` is an overlay for `qa`, which is not an environment")
        .stderr_has("--> config/training/qa.override.yaml:1:1")
        .stderr_has("hint: name overlays after a declared environment");
}

#[test]
fn configuration_cannot_reference_other_configuration() {
    project()
        .file(
            "config/other/base.yaml",
            "days: ${config.training.train_days}\n",
        )
        .run(&["config", "show", "--env", "DEV"])
        .code(1)
        .stderr_has("error: unknown reference `${config.training.train_days}`")
        .stderr_has("--> config/other/base.yaml:1:7")
        .stderr_has("hint: configuration values may use ${env.*} and ${git.*}");
}
