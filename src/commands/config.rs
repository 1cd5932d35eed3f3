//! `floe config`.

use std::io::Write;

use super::{Context, ExitCode};
use crate::cli::ConfigCommand;
use crate::diag::{Diagnostic, Diagnostics};

/// Runs `floe config`.
pub fn run(
    _ctx: &Context,
    _args: &ConfigCommand,
    _out: &mut dyn Write,
) -> Result<ExitCode, Diagnostics> {
    Err(Diagnostic::error("`floe config` is not built yet").into())
}
