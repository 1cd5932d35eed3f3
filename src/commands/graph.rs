//! `floe graph`.

use std::io::Write;

use super::{Context, ExitCode};
use crate::cli::GraphArgs;
use crate::diag::{Diagnostic, Diagnostics};

/// Runs `floe graph`.
pub fn run(
    _ctx: &Context,
    _args: &GraphArgs,
    _out: &mut dyn Write,
) -> Result<ExitCode, Diagnostics> {
    Err(Diagnostic::error("`floe graph` is not built yet").into())
}
