//! How floe scales with the size of a project, measured on generated
//! projects of 1k / 4k / 10k objects (50k on request) driven through the
//! built `floe` binary against the embedded local account.
//!
//! Each project mixes warehouses, feature-store entities, feature views with
//! and without refresh (dynamic tables and views), task chains of ten (some
//! naming feature views in their SQL) and registry models, in one database
//! with a schema trio (feature store, tasks, registry) per thousand objects.
//!
//! For every size the bench prints one row:
//!
//! - `statements` and `read`: what reading the account costs (`plan -v`),
//!   with the simulated latency per statement;
//! - `validate CPU`: loading and resolving the project (`floe validate`);
//! - `plan CPU`: a whole no-change `floe plan`, including the embedded
//!   account answering the reads; `peak RSS` of that process;
//! - `served plan CPU`: the same plan against the account served by another
//!   process (`floe local serve`, over Snowflake's protocol), so only what
//!   floe itself spends, as against Snowflake, is counted; its peak RSS;
//! - `apply`: creating everything on a fresh account at the default
//!   parallelism and at `--parallelism 1`, with the latency per statement.
//!
//! CPU is user + system time of the child process (`wait4`), which other
//! work on the machine inflates far less than wall time; ratios between
//! sizes follow the table.
//! Then it loads a config of 100,000 keys, and applies independent
//! warehouse creates (1,000 by default) at 300 ms per statement without
//! flags, once with state in files and once with state in the account's
//! tables (`state: {backend: snowflake}`), and prints the overhead of the
//! tables as a ratio and per create.
//!
//! `FLOE_BENCH_BASELINE=<path of another floe binary>` measures validate,
//! plan and the creates with that binary too, side by side, for
//! before/after ratios.
//!
//! Run with `cargo bench --bench scale`. Environment:
//! `FLOE_BENCH_SIZES` (default `1000,4000,10000`; add `50000` for the large
//! row), `FLOE_BENCH_RUNS` (runs of validate and plan per build and size,
//! alternating builds; each figure is their median; default 5),
//! `FLOE_BENCH_LATENCY_MS` (read and apply latency, default 2),
//! `FLOE_BENCH_SERIAL_MAX` (largest size applied serially, default 4000),
//! `FLOE_BENCH_KEEP` (keep each project folder, applied, for profiling),
//! `FLOE_BENCH_SKIP` (comma list of `config`, `baseline-config`, `creates`
//! to leave out),
//! `FLOE_BENCH_CREATES` (how many independent creates, default 1000; 4000
//! is the figure the README reports), `FLOE_BENCH_CREATES_LATENCY_MS`
//! (their latency per statement, default 300),
//! `FLOE_BENCH_CREATES_PARALLELISM` (more `--parallelism` values for the
//! creates, e.g. `16,32,64,128`). Only the creates:
//! `FLOE_BENCH_SIZES= FLOE_BENCH_SKIP=config cargo bench --bench scale`.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Objects per generated unit: see [`unit`].
const UNIT: usize = 100;

fn main() {
    let sizes: Vec<usize> = env_list("FLOE_BENCH_SIZES", "1000,4000,10000");
    let latency = env_number("FLOE_BENCH_LATENCY_MS", 2);
    let serial_max = env_number("FLOE_BENCH_SERIAL_MAX", 4000) as usize;
    let skip = std::env::var("FLOE_BENCH_SKIP").unwrap_or_default();
    let baseline = std::env::var_os("FLOE_BENCH_BASELINE").map(PathBuf::from);
    println!("simulated latency per statement: {latency} ms (reads and applies)\n");
    let mut rows = Vec::new();
    for &size in &sizes {
        let row = measure(size, latency, size <= serial_max, baseline.as_deref());
        eprintln!("{size} objects measured");
        rows.push(row);
    }
    print!("{}", table(&rows));
    if baseline.is_some() {
        print!("{}", comparison(&rows));
    }
    if !skip.contains("config") {
        big_config(&current(), "this build");
        if let Some(before) = baseline
            .as_ref()
            .filter(|_| !skip.contains("baseline-config"))
        {
            big_config(before, "baseline");
        }
    }
    if !skip.contains("creates") {
        independent_creates(baseline.as_deref());
    }
}

