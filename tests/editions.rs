//! The example project applied to local accounts of both Snowflake editions
//! (`local: {edition: ...}` in environments.yaml): DEV and STAGING plan,
//! apply and plan clean on Standard and Enterprise; PROD declares
//! Enterprise-only warehouse features, which a Standard account refuses.

mod common;

use common::Project;

const SHA: &str = "0123456789abcdef0123456789abcdef01234567";

/// The example with its local account set to `edition`.
fn example_on(edition: &str) -> Project {
    let project = Project::example();
    project.edit(
        "config/environments.yaml",
        "edition: enterprise",
        &format!("edition: {edition}"),
    );
    project
}

#[test]
fn dev_and_staging_apply_and_plan_clean_on_both_editions() {
    for edition in ["standard", "enterprise"] {
        let project = example_on(edition);
        for (branch, env) in [("feature/try", "DEV"), ("staging", "STAGING")] {
            project
                .on_branch(branch, &["apply", "--auto-approve"])
                .code(0)
                .no_panic()
                .stdout_has("Apply complete")
                .stdout_has("0 failed, 0 skipped");
            project.assert_clean(branch, env);
        }
        let show = project.on_branch(
            "feature/try",
            &[
                "local",
                "exec",
                "SHOW WAREHOUSES LIKE 'PUDO_INFERENCE_WH_DEV'",
            ],
        );
        show.code(0).stdout_has("PUDO_INFERENCE_WH_DEV");
        assert_eq!(
            show.stdout.contains("enable_query_acceleration"),
            edition == "enterprise",
            "{edition}: {}",
            show.stdout
        );
    }
}

/// `floe apply` of PROD (a real `main` checkout) must fail on `warehouse`
/// with the Standard edition's refusal of `property`.
fn assert_prod_refused(project: &Project, warehouse: &str, property: &str) {
    // Only that warehouse: apply starts nothing new after a first failure, so
    // in a whole-project apply another failing step could come first.
    let target = format!("warehouse.{warehouse}");
    let out = project.run(&["apply", "--auto-approve", "--target", &target]);
    out.no_panic();
    assert_ne!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    let text = format!("{}\n{}", out.stdout, out.stderr);
    assert!(
        text.contains("failed  step")
            && text.contains(&format!("Warehouse '{warehouse}' cannot set {property}"))
            && text.contains(
                "need Enterprise Edition (or higher), and this is a Standard Edition account"
            ),
        "{warehouse} refused for {property}:\n{text}"
    );
}

#[test]
fn a_standard_account_refuses_prods_multi_cluster_and_accelerated_warehouses() {
    let project = example_on("standard").git("ref: refs/heads/main", &[("refs/heads/main", SHA)]);
    assert_prod_refused(
        &project,
        "PUDO_FEATURE_WH_PROD",
        "ENABLE_QUERY_ACCELERATION",
    );
    project.edit(
        "config/warehouses/prod.override.yaml",
        "enable_query_acceleration: true",
        "enable_query_acceleration: false",
    );
    assert_prod_refused(&project, "PUDO_INFERENCE_WH_PROD", "MAX_CLUSTER_COUNT");
}

#[test]
fn an_unknown_edition_is_refused_where_written() {
    example_on("business-critical")
        .run(&["validate"])
        .code(1)
        .no_panic()
        .stderr_has(
            "error: `business-critical` is not a Snowflake edition the local account emulates",
        )
        .stderr_has("--> config/environments.yaml:")
        .stderr_has("hint: write `edition: standard` or `edition: enterprise`");
}
