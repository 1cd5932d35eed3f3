//! `floe init`: a new project in one command, checked as a team adopting
//! floe would: the files are there, every environment validates, DEV is
//! applied at once, and nothing that exists is ever overwritten.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::Project;

/// The files init writes for a project.
const PROJECT_FILES: &[&str] = &[
    "config/environments.yaml",
    "config/warehouses/base.yaml",
    "config/warehouses/dev.override.yaml",
    "config/local/database.sql",
    "resources/schemas.yaml",
    "resources/warehouses.yaml",
    "README.md",
    ".gitignore",
];

/// Every file under `dir` with its bytes.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut queue = vec![dir.to_path_buf()];
    while let Some(folder) = queue.pop() {
        for entry in std::fs::read_dir(&folder).expect("the folder is readable") {
            let path = entry.expect("the entry is readable").path();
            if path.is_dir() {
                queue.push(path);
            } else {
                let bytes = std::fs::read(&path).expect("the file is readable");
                files.insert(path, bytes);
            }
        }
    }
    files
}

#[test]
fn init_in_an_empty_folder_creates_a_valid_project_applied_to_local_dev() {
    let project = Project::new();
    let out = project.run(&["init"]);
    out.code(0)
        .stdout_has("config/environments.yaml")
        .stdout_has("Apply complete")
        .stdout_has("floe plan --branch feature/x");
    for file in PROJECT_FILES {
        assert!(project.path().join(file).is_file(), "{file} is missing");
    }
    for env in ["DEV", "STAGING", "PROD"] {
        project
            .run(&["validate", "--env", env])
            .code(0)
            .stdout_has(env)
            .stdout_has(" ok  2 resources (1 schema, 1 warehouse)");
    }
    project.assert_clean("feature/x", "DEV");
    project
        .run(&["plan", "--env", "STAGING"])
        .code(0)
        .stdout_has("+ schema.ML_STAGING")
        .stdout_has("+ warehouse.ML_WH_STAGING")
        .stdout_has("Plan: 2 to create");
}

#[test]
fn the_new_project_uses_its_overlays_per_environment() {
    let project = Project::new();
    project.run(&["init"]).code(0);
    project
        .run(&["config", "show", "--env", "PROD"])
        .code(0)
        .stdout_has("config/warehouses/prod.override.yaml");
    let dev = project.run(&["local", "exec", "--env", "DEV", "SHOW WAREHOUSES"]);
    dev.code(0).stdout_has("ML_WH_DEV").stdout_has("X-Small");
}

#[test]
fn init_in_a_new_repository_on_main_applies_dev_and_leaves_prod_alone() {
    let project = Project::new().git("ref: refs/heads/main", &[]);
    project.run(&["init"]).code(0).stdout_has("Apply complete");
    project.assert_clean("feature/x", "DEV");
    project
        .run(&["plan", "--env", "PROD"])
        .code(0)
        .stdout_has("+ warehouse.ML_WH_PROD");
}

#[test]
fn init_refuses_a_folder_that_holds_a_project_and_changes_nothing() {
    let project = Project::with_environments("project: ours\nenvironments: {}\n")
        .file("resources/keep.yaml", "kind: Schema\nname: KEEP\n");
    let before = tree(project.path());
    project
        .run(&["init"])
        .code(1)
        .stderr_has("config/environments.yaml already exists")
        .stderr_has("validate");
    assert_eq!(tree(project.path()), before);
}

#[test]
fn init_refuses_when_any_project_file_it_would_write_exists() {
    let project = Project::new().file("resources/warehouses.yaml", "# ours\n");
    let before = tree(project.path());
    project
        .run(&["init"])
        .code(1)
        .stderr_has("resources/warehouses.yaml already exists")
        .stderr_lacks("schemas.yaml");
    assert_eq!(tree(project.path()), before);
}

#[test]
fn init_keeps_a_repository_s_own_readme_and_gitignore() {
    let project = Project::new()
        .file("README.md", "# Our repository\n")
        .file(".gitignore", "/target\n")
        .file("src/main.py", "print('hi')\n");
    project
        .run(&["init"])
        .code(0)
        .stdout_has("Kept the existing .gitignore: add `/.floe/`")
        .stdout_has("Apply complete");
    assert_eq!(project.read("README.md"), "# Our repository\n");
    assert_eq!(project.read(".gitignore"), "/target\n");
    assert_eq!(project.read("src/main.py"), "print('hi')\n");
}

#[test]
fn init_creates_a_folder_that_does_not_exist() {
    let project = Project::new();
    project
        .run(&["init", "platform/ml"])
        .code(0)
        .stdout_has("cd platform/ml");
    let root = project.path().join("platform/ml");
    assert!(root.join("config/environments.yaml").is_file());
    assert!(
        root.join("state/DEV.json").is_file(),
        "DEV was applied there"
    );
}
