//! `floe validate` on temporary projects: valid ones, and one scenario per
//! kind of mistake, each located and with a hint.

mod common;

use common::{ENVIRONMENTS, Project};

const VALID: &str = "\
kind: Schema
name: FS
feature_store: true
---
kind: Warehouse
name: ml_wh
size: X-Small
---
kind: Entity
name: pudo
schema: FS
join_keys: [pudo_id]
---
kind: FeatureView
name: pudo_daily
version: V1
schema: FS
entities: [PUDO]
refresh_freq: 1 day
warehouse: ML_WH
query: SELECT pudo_id, count(*) AS n FROM raw.parcels GROUP BY 1
---
kind: Task
name: refresh_root
schema: FS
warehouse: ML_WH
schedule: 0 6 * * * UTC
sql: SELECT 1
";

fn project() -> Project {
    Project::with_environments(ENVIRONMENTS).file("resources/base.yaml", VALID)
}

#[test]
fn a_valid_project_prints_one_ok_line_per_environment() {
    let out = project().run(&["validate"]);
    out.code(0).no_panic();
    out.stdout_has(
        "DEV   ok  5 resources (1 schema, 1 warehouse, 1 entity, 1 feature view, 1 task)",
    );
    out.stdout_has("PROD  ok  5 resources");
}

#[test]
fn validate_one_environment_by_name_or_branch() {
    let out = project().run(&["validate", "--env", "prod"]);
    out.code(0);
    assert!(!out.stdout.contains("DEV"), "{}", out.stdout);
    project()
        .run(&["validate", "--branch", "feature/x"])
        .code(0)
        .stdout_has("DEV   ok");
}

#[test]
fn an_unknown_environment_is_refused_with_a_suggestion() {
    project()
        .run(&["validate", "--env", "PRD"])
        .code(1)
        .stderr_has("`PRD` is not an environment")
        .stderr_has("config/environments.yaml:3:1")
        .stderr_has("did you mean `PROD`?");
}

#[test]
fn an_unknown_field_is_located_with_a_suggestion() {
    project()
        .file(
            "resources/wh.yaml",
            "kind: Warehouse\nname: other_wh\nsise: SMALL\n",
        )
        .run(&["validate"])
        .code(1)
        .stderr_has("error: unknown field `sise`")
        .stderr_has("--> resources/wh.yaml:3:1")
        .stderr_has("hint: did you mean `size`?");
}

#[test]
fn a_yaml_syntax_error_is_located() {
    project()
        .file(
            "resources/bad.yaml",
            "kind: Warehouse\nname: [unclosed\nsize: SMALL\n",
        )
        .run(&["validate"])
        .code(1)
        .no_panic()
        .stderr_has("error: invalid YAML")
        .stderr_has("--> resources/bad.yaml:")
        .stderr_has("hint: fix the YAML syntax");
}

#[test]
fn an_unknown_kind_is_located_with_a_suggestion() {
    project()
        .file("resources/wh.yaml", "kind: Warehose\nname: other_wh\n")
        .run(&["validate"])
        .code(1)
        .stderr_has("error: unknown kind `Warehose`")
        .stderr_has("--> resources/wh.yaml:1:7")
        .stderr_has("hint: did you mean `Warehouse`?");
}

#[test]
fn a_bad_enum_value_lists_the_allowed_values() {
    project()
        .file(
            "resources/wh.yaml",
            "kind: Warehouse\nname: other_wh\nsize: HUGE\n",
        )
        .run(&["validate"])
        .code(1)
        .stderr_has("error: `HUGE` is not a valid warehouse size")
        .stderr_has("--> resources/wh.yaml:3:7")
        .stderr_has("allowed: XSMALL, SMALL, MEDIUM");
}

#[test]
fn a_reference_to_an_undeclared_object_suggests_the_declared_ones() {
    let fv = "kind: FeatureView\nname: other\nversion: V1\nschema: FS\nentities: [PUDO]\nrefresh_freq: 1 hour\nwarehouse: ML_WHH\nquery: SELECT 1\n";
    project()
        .file("resources/fv.yaml", fv)
        .run(&["validate"])
        .code(1)
        .stderr_has("error: `warehouse` names the warehouse `ML_WHH`, which is not declared")
        .stderr_has("--> resources/fv.yaml:7:12")
        .stderr_has("hint: did you mean `ML_WH`?");
}

