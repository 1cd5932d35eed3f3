//! Input that looks plausible but Snowflake (or YAML) would refuse: each is
//! refused by `floe validate` at its place, with how to fix it, before any
//! statement reaches an account.

mod common;

use common::{ENVIRONMENTS, Project};

const BASE: &str = "\
kind: Schema
name: FS
feature_store: true
---
kind: Warehouse
name: ml_wh
---
kind: Entity
name: pudo
schema: FS
join_keys: [pudo_id]
";

fn project_with(path: &str, yaml: &str) -> Project {
    Project::with_environments(ENVIRONMENTS)
        .file("resources/base.yaml", BASE)
        .file(path, yaml)
}

fn task(sql: &str) -> String {
    format!("kind: Task\nname: t\nschema: FS\nwarehouse: ML_WH\nschedule: 1 hour\nsql: {sql}\n")
}

fn feature_view(name: &str, query: &str) -> String {
    format!(
        "kind: FeatureView\nname: {name}\nversion: V1\nschema: FS\nentities: [PUDO]\n\
         refresh_freq: 1 hour\nwarehouse: ML_WH\nquery: {query}\n"
    )
}

#[test]
fn a_second_statement_in_a_task_is_refused_at_its_place() {
    project_with("resources/t.yaml", &task("SELECT 1; DROP TABLE FS.T"))
        .run(&["validate", "--env", "DEV"])
        .code(1)
        .stderr_has("error: the sql holds more than one statement")
        .stderr_has("line 1, column 9")
        .stderr_has("--> resources/t.yaml:6:6")
        .stderr_has("hint: keep one statement in `sql`");
}

#[test]
fn a_second_statement_in_a_feature_view_query_is_refused() {
    project_with(
        "resources/fv.yaml",
        &feature_view("fv", "\"SELECT 1 AS PUDO_ID;\\nSELECT 2\""),
    )
    .run(&["validate", "--env", "DEV"])
    .code(1)
    .stderr_has("error: the query holds more than one statement: a `;` at line 1")
    .stderr_has("--> resources/fv.yaml:8:8");
}

#[test]
fn a_semicolon_in_a_literal_comment_block_or_at_the_end_is_fine() {
    let sql = "|\n  SELECT ';' AS a, \"b;c\" FROM FS.T -- ; here\n  /* ; */ WHERE 1 = 1;\n";
    project_with("resources/t.yaml", &task(sql))
        .run(&["validate", "--env", "DEV"])
        .code(0);
    let block = "|\n  BEGIN\n    INSERT INTO FS.T SELECT 1;\n    DELETE FROM FS.U;\n  END\n";
    project_with("resources/t.yaml", &task(block))
        .run(&["validate", "--env", "DEV"])
        .code(0);
    let call = "CALL FS.P($$ SELECT 1; SELECT 2 $$)";
    project_with("resources/t.yaml", &task(call))
        .run(&["validate", "--env", "DEV"])
        .code(0);
}

#[test]
fn depends_on_naming_itself_is_refused() {
    let yaml = "kind: Warehouse\nname: other_wh\ndepends_on: [warehouse.OTHER_WH]\n";
    project_with("resources/wh.yaml", yaml)
        .run(&["validate", "--env", "DEV"])
        .code(1)
        .stderr_has("error: warehouse.OTHER_WH depends on itself")
        .stderr_has("--> resources/wh.yaml:3:14")
        .stderr_has("hint: remove `warehouse.OTHER_WH` from depends_on");
}

#[test]
fn a_number_where_text_is_required_is_refused() {
    project_with("resources/fv.yaml", &feature_view("fv", "42"))
        .run(&["validate", "--env", "DEV"])
        .code(1)
        .stderr_has("error: expected a string, found integer `42`")
        .stderr_has("--> resources/fv.yaml:8:8")
        .stderr_has("hint: YAML reads `42` as a number: quote it to write the text, `'42'`");
    let child =
        "kind: Task\nname: c\nschema: FS\nwarehouse: ML_WH\nafter: [t]\nwhen: 5\nsql: SELECT 1\n";
    let yaml = format!("{}---\n{child}", task("SELECT 1"));
    project_with("resources/t.yaml", &yaml)
        .run(&["validate", "--env", "DEV"])
        .code(1)
        .stderr_has("error: expected a string, found integer `5`")
        .stderr_has("--> resources/t.yaml:13:7");
    let comment = "kind: Warehouse\nname: other_wh\ncomment: true\n";
    project_with("resources/wh.yaml", comment)
        .run(&["validate", "--env", "DEV"])
        .code(1)
        .stderr_has("error: expected a string, found boolean `true`");
}

