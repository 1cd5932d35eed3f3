//! Computing a plan: per-address decisions, then steps.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use super::action::{Facts, decide};
use super::compare::compare;
use super::error::DiffError;
use super::graph;
use super::metrics::model_metrics;
use super::plan::{
    Action, PLAN_FORMAT_VERSION, Plan, PlanOrigin, ResourceChange, StateOnlyFields, StepPurpose,
    UnmanagedObject,
};
use super::steps::{Draft, order_steps};
use super::views::Views;
use crate::kinds::model::fields::DEFAULT_VERSION;
use crate::kinds::reconciler::{Change, Kinds, LiveObject, Reconciler};
use crate::live::Live;
use crate::model::{
    Address, Attributes, Resource, digests_fingerprint, fields_fingerprint, records_fingerprint,
};
use crate::state::{State, StateEntry};

/// Everything a plan is computed from.
#[derive(Debug, Clone, Copy)]
pub struct PlanInput<'a> {
    /// The environment's name.
    pub environment: &'a str,
    /// The declared resources for the environment.
    pub declared: &'a [Resource],
    /// The environment's state.
    pub state: &'a State,
    /// What introspection found.
    pub live: &'a Live,
    /// The kinds' behaviour.
    pub kinds: &'a Kinds,
    /// `--target` addresses; empty plans everything.
    pub targets: &'a [Address],
}

/// Computes the plan. Pure: no I/O, no SQL executed.
pub fn plan(input: &PlanInput<'_>) -> Result<Plan, DiffError> {
    build(input, After::Copied)
}

/// [`plan`] of `declared` (in place of `input.declared`), which the caller
/// needs no more: the attributes each change records as `after` are moved
/// out of it instead of copied, so a large project is not held twice.
pub fn plan_moving(input: &PlanInput<'_>, declared: Vec<Resource>) -> Result<Plan, DiffError> {
    let mut plan = build(
        &PlanInput {
            declared: &declared,
            ..*input
        },
        After::Moved,
    )?;
    let mut attributes: BTreeMap<Address, Attributes> = declared
        .into_iter()
        .map(|r| (r.address, r.attributes))
        .collect();
    for change in &mut plan.changes {
        if change.after.is_none() && change.declared_fingerprint.is_some() {
            change.after = attributes.remove(&change.address);
        }
    }
    Ok(plan)
}

/// How a change gets the declared attributes it records as `after`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum After {
    /// Copied from the declared resource.
    Copied,
    /// Left out when they are the declared resource's own, for the caller
    /// to move in; copied when a field ignored in favour of its live value
    /// made them differ.
    Moved,
}

/// [`plan`], with `after` filled as `after` says.
fn build(input: &PlanInput<'_>, after: After) -> Result<Plan, DiffError> {
    let followed = follow_ignored(input.declared, &input.live.managed, input.kinds);
    let views = Views {
        declared: followed.iter().map(|r| (&r.address, r.as_ref())).collect(),
        state: &input.state.resources,
        live: &input.live.managed,
    };
    // Each declared resource's fingerprint, hashed once: its change records
    // it and the plan's fingerprint over every declared resource is made of them.
    let fingerprints: BTreeMap<&Address, String> = followed
        .iter()
        .map(|r| (&r.address, fields_fingerprint(&r.attributes)))
        .collect();
    let mut addresses: BTreeSet<&Address> = views.declared.keys().copied().collect();
    addresses.extend(views.state.keys());
    addresses.extend(views.live.keys());
    let keep = targeted(input.targets, &views, &addresses)?;
    // Followed resources are new values, not the caller's: those are copied.
    let recomputed = followed.iter().any(|r| matches!(r, Cow::Owned(_)));
    let copy_after = after == After::Copied || recomputed;

    let mut drafts = Vec::new();
    let mut changes = Vec::new();
    for address in addresses.into_iter().filter(|a| keep.contains(*a)) {
        let kind = input
            .kinds
            .get(address.kind)
            .ok_or(DiffError::UnknownKind(address.kind))?;
        let fingerprint = fingerprints.get(address).cloned();
        let (change, step) = plan_address(address, kind.as_ref(), &views, fingerprint, copy_after);
        if let Some((purpose, statements)) = step {
            drafts.push(Draft::new(address.clone(), purpose, statements));
        }
        changes.push(change);
    }
    graph::add_task_graph_steps(&mut drafts, &views, input.kinds);
    let steps = order_steps(drafts, &views)?;
    Ok(Plan {
        format_version: PLAN_FORMAT_VERSION,
        environment: input.environment.to_string(),
        origin: PlanOrigin::default(),
        // Followed resources differ from the declared ones, whose own
        // fingerprints the plan's covers; otherwise they are the same.
        declared_fingerprint: if recomputed {
            declared_fingerprint(input.declared)
        } else {
            of_fingerprints(followed.iter().filter_map(|r| {
                let fingerprint = fingerprints.get(&r.address)?;
                Some((r.as_ref(), fingerprint.as_str()))
            }))
        },
        live_fingerprint: live_fingerprint(input.live),
        changes,
        unmanaged: input
            .live
            .unmanaged
            .iter()
            .map(|o| UnmanagedObject {
                address: o.address.clone(),
                fqn: o.fqn.clone(),
            })
            .collect(),
        compared_with_state: state_only_fields(input.declared, input.kinds),
        steps,
    })
}

