//! `floe schema`: the JSON Schema of resource files, generated from the
//! kinds' own schemas so that it never falls behind the readers.

use std::io::Write;

use super::ExitCode;
use crate::diag::{Diagnostic, Diagnostics};
use crate::kinds::resource_json_schema;

/// Writes the schema, pretty-printed, to `out`.
pub fn run(out: &mut dyn Write) -> Result<ExitCode, Diagnostics> {
    let text = serde_json::to_string_pretty(&resource_json_schema())
        .map_err(|e| Diagnostic::error(format!("cannot write the schema: {e}")))?;
    writeln!(out, "{text}")
        .map_err(|e| Diagnostic::error(format!("cannot write the schema: {e}")))?;
    Ok(0)
}
