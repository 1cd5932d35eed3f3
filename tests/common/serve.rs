//! `floe local serve` as a child process, for tests that talk to it over HTTP.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use super::Project;

/// The user the served account accepts.
pub const SERVE_USER: &str = "tester";

/// Kills the server when the test ends, whatever happens.
pub struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `floe local serve --env DEV` for `project` on a free port and returns it with the port it printed.
pub fn serve(project: &Project, password: &str) -> (Server, u16) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_floe"))
        .arg("-C")
        .arg(project.path())
        .args([
            "local", "serve", "--env", "DEV", "--port", "0", "--user", SERVE_USER,
        ])
        .env("FLOE_LOCAL_PASSWORD", password)
        .env_remove("FLOE_LOCAL_LATENCY_MS")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("floe starts");
    let stdout = child.stdout.take().expect("stdout was piped above");
    let server = Server(child);
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("the server prints its address");
    let port = line
        .trim()
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("expected `listening on http://127.0.0.1:PORT`, got {line:?}"));
    (server, port)
}