/// What one size measured.
struct Row {
    objects: usize,
    statements: usize,
    read: Duration,
    validate: Usage,
    plan: Usage,
    /// The no-change plan against a served account: the plan process alone.
    served: Usage,
    apply_default: Duration,
    apply_serial: Option<Duration>,
    /// `(validate, plan)` with the baseline binary.
    before: Option<(Usage, Usage)>,
}

/// CPU and peak memory of one child process, and its wall time.
#[derive(Clone, Copy)]
struct Usage {
    cpu: Duration,
    peak_rss_kb: u64,
    wall: Duration,
}

fn measure(size: usize, latency: u64, serial: bool, baseline: Option<&Path>) -> Row {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let root = dir.path();
    let objects = generate(root, size);
    let this = current();
    // The account the no-change plan reads: everything applied once, fast.
    let (out, _) = floe(
        &this,
        root,
        &["apply", "--auto-approve", "--parallelism", "64"],
        0,
    );
    assert_eq!(out.code, 0, "the first apply fails:\n{}", out.stderr);
    // Each measure is the median of `runs` runs, this build's and the
    // baseline's alternating, so that a busy moment of the machine lands
    // on both builds alike.
    let runs = env_number("FLOE_BENCH_RUNS", 5).max(1) as usize;
    let mut ours = Vec::new();
    let mut served = Vec::new();
    let mut theirs = Vec::new();
    for _ in 0..runs {
        ours.push(no_change_plan(&this, root, latency));
        served.push(served_plan(&this, root, latency));
        if let Some(b) = baseline {
            theirs.push(no_change_plan(b, root, latency));
        }
    }
    let statements = ours[0].2;
    let read = median(ours.iter().map(|o| o.3).collect());
    let validate = median_usage(ours.iter().map(|o| o.0).collect());
    let plan = median_usage(ours.iter().map(|o| o.1).collect());
    let served = median_usage(served);
    let before = baseline.map(|_| {
        (
            median_usage(theirs.iter().map(|o| o.0).collect()),
            median_usage(theirs.iter().map(|o| o.1).collect()),
        )
    });
    let apply_default = fresh_apply(root, &[], latency);
    let apply_serial = serial.then(|| fresh_apply(root, &["--parallelism", "1"], latency));
    keep(dir);
    Row {
        objects,
        statements,
        read,
        validate,
        plan,
        served,
        apply_default,
        apply_serial,
        before,
    }
}

/// The median of each figure of `usages` (not empty), each on its own.
fn median_usage(usages: Vec<Usage>) -> Usage {
    Usage {
        cpu: median(usages.iter().map(|u| u.cpu).collect()),
        peak_rss_kb: median(usages.iter().map(|u| u.peak_rss_kb).collect()),
        wall: median(usages.iter().map(|u| u.wall).collect()),
    }
}

/// The middle value of `values` (not empty); the lower middle of an even count.
fn median<T: Ord + Copy>(mut values: Vec<T>) -> T {
    values.sort_unstable();
    values[(values.len() - 1) / 2]
}

/// With `FLOE_BENCH_KEEP`, keeps the project of the last size (applied) for profiling.
fn keep(dir: tempfile::TempDir) {
    if std::env::var_os("FLOE_BENCH_KEEP").is_some() {
        eprintln!("kept {}", dir.keep().display());
    }
}

/// Validate, then a no-change plan with `binary`: their usage, the read
/// statements and the read time.
fn no_change_plan(binary: &Path, root: &Path, latency: u64) -> (Usage, Usage, usize, Duration) {
    let (out, validate) = floe(binary, root, &["validate"], 0);
    assert_eq!(out.code, 0, "validate fails:\n{}", out.stderr);
    let (out, plan) = floe(
        binary,
        root,
        &["-v", "plan", "--detailed-exitcode"],
        latency,
    );
    assert_eq!(
        out.code, 0,
        "the plan is not empty:\n{}{}",
        out.stdout, out.stderr
    );
    let (statements, read) = read_line(&out.stderr);
    (validate, plan, statements, read)
}

