//! `floe completions`: a completion script for a shell, generated from the
//! command line's own definition so that it never falls behind it.

use std::io::Write;

use clap::CommandFactory;

use super::ExitCode;
use crate::cli::{Cli, CompletionsArgs};
use crate::diag::{Diagnostic, Diagnostics};

/// Writes the completion script for `args.shell` to `out`.
pub fn run(args: &CompletionsArgs, out: &mut dyn Write) -> Result<ExitCode, Diagnostics> {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "floe", &mut script);
    out.write_all(&script)
        .map_err(|e| Diagnostic::error(format!("cannot write the completion script: {e}")))?;
    Ok(0)
}
