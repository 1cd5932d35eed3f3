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
    serve_slowly(project, password, 0)
}

impl Server {
    /// Stops the server at once, as a crash or a lost network would.
    pub fn kill(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// [`serve`], answering every statement after `latency_ms` milliseconds.
pub fn serve_slowly(project: &Project, password: &str, latency_ms: u64) -> (Server, u16) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_floe"))
        .arg("-C")
        .arg(project.path())
        .args([
            "local", "serve", "--env", "DEV", "--port", "0", "--user", SERVE_USER,
        ])
        .env("FLOE_LOCAL_PASSWORD", password)
        .env("FLOE_LOCAL_LATENCY_MS", latency_ms.to_string())
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

/// Writes connection `served` for the server on `port` into the
/// project's test home (`SNOWFLAKE_HOME`), readable by its owner only.
pub fn write_connection(project: &Project, port: u16, password: &str) {
    use std::os::unix::fs::PermissionsExt;
    let dir = project.path().join(".home/.snowflake");
    std::fs::create_dir_all(&dir).expect("folders can be created");
    let file = dir.join("connections.toml");
    let text = format!(
        "[served]\naccount = \"local\"\nuser = \"{SERVE_USER}\"\npassword = \"{password}\"\n\
         host = \"127.0.0.1\"\nport = {port}\nprotocol = \"http\"\n"
    );
    std::fs::write(&file, text).expect("the connections file can be written");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600))
        .expect("permissions can be set");
}
