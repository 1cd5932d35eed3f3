//! `floe apply`.

use std::io::Write;

use super::{Context, ExitCode};
use crate::cli::ApplyArgs;
use crate::diag::{Diagnostic, Diagnostics};

/// Runs `floe apply`.
pub fn run(
    _ctx: &Context,
    _args: &ApplyArgs,
    _out: &mut dyn Write,
) -> Result<ExitCode, Diagnostics> {
    Err(Diagnostic::error("`floe apply` is not built yet").into())
}