/// A no-change plan of `binary` against the account as `floe local serve`
/// serves it from another process: the plan process's usage alone.
fn served_plan(binary: &Path, root: &Path, latency: u64) -> Usage {
    use std::io::{BufRead, BufReader};
    use std::os::unix::fs::PermissionsExt;
    const PASSWORD: &str = "bench";
    let mut server = Command::new(binary)
        .args(["local", "serve", "--port", "0", "--user", "bench"])
        .current_dir(root)
        .env("FLOE_LOCAL_PASSWORD", PASSWORD)
        .env("FLOE_LOCAL_LATENCY_MS", latency.to_string())
        .env("HOME", root)
        .env("SNOWFLAKE_HOME", root)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("floe local serve starts");
    let mut line = String::new();
    let stdout = server.stdout.take().expect("stdout is piped");
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("the server prints its address");
    let port: u16 = line
        .trim()
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("expected `listening on http://127.0.0.1:PORT`, got {line:?}"));
    let connections = root.join("connections.toml");
    let text = format!(
        "[served]\naccount = \"local\"\nuser = \"bench\"\npassword = \"{PASSWORD}\"\n\
         host = \"127.0.0.1\"\nport = {port}\nprotocol = \"http\"\n"
    );
    fs::write(&connections, text).expect("the connections file is written");
    fs::set_permissions(&connections, fs::Permissions::from_mode(0o600))
        .expect("the connections file is made private");
    let (out, usage) = floe(
        binary,
        root,
        &["plan", "--detailed-exitcode", "--connection", "served"],
        latency,
    );
    let _ = server.kill();
    let _ = server.wait();
    assert_eq!(
        out.code, 0,
        "the served plan is not empty:\n{}{}",
        out.stdout, out.stderr
    );
    usage
}

/// This build's binary.
fn current() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_floe"))
}

/// Before/after CPU of validate and plan, per size.
fn comparison(rows: &[Row]) -> String {
    let mut out = String::from(
        "\n| objects | validate CPU before | after | before ÷ after | plan CPU before | after | before ÷ after | peak RSS before | after |\n\
         |---:|---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for r in rows {
        let Some((validate, plan)) = r.before else {
            continue;
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {:.2} | {} | {} | {:.2} | {} MB | {} MB |",
            r.objects,
            secs(validate.cpu),
            secs(r.validate.cpu),
            validate.cpu.as_secs_f64() / r.validate.cpu.as_secs_f64(),
            secs(plan.cpu),
            secs(r.plan.cpu),
            plan.cpu.as_secs_f64() / r.plan.cpu.as_secs_f64(),
            plan.peak_rss_kb / 1024,
            r.plan.peak_rss_kb / 1024
        );
    }
    out
}

/// Applies the whole project to a new account; the wall time.
fn fresh_apply(root: &Path, extra: &[&str], latency: u64) -> Duration {
    let _ = fs::remove_dir_all(root.join(".floe"));
    let _ = fs::remove_dir_all(root.join("state"));
    let mut args = vec!["apply", "--auto-approve"];
    args.extend_from_slice(extra);
    let (out, usage) = floe(&current(), root, &args, latency);
    assert_eq!(out.code, 0, "apply {extra:?} fails:\n{}", out.stderr);
    usage.wall
}

/// `(statements, time)` from `read the environment with N statements in M ms`.
fn read_line(stderr: &str) -> (usize, Duration) {
    let line = stderr
        .lines()
        .find(|l| l.starts_with("read the environment with"))
        .unwrap_or_else(|| panic!("no read summary in:\n{stderr}"));
    let numbers: Vec<u64> = line
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    (numbers[0] as usize, Duration::from_millis(numbers[1]))
}

