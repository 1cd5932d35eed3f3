//! `floe local`: run SQL against an environment's embedded local account,
//! or reset it.
//!
//! The command resolves the environment, opens (or creates and seeds) its
//! account, executes the statement and prints the rows as an aligned table
//! or as JSON. It owns presentation only; the account is `crate::local`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::{Context, ExitCode};
use crate::cli::{EnvArgs, LocalCommand, LocalExecArgs};
use crate::diag::{Diagnostic, Diagnostics};
use crate::local::{self, LocalAccount};
use crate::session::Rows;

/// Runs `floe local`.
pub fn run(
    ctx: &Context,
    args: &LocalCommand,
    out: &mut dyn Write,
) -> Result<ExitCode, Diagnostics> {
    match args {
        LocalCommand::Exec(exec) => run_exec(ctx, exec, out),
        LocalCommand::Reset(env) => run_reset(ctx, env, out),
        LocalCommand::Serve(_) => {
            Err(Diagnostic::error("`floe local serve` is not available in this build").into())
        }
    }
}

fn run_exec(
    ctx: &Context,
    args: &LocalExecArgs,
    out: &mut dyn Write,
) -> Result<ExitCode, Diagnostics> {
    let env = target::resolve(&ctx.project, &args.env)?;
    let path = local::account_path(&ctx.project, &env.name);
    let account = LocalAccount::open(&path, &env.seeds, latency()?)
        .map_err(|e| Diagnostic::error(e.to_string()))?;
    let rows = account.execute_sync(&args.sql).map_err(|e| {
        Diagnostic::error(format!("{} ({}): {}", e.code, e.sql_state, e.message)).hint(format!(
            "the statement ran against the local account of {}",
            env.name
        ))
    })?;
    let text = if args.json {
        render_json(&rows)
    } else {
        render_table(&rows)
    };
    out.write_all(text.as_bytes())
        .map_err(|e| Diagnostic::error(format!("cannot write the result: {e}")))?;
    Ok(0)
}

fn run_reset(ctx: &Context, args: &EnvArgs, out: &mut dyn Write) -> Result<ExitCode, Diagnostics> {
    let env = target::resolve(&ctx.project, args)?;
    let path = local::account_path(&ctx.project, &env.name);
    let existed = local::reset(&path).map_err(|e| Diagnostic::error(e.to_string()))?;
    let message = if existed {
        format!(
            "Deleted the local account of {}; it is re-created and re-seeded on next use.\n",
            env.name
        )
    } else {
        format!(
            "{} has no local account yet; nothing to delete.\n",
            env.name
        )
    };
    out.write_all(message.as_bytes())
        .map_err(|e| Diagnostic::error(format!("cannot write: {e}")))?;
    Ok(0)
}

/// `FLOE_LOCAL_LATENCY_MS`: a sleep before every statement, off by default.
fn latency() -> Result<Option<Duration>, Diagnostic> {
    match std::env::var("FLOE_LOCAL_LATENCY_MS") {
        Ok(v) if !v.trim().is_empty() => v
            .trim()
            .parse::<u64>()
            .map(|ms| Some(Duration::from_millis(ms)))
            .map_err(|_| {
                Diagnostic::error(format!(
                    "FLOE_LOCAL_LATENCY_MS must be a number of milliseconds, not `{v}`"
                ))
            }),
        _ => Ok(None),
    }
}

/// The rows as `{"columns": [...], "rows": [[...]]}`, NULL as `null`.
fn render_json(rows: &Rows) -> String {
    let value = serde_json::json!({
        "columns": rows.columns.iter().map(|c| c.name.clone()).collect::<Vec<_>>(),
        "rows": rows.rows,
    });
    format!(
        "{}\n",
        serde_json::to_string_pretty(&value).unwrap_or_default()
    )
}