#[test]
fn a_cron_time_zone_outside_the_iana_database_is_refused() {
    let yaml = "kind: Task\nname: t\nschema: FS\nwarehouse: ML_WH\n\
                schedule: USING CRON 0 3 * * * Mars/Olympus\nsql: SELECT 1\n";
    project_with("resources/t.yaml", yaml)
        .run(&["validate", "--env", "DEV"])
        .code(1)
        .stderr_has("`Mars/Olympus` is not a time zone of the IANA time zone database")
        .stderr_has("--> resources/t.yaml:5:11");
    let fv = feature_view("fv", "SELECT 1 AS PUDO_ID").replace(
        "refresh_freq: 1 hour",
        "refresh_freq: 0 3 * * * America/Los_Angeles",
    );
    project_with("resources/fv.yaml", &fv)
        .run(&["validate", "--env", "DEV"])
        .code(0);
}

#[test]
fn a_control_character_in_environments_yaml_is_refused_at_its_place() {
    let environments =
        ENVIRONMENTS.replace("database: TEST_DB\n  PROD", "database: TEST\u{1}DB\n  PROD");
    Project::with_environments(&environments)
        .file("resources/base.yaml", BASE)
        .run(&["validate"])
        .code(1)
        .stderr_has("error: invalid YAML: the control character U+0001 is not allowed")
        .stderr_has("--> config/environments.yaml:6:19");
}

#[test]
fn a_control_character_in_a_resource_or_an_overlay_is_refused_too() {
    project_with("resources/wh.yaml", "kind: Warehouse\nname: w\u{7f}h\n")
        .run(&["validate"])
        .code(1)
        .stderr_has("U+007F")
        .stderr_has("--> resources/wh.yaml:2:8");
    project_with("resources/wh.yaml", "kind: Warehouse\nname: wh\n")
        .file("config/training/base.yaml", "a: \"x\u{2}\"\n")
        .run(&["validate"])
        .code(1)
        .stderr_has("U+0002")
        .stderr_has("--> config/training/base.yaml:1:6");
}

#[test]
fn a_feature_view_name_too_long_with_its_version_is_refused() {
    let name = "F".repeat(255);
    project_with(
        "resources/fv.yaml",
        &feature_view(&name, "SELECT 1 AS PUDO_ID"),
    )
    .run(&["validate", "--env", "DEV"])
    .code(1)
    .stderr_has("is 258 characters long, more than Snowflake's 255")
    .stderr_has("--> resources/fv.yaml:2:7")
    .stderr_has("hint: shorten the name to at most 252 characters");
    let fits = "F".repeat(252);
    project_with(
        "resources/fv.yaml",
        &feature_view(&fits, "SELECT 1 AS PUDO_ID"),
    )
    .run(&["validate", "--env", "DEV"])
    .code(0);
}

#[test]
fn the_quoting_hint_for_a_name_with_a_quote_is_a_valid_name() {
    project_with("resources/wh.yaml", "kind: Warehouse\nname: a\"b\n")
        .run(&["validate", "--env", "DEV"])
        .code(1)
        .stderr_has("or quote it (`'\"a\"\"b\"'`)");
    // The suggestion, written as suggested, is accepted.
    project_with("resources/wh.yaml", "kind: Warehouse\nname: '\"a\"\"b\"'\n")
        .run(&["validate", "--env", "DEV"])
        .code(0);
}

#[test]
fn an_unknown_default_connection_is_reported_in_environments_yaml() {
    let environments =
        ENVIRONMENTS.replace("default_connection: local", "default_connection: nope");
    Project::with_environments(&environments)
        .file("resources/base.yaml", BASE)
        .run(&["plan", "--env", "DEV"])
        .code(1)
        .stderr_has("error: connection `nope` is not defined")
        .stderr_has("--> config/environments.yaml:2:21")
        .stderr_has("caused by: `default_connection` in config/environments.yaml names it");
}
