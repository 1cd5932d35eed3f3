//! Resolving a loaded project for one environment: which environment the
//! run targets (explicitly or through the branch), the interpolation context,
//! and the validated, dependency-ordered resources of that environment.
//!
//! Entry points: [`Project::select`] (environment and branch only, for
//! `floe env`, guards and connections) and [`Project::resolve`] (everything
//! plan and apply need: [`ResolvedEnv::resources`] in dependency order and the
//! [`crate::graph::Graph`]). Everything here is offline.
//!
//! ```no_run
//! use floe::load::Project;
//! use floe::resolve::EnvSelection;
//! # fn main() -> Result<(), floe::diag::Diagnostics> {
//! let project = Project::load(std::path::Path::new("."))?;
//! let resolved = project.resolve(&EnvSelection::env("DEV"))?;
//! for resource in &resolved.resources {
//!     // dependencies first; `resolved.graph.reverse_order()` for deletes
//!     println!("{} {}", resource.address, resource.fqn);
//! }
//! # Ok(())
//! # }
//! ```

pub mod branch;
mod declare;
pub mod git;
pub mod pattern;

use std::path::Path;

pub use branch::{BranchInfo, BranchSource, PatternMatch};
pub use declare::ResolvedEnv;

use crate::diag::{Diagnostic, Diagnostics};
use crate::load::suggest::hint_for;
use crate::load::{Environment, Project};

/// How the user chose the environment: plain values, whatever front end
/// (command line, tests) gathered them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EnvSelection {
    /// `--env NAME`.
    pub env: Option<String>,
    /// `--branch NAME`.
    pub branch: Option<String>,
}

impl EnvSelection {
    /// Selects `name` explicitly.
    pub fn env(name: &str) -> Self {
        EnvSelection {
            env: Some(name.to_string()),
            branch: None,
        }
    }
}

/// What git says about this run (for `${git.branch}` and `${git.commit}`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GitInfo {
    /// The branch (or tag) name, when known.
    pub branch: Option<String>,
    /// The checkout's commit sha, when known.
    pub commit: Option<String>,
}

/// The environment of a run and how it was chosen.
#[derive(Debug, Clone)]
pub struct Selection {
    /// The environment.
    pub environment: Environment,
    /// True when chosen with `--env`.
    pub explicit: bool,
    /// The run's branch, when it could be found (also with `--env`).
    pub branch: Option<BranchInfo>,
    /// The environment the branch selects and the pattern that matched, if any.
    pub matched: Option<PatternMatch>,
    /// Git values for interpolation.
    pub git: GitInfo,
}

impl Selection {
    /// Apply's branch guard (SPEC 4.3): the branch must select this
    /// environment, and for a protected one it must come from the checkout or CI.
    pub fn check_apply_guard(&self) -> Result<(), Diagnostic> {
        let env = &self.environment.name;
        let Some(branch) = &self.branch else {
            return Err(Diagnostic::error(format!("cannot apply to {env}: the branch of this run is unknown"))
                .hint("run from a git checkout, or pass --branch NAME (not accepted for protected environments)"));
        };
        match &self.matched {
            Some(m) if &m.env == env => {}
            Some(m) => {
                return Err(Diagnostic::error(format!(
                    "the branch `{}` selects {}, not {env}: apply refused",
                    branch.name, m.env
                ))
                .hint(format!(
                    "check out a branch that selects {env}, or apply to {}",
                    m.env
                )));
            }
            None => {
                return Err(Diagnostic::error(format!(
                    "the branch `{}` selects no environment, so it cannot apply to {env}",
                    branch.name
                ))
                .hint(format!("check out a branch that selects {env}")));
            }
        }
        if self.environment.protected && !branch.source.is_trusted() {
            return Err(Diagnostic::error(format!("{env} is protected: its branch must come from the checkout or CI, not {}", branch.source))
                .hint(format!("check out the branch that selects {env} (or run in CI) instead of passing --branch or FLOE_BRANCH")));
        }
        Ok(())
    }
}

impl Project {
    /// The branch (or tag) the project's files come from, when known: the
    /// CI's branch variables, then the checkout (see [`branch::files_branch`]).
    pub fn files_branch(&self) -> Option<String> {
        let checkout = git::read_checkout(&self.root);
        branch::files_branch(&|k| std::env::var(k).ok(), checkout.as_ref())
    }

    /// Chooses the environment for `selection`, reading the process environment and the checkout.
    pub fn select(&self, selection: &EnvSelection) -> Result<Selection, Diagnostics> {
        let checkout = git::read_checkout(&self.root);
        self.select_with(selection, &|k| std::env::var(k).ok(), checkout.as_ref())
    }

