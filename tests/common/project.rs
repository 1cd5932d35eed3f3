//! A temporary floe project and the built `floe` binary run on it: write
//! files, run a command, assert on exit code, stdout and stderr.
//!
//! Every run clears the branch variables floe reads (`FLOE_BRANCH`, the CI
//! ones, `FLOE_CONNECTION`) and the local account's simulated latency so
//! tests do not depend on where they run, and points `SNOWFLAKE_HOME` and
//! `HOME` inside the project so no real configuration is read.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// Variables cleared for every run unless the test sets them.
const CLEARED: &[&str] = &[
    "FLOE_BRANCH",
    "FLOE_CONNECTION",
    "GITHUB_HEAD_REF",
    "GITHUB_REF_NAME",
    "GITHUB_REF_TYPE",
    "GITHUB_BASE_REF",
    "CI_COMMIT_REF_NAME",
    "CI_COMMIT_TAG",
    "NO_COLOR",
    "FLOE_LOCAL_LATENCY_MS",
];

/// A temporary floe project.
pub struct Project {
    dir: tempfile::TempDir,
}

/// What one run of `floe` produced.
#[derive(Debug)]
pub struct Output {
    /// Exit code (-1 when killed by a signal).
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Project {
    /// An empty project folder.
    pub fn new() -> Project {
        Project {
            dir: tempfile::tempdir().expect("a temporary folder can be created"),
        }
    }

    /// A copy of the example project at the repository root (its `config/`
    /// and `resources/`, without any local account or state).
    pub fn example() -> Project {
        let project = Project::new();
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        for folder in ["config", "resources"] {
            copy_tree(&root.join(folder), &project.path().join(folder));
        }
        project
    }

    /// The example, keeping its state in the account's tables.
    pub fn example_in_tables() -> Project {
        let project = Project::example();
        project.keep_state_in_tables(true);
        project
    }

    /// Sets the example's `state: {backend: snowflake}` in
    /// environments.yaml, or takes it out again (state in files).
    pub fn keep_state_in_tables(&self, in_tables: bool) {
        let files = "default_connection: local\n";
        let tables = "default_connection: local\nstate:\n  backend: snowflake\n";
        match in_tables {
            true => self.edit("config/environments.yaml", files, tables),
            false => self.edit("config/environments.yaml", tables, files),
        }
    }

    /// A project holding a copy of every file under `dir` (its local
    /// accounts and state included).
    pub fn copy_of(dir: &Path) -> Project {
        let project = Project::new();
        copy_tree(dir, project.path());
        project
    }

    /// Reads `path` (relative to the project).
    pub fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.path().join(path))
            .unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
    }

    /// Replaces `from` by `to` in `path`, which must contain `from`.
    pub fn edit(&self, path: &str, from: &str, to: &str) {
        let text = self.read(path);
        assert!(text.contains(from), "{path} does not contain {from:?}");
        std::fs::write(self.path().join(path), text.replacen(from, to, 1))
            .expect("the file can be written");
    }

    /// Replaces every `from` by `to` in `path`, which must contain `from`.
    pub fn edit_all(&self, path: &str, from: &str, to: &str) {
        let text = self.read(path);
        assert!(text.contains(from), "{path} does not contain {from:?}");
        std::fs::write(self.path().join(path), text.replace(from, to))
            .expect("the file can be written");
    }

    /// Deletes the file `path` (relative to the project).
    pub fn remove(&self, path: &str) {
        std::fs::remove_file(self.path().join(path))
            .unwrap_or_else(|e| panic!("cannot remove {path}: {e}"));
    }

    /// Writes the lock of `env`'s state as held by `who` running `floe
    /// apply` in this test process, which is alive: floe must wait for it
    /// or refuse, never take it as stale.
    pub fn hold_lock(&self, env: &str, who: &str) {
        let dir = self.path().join("state");
        std::fs::create_dir_all(&dir).expect("the state folder can be created");
        let holder = serde_json::json!({
            "who": who,
            "pid": std::process::id(),
            "started_at": "2026-11-28T09:00:00Z",
            "command": "floe apply",
        });
        std::fs::write(dir.join(format!("{env}.lock")), holder.to_string())
            .expect("the lock can be written");
    }

    /// Waits until the state of `env` (snapshot and journal, read as floe
    /// reads them) records at least `count` resources, failing if `child`
    /// (the apply writing it) ends first or two minutes pass.
    pub fn wait_for_recorded(&self, env: &str, count: usize, child: &mut Child) {
        let store = floe::state::StateStore::new(self.path().join("state"), env);
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
        loop {
            let recorded = store.load().map_or(0, |state| state.resources.len());
            if recorded >= count {
                return;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "the apply recorded {recorded} resources in two minutes"
            );
            assert!(
                child.try_wait().expect("the child can be polled").is_none(),
                "the apply ended before recording {count} resources"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }

    /// A project with `config/environments.yaml` holding `text`.
    pub fn with_environments(text: &str) -> Project {
        Project::new().file("config/environments.yaml", text)
    }

    /// Writes `text` to `path` (relative to the project), creating folders.
    pub fn file(self, path: &str, text: &str) -> Project {
        let full = self.path().join(path);
        std::fs::create_dir_all(full.parent().expect("a file path has a parent"))
            .expect("folders can be created");
        std::fs::write(full, text).expect("the file can be written");
        self
    }

    /// The project root.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Makes the project a git checkout whose HEAD is `head_line`
    /// (`ref: refs/heads/main` or a commit sha), with `refs` as `(refname, sha)`.
    pub fn git(self, head_line: &str, refs: &[(&str, &str)]) -> Project {
        let mut p = self.file(".git/HEAD", &format!("{head_line}\n"));
        for (name, sha) in refs {
            p = p.file(&format!(".git/{name}"), &format!("{sha}\n"));
        }
        p
    }

    /// Runs `floe -C <project> <args>`.
    pub fn run(&self, args: &[&str]) -> Output {
        self.run_with_env(args, &[])
    }

    /// Runs `floe -C <project> <args>` with extra environment variables.
    pub fn run_with_env(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let out = self
            .command(args, env)
            .output()
            .expect("the floe binary runs");
        Output {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Runs `floe <args> --branch <branch>`.
    pub fn on_branch(&self, branch: &str, args: &[&str]) -> Output {
        let all: Vec<&str> = args.iter().copied().chain(["--branch", branch]).collect();
        self.run(&all)
    }

    /// Applies the project to the environment `branch` selects, which must
    /// succeed.
    pub fn apply(&self, branch: &str) {
        self.on_branch(branch, &["apply", "--auto-approve"])
            .code(0)
            .stdout_has("Apply complete");
    }

    /// The project, applied to the environment `branch` selects.
    pub fn applied(self, branch: &str) -> Project {
        self.apply(branch);
        self
    }

    /// Asserts that the plan of `branch`, which selects `env`, is empty.
    pub fn assert_clean(&self, branch: &str, env: &str) {
        self.on_branch(branch, &["plan", "--detailed-exitcode"])
            .code(0)
            .stdout_has(&format!("No changes. {env} matches the declarations."));
    }

    /// Starts `floe apply --auto-approve --parallelism <parallelism> --branch
    /// <branch>` with `latency_ms` before every local statement, its stdout
    /// and stderr piped.
    pub fn slow_apply(&self, branch: &str, latency_ms: u64, parallelism: u8) -> Child {
        let parallelism = parallelism.to_string();
        let latency = latency_ms.to_string();
        self.command(
            &[
                "apply",
                "--auto-approve",
                "--parallelism",
                &parallelism,
                "--branch",
                branch,
            ],
            &[("FLOE_LOCAL_LATENCY_MS", &latency)],
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("floe starts")
    }

    /// The command `floe -C <project> <args>` with the test environment
    /// (see the module documentation) and `env` on top.
    pub fn command(&self, args: &[&str], env: &[(&str, &str)]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_floe"));
        cmd.arg("-C").arg(self.path()).args(args);
        self.isolate(&mut cmd, env);
        cmd
    }

    /// Runs `cmd` in the project with the test environment: the variables
    /// a user's shell could leak cleared, a home of its own, `env` on top.
    fn isolate(&self, cmd: &mut Command, env: &[(&str, &str)]) {
        cmd.current_dir(self.path());
        for var in CLEARED {
            cmd.env_remove(var);
        }
        let home: PathBuf = self.path().join(".home");
        cmd.env("HOME", &home)
            .env("SNOWFLAKE_HOME", home.join(".snowflake"));
        for (k, v) in env {
            cmd.env(k, v);
        }
    }
}

impl Project {
    /// A copy of the example committed on `main` in a new git repository
    /// (the real `git`, so branches and commits are what floe reads in CI).
    pub fn example_repository() -> Project {
        let project = Project::example();
        project.run_git(&["init", "--quiet", "--initial-branch", "main"]);
        project.run_git(&["add", "config", "resources"]);
        project.run_git(&["commit", "--quiet", "-m", "The PUDO platform"]);
        project
    }

    /// Runs `git <args>` in the project, which must succeed.
    pub fn run_git(&self, args: &[&str]) {
        let out = Command::new("git")
            .args(["-c", "user.name=floe", "-c", "user.email=floe@example.com"])
            .args(args)
            .current_dir(self.path())
            .output()
            .expect("git runs");
        assert!(
            out.status.success(),
            "git {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Runs `script` with bash as a CI step does (`-eo pipefail`), in the
    /// project, with the built `floe` first on `PATH`, the test environment
    /// of [`Project::command`] and `env` on top.
    pub fn script(&self, script: &str, env: &[(&str, &str)]) -> Output {
        let floe = Path::new(env!("CARGO_BIN_EXE_floe"));
        let bin = floe.parent().expect("the binary is in a folder");
        let path = std::env::var_os("PATH").unwrap_or_default();
        let mut dirs = vec![bin.to_path_buf()];
        dirs.extend(std::env::split_paths(&path));
        let mut cmd = Command::new("bash");
        cmd.args(["--noprofile", "--norc", "-eo", "pipefail", "-c", script])
            .env(
                "PATH",
                std::env::join_paths(dirs).expect("PATH entries join"),
            );
        self.isolate(&mut cmd, env);
        let out = cmd.output().expect("bash runs");
        Output {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

/// Reads the log (stderr) of a floe run started with [`Project::slow_apply`]
/// until a line holds every word of `words`; returns the lines read, and
/// the rest of the log on a thread.
pub fn read_until(child: &mut Child, words: &[&str]) -> std::thread::JoinHandle<Vec<String>> {
    let mut lines = BufReader::new(child.stderr.take().expect("stderr is piped")).lines();
    let mut seen = Vec::new();
    for line in lines.by_ref() {
        let line = line.expect("the log is text");
        let found = words.iter().all(|w| line.contains(w));
        seen.push(line);
        if found {
            return std::thread::spawn(move || {
                seen.extend(lines.map_while(Result::ok));
                seen
            });
        }
    }
    panic!(
        "the apply ended without logging {words:?}:\n{}",
        seen.join("\n")
    );
}

/// Sends `child` the signal `name` (`-INT`, `-KILL`, ...) as `kill` does.
pub fn signal(child: &Child, name: &str) {
    let sent = Command::new("kill")
        .args([name, &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(sent.success(), "kill {name} failed");
}

/// Copies the folder `from` to `to`, recursively.
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("folders can be created");
    for entry in std::fs::read_dir(from).expect("the folder can be read") {
        let entry = entry.expect("the folder can be read");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("a file type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("the file can be copied");
        }
    }
}

impl Output {
    /// Asserts the exit code, showing both streams when it differs.
    pub fn code(&self, expected: i32) -> &Output {
        assert_eq!(
            self.code, expected,
            "unexpected exit code\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout, self.stderr
        );
        self
    }

    /// Asserts that stdout contains `text`.
    pub fn stdout_has(&self, text: &str) -> &Output {
        assert!(
            self.stdout.contains(text),
            "stdout lacks {text:?}\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout,
            self.stderr
        );
        self
    }

    /// Asserts that stdout does not contain `text`.
    pub fn stdout_lacks(&self, text: &str) -> &Output {
        assert!(
            !self.stdout.contains(text),
            "stdout has {text:?}\n--- stdout\n{}",
            self.stdout
        );
        self
    }

    /// Asserts that stderr contains `text`.
    pub fn stderr_has(&self, text: &str) -> &Output {
        assert!(
            self.stderr.contains(text),
            "stderr lacks {text:?}\n--- stderr\n{}",
            self.stderr
        );
        self
    }

    /// Asserts that stderr does not contain `text`.
    pub fn stderr_lacks(&self, text: &str) -> &Output {
        assert!(
            !self.stderr.contains(text),
            "stderr unexpectedly has {text:?}\n--- stderr\n{}",
            self.stderr
        );
        self
    }

    /// Asserts that the process did not panic.
    pub fn no_panic(&self) -> &Output {
        assert!(
            !self.stderr.contains("panicked"),
            "floe panicked\n{}",
            self.stderr
        );
        self
    }
}

/// A small environments.yaml with DEV (`dev`, `feature/*`) and PROD (`main`, tags `v*`, protected).
pub const ENVIRONMENTS: &str = "\
project: test
default_connection: local
environments:
  DEV:
    branches: [dev, \"feature/*\"]
    database: TEST_DB
  PROD:
    branches: [main]
    tags: [\"v*\"]
    database: TEST_DB
    protected: true
";