/// The rows as an aligned table; NULL prints as `NULL`, newlines as `\n`.
fn render_table(rows: &Rows) -> String {
    let cell = |c: &Option<String>| {
        c.as_deref()
            .map_or("NULL".to_string(), |s| s.replace('\n', "\\n"))
    };
    let cells: Vec<Vec<String>> = rows
        .rows
        .iter()
        .map(|r| r.iter().map(cell).collect())
        .collect();
    let mut widths: Vec<usize> = rows
        .columns
        .iter()
        .map(|c| c.name.chars().count())
        .collect();
    for row in &cells {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |values: Vec<&str>| {
        let padded: Vec<String> = values
            .iter()
            .zip(&widths)
            .map(|(v, w)| format!("{v:<w$}"))
            .collect();
        format!("{}\n", padded.join(" | ").trim_end())
    };
    let mut text = line(rows.columns.iter().map(|c| c.name.as_str()).collect());
    text.push_str(&format!(
        "{}\n",
        widths
            .iter()
            .map(|w| "-".repeat(*w))
            .collect::<Vec<_>>()
            .join("-+-")
    ));
    for row in &cells {
        text.push_str(&line(row.iter().map(String::as_str).collect()));
    }
    text
}

/// Environment selection for `floe local`.
///
/// PROVISIONAL: a minimal reader of `config/environments.yaml` (environment
/// names, `branches`, `local.seed`) until the project loader and branch
/// resolver are wired in; replace `resolve` with them.
mod target {
    use std::collections::BTreeMap;

    use serde::Deserialize;

    use super::{Path, PathBuf};
    use crate::cli::EnvArgs;
    use crate::diag::Diagnostic;

    /// The environment a `floe local` run works on.
    pub struct Target {
        /// The environment's name, as written in environments.yaml.
        pub name: String,
        /// Seed files for a new account, resolved against the project root.
        pub seeds: Vec<PathBuf>,
    }

    #[derive(Deserialize, Default)]
    struct LocalConfig {
        #[serde(default)]
        seed: Vec<String>,
    }

    #[derive(Deserialize)]
    struct EnvEntry {
        #[serde(default)]
        branches: Vec<String>,
        #[serde(default)]
        local: Option<LocalConfig>,
    }

    #[derive(Deserialize)]
    struct EnvFile {
        environments: BTreeMap<String, EnvEntry>,
        #[serde(default)]
        local: Option<LocalConfig>,
    }

    /// Picks the environment from `--env`, `--branch`, `FLOE_BRANCH` or the checkout.
    pub fn resolve(project: &Path, args: &EnvArgs) -> Result<Target, Diagnostic> {
        let file = project.join("config").join("environments.yaml");
        let text = std::fs::read_to_string(&file).map_err(|e| {
            Diagnostic::error(format!("cannot read {}: {e}", file.display()))
                .hint("run floe in a project folder or pass `-C <project>`")
        })?;
        let envs: EnvFile = serde_yaml::from_str(&text)
            .map_err(|e| Diagnostic::error(format!("{} is not valid: {e}", file.display())))?;
        let name = match &args.env {
            Some(env) => envs
                .environments
                .keys()
                .find(|k| k.eq_ignore_ascii_case(env))
                .cloned()
                .ok_or_else(|| {
                    Diagnostic::error(format!("there is no environment `{env}`")).hint(format!(
                        "environments: {}",
                        envs.environments
                            .keys()
                            .cloned()
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))
                })?,
            None => by_branch(project, &envs, args.branch.clone())?,
        };
        let mut seeds: Vec<PathBuf> = Vec::new();
        let env_local = envs.environments.get(&name).and_then(|e| e.local.as_ref());
        for cfg in [envs.local.as_ref(), env_local].into_iter().flatten() {
            seeds.extend(cfg.seed.iter().map(|s| project.join(s)));
        }
        Ok(Target { name, seeds })
    }

    fn by_branch(
        project: &Path,
        envs: &EnvFile,
        branch: Option<String>,
    ) -> Result<String, Diagnostic> {
        let branch = branch
            .or_else(|| std::env::var("FLOE_BRANCH").ok().filter(|b| !b.is_empty()))
            .or_else(|| git_branch(project))
            .ok_or_else(|| {
                Diagnostic::error("cannot tell which environment to use")
                    .hint("pass `--env NAME` or `--branch NAME`")
            })?;
        envs.environments
            .iter()
            .find(|(_, e)| e.branches.iter().any(|p| glob(p, &branch)))
            .map(|(name, _)| name.clone())
            .ok_or_else(|| {
                Diagnostic::error(format!("no environment matches the branch `{branch}`"))
                    .hint("pass `--env NAME`")
            })
    }

    fn git_branch(project: &Path) -> Option<String> {
        let out = std::process::Command::new("git")
            .args(["rev-parse", "--abbrev-ref", "HEAD"])
            .current_dir(project)
            .output()
            .ok()?;
        let branch = String::from_utf8(out.stdout).ok()?.trim().to_string();
        (out.status.success() && !branch.is_empty() && branch != "HEAD").then_some(branch)
    }

    /// `*` matches within one `/`-separated segment, `**` across segments.
    pub fn glob(pattern: &str, text: &str) -> bool {
        let p: Vec<char> = pattern.chars().collect();
        let t: Vec<char> = text.chars().collect();
        matches(&p, &t)
    }

    fn matches(p: &[char], t: &[char]) -> bool {
        match p.first() {
            None => t.is_empty(),
            Some('*') if p.get(1) == Some(&'*') => (0..=t.len()).any(|i| matches(&p[2..], &t[i..])),
            Some('*') => (0..=t.len())
                .take_while(|i| *i == 0 || t[i - 1] != '/')
                .any(|i| matches(&p[1..], &t[i..])),
            Some(c) => t.first() == Some(c) && matches(&p[1..], &t[1..]),
        }
    }

    #[cfg(test)]
    mod tests {
        use super::glob;

        #[test]
        fn globs_match_segments() {
            assert!(glob("feature/*", "feature/try"));
            assert!(!glob("feature/*", "feature/a/b"));
            assert!(glob("feature/**", "feature/a/b"));
            assert!(glob("main", "main"));
            assert!(!glob("main", "mainx"));
        }
    }
}
