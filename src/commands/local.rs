//! `floe local`.

use std::io::Write;

use super::{Context, ExitCode};
use crate::cli::LocalCommand;
use crate::diag::{Diagnostic, Diagnostics};

/// Runs `floe local`.
pub fn run(
    _ctx: &Context,
    _args: &LocalCommand,
    _out: &mut dyn Write,
) -> Result<ExitCode, Diagnostics> {
    Err(Diagnostic::error("`floe local` is not built yet").into())
}