#[test]
fn an_unknown_interpolation_key_lists_the_keys_that_exist() {
    project()
        .file(
            "config/training/base.yaml",
            "train_days: 90\nn_estimators: 500\n",
        )
        .file(
            "resources/wh.yaml",
            "kind: Warehouse\nname: other_wh\ncomment: \"days ${config.training.train_dayz}\"\n",
        )
        .run(&["validate"])
        .code(1)
        .stderr_has("error: unknown reference `${config.training.train_dayz}`")
        .stderr_has("--> resources/wh.yaml:3:16")
        .stderr_has("hint: did you mean `train_days`?")
        .stderr_has("hint: keys at `config.training`: train_days, n_estimators");
}

#[test]
fn a_problem_in_one_environment_only_names_it() {
    project()
        .file("config/training/base.yaml", "a: 1\n")
        .file("config/training/prod.override.yaml", "a: ${env.nope}\n")
        .run(&["validate"])
        .code(1)
        .stdout_has("DEV   ok")
        .stderr_has("--> config/training/prod.override.yaml:1:4")
        .stderr_has("caused by: in environment PROD");
}

#[test]
fn a_dependency_cycle_is_printed_as_a_path() {
    let tasks = "kind: Task\nname: a\nschema: FS\nafter: [b]\nsql: SELECT 1\n---\nkind: Task\nname: b\nschema: FS\nafter: [a]\nsql: SELECT 1\n";
    project()
        .file("resources/tasks.yaml", tasks)
        .run(&["validate", "--env", "DEV"])
        .code(1)
        .stderr_has("error: dependency cycle: task.A → task.B → task.A")
        .stderr_has("--> resources/tasks.yaml:1:1")
        .stderr_has("caused by: task.A depends on task.B (after)")
        .stderr_has("hint: break the cycle");
}

#[test]
fn a_duplicate_address_names_both_places() {
    project()
        .file("resources/z.yaml", "kind: Warehouse\nname: ML_WH\n")
        .run(&["validate"])
        .code(1)
        .stderr_has("error: `warehouse.ML_WH` is declared twice")
        .stderr_has("--> resources/z.yaml:2:7")
        .stderr_has("caused by: it is first declared at resources/base.yaml:5:1")
        .stderr_has("hint: rename one of them");
}

#[test]
fn a_missing_environments_file_says_where_to_run() {
    Project::new()
        .run(&["validate"])
        .code(1)
        .stderr_has("error: cannot read config/environments.yaml")
        .stderr_has("hint: run floe in a project folder");
}

#[test]
fn every_problem_is_reported_together() {
    project()
        .file(
            "resources/a.yaml",
            "kind: Warehouse\nname: w1\nsize: HUGE\n",
        )
        .file(
            "resources/b.yaml",
            "kind: Warehouse\nname: w2\ncolour: blue\n",
        )
        .run(&["validate"])
        .code(1)
        .stderr_has("resources/a.yaml:3:7")
        .stderr_has("resources/b.yaml:3:1")
        .stderr_has("error: 2 problems found");
}

#[test]
fn feature_views_need_a_feature_store_schema_and_valid_refresh() {
    let extra = "kind: Schema\nname: PLAIN\n---\nkind: FeatureView\nname: fv2\nversion: V1\nschema: PLAIN\nentities: [PUDO]\nrefresh_freq: 0 6 * * *\nwarehouse: ML_WH\nquery: SELECT 1\n";
    let out = project()
        .file("resources/fv.yaml", extra)
        .run(&["validate", "--env", "DEV"]);
    out.code(1)
        .stderr_has("invalid refresh_freq `0 6 * * *`")
        .stderr_has("has no time zone")
        .stderr_has("--> resources/fv.yaml:9:15");
    let fixed = extra.replace("0 6 * * *", "0 6 * * * UTC");
    project()
        .file("resources/fv.yaml", &fixed)
        .run(&["validate", "--env", "DEV"])
        .code(1)
        .stderr_has("the schema `PLAIN` is not a feature store")
        .stderr_has("hint: set `feature_store: true` on schema `PLAIN`");
}

