//! `floe env`'s explanation of which environment a branch selects and why,
//! and `floe env list`'s table of every environment with its patterns.

use crate::load::{Environment, Project};
use crate::resolve::Selection;

fn patterns(env: &Environment) -> String {
    let join = |ps: &[crate::load::de::Spanned<String>]| {
        ps.iter()
            .map(|p| p.value.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut s = format!(
        "branches: {}",
        if env.branches.is_empty() {
            "-".to_string()
        } else {
            join(&env.branches)
        }
    );
    if !env.tags.is_empty() {
        s.push_str(&format!("  tags: {}", join(&env.tags)));
    }
    s
}

/// The `floe env list` table.
pub fn env_list_text(project: &Project) -> String {
    let envs = &project.environments.environments;
    let name_w = envs.iter().map(|e| e.name.len()).max().unwrap_or(0);
    let pat_w = envs.iter().map(|e| patterns(e).len()).max().unwrap_or(0);
    let mut out = String::new();
    for env in envs {
        let mut line = format!(
            "{:name_w$}  {:pat_w$}  database: {}",
            env.name,
            patterns(env),
            env.database
        );
        if env.protected {
            line.push_str("  protected");
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The `floe env` explanation.
pub fn env_text(project: &Project, selection: &Selection) -> String {
    let env = &selection.environment;
    let mut lines = vec![("environment", env.name.clone())];
    if let Some(branch) = &selection.branch {
        let what = if branch.is_tag { "tag" } else { "branch" };
        lines.push((
            if branch.is_tag { "tag" } else { "branch" },
            format!("{} (from {})", branch.name, branch.source),
        ));
        if let Some(m) = &selection.matched {
            let list = if m.by_tag { "tags" } else { "branches" };
            lines.push((
                "matched",
                format!(
                    "{what} `{}` matches `{}` in {}.{list} ({})",
                    m.matched, m.pattern.value, m.env, m.pattern.span
                ),
            ));
        }
    }
    if let Some(commit) = &selection.git.commit {
        lines.push(("commit", commit.clone()));
    }
    lines.push(("database", env.database.to_string()));
    lines.push((
        "protected",
        if env.protected {
            "yes (apply only from the checkout or CI)".into()
        } else {
            "no".into()
        },
    ));
    let connection = match (&env.connection, &project.environments.default_connection) {
        (Some(c), _) => format!("{c} (environment)"),
        (None, Some(c)) => format!("{c} (default_connection)"),
        (None, None) => "local (none configured)".to_string(),
    };
    lines.push(("connection", connection));
    lines
        .iter()
        .map(|(k, v)| format!("{:13}{v}\n", format!("{k}:")))
        .collect()
}
