//! The step walk: dependencies decide when a step may start, a semaphore
//! limits only how many run statements at once, and one writer beside the
//! walk records finished steps in state, a batch per write.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::sync::{Notify, Semaphore, mpsc};
use tokio::task::JoinSet;

use super::events::{Event, FailedStep, Observers, SkippedStep, Summary};
use crate::diff::{Plan, ResourceChange, Step, StepId, StepPurpose, visible_fingerprint};
use crate::kinds::reconciler::{Kinds, Reconciler};
use crate::model::{Address, Attributes, fingerprint};
use crate::session::Session;
use crate::state::backend::Backend;
use crate::state::{State, StateEntry, clock};

/// How many steps run statements at once unless told otherwise. Each step
/// waits mostly on the network (a few hundred milliseconds a statement to
/// Snowflake); 64 keeps 4,000 independent creates over 30 times faster than
/// one at a time, while statements that need a warehouse beyond its
/// MAX_CONCURRENCY_LEVEL (8 by default) wait in its queue rather than fail.
pub const DEFAULT_PARALLELISM: u16 = 64;

/// How an apply runs.
#[derive(Debug, Clone)]
pub struct ApplyOptions {
    /// How many steps may run statements at once (at least 1).
    pub parallelism: usize,
    /// The git commit of the declarations, recorded in state.
    pub git_commit: Option<String>,
    /// Triggered (by Ctrl-C) to stop the apply as a failure would.
    pub interrupt: Interrupt,
}

impl Default for ApplyOptions {
    fn default() -> Self {
        ApplyOptions {
            parallelism: usize::from(DEFAULT_PARALLELISM),
            git_commit: None,
            interrupt: Interrupt::default(),
        }
    }
}

/// A request to stop an apply early: no new step starts, running ones
/// finish, and resumes that undo a suspend still run.
#[derive(Debug, Clone, Default)]
pub struct Interrupt {
    raised: Arc<AtomicBool>,
    notify: Arc<Notify>,
}

impl Interrupt {
    /// Asks the apply to stop.
    pub fn raise(&self) {
        self.raised.store(true, Ordering::SeqCst);
        self.notify.notify_waiters();
    }

