//! Warnings about what a lost file left behind: a local account whose
//! files are gone although state records objects. The commands print them
//! on stderr before their output; nothing here changes a file.

use std::path::Path;

use super::engine::Workspace;
use crate::local::Opened;

/// A warning when the local account's files were missing although state
/// records objects: nobody deleted those objects, the account was lost (a
/// deleted `.floe/`, a fresh clone), and the plan shows them as deleted
/// outside floe.
pub fn lost_account(workspace: &Workspace, path: &Path, opened: Opened) -> Option<String> {
    let what = match opened {
        Opened::Existing => return None,
        Opened::Created => format!(
            "the local account {} did not exist, so a new one was created from the seed files",
            path.display()
        ),
        Opened::JournalMissing => format!(
            "the journal {} of the local account was missing: what was applied since its last snapshot is gone",
            path.with_extension("journal").display()
        ),
    };
    let recorded = workspace.store.load().ok()?.resources.len();
    if recorded == 0 {
        return None;
    }
    Some(format!(
        "warning: {what}, while {} records {recorded} {}.\n  \
         hint: objects missing from the account show as deleted outside floe; \
         restore the files under .floe/local/ if you have them, or apply to create them again\n",
        workspace.store.path().display(),
        if recorded == 1 { "object" } else { "objects" },
    ))
}
