//! `floe validate`: load and check the project for every environment (or the
//! one chosen), offline; one summary line per valid environment, every
//! problem of every environment reported together.

use std::io::Write;

use super::{Context, ExitCode};
use crate::cli::EnvArgs;
use crate::diag::{Diagnostic, Diagnostics};
use crate::load::Project;
use crate::render;
use crate::resolve::EnvSelection;

/// Runs `floe validate`.
pub fn run(ctx: &Context, args: &EnvArgs, out: &mut dyn Write) -> Result<ExitCode, Diagnostics> {
    let project = Project::load(&ctx.project)?;
    let selections: Vec<EnvSelection> = if args.env.is_some() || args.branch.is_some() {
        vec![EnvSelection::from(args)]
    } else {
        project
            .environments
            .names()
            .into_iter()
            .map(EnvSelection::env)
            .collect()
    };
    let width = project
        .environments
        .names()
        .iter()
        .map(|n| n.len())
        .max()
        .unwrap_or(0);
    let mut found: Vec<(Diagnostic, Vec<String>)> = Vec::new();
    for selection in &selections {
        match project.resolve(selection) {
            Ok(resolved) => {
                let line =
                    render::validate_line(&resolved.environment().name, width, &resolved.resources);
                let _ = out.write_all(line.as_bytes());
            }
            Err(problems) => {
                let env = selection
                    .env
                    .clone()
                    .unwrap_or_else(|| "the branch's environment".to_string());
                record(&mut found, problems, &env);
            }
        }
    }
    if found.is_empty() {
        return Ok(0);
    }
    let all = selections.len();
    Err(Diagnostics(
        found
            .into_iter()
            .map(|(d, envs)| {
                if all > 1 && envs.len() < all {
                    d.caused_by(format!("in environment {}", envs.join(", ")))
                } else {
                    d
                }
            })
            .collect(),
    ))
}

/// Adds `problems` of `env`, merging those already found in other environments.
fn record(found: &mut Vec<(Diagnostic, Vec<String>)>, problems: Diagnostics, env: &str) {
    for d in problems.0 {
        match found.iter_mut().find(|(known, _)| *known == d) {
            Some((_, envs)) => envs.push(env.to_string()),
            None => found.push((d, vec![env.to_string()])),
        }
    }
}