    /// Completes once [`Interrupt::raise`] was called.
    async fn raised(&self) {
        loop {
            let notified = self.notify.notified();
            if self.raised.load(Ordering::SeqCst) {
                return;
            }
            notified.await;
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Status {
    Pending,
    Running,
    Succeeded,
    Failed,
    Skipped(String),
}

impl Status {
    fn finished(&self) -> bool {
        !matches!(self, Status::Pending | Status::Running)
    }
}

/// Why a step's statements failed.
#[derive(Clone)]
struct StepError {
    statement: String,
    message: String,
}

/// How a step's task ended.
enum Outcome {
    /// Every statement ran.
    Done,
    /// A statement failed.
    Failed(StepError),
    /// It got its turn after a failure elsewhere, and did not start.
    NotStarted,
}

impl Outcome {
    /// A step whose task panicked: a failure like any other.
    fn crashed(e: &tokio::task::JoinError) -> Self {
        Outcome::Failed(StepError {
            statement: String::new(),
            message: format!("internal error while running the step: {e}"),
        })
    }
}

/// Where an apply records what it did.
pub struct StateSink<'a> {
    /// The state, updated in memory after each step.
    pub state: &'a mut State,
    /// Where it is persisted after each step.
    pub store: &'a Backend,
    /// The kinds, which say what a step leaves true of a task graph
    /// ([`crate::kinds::reconciler::Reconciler::with_running`]).
    pub kinds: &'a Kinds,
}

/// Executes the plan's steps and records each success in state.
///
/// A step starts when all its dependencies succeeded and were recorded.
/// After a failure no new step starts (running ones finish); dependents of
/// a failed step are skipped with the cause; a resume that compensates a
/// suspend still runs once its dependencies have finished, when that
/// suspend succeeded. State is written by one writer beside the walk, so
/// writes never interleave and never hold the walk up: while one write is
/// in flight, independent steps keep starting, and the steps that end
/// meanwhile are recorded together by the next write (group commit). A
/// step is done, and its dependents may start, once its write is durable;
/// a failed write fails the steps it held and stops the walk. At the end
/// the journal is folded into the state snapshot. An [`Interrupt`] stops
/// the walk as a failure does. Guards (destroy, staleness) are the
/// caller's, before.
pub async fn apply(
    plan: &Plan,
    session: Arc<dyn Session>,
    sink: StateSink<'_>,
    observers: &Observers,
    options: &ApplyOptions,
) -> Summary {
    let walk = Walk {
        steps: plan.steps.iter().map(|s| (s.id, s)).collect(),
        status: plan.steps.iter().map(|s| (s.id, Status::Pending)).collect(),
        dependents: dependents(plan),
        candidates: plan.steps.iter().map(|s| s.id).collect(),
        stop: None,
        stop_seen: false,
        summary: Summary::default(),
        observers,
    };
    let changes: HashMap<&Address, &ResourceChange> =
        plan.changes.iter().map(|c| (&c.address, c)).collect();
    let recording = Recording {
        changes: &changes,
        kinds: sink.kinds,
        options,
    };
    let running = Running {
        tasks: JoinSet::new(),
        task_step: HashMap::new(),
        session,
        semaphore: Arc::new(Semaphore::new(options.parallelism.max(1))),
        observers: observers.clone(),
        stopped: Arc::new(AtomicBool::new(false)),
    };
    let (to_writer, batches) = mpsc::unbounded_channel();
    let (to_walk, written) = mpsc::unbounded_channel();
    let (mut walk, ()) = tokio::join!(
        schedule(walk, running, to_writer, written, &options.interrupt),
        write_state(batches, to_walk, &recording, &mut *sink.state, sink.store),
    );
    walk.skip_unreachable();
    // The journal holds this run's records; one snapshot write folds them in.
    if let Err(e) = sink.store.compact(sink.state) {
        walk.summary.state_warning = Some(format!(
            "every step is recorded in the journal beside {}, but it could not be folded into it: {e}",
            sink.store.location()
        ));
    }
    observers.emit(&Event::Done {
        summary: walk.summary.clone(),
    });
    walk.summary
}

/// How the steps of one state write ended: recorded, or why not.
type Written = Vec<(StepId, Result<(), StepError>)>;

/// Starts steps as they become ready and finishes them as they end (a
/// failure) or as their state write answers (a success), until nothing
/// runs and nothing waits to be recorded. Returns the walk for its summary.
async fn schedule<'p, 'o>(
    mut walk: Walk<'p, 'o>,
    mut running: Running,
    to_writer: mpsc::UnboundedSender<Vec<&'p Step>>,
    mut written: mpsc::UnboundedReceiver<Written>,
    interrupt: &Interrupt,
) -> Walk<'p, 'o> {
    // Steps that ended well and wait for the write that records them.
    let mut unrecorded = 0;
    loop {
        walk.skip_what_cannot_run();
        for step in walk.ready() {
            running.start(step);
        }
        if running.tasks.is_empty() && unrecorded == 0 {
            break;
        }
        tokio::select! {
            Some(first) = running.tasks.join_next_with_id() => {
                let done = walk.ended(running.ended(first));
                unrecorded += done.len();
                if !done.is_empty()
                    && let Err(unsent) = to_writer.send(done)
                {
                    unrecorded -= unsent.0.len();
                    walk.finish_all(unwritten(&unsent.0));
                }
            }
            Some(results) = written.recv() => {
                unrecorded -= results.len();
                walk.finish_all(results);
            }
            () = interrupt.raised(), if walk.stop.is_none() => {
                walk.stop = Some("the apply was interrupted".into());
            }
            else => break,
        }
        if walk.stop.is_some() {
            running.stopped.store(true, Ordering::SeqCst);
        }
    }
    walk
}

/// Steps whose record can no longer be written: the writer has stopped.
fn unwritten(steps: &[&Step]) -> Written {
    let error = StepError {
        statement: String::new(),
        message: "applied, but the state could not be written: the state writer stopped".into(),
    };
    steps.iter().map(|s| (s.id, Err(error.clone()))).collect()
}

/// The state writer: records each batch of ended steps with one write,
/// taking together every batch that arrived while the last write ran, and
/// answers with how each step's record went. Ends when the walk does.
async fn write_state(
    mut batches: mpsc::UnboundedReceiver<Vec<&Step>>,
    to_walk: mpsc::UnboundedSender<Written>,
    recording: &Recording<'_>,
    state: &mut State,
    store: &Backend,
) {
    while let Some(mut ended) = batches.recv().await {
        while let Ok(more) = batches.try_recv() {
            ended.extend(more);
        }
        let results = recording.record_all(&ended, state, store).await;
        if to_walk.send(results).is_err() {
            return;
        }
    }
}

/// The steps' tasks and what each one needs to run.
struct Running {
    tasks: JoinSet<Outcome>,
    task_step: HashMap<tokio::task::Id, StepId>,
    session: Arc<dyn Session>,
    semaphore: Arc<Semaphore>,
    observers: Observers,
    /// Raised when the walk stops: steps not yet past the semaphore do not start.
    stopped: Arc<AtomicBool>,
}

impl Running {
    /// Spawns the task running `step`.
    fn start(&mut self, step: &Step) {
        let work = run_step(
            step.clone(),
            self.session.clone(),
            self.semaphore.clone(),
            self.observers.clone(),
            self.stopped.clone(),
        );
        self.task_step.insert(self.tasks.spawn(work).id(), step.id);
    }

    /// The step that just ended (`first`) and every other one that has
    /// ended by now: under load steps end together, and share one write.
    fn ended(
        &mut self,
        first: Result<(tokio::task::Id, Outcome), tokio::task::JoinError>,
    ) -> Vec<(StepId, Outcome)> {
        let mut ended = vec![first];
        while let Some(more) = self.tasks.try_join_next_with_id() {
            ended.push(more);
        }
        ended
            .into_iter()
            .map(|joined| match joined {
                Ok((task, outcome)) => (self.task_step[&task], outcome),
                Err(e) => (self.task_step[&e.id()], Outcome::crashed(&e)),
            })
            .collect()
    }
}

/// The steps waiting on each step: its dependents, and the resume that
/// compensates it if it is a suspend.
fn dependents(plan: &Plan) -> HashMap<StepId, Vec<StepId>> {
    let mut out: HashMap<StepId, Vec<StepId>> = HashMap::new();
    for step in &plan.steps {
        for dep in step.depends_on.iter().chain(&step.compensates) {
            out.entry(*dep).or_default().push(step.id);
        }
    }
    out
}

/// The bookkeeping of one apply: where every step stands.
///
/// Whether a pending step may start or must be skipped changes only when a
/// step it waits on ends, or when the walk stops; so each pass looks only at
/// the steps touched since the last one, which keeps a walk linear in steps.
struct Walk<'p, 'o> {
    steps: BTreeMap<StepId, &'p Step>,
    status: BTreeMap<StepId, Status>,
    dependents: HashMap<StepId, Vec<StepId>>,
    /// Pending steps to look at again: waiting on a step that just ended.
    candidates: BTreeSet<StepId>,
    /// Set by the first failure: the cause given to steps not started.
    stop: Option<String>,
    /// Whether every pending step was looked at again after the stop.
    stop_seen: bool,
    summary: Summary,
    observers: &'o Observers,
}

impl<'p> Walk<'p, '_> {
    /// Marks running and returns every pending step that may start now.
    fn ready(&mut self) -> Vec<&'p Step> {
        let candidates = std::mem::take(&mut self.candidates);
        let ready: Vec<&'p Step> = candidates
            .into_iter()
            .map(|id| self.steps[&id])
            .filter(|s| self.status[&s.id] == Status::Pending)
            .filter(|s| may_start(s, &self.status, self.stop.is_some()))
            .collect();
        for step in &ready {
            self.status.insert(step.id, Status::Running);
        }
        ready
    }

