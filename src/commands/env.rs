//! `floe env`.

use std::io::Write;

use super::{Context, ExitCode};
use crate::cli::EnvCommand;
use crate::diag::{Diagnostic, Diagnostics};

/// Runs `floe env`.
pub fn run(
    _ctx: &Context,
    _args: &EnvCommand,
    _out: &mut dyn Write,
) -> Result<ExitCode, Diagnostics> {
    Err(Diagnostic::error("`floe env` is not built yet").into())
}