/// For each kind with a declared resource, the fields introspection cannot
/// see but the account can change ([`Reconciler::state_only_fields`]), which the
/// plan says it compares with state only.
fn state_only_fields(declared: &[Resource], kinds: &Kinds) -> Vec<StateOnlyFields> {
    kinds
        .iter()
        .filter(|k| !k.state_only_fields().is_empty())
        .filter(|k| declared.iter().any(|r| r.address.kind == k.kind()))
        .map(|k| StateOnlyFields {
            kind: k.kind(),
            fields: k
                .unobservable_fields()
                .iter()
                .map(|f| f.to_string())
                .collect(),
        })
        .collect()
}

/// The declared resources, each with what it derives from others
/// recomputed ([`Reconciler::follow`]) from their effective attributes: a field
/// under `lifecycle.ignore_changes` keeps its live value, so nothing that
/// depends on it plans for the declared value the account will never get.
fn follow_ignored<'a>(
    declared: &'a [Resource],
    live: &BTreeMap<Address, LiveObject>,
    kinds: &Kinds,
) -> Vec<Cow<'a, Resource>> {
    let effective: BTreeMap<&Address, Attributes> = declared
        .iter()
        .filter(|r| !r.lifecycle.ignore_changes.is_empty())
        .filter_map(|r| {
            let seen = &live.get(&r.address)?.attributes;
            let mut attributes = r.attributes.clone();
            for field in &r.lifecycle.ignore_changes {
                if let Some(value) = seen.get(field) {
                    attributes.insert(field.clone(), value.clone());
                }
            }
            Some((&r.address, attributes))
        })
        .collect();
    // With no field ignored anywhere, every effective value is the declared
    // one, from which the declared attributes were derived already.
    if effective.is_empty() {
        return declared.iter().map(Cow::Borrowed).collect();
    }
    let lookup = |address: &Address| effective.get(address).cloned();
    declared
        .iter()
        .map(|r| {
            let mut r = r.clone();
            if let Some(kind) = kinds.get(r.address.kind) {
                kind.follow(&mut r.attributes, &lookup);
            }
            Cow::Owned(r)
        })
        .collect()
}

/// Fingerprint over every declared resource: its address, its fqn and the
/// fingerprint of its attributes.
pub fn declared_fingerprint(declared: &[Resource]) -> String {
    let fingerprints: Vec<String> = declared
        .iter()
        .map(|r| fields_fingerprint(&r.attributes))
        .collect();
    of_fingerprints(declared.iter().zip(fingerprints.iter().map(String::as_str)))
}

/// [`declared_fingerprint`] of resources whose attributes' fingerprints
/// are known already.
fn of_fingerprints<'a>(resources: impl Iterator<Item = (&'a Resource, &'a str)>) -> String {
    let all: BTreeMap<String, (&str, &str)> = resources
        .map(|(r, fingerprint)| (r.address.to_string(), (r.fqn.as_str(), fingerprint)))
        .collect();
    digests_fingerprint(
        all.iter()
            .map(|(address, (fqn, fingerprint))| (address.as_str(), *fqn, *fingerprint)),
    )
}

/// Fingerprint over every live object read, managed or not, runtime
/// observations left out.
pub fn live_fingerprint(live: &Live) -> String {
    let all: BTreeMap<String, (&str, &Attributes)> = live
        .managed
        .values()
        .chain(&live.unmanaged)
        .map(|o| (o.address.to_string(), (o.fqn.as_str(), &o.attributes)))
        .collect();
    records_fingerprint(
        all.iter()
            .map(|(address, (fqn, attributes))| (address.as_str(), *fqn, lasting(attributes))),
    )
}