    /// Takes in steps that just ended: failures finish now, steps that
    /// did not start go back to pending (the next pass skips them with the
    /// cause); returns the steps that ran, to be recorded.
    fn ended(&mut self, ended: Vec<(StepId, Outcome)>) -> Vec<&'p Step> {
        let mut done = Vec::new();
        let mut failed = Vec::new();
        for (id, outcome) in ended {
            match outcome {
                Outcome::Done => done.push(self.steps[&id]),
                Outcome::Failed(e) => failed.push((id, Err(e))),
                Outcome::NotStarted => {
                    self.status.insert(id, Status::Pending);
                    self.candidates.insert(id);
                }
            }
        }
        self.finish_all(failed);
        done
    }

    /// Finishes steps in the order of their ids.
    fn finish_all(&mut self, mut results: Written) {
        results.sort_by_key(|(id, _)| *id);
        for (id, result) in results {
            self.finish(id, result);
        }
    }

    /// Records how a step ended and tells the observers.
    fn finish(&mut self, id: StepId, result: Result<(), StepError>) {
        let step = self.steps[&id];
        self.touch(id);
        let error = match result {
            Ok(()) => {
                self.status.insert(id, Status::Succeeded);
                self.summary.succeeded.push((id, step.address.clone()));
                None
            }
            Err(e) => {
                self.status.insert(id, Status::Failed);
                let cause = format!("step {id} ({}) failed", step.address);
                self.stop.get_or_insert(cause);
                self.summary.failed.push(FailedStep {
                    id,
                    address: step.address.clone(),
                    statement: (!e.statement.is_empty()).then(|| e.statement.clone()),
                    message: e.message.clone(),
                });
                Some(e.message)
            }
        };
        self.observers.emit(&Event::StepFinished {
            id,
            address: step.address.clone(),
            purpose: step.purpose,
            ok: error.is_none(),
            error,
        });
    }

    fn skip(&mut self, id: StepId, cause: String) {
        let step = self.steps[&id];
        self.status.insert(id, Status::Skipped(cause.clone()));
        self.touch(id);
        self.summary.skipped.push(SkippedStep {
            id,
            address: step.address.clone(),
            cause: cause.clone(),
        });
        self.observers.emit(&Event::StepSkipped {
            id,
            address: step.address.clone(),
            purpose: step.purpose,
            cause,
        });
    }

    /// Marks skipped every pending step that can no longer run, with its
    /// root cause, until nothing more changes.
    fn skip_what_cannot_run(&mut self) {
        if self.stop.is_some() && !self.stop_seen {
            self.stop_seen = true;
            let pending = self
                .status
                .iter()
                .filter(|(_, s)| **s == Status::Pending)
                .map(|(id, _)| *id);
            self.candidates.extend(pending);
        }
        let mut queue = self.candidates.clone();
        while let Some(id) = queue.pop_first() {
            if self.status[&id] != Status::Pending {
                continue;
            }
            if let Some(cause) = skip_cause(self.steps[&id], &self.status, self.stop.as_deref()) {
                self.skip(id, cause);
                queue.extend(self.dependents.get(&id).into_iter().flatten());
            }
        }
    }

    /// Looks again at the steps waiting on `id`, which just ended.
    fn touch(&mut self, id: StepId) {
        if let Some(waiting) = self.dependents.get(&id) {
            self.candidates.extend(waiting);
        }
    }

    /// After the walk: steps still pending wait on each other (a plan file
    /// edited into a cycle); report them rather than drop them silently.
    fn skip_unreachable(&mut self) {
        let stuck: Vec<StepId> = self
            .status
            .iter()
            .filter(|(_, s)| **s == Status::Pending)
            .map(|(id, _)| *id)
            .collect();
        for id in stuck {
            self.skip(
                id,
                "its dependencies can never finish (a cycle in the plan)".into(),
            );
        }
    }
}

