//! `floe schema`: the JSON Schema an editor validates resource files with,
//! judged by Python's `jsonschema` against the example project's own files.

mod common;

use common::Project;
use common::python::{interpreter, run_script};

/// `floe schema` run on a copy of the example project, its output checked
/// to be JSON.
fn printed_schema(project: &Project) -> serde_json::Value {
    let out = project.run(&["schema"]);
    assert_eq!(out.code, 0, "floe schema failed: {}", out.stderr);
    serde_json::from_str(&out.stdout).expect("floe schema prints JSON")
}

#[test]
fn schema_describes_every_kind_in_draft_07() {
    let schema = printed_schema(&Project::example());
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    for kind in [
        "Schema",
        "Warehouse",
        "Entity",
        "FeatureView",
        "Model",
        "Task",
    ] {
        let definition = &schema["definitions"][kind];
        assert_eq!(
            definition["properties"]["kind"]["const"], kind,
            "{kind} has no definition"
        );
        assert_eq!(definition["additionalProperties"], false, "{kind}");
    }
    let size = &schema["definitions"]["Warehouse"]["properties"]["size"];
    assert_eq!(size["default"], "XSMALL");
    assert!(size["description"].as_str().is_some_and(|d| !d.is_empty()));
}

#[test]
fn example_resource_files_are_valid_and_mistakes_are_not() {
    let Some(python) = interpreter("schema") else {
        return;
    };
    let project = Project::example();
    let schema = printed_schema(&project);
    let path = project.path().join("schema.json");
    std::fs::write(&path, schema.to_string()).expect("the schema is written");
    let resources = project.path().join("resources");
    run_script(
        python,
        "schema.py",
        &[
            path.to_str().expect("a UTF-8 path"),
            resources.to_str().expect("a UTF-8 path"),
        ],
        "",
        "schema ok",
    );
}