    /// [`Project::select`] with the variables and checkout given.
    pub fn select_with(
        &self,
        selection: &EnvSelection,
        var: &dyn Fn(&str) -> Option<String>,
        checkout: Option<&git::Checkout>,
    ) -> Result<Selection, Diagnostics> {
        let envs = &self.environments;
        let commit = checkout.and_then(|c| c.commit.clone());
        let found = branch::detect_branch(selection.branch.as_deref(), var, checkout);
        if let Some(name) = &selection.env {
            let environment = envs.get(name).ok_or_else(|| {
                Diagnostic::error(format!("`{name}` is not an environment"))
                    .at(envs.span.clone())
                    .hint(hint_for(name, "environment", &envs.names()))
            })?;
            let branch = found.ok();
            let matched = branch
                .as_ref()
                .and_then(|b| branch::match_environment(envs, b))
                .map(|(_, m)| m);
            let git = GitInfo {
                branch: branch.as_ref().map(|b| b.name.clone()),
                commit,
            };
            return Ok(Selection {
                environment: environment.clone(),
                explicit: true,
                branch,
                matched,
                git,
            });
        }
        let branch = found?;
        let (environment, matched) = branch::match_environment(envs, &branch)
            .ok_or_else(|| branch::no_match(envs, &branch))?;
        let git = GitInfo {
            branch: Some(branch.name.clone()),
            commit,
        };
        Ok(Selection {
            environment: environment.clone(),
            explicit: false,
            branch: Some(branch),
            matched: Some(matched),
            git,
        })
    }

    /// Loads the project at `root` and resolves it for `selection`.
    pub fn load_and_resolve(
        root: &Path,
        selection: &EnvSelection,
    ) -> Result<ResolvedEnv, Diagnostics> {
        Project::load(root)?.resolve(selection)
    }
}

#[cfg(test)]
mod tests {
    use super::git::{Checkout, Head};
    use super::*;

    fn project() -> (tempfile::TempDir, Project) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("config")).unwrap();
        std::fs::write(
            dir.path().join("config/environments.yaml"),
            "environments:\n  DEV: {branches: [\"feature/*\", \"**\"], database: D}\n  PROD: {branches: [main], tags: [\"v*\"], database: D, protected: true}\n",
        )
        .unwrap();
        let p = Project::load(dir.path()).unwrap();
        (dir, p)
    }

    fn on(branch: &str) -> Checkout {
        Checkout {
            head: Head::Branch(branch.into()),
            commit: Some("c0ffee".into()),
            tags: vec![],
        }
    }

    #[test]
    fn the_first_matching_environment_wins() {
        let (_d, p) = project();
        let s = p
            .select_with(&EnvSelection::default(), &|_| None, Some(&on("main")))
            .unwrap();
        assert_eq!(
            s.environment.name, "DEV",
            "`**` in DEV comes before PROD's `main`"
        );
        assert_eq!(s.matched.unwrap().pattern.value, "**");
        assert_eq!(s.git.commit.as_deref(), Some("c0ffee"));
    }

    #[test]
    fn apply_guard_requires_the_branch_to_select_the_environment() {
        let (_d, p) = project();
        let feature = on("feature/x");
        let s = p
            .select_with(&EnvSelection::env("DEV"), &|_| None, Some(&feature))
            .unwrap();
        assert!(s.check_apply_guard().is_ok());
        let s = p
            .select_with(&EnvSelection::env("PROD"), &|_| None, Some(&feature))
            .unwrap();
        let err = s.check_apply_guard().unwrap_err();
        assert!(err.message.contains("selects DEV, not PROD"), "{err}");
    }

    #[test]
    fn protected_environments_trust_only_the_checkout_and_ci() {
        let (_d, mut p) = project();
        p.environments.environments.swap(0, 1);
        let tag = Checkout {
            head: Head::Detached("c0ffee".into()),
            commit: Some("c0ffee".into()),
            tags: vec!["v1".into()],
        };
        let s = p
            .select_with(&EnvSelection::default(), &|_| None, Some(&tag))
            .unwrap();
        assert_eq!(s.environment.name, "PROD");
        assert!(s.check_apply_guard().is_ok());
        let flag = EnvSelection {
            env: None,
            branch: Some("main".into()),
        };
        let s = p.select_with(&flag, &|_| None, None).unwrap();
        assert_eq!(s.environment.name, "PROD");
        assert!(
            s.check_apply_guard()
                .unwrap_err()
                .message
                .contains("PROD is protected")
        );
        let ci = |k: &str| (k == "GITHUB_REF_NAME").then(|| "main".to_string());
        let s = p
            .select_with(&EnvSelection::env("PROD"), &ci, None)
            .unwrap();
        assert!(s.check_apply_guard().is_ok());
    }
}