/// True when `step` may start now.
fn may_start(step: &Step, status: &BTreeMap<StepId, Status>, stopped: bool) -> bool {
    let deps = step.depends_on.iter().map(|d| status.get(d));
    match step.compensates {
        // A compensating resume waits for its dependencies to end, however
        // they ended, and runs only if its suspend took effect.
        Some(suspend) => {
            status.get(&suspend) == Some(&Status::Succeeded)
                && deps.into_iter().all(|s| s.is_none_or(Status::finished))
        }
        None => {
            !stopped
                && deps
                    .into_iter()
                    .all(|s| s.is_none_or(|s| *s == Status::Succeeded))
        }
    }
}

fn skip_cause(
    step: &Step,
    status: &BTreeMap<StepId, Status>,
    stop: Option<&str>,
) -> Option<String> {
    if let Some(suspend) = step.compensates {
        return match status.get(&suspend) {
            Some(Status::Failed | Status::Skipped(_)) => {
                Some(format!("step {suspend} did not suspend anything to resume"))
            }
            _ => None,
        };
    }
    for dep in &step.depends_on {
        match status.get(dep) {
            Some(Status::Failed) => return Some(format!("step {dep} failed")),
            Some(Status::Skipped(cause)) => return Some(cause.clone()),
            _ => {}
        }
    }
    stop.map(|s| format!("not started: {s}"))
}

