//! Property tests: whatever bytes a user writes into a project's YAML files,
//! loading and validating gives diagnostics, never a panic.

use floe::load::Project;
use floe::load::yaml::parse_documents;
use floe::resolve::EnvSelection;
use proptest::prelude::*;

/// Text built from the characters that matter to YAML and to floe.
fn yamlish() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "kind: ",
        "Warehouse",
        "Task",
        "FeatureView",
        "Model",
        "Entity",
        "Schema",
        "name: ",
        "x",
        "\n",
        "  ",
        "- ",
        ": ",
        "[",
        "]",
        "{",
        "}",
        ",",
        "'",
        "\"",
        "&a ",
        "*a",
        "!!str ",
        "|\n",
        ">\n",
        "#",
        "---\n",
        "${",
        "}",
        "$${",
        "env.name",
        "config.",
        "1",
        "-1",
        "0x",
        "1.5",
        "null",
        "true",
        "~",
        "é",
        "\t",
        "\\",
        "@",
        "schema: S\n",
        "after: [",
        "versions:\n",
        "from: ",
        "size: ",
        "refresh_freq: ",
        "0 6 * * *",
        "UTC",
    ]);
    prop::collection::vec(pieces, 0..60).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn the_yaml_parser_never_panics_on_arbitrary_text(text in "\\PC{0,200}") {
        let _ = parse_documents(&text, std::path::Path::new("r.yaml"));
    }

    #[test]
    fn the_yaml_parser_never_panics_on_yaml_like_text(text in yamlish()) {
        let _ = parse_documents(&text, std::path::Path::new("r.yaml"));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn loading_and_resolving_never_panics(resource in yamlish(), config in yamlish()) {
        let dir = tempfile::tempdir().unwrap();
        let write = |p: &str, t: &str| {
            let f = dir.path().join(p);
            std::fs::create_dir_all(f.parent().unwrap()).unwrap();
            std::fs::write(f, t).unwrap();
        };
        write("config/environments.yaml", "environments:\n  DEV: {branches: [dev], database: DB}\n");
        write("config/c/base.yaml", &config);
        write("resources/r.yaml", &resource);
        if let Ok(project) = Project::load(dir.path()) {
            let selection = project.select_with(&EnvSelection::env("DEV"), &|_| None, None).unwrap();
            let _ = project.resolve_selection(selection);
        }
    }
}
