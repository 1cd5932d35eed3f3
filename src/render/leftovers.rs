//! Warnings about what a lost file or an earlier run left behind: a local
//! account whose files are gone although state records objects, and the
//! lock of an apply that was cut short, with the tasks it left suspended.
//! The commands find these and print the text on stderr before their output.

use std::fmt::Write;
use std::path::PathBuf;

use crate::model::Address;
use crate::state::LockInfo;

/// Which file of the local account was missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LostFile {
    /// The account itself: a new one was created from the seed files.
    Account,
    /// The journal: what was applied since the last snapshot is gone.
    Journal,
}

/// A local account that lost a file while state records objects in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LostAccount {
    /// Which file was missing.
    pub lost: LostFile,
    /// That file's path.
    pub file: PathBuf,
    /// The state file recording the objects.
    pub state: PathBuf,
    /// How many objects state records.
    pub recorded: usize,
}

/// An apply cut short: its lock is left though its process is gone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InterruptedRun {
    /// The environment.
    pub environment: String,
    /// The lock file left behind.
    pub lock: PathBuf,
    /// Who held it, as the lock file says.
    pub holder: LockInfo,
    /// Tasks state records suspended although they are declared enabled.
    pub suspended: Vec<Address>,
}

/// The warning for a lost local account, with how to get it back.
pub fn lost_account_text(lost: &LostAccount) -> String {
    let what = match lost.lost {
        LostFile::Account => format!(
            "the local account {} did not exist, so a new one was created from the seed files",
            lost.file.display()
        ),
        LostFile::Journal => format!(
            "the journal {} of the local account was missing: what was applied since its last snapshot is gone",
            lost.file.display()
        ),
    };
    format!(
        "warning: {what}, while {} records {} {}.\n  \
         hint: objects missing from the account show as deleted outside floe; \
         restore the files under .floe/local/ if you have them, or apply to create them again\n",
        lost.state.display(),
        lost.recorded,
        if lost.recorded == 1 {
            "object"
        } else {
            "objects"
        },
    )
}

/// The warning for an apply cut short: the lock, the command that removes
/// it, and each task that run left suspended (which the next apply resumes).
pub fn interrupted_run_text(run: &InterruptedRun) -> String {
    let env = &run.environment;
    let holder = &run.holder;
    let mut text = format!(
        "warning: {} is left by `{}` (pid {}, {} since {}), which is no longer running: that apply was cut short.\n  \
         hint: when no apply is running, remove the lock with `floe state unlock --env {env}`\n",
        run.lock.display(),
        holder.command,
        holder.pid,
        holder.who,
        holder.started_at,
    );
    for address in &run.suspended {
        let _ = writeln!(
            text,
            "  hint: {address} was left suspended; the plan below resumes it"
        );
    }
    text
}
