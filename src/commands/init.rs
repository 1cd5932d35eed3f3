//! `floe init [DIR]`: a new project in one command.
//!
//! Writes a minimal, valid project (the templates beside this file, each a
//! commented file a newcomer can learn from), then runs exactly
//! `floe -C DIR validate` and `floe -C DIR apply --branch dev --connection
//! local --auto-approve` through the command line's own parser and
//! [`super::run`], so the new project is checked and applied to the local
//! DEV account by the code that serves those commands, never a copy of it.
//!
//! Nothing is overwritten: a project file already in DIR stops init before
//! anything is written. A `README.md` or `.gitignore` already there (an
//! existing repository) is kept as it is and the output says what to add.

use std::ffi::OsString;
use std::fs::OpenOptions;
use std::io::Write;
use std::path::Path;

use clap::Parser;

use super::engine::write;
use super::{Context, ExitCode};
use crate::cli::{Cli, InitArgs};
use crate::diag::{Diagnostic, Diagnostics};
use crate::render::{self, KeptFile};

/// One file of the new project.
struct Template {
    /// Where it goes, relative to the project root.
    path: &'static str,
    /// Its content.
    text: &'static str,
    /// `None` for a project file, which must not exist yet; for a file an
    /// existing repository may already have, what to do when it is kept.
    when_kept: Option<&'static str>,
}

/// A file that belongs to the project and must not exist yet.
const fn project_file(path: &'static str, text: &'static str) -> Template {
    Template {
        path,
        text,
        when_kept: None,
    }
}

/// The new project's files, in the order they are listed.
const TEMPLATES: &[Template] = &[
    project_file(
        "config/environments.yaml",
        include_str!("init/environments.yaml"),
    ),
    project_file(
        "config/warehouses/base.yaml",
        include_str!("init/warehouses.base.yaml"),
    ),
    project_file(
        "config/warehouses/dev.override.yaml",
        include_str!("init/warehouses.dev.override.yaml"),
    ),
    project_file(
        "config/warehouses/prod.override.yaml",
        include_str!("init/warehouses.prod.override.yaml"),
    ),
    project_file(
        "config/local/database.sql",
        include_str!("init/database.sql"),
    ),
    project_file("resources/schemas.yaml", include_str!("init/schemas.yaml")),
    project_file(
        "resources/warehouses.yaml",
        include_str!("init/warehouses.yaml"),
    ),
    Template {
        path: "README.md",
        text: include_str!("init/README.md"),
        when_kept: Some("left as it is"),
    },
    Template {
        path: ".gitignore",
        text: include_str!("init/gitignore"),
        when_kept: Some("add `/.floe/` (the local accounts) and `/state/` to it"),
    },
];

/// The branch the first apply runs as: one DEV's rules in the template
/// select, so the apply passes the same branch guard as any other.
const DEV_BRANCH: &str = "dev";

/// Runs `floe init`.
pub fn run(ctx: &Context, args: &InitArgs, out: &mut dyn Write) -> Result<ExitCode, Diagnostics> {
    let dir = args.dir.clone().unwrap_or_else(|| ctx.project.clone());
    check_free(&dir)?;
    let (created, kept) = write_templates(&dir)?;
    write(out, &render::init_created_text(&dir, &created, &kept))?;
    let validate = same_as_typed(&dir, ctx.verbose, &["validate"])?;
    let code = super::run(validate, out)?;
    if code != 0 {
        return Ok(code);
    }
    write(out, &render::init_applying_text(DEV_BRANCH))?;
    let apply = [
        "apply",
        "--branch",
        DEV_BRANCH,
        "--connection",
        crate::connect::LOCAL_CONNECTION,
        "--auto-approve",
    ];
    let code = super::run(same_as_typed(&dir, ctx.verbose, &apply)?, out)?;
    if code != 0 {
        return Ok(code);
    }
    write(out, &render::init_next_text(&dir))?;
    Ok(0)
}

