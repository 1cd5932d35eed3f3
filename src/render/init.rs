//! `floe init`'s report: the files it wrote (and those it kept), then, once
//! the new project is validated and applied, the commands to run next.

use std::path::Path;

/// A file an existing repository already had, which init left untouched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptFile {
    /// The path, relative to the project root.
    pub path: &'static str,
    /// What the user should do about it.
    pub advice: &'static str,
}

/// `Created a floe project in DIR:` and the files written, then the files kept.
pub fn init_created_text(dir: &Path, created: &[&str], kept: &[KeptFile]) -> String {
    let mut text = format!("Created a floe project in {}:\n", place(dir));
    for path in created {
        text.push_str(&format!("  {path}\n"));
    }
    for file in kept {
        text.push_str(&format!(
            "Kept the existing {}: {}.\n",
            file.path, file.advice
        ));
    }
    text.push_str("\nValidating every environment:\n");
    text
}

/// The heading of the first apply, which runs as `branch`.
pub fn init_applying_text(branch: &str) -> String {
    format!("\nApplying to the local DEV account, as the branch `{branch}` would:\n")
}

/// What to run next, after the new project is applied to DEV.
pub fn init_next_text(dir: &Path) -> String {
    let mut text = String::from("\nThe local DEV account now holds the new project. Next:\n");
    if dir != Path::new(".") {
        text.push_str(&format!("  cd {}\n", dir.display()));
    }
    text.push_str(concat!(
        "  floe plan --branch feature/x   # DEV, as a feature branch sees it: no changes yet\n",
        "  floe plan --env STAGING        # what a first apply to STAGING would create\n",
        "Declare resources in resources/*.yaml (any layout below resources/), and\n",
        "per-environment parameters in config/<group>/base.yaml and <env>.override.yaml.\n",
    ));
    text
}

/// `the current folder` for `.`, the path otherwise.
fn place(dir: &Path) -> String {
    if dir == Path::new(".") {
        "the current folder".to_string()
    } else {
        dir.display().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_report_lists_the_files_written_and_those_kept() {
        let kept = [KeptFile {
            path: ".gitignore",
            advice: "add `/.floe/` to it",
        }];
        let text = init_created_text(Path::new("new"), &["config/environments.yaml"], &kept);
        assert_eq!(
            text,
            "Created a floe project in new:\n  config/environments.yaml\n\
             Kept the existing .gitignore: add `/.floe/` to it.\n\nValidating every environment:\n"
        );
    }

    #[test]
    fn the_next_steps_change_into_the_new_folder_only_when_it_is_elsewhere() {
        assert!(init_next_text(Path::new("new")).contains("\n  cd new\n"));
        assert!(!init_next_text(Path::new(".")).contains("cd "));
        assert!(init_next_text(Path::new(".")).contains("floe plan --branch feature/x"));
    }
}
