//! `floe validate`.

use std::io::Write;

use super::{Context, ExitCode};
use crate::cli::EnvArgs;
use crate::diag::{Diagnostic, Diagnostics};

/// Runs `floe validate`.
pub fn run(_ctx: &Context, _args: &EnvArgs, _out: &mut dyn Write) -> Result<ExitCode, Diagnostics> {
    Err(Diagnostic::error("`floe validate` is not built yet").into())
}
