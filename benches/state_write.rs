//! What writing state costs per batch of an apply, for an environment of
//! 4,000 recorded objects: the files (one journal append) against the state
//! tables in the account (one compare-and-swap transaction), on the
//! embedded local account with a fixed round-trip latency per statement (as
//! a network to Snowflake would add).
//!
//! Run with `cargo bench --bench state_write`; it prints milliseconds per
//! batch. `FLOE_BENCH_LATENCY_MS` sets the simulated latency (default 2),
//! `FLOE_BENCH_BATCH` the addresses per batch (default 8).

use std::sync::Arc;
use std::time::{Duration, Instant};

use floe::ident::Ident;
use floe::local::LocalAccount;
use floe::model::{Address, KindName};
use floe::session::Session;
use floe::state::backend::{Backend, TableStore};
use floe::state::{StateEntry, StateStore};

const OBJECTS: usize = 4_000;
const BATCHES: usize = 50;

fn main() {
    let env = |name: &str, default: u64| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let latency = Duration::from_millis(env("FLOE_BENCH_LATENCY_MS", 2));
    let batch = env("FLOE_BENCH_BATCH", 8) as usize;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let files = Backend::Files(StateStore::new(dir.path().join("state"), "BENCH"));
        let account = LocalAccount::open(&dir.path().join("account.json"), &[], Some(latency))
            .expect("a local account");
        account
            .execute_sync("CREATE DATABASE BENCH")
            .expect("a database");
        let session: Arc<dyn Session> = Arc::new(account);
        let tables = Backend::Tables(TableStore::new(
            session,
            &Ident::from_resolved("BENCH"),
            &Ident::from_resolved("FLOE"),
            "BENCH",
        ));
        println!(
            "state write per batch of {batch} at {OBJECTS} recorded objects, {} ms latency per statement:",
            latency.as_millis()
        );
        for (name, backend) in [("files", &files), ("snowflake tables", &tables)] {
            let per_batch = per_batch(backend, batch).await;
            println!("  {name:<17} {:>8.2} ms", per_batch.as_secs_f64() * 1e3);
        }
    });
}

/// Records a state of [`OBJECTS`] entries, then times [`BATCHES`] batch
/// writes of `batch` changed addresses each.
async fn per_batch(backend: &Backend, batch: usize) -> Duration {
    let mut state = backend.load_reporting().await.expect("readable").state;
    for i in 0..OBJECTS {
        let (address, entry) = entry(i, "XSMALL");
        state.resources.insert(address, entry);
    }
    backend.save(&mut state).await.expect("the first write");
    let started = Instant::now();
    for round in 0..BATCHES {
        let changed: Vec<Address> = (0..batch)
            .map(|k| {
                let (address, entry) = entry(round * batch + k, "SMALL");
                state.resources.insert(address.clone(), entry);
                address
            })
            .collect();
        let changed: Vec<&Address> = changed.iter().collect();
        backend
            .record(&mut state, &changed)
            .await
            .expect("a batch write");
    }
    let elapsed = started.elapsed();
    let read = backend.load_reporting().await.expect("readable").state;
    assert_eq!(
        read.resources, state.resources,
        "what was written reads back"
    );
    elapsed / BATCHES as u32
}

fn entry(i: usize, size: &str) -> (Address, StateEntry) {
    let name = format!("WH_{i:05}");
    let attributes = serde_json::json!({"name": name, "size": size, "auto_suspend": 600});
    let attributes = attributes.as_object().expect("an object").clone();
    let address = Address::new(KindName::Warehouse, Ident::from_resolved(&name));
    let entry = StateEntry {
        kind: KindName::Warehouse,
        fqn: name,
        declared_fingerprint: "d".into(),
        live_fingerprint: "l".into(),
        attributes: attributes.into_iter().collect(),
        depends_on: Vec::new(),
        applied_at: "2026-01-01T00:00:00Z".into(),
        git_commit: None,
    };
    (address, entry)
}