fn table(rows: &[Row]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "| objects | statements | read | validate CPU | plan CPU | peak RSS | served plan CPU | served peak RSS | apply (default) | apply (--parallelism 1) |"
    );
    let _ = writeln!(out, "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for r in rows {
        let serial = match r.apply_serial {
            Some(d) => format!(
                "{} ({:.1}x slower)",
                secs(d),
                d.as_secs_f64() / r.apply_default.as_secs_f64()
            ),
            None => "not run".to_string(),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} MB | {} | {} MB | {} | {} |",
            r.objects,
            r.statements,
            secs(r.read),
            secs(r.validate.cpu),
            secs(r.plan.cpu),
            r.plan.peak_rss_kb / 1024,
            secs(r.served.cpu),
            r.served.peak_rss_kb / 1024,
            secs(r.apply_default),
            serial
        );
    }
    if let Some(first) = rows.first() {
        let _ = writeln!(out, "\nplan CPU relative to {} objects:", first.objects);
        for r in rows {
            let _ = writeln!(
                out,
                "  {:>6} objects: x{:.1} objects, x{:.1} plan CPU, x{:.1} served plan CPU, x{:.1} validate CPU",
                r.objects,
                r.objects as f64 / first.objects as f64,
                r.plan.cpu.as_secs_f64() / first.plan.cpu.as_secs_f64(),
                r.served.cpu.as_secs_f64() / first.served.cpu.as_secs_f64(),
                r.validate.cpu.as_secs_f64() / first.validate.cpu.as_secs_f64()
            );
        }
    }
    out
}

/// Loads a project whose config holds 100,000 keys in one file.
fn big_config(binary: &Path, which: &str) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let root = dir.path();
    generate(root, UNIT);
    let mut text = String::with_capacity(3_000_000);
    text.push_str("keys:\n");
    for i in 0..100_000 {
        let _ = writeln!(text, "  key_{i:06}: value {i}");
    }
    write(root, "config/big/base.yaml", &text);
    let (out, usage) = floe(binary, root, &["validate"], 0);
    assert_eq!(out.code, 0, "validate fails:\n{}", out.stderr);
    println!(
        "\nvalidate with a config/big/base.yaml of 100,000 keys ({which}): {} CPU, {} MB peak",
        secs(usage.cpu),
        usage.peak_rss_kb / 1024
    );
}

/// 4,000 independent warehouse creates at 300 ms per statement, without
/// flags, then with each `--parallelism` of `FLOE_BENCH_CREATES_PARALLELISM`.
/// Where a run keeps its state, as `state.backend` in environments.yaml says.
#[derive(Clone, Copy, PartialEq, Eq)]
enum StateIn {
    Files,
    Tables,
}

fn independent_creates(baseline: Option<&Path>) {
    let count = env_number("FLOE_BENCH_CREATES", 1_000) as usize;
    let latency = env_number("FLOE_BENCH_CREATES_LATENCY_MS", 300);
    let dir = tempfile::tempdir().expect("a temporary folder");
    let root = dir.path();
    let mut text = String::new();
    for i in 0..count {
        let _ = write!(
            text,
            "kind: Warehouse\nname: CREATE_WH_{i:05}\nsize: XSMALL\ninitially_suspended: true\n---\n"
        );
    }
    write(root, "resources/warehouses.yaml", &text);
    let serial_floor = Duration::from_millis(latency * count as u64);
    println!(
        "\n{count} independent creates at {latency} ms per statement \
         (--parallelism 1 needs at least {count} x {latency} ms = {} of latency alone), \
         with state in files and in the account's tables:",
        secs(serial_floor)
    );
    let mut runs: Vec<Option<String>> = vec![None];
    runs.extend(
        env_list("FLOE_BENCH_CREATES_PARALLELISM", "")
            .into_iter()
            .map(|p| Some(p.to_string())),
    );
    let current = current();
    let mut binaries = vec![("this build", current.as_path())];
    binaries.extend(baseline.map(|b| ("baseline", b)));
    for parallelism in runs {
        let extra = parallelism
            .as_deref()
            .map(|p| vec!["--parallelism", p])
            .unwrap_or_default();
        let label = match &parallelism {
            Some(p) => format!("--parallelism {p}"),
            None => "without flags".to_string(),
        };
        for (name, binary) in &binaries {
            let files = fresh_apply_with(binary, root, &extra, latency, StateIn::Files);
            let tables = fresh_apply_with(binary, root, &extra, latency, StateIn::Tables);
            let overhead = tables.saturating_sub(files);
            println!(
                "  {label:<18} {name:<10} files {:>9}, tables {:>9}: tables take {:.2}x, \
                 {:.1} ms more per create; files at least {:.0}x faster than --parallelism 1",
                secs(files),
                secs(tables),
                tables.as_secs_f64() / files.as_secs_f64(),
                overhead.as_secs_f64() * 1e3 / count as f64,
                serial_floor.as_secs_f64() / files.as_secs_f64()
            );
        }
    }
}

