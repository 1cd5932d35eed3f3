//! `floe graph`: the dependency graph as text, dot and mermaid.

mod common;

use common::{ENVIRONMENTS, Project};

const RESOURCES: &str = "\
kind: Schema
name: FS
feature_store: true
---
kind: Entity
name: pudo
schema: FS
join_keys: [pudo_id]
---
kind: FeatureView
name: daily
version: V1
schema: FS
entities: [PUDO]
query: SELECT * FROM raw.parcels
---
kind: FeatureView
name: weekly
version: V1
schema: FS
entities: [PUDO]
query: |
  SELECT * FROM fs.daily$V1   -- not monthly$V1
  WHERE note <> 'monthly$V1'
---
kind: FeatureView
name: monthly
version: V1
schema: FS
entities: [PUDO]
query: SELECT 1 AS x
";

fn project() -> Project {
    Project::with_environments(ENVIRONMENTS).file("resources/fs.yaml", RESOURCES)
}

#[test]
fn text_lists_resources_in_dependency_order_with_reasons() {
    let out = project().run(&["graph", "--env", "DEV"]);
    out.code(0)
        .stdout_has("feature_view.WEEKLY$V1\n  depends on schema.FS (schema)\n  depends on entity.PUDO (entities)\n  depends on feature_view.DAILY$V1 (named in its SQL)\n");
    let daily = out
        .stdout
        .find("feature_view.DAILY$V1\n")
        .expect("daily is listed");
    let weekly = out
        .stdout
        .find("feature_view.WEEKLY$V1\n")
        .expect("weekly is listed");
    assert!(daily < weekly, "{}", out.stdout);
    assert!(
        !out.stdout.contains("depends on feature_view.MONTHLY$V1"),
        "names in comments and strings are not references:\n{}",
        out.stdout
    );
}

#[test]
fn dot_and_mermaid_draw_the_same_edges() {
    project()
        .run(&["graph", "--env", "DEV", "--format", "dot"])
        .code(0)
        .stdout_has("digraph floe {")
        .stdout_has(
            "\"feature_view.WEEKLY$V1\" -> \"feature_view.DAILY$V1\" [label=\"named in its SQL\"];",
        );
    let out = project().run(&["graph", "--env", "DEV", "--format", "mermaid"]);
    out.code(0)
        .stdout_has("flowchart LR\n")
        .stdout_has("n1[\"entity.PUDO\"]")
        .stdout_has("-->|entities| n1");
}

#[test]
fn graph_follows_the_branch() {
    project()
        .run(&["graph", "--branch", "main"])
        .code(0)
        .stdout_has("# PROD in dependency order");
}