/// `attributes` without runtime observations: keys starting with `_` (a
/// warehouse's `_running`) change on their own, without anyone changing the
/// object, so they must not make a saved plan stale.
fn lasting(attributes: &Attributes) -> impl Iterator<Item = (&String, &serde_json::Value)> {
    attributes.iter().filter(|(k, _)| !k.starts_with('_'))
}

/// The addresses a `--target` run may touch: the targets and, transitively,
/// what they depend on. Everything when there are no targets.
fn targeted<'a>(
    targets: &[Address],
    views: &Views<'a>,
    known: &BTreeSet<&'a Address>,
) -> Result<BTreeSet<Address>, DiffError> {
    if targets.is_empty() {
        return Ok(known.iter().map(|a| (*a).clone()).collect());
    }
    let mut keep = BTreeSet::new();
    let mut queue: Vec<Address> = Vec::new();
    for target in targets {
        if !known.contains(target) {
            return Err(DiffError::UnknownTarget(target.clone()));
        }
        queue.push(target.clone());
    }
    while let Some(address) = queue.pop() {
        if !keep.insert(address.clone()) {
            continue;
        }
        let declared = views.declared.get(&address).map(|r| &r.depends_on);
        let recorded = views.state.get(&address).map(|s| &s.depends_on);
        queue.extend(declared.into_iter().chain(recorded).flatten().cloned());
    }
    Ok(keep)
}

type StepDraft = Option<(StepPurpose, Vec<String>)>;

/// Decides one address: its change for people and its step for apply.
fn plan_address(
    address: &Address,
    kind: &dyn Reconciler,
    views: &Views<'_>,
    declared_fingerprint: Option<String>,
    copy_after: bool,
) -> (ResourceChange, StepDraft) {
    let declared = views.declared.get(address).copied();
    let state = views.state.get(address);
    let completed = completed_live(kind, views.live.get(address), state);
    let live = completed.as_deref();
    let attributes = match (declared, live) {
        (Some(d), Some(l)) => compare(d, state, l, kind.unobservable_fields()),
        _ => Vec::new(),
    };
    let changed: Vec<String> = attributes.iter().map(|a| a.field.clone()).collect();
    let kind_change = match (declared, live) {
        (Some(d), Some(l)) if !changed.is_empty() => {
            Some(kind.plan_change(d, &l.attributes, &changed))
        }
        _ => None,
    };
    let (action, drift) = decide(Facts {
        declared: declared.is_some(),
        in_state: state.is_some(),
        live: live.is_some(),
        differs: !changed.is_empty(),
        needs_replace: matches!(kind_change, Some(Change::Replace { .. })),
        only_drift: attributes.iter().all(|a| a.drift),
    });
    let seen = Seen {
        declared,
        state,
        live,
        declared_fingerprint: declared_fingerprint.as_deref(),
    };
    let (reason, step) = step_for(address, kind, &seen, (action, drift), kind_change);
    let destructive = match action {
        Action::Delete => true,
        Action::Replace => live.is_some_and(|l| kind.destroys_data(&l.attributes)),
        _ => false,
    };
    let model_metrics = match action {
        Action::NoOp | Action::Delete => None,
        _ => {
            let default_changes = live.is_none()
                || action == Action::Replace
                || attributes.iter().any(|a| a.field == DEFAULT_VERSION);
            model_metrics(declared, live, default_changes)
        }
    };
    let expected_live = declared
        .zip(declared_fingerprint.as_deref())
        .map(|(d, whole)| visible_fingerprint_of(kind, &d.attributes, whole));
    let after = declared
        .filter(|_| copy_after)
        .map(|d| d.attributes.clone());
    let change = ResourceChange {
        address: address.clone(),
        kind: address.kind,
        fqn: declared
            .map(|d| d.fqn.clone())
            .or_else(|| live.map(|l| l.fqn.clone()))
            .or_else(|| state.map(|s| s.fqn.clone()))
            .unwrap_or_default(),
        action,
        reason,
        drift,
        destructive,
        prevent_destroy: declared.is_some_and(|d| d.lifecycle.prevent_destroy),
        attributes,
        declared_fingerprint,
        expected_live_fingerprint: expected_live,
        after,
        depends_on: declared.map(|d| d.depends_on.clone()).unwrap_or_default(),
        model_metrics,
    };
    (change, step)
}