#[test]
fn task_graph_rules_are_enforced() {
    let tasks = "kind: Task\nname: lonely\nschema: FS\nsql: SELECT 1\n---\nkind: Task\nname: child\nschema: FS\nafter: [refresh_root]\nschedule: 60 minutes\nconfig: {a: 1}\nsql: SELECT 1\n";
    project()
        .file("resources/t.yaml", tasks)
        .run(&["validate", "--env", "DEV"])
        .code(1)
        .stderr_has("a root task (no `after`) needs a schedule")
        .stderr_has("a task with `after` cannot have a schedule")
        .stderr_has("only a root task can carry `config`")
        .stderr_has("error: 3 problems found");
}

#[test]
fn model_versions_and_promotions_are_checked() {
    let models = "\
kind: Model
name: m
schema: FS
default_version: V9
versions:
  - {name: V1, from: \"@ML.MODELS/m/v1\"}
  - {name: V2, from: {env: STAGIN, version: V1}}
";
    project()
        .file("resources/m.yaml", models)
        .run(&["validate", "--env", "PROD"])
        .code(1)
        .stderr_has("`STAGIN` is not an environment")
        .stderr_has("default_version `V9` is not one of this model's versions");
    let promoted = "\
kind: Model
name: m
schema: FS
environments: [PROD]
versions:
  - {name: V1, from: {env: DEV, version: V1}}
";
    project()
        .file("resources/m.yaml", promoted)
        .run(&["validate", "--env", "PROD"])
        .code(1)
        .stderr_has("the model `M` is not declared in environment `DEV`")
        .stderr_has("--> resources/m.yaml:6:22");
}

#[test]
fn environments_lists_must_name_declared_environments() {
    project()
        .file(
            "resources/w.yaml",
            "kind: Warehouse\nname: w\nenvironments: [DEV, PRDO]\n",
        )
        .run(&["validate"])
        .code(1)
        .stderr_has("`PRDO` is not an environment")
        .stderr_has("--> resources/w.yaml:3:21")
        .stderr_has("did you mean `PROD`?");
}

#[test]
fn a_model_version_with_two_aliases_is_refused_at_the_second() {
    let model = "\
kind: Schema
name: reg
---
kind: Model
name: forecast
schema: reg
versions:
  - name: V1
    from: '@REG.MODELS/v1'
    aliases: [CHAMPION, BASELINE]
";
    let out = Project::with_environments(ENVIRONMENTS)
        .file("resources/models.yaml", model)
        .run(&["validate", "--env", "DEV"]);
    out.code(1)
        .stderr_has("version `V1` has 2 aliases")
        .stderr_has("resources/models.yaml:10:25")
        .stderr_has("keep one alias");
}

#[test]
fn a_task_named_like_a_refresh_task_is_refused() {
    let task = "kind: Schema\nname: s\n---\nkind: Task\nname: daily$v1\nschema: s\nschedule: 60 minutes\nsql: SELECT 1\n";
    Project::with_environments(ENVIRONMENTS)
        .file("resources/tasks.yaml", task)
        .run(&["validate", "--env", "DEV"])
        .code(1)
        .stderr_has("a task name cannot contain `$`")
        .stderr_has("resources/tasks.yaml:5:7");
}

#[test]
fn a_description_on_a_join_key_or_the_timestamp_column_is_refused_where_written() {
    let view = "\
kind: FeatureView
name: pudo_hourly
version: V1
schema: FS
entities: [PUDO]
timestamp_col: ts
query: SELECT pudo_id, ts, count(*) AS n FROM raw.parcels GROUP BY 1, 2
columns:
  - {name: pudo_id, comment: Point identifier}
  - {name: ts, comment: Hour}
  - {name: n, comment: Parcels that hour}
";
    let out = project()
        .file("resources/view.yaml", view)
        .run(&["validate"]);
    out.code(1)
        .no_panic()
        .stderr_has(
            "error: column `PUDO_ID` is a join key of entity `PUDO`: the feature store takes descriptions of feature columns only",
        )
        .stderr_has("--> resources/view.yaml:9:12")
        .stderr_has("error: column `TS` is the timestamp column")
        .stderr_has("--> resources/view.yaml:10:12")
        .stderr_has("hint: remove its comment and list the column as `{name: ...}` only");
    assert!(!out.stderr.contains("`N`"), "{}", out.stderr);
    let described = view
        .replace(
            "{name: pudo_id, comment: Point identifier}",
            "{name: pudo_id}",
        )
        .replace("{name: ts, comment: Hour}", "{name: ts}");
    project()
        .file("resources/view.yaml", &described)
        .run(&["validate"])
        .code(0);
}