/// An apply from scratch by `binary`, state kept as `state` says.
fn fresh_apply_with(
    binary: &Path,
    root: &Path,
    extra: &[&str],
    latency: u64,
    state: StateIn,
) -> Duration {
    write_environments(root);
    if state == StateIn::Tables {
        let path = root.join("config/environments.yaml");
        let text = fs::read_to_string(&path).expect("environments.yaml");
        fs::write(&path, format!("{text}state:\n  backend: snowflake\n")).expect("a file");
    }
    let _ = fs::remove_dir_all(root.join(".floe"));
    let _ = fs::remove_dir_all(root.join("state"));
    let mut args = vec!["apply", "--auto-approve"];
    args.extend_from_slice(extra);
    let (out, usage) = floe(binary, root, &args, latency);
    assert_eq!(out.code, 0, "apply {extra:?} fails:\n{}", out.stderr);
    usage.wall
}

/// Writes a project of about `size` objects under `root`; the object count.
fn generate(root: &Path, size: usize) -> usize {
    write_environments(root);
    write(
        root,
        "config/bench/base.yaml",
        "warehouse_size: XSMALL\nauto_suspend: 60\nschedule: 60 minutes\n",
    );
    let units = size.div_ceil(UNIT);
    let groups = units.div_ceil(10);
    let mut schemas = String::new();
    for g in 0..groups {
        let _ = write!(
            schemas,
            "kind: Schema\nname: FS_{g:03}\nfeature_store: true\n---\n\
             kind: Schema\nname: OPS_{g:03}\n---\nkind: Schema\nname: REG_{g:03}\n---\n"
        );
    }
    write(root, "resources/schemas.yaml", &schemas);
    for u in 0..units {
        write(
            root,
            &format!("resources/unit_{u:04}.yaml"),
            &unit(u, u / 10),
        );
    }
    units * UNIT + groups * 3
}

/// One unit of 100 objects in schema group `g`: 20 warehouses, 10 entities,
/// 15 feature views refreshed as dynamic tables and 15 plain views, three
/// task chains of ten, and 10 models.
fn unit(u: usize, g: usize) -> String {
    let mut y = String::new();
    for w in 0..20 {
        let _ = write!(
            y,
            "kind: Warehouse\nname: WH_{u:04}_{w:02}\nsize: ${{config.bench.warehouse_size}}\n\
             auto_suspend: ${{config.bench.auto_suspend}}\ninitially_suspended: true\n---\n"
        );
    }
    for e in 0..10 {
        let _ = write!(
            y,
            "kind: Entity\nname: E_{u:04}_{e:02}\nschema: FS_{g:03}\njoin_keys: [ID]\n---\n"
        );
    }
    for f in 0..30 {
        let refresh = if f < 15 {
            format!("refresh_freq: 1 day\nwarehouse: WH_{u:04}_00\n")
        } else {
            String::new()
        };
        let _ = write!(
            y,
            "kind: FeatureView\nname: FV_{u:04}_{f:02}\nversion: V1\nschema: FS_{g:03}\n\
             entities: [E_{u:04}_{:02}]\ntimestamp_col: TS\n{refresh}\
             query: SELECT ID, TS, V FROM BENCH.RAW.EVENTS WHERE V > {f}\n---\n",
            f % 10
        );
    }
    for c in 0..3 {
        for t in 0..10 {
            let head = if t == 0 {
                format!("warehouse: WH_{u:04}_01\nschedule: ${{config.bench.schedule}}\n")
            } else {
                format!("after: [T_{u:04}_{c}_{}]\n", t - 1)
            };
            // Some tasks name a feature view of their unit, schema-qualified.
            let sql = if t % 3 == 1 {
                format!(
                    "SELECT COUNT(*) FROM FS_{g:03}.\"FV_{u:04}_{:02}$V1\"",
                    t + c
                )
            } else {
                format!("SELECT {t}")
            };
            let _ = write!(
                y,
                "kind: Task\nname: T_{u:04}_{c}_{t}\nschema: OPS_{g:03}\n{head}sql: '{sql}'\n---\n"
            );
        }
    }
    for m in 0..10 {
        let _ = write!(
            y,
            "kind: Model\nname: M_{u:04}_{m:02}\nschema: REG_{g:03}\nversions:\n  \
             - {{name: V1, from: '@BENCH.RAW.MODELS/m{u}_{m}/v1'}}\n---\n"
        );
    }
    y
}

