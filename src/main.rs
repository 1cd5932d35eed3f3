//! The `floe` binary: parse arguments, run the command, print diagnostics,
//! exit with the command's code. Everything else lives in the library.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use floe::cli::Cli;

/// A plan reads, builds and compares hundreds of thousands of small strings
/// and maps; with the system allocator, malloc and free took about a
/// quarter of a large plan's CPU. mimalloc serves them with less CPU and,
/// from about 10,000 objects up, less peak memory (it keeps a reserve that
/// small projects see as a few more megabytes; README "Scale").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let project = cli.project.clone();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let result = floe::commands::run(cli, &mut out);
    let _ = out.flush();
    match result {
        Ok(code) => ExitCode::from(code),
        Err(diagnostics) => {
            eprint!("{}", diagnostics.render(&project));
            ExitCode::from(1)
        }
    }
}