/// Refuses when DIR is not a folder, or already holds a project file.
fn check_free(dir: &Path) -> Result<(), Diagnostics> {
    if dir.exists() && !dir.is_dir() {
        return Err(Diagnostic::error(format!(
            "{} is a file, not a folder: floe init creates a project in a folder",
            dir.display()
        ))
        .hint("name a new or existing folder: `floe init DIR`")
        .into());
    }
    let environments = crate::load::environments::ENVIRONMENTS_FILE;
    if dir.join(environments).exists() {
        return Err(already_there(dir, environments).into());
    }
    let taken: Vec<Diagnostic> = TEMPLATES
        .iter()
        .filter(|t| t.when_kept.is_none() && dir.join(t.path).exists())
        .map(|t| already_there(dir, t.path))
        .collect();
    if taken.is_empty() {
        Ok(())
    } else {
        Err(Diagnostics(taken))
    }
}

/// The refusal for a project file that exists already.
fn already_there(dir: &Path, path: &str) -> Diagnostic {
    let full = dir.join(path);
    let d = Diagnostic::error(format!(
        "{} already exists: floe init never overwrites a file, and wrote nothing",
        full.display()
    ));
    if path == crate::load::environments::ENVIRONMENTS_FILE {
        d.hint(format!(
            "{} holds a floe project already: check it with `floe -C {} validate`, or start a new one with `floe init NEW_DIR`",
            dir.display(),
            dir.display()
        ))
    } else {
        d.hint(format!(
            "move {path} out of the way, or start the project in another folder with `floe init NEW_DIR`"
        ))
    }
}

/// Writes every template that is not there yet; returns the paths written
/// and the files kept.
fn write_templates(dir: &Path) -> Result<(Vec<&'static str>, Vec<KeptFile>), Diagnostics> {
    let mut created = Vec::new();
    let mut kept = Vec::new();
    for template in TEMPLATES {
        let full = dir.join(template.path);
        if let (Some(advice), true) = (template.when_kept, full.exists()) {
            kept.push(KeptFile {
                path: template.path,
                advice,
            });
            continue;
        }
        create_new(&full, template.text)?;
        created.push(template.path);
    }
    Ok((created, kept))
}

/// Creates `path` with `text`, and its folders; fails rather than replace a
/// file that appeared meanwhile.
fn create_new(path: &Path, text: &str) -> Result<(), Diagnostics> {
    let fail = |e: std::io::Error| {
        Diagnostics::from(
            Diagnostic::error(format!("cannot create {}: {e}", path.display()))
                .hint("check that the folder is writable"),
        )
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(fail)?;
    }
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(fail)?;
    file.write_all(text.as_bytes()).map_err(fail)
}

/// The command line `floe -C DIR [-v...] ARGS`, parsed as if typed.
fn same_as_typed(dir: &Path, verbose: u8, args: &[&str]) -> Result<Cli, Diagnostics> {
    let mut line: Vec<OsString> = vec!["floe".into(), "-C".into(), dir.into()];
    line.extend((0..verbose).map(|_| OsString::from("-v")));
    line.extend(args.iter().map(OsString::from));
    Cli::try_parse_from(line)
        .map_err(|e| Diagnostic::error(format!("cannot run `floe {}`: {e}", args.join(" "))).into())
}

/// The project files written by init, for tests.
#[cfg(test)]
fn template(path: &str) -> &'static str {
    TEMPLATES
        .iter()
        .find(|t| t.path == path)
        .map(|t| t.text)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_is_a_distinct_path_below_the_project() {
        let mut paths: Vec<&str> = TEMPLATES.iter().map(|t| t.path).collect();
        paths.sort_unstable();
        paths.dedup();
        assert_eq!(paths.len(), TEMPLATES.len());
        assert!(
            paths
                .iter()
                .all(|p| !p.starts_with('/') && !p.contains(".."))
        );
    }

    #[test]
    fn the_gitignore_keeps_local_accounts_and_their_state_out_of_git() {
        let text = template(".gitignore");
        assert!(text.lines().any(|l| l == "/.floe/"), "{text}");
        assert!(text.lines().any(|l| l == "/state/"), "{text}");
    }
}
