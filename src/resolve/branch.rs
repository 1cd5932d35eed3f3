//! Which branch this run is on, where that came from, and which environment
//! it selects.
//!
//! The branch comes from, in order: `--branch`, `FLOE_BRANCH`, the CI
//! variables (`GITHUB_HEAD_REF`, `GITHUB_REF_NAME`, `CI_COMMIT_REF_NAME`),
//! then the checkout. The source is recorded because apply trusts only the
//! checkout and CI for protected environments. Environment variables are
//! passed in as a function so that the rules are testable without touching
//! the process environment.

use std::fmt;

use super::git::{Checkout, Head};
use super::pattern::glob_match;
use crate::diag::Diagnostic;
use crate::load::de::Spanned;
use crate::load::environments::{ENVIRONMENTS_FILE, Environment, Environments};

/// Where the branch name came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BranchSource {
    /// `--branch`.
    Flag,
    /// The `FLOE_BRANCH` variable.
    FloeBranch,
    /// A CI variable (its name).
    Ci(&'static str),
    /// The checkout's `.git/HEAD`.
    Checkout,
}

impl BranchSource {
    /// True for sources a protected environment accepts: the checkout and CI.
    pub fn is_trusted(self) -> bool {
        matches!(self, BranchSource::Ci(_) | BranchSource::Checkout)
    }
}

impl fmt::Display for BranchSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BranchSource::Flag => f.write_str("--branch"),
            BranchSource::FloeBranch => f.write_str("FLOE_BRANCH"),
            BranchSource::Ci(var) => write!(f, "the CI variable {var}"),
            BranchSource::Checkout => f.write_str("the checkout (.git/HEAD)"),
        }
    }
}

/// The branch (or tag) of this run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BranchInfo {
    /// The branch name, or the tag name when `is_tag`.
    pub name: String,
    /// True when the run is at a tag rather than on a branch.
    pub is_tag: bool,
    /// Where the name came from.
    pub source: BranchSource,
    /// Tags at the checkout's commit (only for the checkout source).
    pub tags: Vec<String>,
}

/// Which pattern selected an environment.
#[derive(Debug, Clone, PartialEq)]
pub struct PatternMatch {
    /// The environment's name.
    pub env: String,
    /// The pattern, with its place in environments.yaml.
    pub pattern: Spanned<String>,
    /// The branch or tag it matched.
    pub matched: String,
    /// True for a `tags:` pattern.
    pub by_tag: bool,
}

/// Finds the branch from the sources in precedence order.
pub fn detect_branch(
    flag: Option<&str>,
    var: &dyn Fn(&str) -> Option<String>,
    checkout: Option<&Checkout>,
) -> Result<BranchInfo, Diagnostic> {
    let var = |name: &str| var(name).filter(|v| !v.trim().is_empty());
    let info = |name: String, is_tag: bool, source| BranchInfo {
        name,
        is_tag,
        source,
        tags: Vec::new(),
    };
    if let Some(b) = flag.filter(|b| !b.trim().is_empty()) {
        return Ok(info(b.to_string(), false, BranchSource::Flag));
    }
    if let Some(b) = var("FLOE_BRANCH") {
        return Ok(info(b, false, BranchSource::FloeBranch));
    }
    if let Some(b) = var("GITHUB_HEAD_REF") {
        return Ok(info(b, false, BranchSource::Ci("GITHUB_HEAD_REF")));
    }
    if let Some(b) = var("GITHUB_REF_NAME") {
        let is_tag = var("GITHUB_REF_TYPE").is_some_and(|t| t == "tag");
        return Ok(info(b, is_tag, BranchSource::Ci("GITHUB_REF_NAME")));
    }
    if let Some(b) = var("CI_COMMIT_REF_NAME") {
        let is_tag = var("CI_COMMIT_TAG").is_some_and(|t| t == b);
        return Ok(info(b, is_tag, BranchSource::Ci("CI_COMMIT_REF_NAME")));
    }
    from_checkout(checkout)
}

/// The branch (or tag) the project's files come from: the CI's branch
/// variables, then the checkout. `--branch` and `FLOE_BRANCH` choose an
/// environment, not the files, so they are not read.
pub fn files_branch(
    var: &dyn Fn(&str) -> Option<String>,
    checkout: Option<&Checkout>,
) -> Option<String> {
    let ci_only = |name: &str| {
        if name == "FLOE_BRANCH" {
            None
        } else {
            var(name)
        }
    };
    detect_branch(None, &ci_only, checkout).ok().map(|b| b.name)
}

/// The branch (or tag) of the checkout itself.
fn from_checkout(checkout: Option<&Checkout>) -> Result<BranchInfo, Diagnostic> {
    let how =
        "pass it with --branch NAME or FLOE_BRANCH=NAME, or choose the environment with --env NAME";
    let Some(checkout) = checkout else {
        return Err(Diagnostic::error(
            "cannot tell which branch this is: the project is not in a git checkout",
        )
        .hint(how));
    };
    let tags = checkout.tags.clone();
    match &checkout.head {
        Head::Branch(b) => Ok(BranchInfo {
            name: b.clone(),
            is_tag: false,
            source: BranchSource::Checkout,
            tags,
        }),
        Head::Detached(sha) => match tags.first() {
            Some(tag) => Ok(BranchInfo {
                name: tag.clone(),
                is_tag: true,
                source: BranchSource::Checkout,
                tags: tags.clone(),
            }),
            None => Err(Diagnostic::error(format!(
                "cannot tell which branch this is: HEAD is detached at {}",
                sha.get(..12).unwrap_or(sha)
            ))
            .hint(how)),
        },
    }
}

