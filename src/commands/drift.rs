//! `floe drift`.

use std::io::Write;

use super::{Context, ExitCode};
use crate::cli::DriftArgs;
use crate::diag::{Diagnostic, Diagnostics};

/// Runs `floe drift`.
pub fn run(
    _ctx: &Context,
    _args: &DriftArgs,
    _out: &mut dyn Write,
) -> Result<ExitCode, Diagnostics> {
    Err(Diagnostic::error("`floe drift` is not built yet").into())
}
