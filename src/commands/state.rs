//! `floe state`.

use std::io::Write;

use super::{Context, ExitCode};
use crate::cli::StateCommand;
use crate::diag::{Diagnostic, Diagnostics};

/// Runs `floe state`.
pub fn run(
    _ctx: &Context,
    _args: &StateCommand,
    _out: &mut dyn Write,
) -> Result<ExitCode, Diagnostics> {
    Err(Diagnostic::error("`floe state` is not built yet").into())
}
