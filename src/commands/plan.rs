//! `floe plan`.

use std::io::Write;

use super::{Context, ExitCode};
use crate::cli::PlanArgs;
use crate::diag::{Diagnostic, Diagnostics};

/// Runs `floe plan`.
pub fn run(
    _ctx: &Context,
    _args: &PlanArgs,
    _out: &mut dyn Write,
) -> Result<ExitCode, Diagnostics> {
    Err(Diagnostic::error("`floe plan` is not built yet").into())
}