async fn run_step(
    step: Step,
    session: Arc<dyn Session>,
    semaphore: Arc<Semaphore>,
    observers: Observers,
    stopped: Arc<AtomicBool>,
) -> Outcome {
    // The semaphore is never closed, so acquiring can only wait, not fail.
    let Ok(_permit) = semaphore.acquire_owned().await else {
        return Outcome::NotStarted;
    };
    if step.compensates.is_none() && stopped.load(Ordering::SeqCst) {
        return Outcome::NotStarted;
    }
    observers.emit(&Event::StepStarted {
        id: step.id,
        address: step.address.clone(),
        purpose: step.purpose,
    });
    for statement in &step.statements {
        if let Err(e) = session.execute(statement).await {
            // Raised while this step still holds its permit, so a step
            // waiting for that permit sees it and does not start.
            stopped.store(true, Ordering::SeqCst);
            return Outcome::Failed(StepError {
                statement: statement.clone(),
                message: e.to_string(),
            });
        }
    }
    Outcome::Done
}

/// What recording a step in state needs besides the state itself.
struct Recording<'a> {
    changes: &'a HashMap<&'a Address, &'a ResourceChange>,
    kinds: &'a Kinds,
    options: &'a ApplyOptions,
}

impl Recording<'_> {
    /// Records the steps that ended in `state` and writes them to `store`
    /// with one write, unless none of them changed state (a suspend or
    /// resume of a task state already says so).
    async fn record_all(&self, ended: &[&Step], state: &mut State, store: &Backend) -> Written {
        let mut results = Vec::new();
        let mut recorded = Vec::new();
        let mut changed = Vec::new();
        for step in ended {
            match self.record(step, state) {
                Ok(true) => {
                    recorded.push(step.id);
                    changed.push(&step.address);
                }
                Ok(false) => recorded.push(step.id),
                Err(e) => results.push((step.id, Err(e))),
            }
        }
        let saved = persist(&changed, state, store).await;
        results.extend(recorded.into_iter().map(|id| (id, saved.clone())));
        results
    }

    /// Updates the state in memory after a successful step; returns whether
    /// it changed.
    ///
    /// State records what is true once the step has run. For a task that is
    /// what the plan declared, except whether it runs: a created or replaced
    /// task is suspended (Snowflake creates tasks suspended), an updated one
    /// runs as it did before, and only a resume step records it running. So
    /// a run stopped between a task's creation and its resume leaves state
    /// saying the task is suspended, as it is. A record step runs nothing:
    /// the plan found the account as declared, running state included, so
    /// it records the declaration (a run killed after a resume but before
    /// recording it left state saying suspended).
    fn record(&self, step: &Step, state: &mut State) -> Result<bool, StepError> {
        let address = &step.address;
        let kind = self.kinds.get(address.kind).map(AsRef::as_ref);
        match step.purpose {
            StepPurpose::Suspend | StepPurpose::Resume => {
                let running = step.purpose == StepPurpose::Resume;
                let updated = state.resources.get(address).and_then(|entry| {
                    let attributes = kind?.with_running(&entry.attributes, running)?;
                    (attributes != entry.attributes).then_some(attributes)
                });
                let (Some(attributes), Some(kind)) = (updated, kind) else {
                    return Ok(false);
                };
                if let Some(entry) = state.resources.get_mut(address) {
                    set_attributes(entry, kind, attributes);
                }
            }
            StepPurpose::Delete | StepPurpose::Forget => {
                state.resources.remove(address);
            }
            StepPurpose::Create
            | StepPurpose::Update
            | StepPurpose::Replace
            | StepPurpose::Record => {
                let mut entry = self.planned_entry(address)?;
                let running = match step.purpose {
                    StepPurpose::Create | StepPurpose::Replace => Some(false),
                    StepPurpose::Record => None,
                    _ => state
                        .resources
                        .get(address)
                        .and_then(|before| kind?.graph_node(&before.attributes))
                        .map(|node| node.enabled),
                };
                if let (Some(kind), Some(running)) = (kind, running)
                    && let Some(attributes) = kind.with_running(&entry.attributes, running)
                {
                    set_attributes(&mut entry, kind, attributes);
                }
                state.resources.insert(address.clone(), entry);
            }
        }
        Ok(true)
    }

    /// The entry the plan says state records for `address` once applied.
    fn planned_entry(&self, address: &Address) -> Result<StateEntry, StepError> {
        let entry = self
            .changes
            .get(address)
            .and_then(|c| planned_entry(c, self.options.git_commit.clone()));
        entry.ok_or_else(|| StepError {
            statement: String::new(),
            message: format!("the plan has no attributes to record for {address}"),
        })
    }
}