fn write_environments(root: &Path) {
    write(
        root,
        "config/environments.yaml",
        "project: bench\ndefault_connection: local\nenvironments:\n  \
         BENCH:\n    branches: [\"*\"]\n    database: BENCH\nlocal:\n  seed: [config/local/seed.sql]\n",
    );
    write(
        root,
        "config/local/seed.sql",
        "CREATE DATABASE IF NOT EXISTS BENCH;\nCREATE SCHEMA IF NOT EXISTS BENCH.RAW;\n\
         CREATE TABLE IF NOT EXISTS BENCH.RAW.EVENTS (ID VARCHAR, TS TIMESTAMP_NTZ, V NUMBER);\n",
    );
}

fn write(root: &Path, path: &str, text: &str) {
    let path = root.join(path);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).expect("a folder");
    }
    fs::write(&path, text).expect("a file");
}

/// What one run printed.
struct Output {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs the built binary in `root` with `latency` ms per local statement.
// The child is reaped by `wait`, with `wait4`, to read its resource usage.
#[allow(clippy::zombie_processes)]
fn floe(binary: &Path, root: &Path, args: &[&str], latency: u64) -> (Output, Usage) {
    let out_path: PathBuf = root.join(".bench-stdout");
    let err_path: PathBuf = root.join(".bench-stderr");
    let started = Instant::now();
    let child = Command::new(binary)
        .args(args)
        .arg("--env")
        .arg("BENCH")
        .current_dir(root)
        .env("FLOE_LOCAL_LATENCY_MS", latency.to_string())
        .env("HOME", root)
        .env("SNOWFLAKE_HOME", root)
        .env("NO_COLOR", "1")
        .env("FLOE_BRANCH", "bench")
        .env_remove("FLOE_CONNECTION")
        .env_remove("CI")
        .stdin(Stdio::null())
        .stdout(fs::File::create(&out_path).expect("a stdout file"))
        .stderr(fs::File::create(&err_path).expect("a stderr file"))
        .spawn()
        .expect("the floe binary runs");
    let (code, usage) = wait(child.id());
    let wall = started.elapsed();
    let output = Output {
        code,
        stdout: fs::read_to_string(&out_path).unwrap_or_default(),
        stderr: fs::read_to_string(&err_path).unwrap_or_default(),
    };
    (output, Usage { wall, ..usage })
}

/// Reaps child `pid`: its exit code and resource usage.
fn wait(pid: u32) -> (i32, Usage) {
    let mut status = 0;
    // SAFETY: an all-zero `rusage` is a valid value for wait4 to fill.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `pid` is our own unreaped child; both pointers are valid.
    let reaped = unsafe { libc::wait4(pid as libc::pid_t, &mut status, 0, &mut usage) };
    assert_eq!(reaped, pid as libc::pid_t, "wait4 failed");
    let time = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    (
        code,
        Usage {
            cpu: time(usage.ru_utime) + time(usage.ru_stime),
            peak_rss_kb: usage.ru_maxrss as u64,
            wall: Duration::ZERO,
        },
    )
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

fn env_list(name: &str, default: &str) -> Vec<usize> {
    std::env::var(name)
        .unwrap_or_else(|_| default.to_string())
        .split(',')
        .filter_map(|v| v.trim().parse().ok())
        .collect()
}

fn secs(d: Duration) -> String {
    if d < Duration::from_secs(1) {
        format!("{} ms", d.as_millis())
    } else if d < Duration::from_secs(120) {
        format!("{:.2} s", d.as_secs_f64())
    } else {
        format!("{} min {} s", d.as_secs() / 60, d.as_secs() % 60)
    }
}
