//! What batching and parallelism buy, measured side by side in one run on
//! the embedded local account with a fixed round-trip latency per statement
//! (as a network to Snowflake would add).
//!
//! 1. Reading an environment of 4,000 objects: floe's batched introspection
//!    (a handful of SHOW statements, paged) against one `SHOW ... LIKE` per
//!    object, the way tools that read resource by resource do it.
//! 2. Applying 200 independent creates with `--parallelism 8` against 1.
//!
//! Run with `cargo bench --bench reconcile`; it prints the figures and the
//! ratios. `FLOE_BENCH_LATENCY_MS` sets the simulated latency (default 2).

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use floe::apply::{ApplyOptions, Observers, StateSink, apply};
use floe::diag::Span;
use floe::diff::{PlanInput, plan};
use floe::ident::Ident;
use floe::kinds::reconciler::Scope;
use floe::kinds::reconciler_kinds;
use floe::live::{Live, introspect};
use floe::local::LocalAccount;
use floe::model::{Address, KindName, Lifecycle, Resource};
use floe::session::Session;
use floe::state::backend::Backend;
use floe::state::{State, StateStore};

const WAREHOUSES: usize = 1_000;
const SCHEMAS: usize = 10;
const TASKS_PER_SCHEMA: usize = 300;
const CREATES: usize = 200;

fn main() {
    let latency = std::env::var("FLOE_BENCH_LATENCY_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2u64);
    let latency = Duration::from_millis(latency);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    println!(
        "simulated latency per statement: {} ms\n",
        latency.as_millis()
    );
    runtime.block_on(read_environment(latency));
    runtime.block_on(apply_in_parallel(latency));
}

/// A local account holding the bench database, 1,000 warehouses and 3,000 tasks.
fn populated(dir: &std::path::Path) -> Vec<(Address, String)> {
    let account = LocalAccount::open(&dir.join("account.json"), &[], None).expect("an account");
    let run = |sql: &str| {
        account
            .execute_sync(sql)
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    };
    run("CREATE DATABASE BENCH");
    let mut objects = Vec::new();
    for w in 0..WAREHOUSES {
        let name = format!("WH_{w:04}");
        run(&format!(
            "CREATE WAREHOUSE {name} WITH WAREHOUSE_SIZE = XSMALL"
        ));
        objects.push((
            Address::new(KindName::Warehouse, Ident::from_resolved(&name)),
            "SHOW WAREHOUSES LIKE '{name}'".replace("{name}", &name),
        ));
    }
    for s in 0..SCHEMAS {
        let schema = format!("S_{s:02}");
        run(&format!("CREATE SCHEMA BENCH.{schema}"));
        for t in 0..TASKS_PER_SCHEMA {
            let name = format!("T_{t:04}");
            run(&format!(
                "CREATE TASK BENCH.{schema}.{name} SCHEDULE = '60 MINUTE' AS SELECT 1"
            ));
            objects.push((
                Address::new(KindName::Task, Ident::from_resolved(&name)),
                format!("SHOW TASKS LIKE '{name}' IN SCHEMA BENCH.{schema}"),
            ));
        }
    }
    objects
}

async fn read_environment(latency: Duration) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let objects = populated(dir.path());
    let account: Arc<dyn Session> = Arc::new(
        LocalAccount::open(&dir.path().join("account.json"), &[], Some(latency))
            .expect("the account reopens"),
    );
    let scope = Scope {
        environment: "BENCH".into(),
        database: Ident::from_resolved("BENCH"),
        schemas: (0..SCHEMAS)
            .map(|s| Ident::from_resolved(format!("S_{s:02}")))
            .collect(),
    };
    let managed: BTreeSet<Address> = objects.iter().map(|(a, _)| a.clone()).collect();

    let started = Instant::now();
    let batched = introspect(account.clone(), &reconciler_kinds(), &scope, &managed)
        .await
        .expect("introspection");
    let batched_time = started.elapsed();

    let started = Instant::now();
    for (_, show) in &objects {
        account.execute(show).await.expect("a SHOW per object");
    }
    let naive_time = started.elapsed();

    println!("reading {} objects", objects.len());
    println!(
        "  batched (floe):     {:>5} statements  {:>8.1} ms",
        batched.statements(),
        ms(batched_time)
    );
    println!(
        "  one SHOW per object: {:>4} statements  {:>8.1} ms",
        objects.len(),
        ms(naive_time)
    );
    println!(
        "  ratio: batched reads in 1/{:.0} of the time, with 1/{:.0} of the statements\n",
        naive_time.as_secs_f64() / batched_time.as_secs_f64(),
        objects.len() as f64 / batched.statements() as f64
    );
}

/// `count` warehouses to create, as declared resources.
fn declared(count: usize) -> Vec<Resource> {
    (0..count)
        .map(|i| {
            let name = format!("NEW_WH_{i:04}");
            let attributes = serde_json::json!({
                "name": name, "size": "XSMALL", "type": "STANDARD", "auto_suspend": 600,
                "auto_resume": true, "min_cluster_count": 1, "max_cluster_count": 1,
                "scaling_policy": "STANDARD", "initially_suspended": false,
                "resource_monitor": null, "comment": null,
                "enable_query_acceleration": false, "query_acceleration_max_scale_factor": 8,
            });
            Resource {
                address: Address::new(KindName::Warehouse, Ident::from_resolved(&name)),
                fqn: name,
                attributes: attributes
                    .as_object()
                    .expect("an object")
                    .clone()
                    .into_iter()
                    .collect(),
                depends_on: Vec::new(),
                lifecycle: Lifecycle::default(),
                gate: None,
                span: Span::file("bench"),
            }
        })
        .collect()
}

async fn timed_apply(latency: Duration, parallelism: usize) -> Duration {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let account: Arc<dyn Session> = Arc::new(
        LocalAccount::open(&dir.path().join("account.json"), &[], Some(latency))
            .expect("an account"),
    );
    let kinds = reconciler_kinds();
    let resources = declared(CREATES);
    let mut state = State::new("BENCH");
    let planned = plan(&PlanInput {
        environment: "BENCH",
        declared: &resources,
        state: &state,
        live: &Live::default(),
        kinds: &kinds,
        targets: &[],
    })
    .expect("a plan");
    let store = Backend::Files(StateStore::new(dir.path().join("state"), "BENCH"));
    let options = ApplyOptions {
        parallelism,
        ..ApplyOptions::default()
    };
    let started = Instant::now();
    let summary = apply(
        &planned,
        account,
        StateSink {
            state: &mut state,
            store: &store,
            kinds: &kinds,
        },
        &Observers::default(),
        &options,
    )
    .await;
    let elapsed = started.elapsed();
    assert!(summary.is_success(), "{summary:?}");
    elapsed
}

async fn apply_in_parallel(latency: Duration) {
    let serial = timed_apply(latency, 1).await;
    let parallel = timed_apply(latency, 8).await;
    println!("applying {CREATES} independent creates (each recorded in state as it ends)");
    println!("  --parallelism 1: {:>8.1} ms", ms(serial));
    println!("  --parallelism 8: {:>8.1} ms", ms(parallel));
    println!(
        "  ratio: parallel applies in 1/{:.1} of the time",
        serial.as_secs_f64() / parallel.as_secs_f64()
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