/// The entry state records for `change` once it is applied (or, for a
/// no-op, adopted), stamped now and with `git_commit`; `None` when the plan
/// has no attributes for it (a delete).
pub fn planned_entry(change: &ResourceChange, git_commit: Option<String>) -> Option<StateEntry> {
    Some(StateEntry {
        kind: change.kind,
        fqn: change.fqn.clone(),
        declared_fingerprint: change.declared_fingerprint.clone()?,
        live_fingerprint: change.expected_live_fingerprint.clone()?,
        attributes: change.after.clone()?,
        depends_on: change.depends_on.clone(),
        applied_at: clock::now_rfc3339(),
        git_commit,
    })
}

/// Replaces an entry's attributes and both fingerprints that derive from them.
fn set_attributes(entry: &mut StateEntry, kind: &dyn Reconciler, attributes: Attributes) {
    entry.declared_fingerprint = fingerprint(&attributes);
    entry.live_fingerprint = visible_fingerprint(kind, &attributes);
    entry.attributes = attributes;
}

/// Writes the `changed` addresses as `state` holds them, when there are any.
async fn persist(
    changed: &[&Address],
    state: &mut State,
    store: &Backend,
) -> Result<(), StepError> {
    if changed.is_empty() {
        return Ok(());
    }
    store.record(state, changed).await.map_err(|e| StepError {
        statement: String::new(),
        message: format!("applied, but the state could not be written: {e}"),
    })
}