/// The live object as the diff compares it: a copy completed by the kind
/// with what state recorded and introspection cannot see
/// ([`Reconciler::complete_live`]). Without a state entry, or for a kind
/// that completes nothing, it is the object as read, borrowed.
fn completed_live<'a>(
    kind: &dyn Reconciler,
    live: Option<&'a LiveObject>,
    state: Option<&StateEntry>,
) -> Option<Cow<'a, LiveObject>> {
    let live = live?;
    let completed =
        state.and_then(|recorded| kind.complete_live(&live.attributes, &recorded.attributes));
    Some(match completed {
        None => Cow::Borrowed(live),
        Some(attributes) => Cow::Owned(LiveObject {
            address: live.address.clone(),
            fqn: live.fqn.clone(),
            schema: live.schema.clone(),
            attributes,
        }),
    })
}

/// Fingerprint of the attributes introspection can see, after
/// [`Reconciler::complete_live`]: for the declared attributes it is the
/// `expected_live_fingerprint` state records, and the next plan's completed
/// live attributes of an unchanged object give the same value.
pub(crate) fn visible_fingerprint(kind: &dyn Reconciler, attributes: &Attributes) -> String {
    let unobservable = kind.unobservable_fields();
    // Live-only keys (`_running`) are never compared, so they never count.
    fields_fingerprint(
        attributes.iter().filter(|(field, _)| {
            !field.starts_with('_') && !unobservable.contains(&field.as_str())
        }),
    )
}

/// [`visible_fingerprint`] of `attributes`, whose whole fingerprint is
/// `whole`: the same text when every field is visible.
fn visible_fingerprint_of(kind: &dyn Reconciler, attributes: &Attributes, whole: &str) -> String {
    let unobservable = kind.unobservable_fields();
    let all_visible = attributes
        .keys()
        .all(|field| !field.starts_with('_') && !unobservable.contains(&field.as_str()));
    if all_visible {
        whole.to_string()
    } else {
        visible_fingerprint(kind, attributes)
    }
}

/// The three views of one address, and the fingerprint of its declared
/// attributes.
struct Seen<'a> {
    declared: Option<&'a Resource>,
    state: Option<&'a StateEntry>,
    live: Option<&'a LiveObject>,
    declared_fingerprint: Option<&'a str>,
}

/// The reason (for people) and the step (for apply) of a decided action.
fn step_for(
    address: &Address,
    kind: &dyn Reconciler,
    seen: &Seen<'_>,
    (action, drift): (Action, bool),
    kind_change: Option<Change>,
) -> (Option<String>, StepDraft) {
    match (action, seen.declared, seen.live, kind_change) {
        (Action::Create, Some(d), _, _) => {
            let reason = drift.then(|| "deleted outside floe".to_string());
            (reason, Some((StepPurpose::Create, kind.create_sql(d))))
        }
        (Action::Update, _, _, Some(Change::Update(sql))) => {
            let reason = drift.then(|| "changed outside floe".to_string());
            (reason, Some((StepPurpose::Update, sql)))
        }
        (Action::Replace, Some(d), Some(l), Some(Change::Replace { reason })) => {
            let mut sql = kind.delete_sql(address, &l.fqn, &l.attributes);
            sql.extend(kind.create_sql(d));
            (Some(reason), Some((StepPurpose::Replace, sql)))
        }
        (Action::Delete, _, Some(l), _) => {
            let sql = kind.delete_sql(address, &l.fqn, &l.attributes);
            let reason = Some("no longer declared".to_string());
            (reason, Some((StepPurpose::Delete, sql)))
        }
        _ => (None, state_only_step(seen)),
    }
}

/// For a no-op: a state-only step when state must learn or forget something.
fn state_only_step(seen: &Seen<'_>) -> StepDraft {
    match (seen.declared, seen.state, seen.live) {
        (Some(d), state, Some(_)) => {
            let current = state.is_some_and(|s| {
                Some(s.declared_fingerprint.as_str()) == seen.declared_fingerprint
                    && s.depends_on == d.depends_on
                    && s.fqn == d.fqn
            });
            (!current).then(|| (StepPurpose::Record, Vec::new()))
        }
        (None, Some(_), None) => Some((StepPurpose::Forget, Vec::new())),
        _ => None,
    }
}
