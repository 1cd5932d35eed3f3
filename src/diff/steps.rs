//! Ordering steps on the dependency graph.
//!
//! Creates and updates wait for the steps of what they depend on (declared
//! `depends_on`, looking through addresses that have no step); deletes wait
//! for the steps of what depended on them (state's recorded `depends_on`),
//! so they run in reverse dependency order. Task-graph steps carry their own
//! dependencies. The result is numbered in a topological order.

use std::collections::{BTreeMap, BTreeSet};

use super::error::DiffError;
use super::plan::{Step, StepId, StepPurpose};
use super::views::Views;
use crate::model::Address;

/// A step before numbering; dependencies are indexes into the draft list.
#[derive(Debug, Clone)]
pub(super) struct Draft {
    pub address: Address,
    pub purpose: StepPurpose,
    pub statements: Vec<String>,
    pub extra_deps: Vec<usize>,
    pub compensates: Option<usize>,
}

impl Draft {
    pub fn new(address: Address, purpose: StepPurpose, statements: Vec<String>) -> Self {
        Draft {
            address,
            purpose,
            statements,
            extra_deps: Vec::new(),
            compensates: None,
        }
    }

    /// True for the one step that changes its address's object or record.
    pub fn is_change(&self) -> bool {
        !matches!(self.purpose, StepPurpose::Suspend | StepPurpose::Resume)
    }

    fn goes_backward(&self) -> bool {
        matches!(self.purpose, StepPurpose::Delete | StepPurpose::Forget)
    }
}

/// Dependencies implied by the resource graph for each draft.
fn graph_deps(drafts: &[Draft], views: &Views<'_>) -> Vec<BTreeSet<usize>> {
    let step_of: BTreeMap<Address, usize> = drafts
        .iter()
        .enumerate()
        .filter(|(_, d)| d.is_change())
        .map(|(i, d)| (d.address.clone(), i))
        .collect();
    let mut dependents: BTreeMap<Address, Vec<Address>> = BTreeMap::new();
    for (address, entry) in views.state {
        for dep in &entry.depends_on {
            dependents
                .entry(dep.clone())
                .or_default()
                .push(address.clone());
        }
    }
    let declared_deps = |a: &Address| -> Vec<Address> {
        views
            .declared
            .get(a)
            .map(|r| r.depends_on.clone())
            .unwrap_or_default()
    };
    let recorded_dependents =
        |a: &Address| -> Vec<Address> { dependents.get(a).cloned().unwrap_or_default() };
    drafts
        .iter()
        .enumerate()
        .map(|(i, draft)| {
            if !draft.is_change() {
                return BTreeSet::new();
            }
            let walk = Walk {
                step_of: &step_of,
                drafts,
                backward: draft.goes_backward(),
            };
            let found = if walk.backward {
                walk.nearest_steps(&draft.address, &recorded_dependents)
            } else {
                walk.nearest_steps(&draft.address, &declared_deps)
            };
            found.into_iter().filter(|&j| j != i).collect()
        })
        .collect()
}

struct Walk<'w> {
    step_of: &'w BTreeMap<Address, usize>,
    drafts: &'w [Draft],
    backward: bool,
}

impl Walk<'_> {
    /// Walks `next` from `start`, collecting the first step found on each
    /// path. Forward walks stop only at forward steps (a delete never
    /// blocks a create).
    fn nearest_steps(
        &self,
        start: &Address,
        next: &dyn Fn(&Address) -> Vec<Address>,
    ) -> BTreeSet<usize> {
        let mut found = BTreeSet::new();
        let mut seen = BTreeSet::from([start.clone()]);
        let mut queue = next(start);
        while let Some(address) = queue.pop() {
            if !seen.insert(address.clone()) {
                continue;
            }
            match self.step_of.get(&address) {
                Some(&j) if self.backward || !self.drafts[j].goes_backward() => {
                    found.insert(j);
                }
                _ => queue.extend(next(&address)),
            }
        }
        found
    }
}

/// Numbers the drafts in a topological order of their dependencies.
pub(super) fn order_steps(drafts: Vec<Draft>, views: &Views<'_>) -> Result<Vec<Step>, DiffError> {
    let mut deps = graph_deps(&drafts, views);
    for (i, draft) in drafts.iter().enumerate() {
        deps[i].extend(draft.extra_deps.iter().copied());
    }
    let mut waiting: Vec<usize> = deps.iter().map(BTreeSet::len).collect();
    let mut unlocks: Vec<Vec<usize>> = vec![Vec::new(); drafts.len()];
    for (i, ds) in deps.iter().enumerate() {
        for &d in ds {
            unlocks[d].push(i);
        }
    }
    let mut ready: BTreeSet<usize> = (0..drafts.len()).filter(|&i| waiting[i] == 0).collect();
    let mut order = Vec::with_capacity(drafts.len());
    while let Some(i) = ready.pop_first() {
        order.push(i);
        for &j in &unlocks[i] {
            waiting[j] -= 1;
            if waiting[j] == 0 {
                ready.insert(j);
            }
        }
    }
    if order.len() < drafts.len() {
        let stuck: BTreeSet<String> = (0..drafts.len())
            .filter(|&i| waiting[i] > 0)
            .map(|i| drafts[i].address.to_string())
            .collect();
        return Err(DiffError::Cycle(stuck.into_iter().collect()));
    }
    let mut id_of = vec![0 as StepId; drafts.len()];
    for (position, &i) in order.iter().enumerate() {
        id_of[i] = position as StepId + 1;
    }
    let mut steps: Vec<Option<Step>> = vec![None; drafts.len()];
    for (i, draft) in drafts.into_iter().enumerate() {
        let mut depends_on: Vec<StepId> = deps[i].iter().map(|&d| id_of[d]).collect();
        depends_on.sort_unstable();
        steps[i] = Some(Step {
            id: id_of[i],
            address: draft.address,
            purpose: draft.purpose,
            statements: draft.statements,
            depends_on,
            compensates: draft.compensates.map(|c| id_of[c]),
        });
    }
    let mut steps: Vec<Step> = steps.into_iter().flatten().collect();
    steps.sort_by_key(|s| s.id);
    Ok(steps)
}
