//! Reading the checkout's branch, commit and tags straight from `.git`,
//! without a git binary.
//!
//! Handles a `.git` folder, a `.git` file pointing at a gitdir (worktrees and
//! submodules, with `commondir`), symbolic and detached HEADs, loose refs and
//! `packed-refs` (including peeled annotated tags). Loose annotated tags are
//! not peeled (that would need the object database), so a checkout at one is
//! recognised only through `packed-refs`. Read-only; never writes.

use std::path::{Path, PathBuf};

/// What HEAD points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Head {
    /// On a branch (`main`, `feature/x`).
    Branch(String),
    /// Detached at a commit.
    Detached(String),
}

/// The state of a checkout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkout {
    /// HEAD.
    pub head: Head,
    /// The commit HEAD resolves to, when it resolves.
    pub commit: Option<String>,
    /// Tags pointing exactly at that commit, sorted.
    pub tags: Vec<String>,
}

/// Reads the checkout holding `start` (searching parent folders), or `None`
/// when `start` is not inside a git repository.
pub fn read_checkout(start: &Path) -> Option<Checkout> {
    let start = std::fs::canonicalize(start).ok()?;
    let gitdir = start.ancestors().find_map(gitdir_of)?;
    let common = std::fs::read_to_string(gitdir.join("commondir"))
        .ok()
        .map(|c| gitdir.join(c.trim()))
        .unwrap_or_else(|| gitdir.clone());
    let head_text = std::fs::read_to_string(gitdir.join("HEAD")).ok()?;
    let head_text = head_text.trim();
    let dirs = [gitdir.as_path(), common.as_path()];
    let (head, commit) = match head_text.strip_prefix("ref:") {
        Some(reference) => {
            let reference = reference.trim();
            let name = reference
                .strip_prefix("refs/heads/")
                .unwrap_or(reference)
                .to_string();
            (Head::Branch(name), resolve_ref(&dirs, reference, 0))
        }
        None => (
            Head::Detached(head_text.to_string()),
            Some(head_text.to_string()),
        ),
    };
    let tags = commit
        .as_deref()
        .map(|c| tags_at(&common, c))
        .unwrap_or_default();
    Some(Checkout { head, commit, tags })
}

fn gitdir_of(dir: &Path) -> Option<PathBuf> {
    let dot_git = dir.join(".git");
    if dot_git.is_dir() {
        return Some(dot_git);
    }
    let text = std::fs::read_to_string(&dot_git).ok()?;
    let target = text.lines().find_map(|l| l.strip_prefix("gitdir:"))?.trim();
    Some(dir.join(target))
}

fn resolve_ref(dirs: &[&Path], name: &str, depth: usize) -> Option<String> {
    if depth > 5 {
        return None;
    }
    for dir in dirs {
        if let Ok(text) = std::fs::read_to_string(dir.join(name)) {
            let text = text.trim();
            return match text.strip_prefix("ref:") {
                Some(next) => resolve_ref(dirs, next.trim(), depth + 1),
                None => Some(text.to_string()),
            };
        }
    }
    let packed = std::fs::read_to_string(dirs.last()?.join("packed-refs")).ok()?;
    packed.lines().find_map(|line| {
        let (sha, refname) = line.split_once(' ')?;
        (refname.trim() == name && !line.starts_with(['#', '^'])).then(|| sha.to_string())
    })
}

fn tags_at(common: &Path, commit: &str) -> Vec<String> {
    let mut tags = Vec::new();
    loose_tags(&common.join("refs/tags"), "", commit, &mut tags);
    if let Ok(packed) = std::fs::read_to_string(common.join("packed-refs")) {
        let mut last: Option<(String, String)> = None;
        for line in packed.lines() {
            if let Some(peeled) = line.strip_prefix('^') {
                if let Some((tag, _)) = &last
                    && peeled.trim() == commit
                {
                    tags.push(tag.clone());
                }
                continue;
            }
            last = None;
            let Some((sha, refname)) = line.split_once(' ') else {
                continue;
            };
            if let Some(tag) = refname.trim().strip_prefix("refs/tags/") {
                if sha == commit {
                    tags.push(tag.to_string());
                }
                last = Some((tag.to_string(), sha.to_string()));
            }
        }
    }
    tags.sort();
    tags.dedup();
    tags
}

fn loose_tags(dir: &Path, prefix: &str, commit: &str, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        let path = entry.path();
        let full = if prefix.is_empty() {
            name
        } else {
            format!("{prefix}/{name}")
        };
        if path.is_dir() {
            loose_tags(&path, &full, commit, out);
        } else if std::fs::read_to_string(&path).is_ok_and(|t| t.trim() == commit) {
            out.push(full);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHA: &str = "0123456789abcdef0123456789abcdef01234567";
    const OTHER: &str = "fedcba9876543210fedcba9876543210fedcba98";

    fn write(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn branch_and_commit_from_loose_and_packed_refs() {
        let dir = tempfile::tempdir().unwrap();
        let git = dir.path().join(".git");
        write(&git.join("HEAD"), "ref: refs/heads/feature/x\n");
        write(&git.join("refs/heads/feature/x"), &format!("{SHA}\n"));
        let sub = dir.path().join("sub");
        std::fs::create_dir_all(&sub).unwrap();
        let c = read_checkout(&sub).unwrap();
        assert_eq!(c.head, Head::Branch("feature/x".into()));
        assert_eq!(c.commit.as_deref(), Some(SHA));

        std::fs::remove_file(git.join("refs/heads/feature/x")).unwrap();
        write(
            &git.join("packed-refs"),
            &format!("# pack-refs with: peeled\n{SHA} refs/heads/feature/x\n"),
        );
        assert_eq!(
            read_checkout(dir.path()).unwrap().commit.as_deref(),
            Some(SHA)
        );
    }

    #[test]
    fn detached_head_at_tags_loose_and_peeled() {
        let dir = tempfile::tempdir().unwrap();
        let git = dir.path().join(".git");
        write(&git.join("HEAD"), &format!("{SHA}\n"));
        write(&git.join("refs/tags/v1.0"), &format!("{SHA}\n"));
        write(
            &git.join("packed-refs"),
            &format!("{OTHER} refs/tags/v2.0\n^{SHA}\n{OTHER} refs/tags/old\n"),
        );
        let c = read_checkout(dir.path()).unwrap();
        assert_eq!(c.head, Head::Detached(SHA.into()));
        assert_eq!(c.tags, vec!["v1.0", "v2.0"]);
    }

    #[test]
    fn worktree_git_file_with_commondir() {
        let dir = tempfile::tempdir().unwrap();
        let main_git = dir.path().join("main/.git");
        write(&main_git.join("refs/heads/dev"), &format!("{SHA}\n"));
        let wt_git = main_git.join("worktrees/wt");
        write(&wt_git.join("HEAD"), "ref: refs/heads/dev\n");
        write(&wt_git.join("commondir"), "../..\n");
        let wt = dir.path().join("wt");
        write(&wt.join(".git"), &format!("gitdir: {}\n", wt_git.display()));
        let c = read_checkout(&wt).unwrap();
        assert_eq!(c.head, Head::Branch("dev".into()));
        assert_eq!(c.commit.as_deref(), Some(SHA));
    }
}