/// The first environment whose branch (or, at a tag, tag) pattern matches.
pub fn match_environment<'a>(
    envs: &'a Environments,
    branch: &BranchInfo,
) -> Option<(&'a Environment, PatternMatch)> {
    let mut tags: Vec<&str> = branch.tags.iter().map(String::as_str).collect();
    if branch.is_tag && !tags.contains(&branch.name.as_str()) {
        tags.insert(0, &branch.name);
    }
    for env in &envs.environments {
        if !branch.is_tag
            && let Some(p) = env
                .branches
                .iter()
                .find(|p| glob_match(&p.value, &branch.name))
        {
            return Some((
                env,
                PatternMatch {
                    env: env.name.clone(),
                    pattern: p.clone(),
                    matched: branch.name.clone(),
                    by_tag: false,
                },
            ));
        }
        for tag in &tags {
            if let Some(p) = env.tags.iter().find(|p| glob_match(&p.value, tag)) {
                return Some((
                    env,
                    PatternMatch {
                        env: env.name.clone(),
                        pattern: p.clone(),
                        matched: tag.to_string(),
                        by_tag: true,
                    },
                ));
            }
        }
    }
    None
}

/// The error for a branch no pattern matches, listing every pattern.
pub fn no_match(envs: &Environments, branch: &BranchInfo) -> Diagnostic {
    let what = if branch.is_tag { "tag" } else { "branch" };
    let mut d = Diagnostic::error(format!(
        "the {what} `{}` (from {}) matches no environment",
        branch.name, branch.source
    ))
    .at(envs.span.clone());
    for env in &envs.environments {
        let list = |ps: &[Spanned<String>]| {
            ps.iter()
                .map(|p| format!("`{}`", p.value))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut line = format!(
            "{}: branches {}",
            env.name,
            if env.branches.is_empty() {
                "none".into()
            } else {
                list(&env.branches)
            }
        );
        if !env.tags.is_empty() {
            line.push_str(&format!(", tags {}", list(&env.tags)));
        }
        d = d.caused_by(line);
    }
    d.hint(format!(
        "add a matching pattern to {ENVIRONMENTS_FILE}, or choose the environment with --env NAME"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn vars(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| map.get(k).cloned()
    }

    fn on_branch(b: &str) -> Checkout {
        Checkout {
            head: Head::Branch(b.into()),
            commit: Some("abc".into()),
            tags: vec![],
        }
    }

    #[test]
    fn the_files_come_from_the_ci_branch_or_the_checkout_never_floe_branch() {
        let co = on_branch("release/1.0");
        let pr = vars(&[("FLOE_BRANCH", "main"), ("GITHUB_HEAD_REF", "feature/x")]);
        assert_eq!(files_branch(&pr, Some(&co)).as_deref(), Some("feature/x"));
        let local = vars(&[("FLOE_BRANCH", "main")]);
        assert_eq!(
            files_branch(&local, Some(&co)).as_deref(),
            Some("release/1.0")
        );
        assert_eq!(files_branch(&local, None), None);
    }

    #[test]
    fn precedence_is_flag_floe_branch_ci_then_checkout() {
        let all = vars(&[
            ("FLOE_BRANCH", "f"),
            ("GITHUB_HEAD_REF", "g"),
            ("GITHUB_REF_NAME", "r"),
            ("CI_COMMIT_REF_NAME", "c"),
        ]);
        let co = on_branch("main");
        let b = detect_branch(Some("x"), &all, Some(&co)).unwrap();
        assert_eq!((b.name.as_str(), b.source), ("x", BranchSource::Flag));
        let b = detect_branch(None, &all, Some(&co)).unwrap();
        assert_eq!((b.name.as_str(), b.source), ("f", BranchSource::FloeBranch));
        let b = detect_branch(
            None,
            &vars(&[("GITHUB_REF_NAME", "r"), ("CI_COMMIT_REF_NAME", "c")]),
            Some(&co),
        )
        .unwrap();
        assert_eq!(
            (b.name.as_str(), b.source),
            ("r", BranchSource::Ci("GITHUB_REF_NAME"))
        );
        let b = detect_branch(None, &vars(&[("CI_COMMIT_REF_NAME", "c")]), Some(&co)).unwrap();
        assert_eq!(b.source, BranchSource::Ci("CI_COMMIT_REF_NAME"));
        let b = detect_branch(None, &vars(&[("FLOE_BRANCH", "")]), Some(&co)).unwrap();
        assert_eq!(
            (b.name.as_str(), b.source),
            ("main", BranchSource::Checkout)
        );
        assert!(b.source.is_trusted());
        assert!(!BranchSource::FloeBranch.is_trusted());
    }

    #[test]
    fn detached_heads_need_a_tag_or_another_source() {
        let none = vars(&[]);
        let detached = Checkout {
            head: Head::Detached("0123456789abcdef".into()),
            commit: None,
            tags: vec![],
        };
        let err = detect_branch(None, &none, Some(&detached)).unwrap_err();
        assert!(
            err.message.contains("HEAD is detached at 0123456789ab"),
            "{err}"
        );
        assert!(err.hints[0].contains("--branch"));
        let tagged = Checkout {
            tags: vec!["v1.2".into()],
            ..detached
        };
        let b = detect_branch(None, &none, Some(&tagged)).unwrap();
        assert!(b.is_tag);
        assert_eq!(b.name, "v1.2");
        assert!(
            detect_branch(None, &none, None)
                .unwrap_err()
                .message
                .contains("not in a git checkout")
        );
        let b = detect_branch(
            None,
            &vars(&[("GITHUB_REF_NAME", "v2"), ("GITHUB_REF_TYPE", "tag")]),
            None,
        )
        .unwrap();
        assert!(b.is_tag);
    }
}
