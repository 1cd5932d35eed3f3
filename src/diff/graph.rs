//! Task-graph steps: suspend affected roots first, resume after.
//!
//! Snowflake creates tasks suspended and refuses changes to a graph whose
//! root runs; since the 2026_06 behaviour change bundle (bcr-2363) a task
//! that is part of a graph must itself be suspended before ALTER TASK (only
//! a singleton task may be altered while resumed). For every graph touched
//! by a change (found through declared `after` and live `predecessors`, so
//! moves between graphs count for both), the plan suspends the running root
//! before the changes, and a running child before its own ALTER, then
//! resumes children before their parents, ending with the root, for every
//! task whose declaration says `enabled`. A root's resume *compensates* its
//! suspend: apply runs it even when a change in the graph failed.

use std::collections::{BTreeMap, BTreeSet};

use super::plan::StepPurpose;
use super::steps::Draft;
use super::views::Views;
use crate::kinds::reconciler::{GraphNode, Kinds};
use crate::model::{Address, Attributes};

/// A task's place in its graph, with its fqn and the canonical attributes
/// its suspend and resume statements are built from.
struct Node<'a> {
    node: GraphNode,
    fqn: &'a str,
    attributes: &'a Attributes,
}

type Nodes<'a> = BTreeMap<&'a Address, Node<'a>>;

/// The root of `task`'s graph: follow the first predecessor while known.
fn root<'a>(task: &'a Address, nodes: &Nodes<'a>) -> &'a Address {
    let mut current = task;
    let mut seen = BTreeSet::from([task]);
    while let Some(parent) = nodes
        .get(current)
        .and_then(|n| n.node.predecessors.first())
        .and_then(|p| nodes.get_key_value(p).map(|(k, _)| *k))
    {
        if !seen.insert(parent) {
            break;
        }
        current = parent;
    }
    current
}

fn started(nodes: &Nodes<'_>, task: &Address) -> bool {
    nodes.get(task).is_some_and(|n| n.node.enabled)
}

/// Adds the suspend and resume steps of every task graph the drafts touch,
/// and makes the touching drafts wait for the suspends.
pub(super) fn add_task_graph_steps(drafts: &mut Vec<Draft>, views: &Views<'_>, kinds: &Kinds) {
    let node = |a: &Address, fqn, attributes| {
        let node = kinds.get(a.kind)?.graph_node(attributes)?;
        Some(Node {
            node,
            fqn,
            attributes,
        })
    };
    let declared: Nodes<'_> = views
        .declared
        .iter()
        .filter_map(|(a, r)| Some((*a, node(a, r.fqn.as_str(), &r.attributes)?)))
        .collect();
    let live: Nodes<'_> = views
        .live
        .iter()
        .filter_map(|(a, o)| Some((a, node(a, o.fqn.as_str(), &o.attributes)?)))
        .collect();

    let mut suspend_of: BTreeMap<Address, usize> = BTreeMap::new();
    let mut changes_by_root: BTreeMap<Address, Vec<usize>> = BTreeMap::new();
    let change_of: BTreeMap<Address, usize> = drafts
        .iter()
        .enumerate()
        .filter(|(_, d)| !matches!(d.purpose, StepPurpose::Record | StepPurpose::Forget))
        .filter(|(_, d)| d.is_change())
        .filter(|(_, d)| declared.contains_key(&d.address) || live.contains_key(&d.address))
        .map(|(i, d)| (d.address.clone(), i))
        .collect();
    for (task, &i) in &change_of {
        let mut roots = Vec::new();
        if live.contains_key(task) {
            roots.push(root(task, &live));
        }
        if declared.contains_key(task) {
            roots.push(root(task, &declared));
        }
        for r in roots {
            changes_by_root.entry(r.clone()).or_default().push(i);
            if !started(&live, r) {
                continue;
            }
            let suspend = *suspend_of.entry(r.clone()).or_insert_with(|| {
                let kind = kinds
                    .get(r.kind)
                    .expect("graph nodes come from registered kinds");
                let root = &live[r];
                drafts.push(Draft::new(
                    r.clone(),
                    StepPurpose::Suspend,
                    kind.suspend_sql(root.fqn, root.attributes),
                ));
                drafts.len() - 1
            });
            drafts[i].extra_deps.push(suspend);
        }
        suspend_running_child(task, i, drafts, &live, kinds);
    }
    for (r, changed) in &changes_by_root {
        if declared.contains_key(r) && root(r, &declared) == r {
            let graph = Graph {
                declared: &declared,
                live: &live,
                kinds,
                change_of: &change_of,
            };
            let mut seen = BTreeSet::new();
            let before = drafts.len();
            let ends = graph.after_steps(r, r, drafts, &mut seen);
            // The root's own resume, when it has one, is the last step added.
            if let [last] = ends[..]
                && last >= before
                && &drafts[last].address == r
            {
                drafts[last].extra_deps.extend(changed.iter().copied());
                drafts[last].compensates = suspend_of.get(r).copied();
            }
        }
    }
}

/// A running task that is not its graph's root and is altered in place is
/// suspended itself before its ALTER (after its root's suspend); its resume
/// comes with the graph's other resumes.
fn suspend_running_child(
    task: &Address,
    change: usize,
    drafts: &mut Vec<Draft>,
    live: &Nodes<'_>,
    kinds: &Kinds,
) {
    let Some(current) = live.get(task) else {
        return;
    };
    let altered = drafts[change].purpose == StepPurpose::Update;
    if !altered || !current.node.enabled || root(task, live) == task {
        return;
    }
    let Some(kind) = kinds.get(task.kind) else {
        return;
    };
    let mut suspend = Draft::new(
        task.clone(),
        StepPurpose::Suspend,
        kind.suspend_sql(current.fqn, current.attributes),
    );
    suspend.extra_deps = drafts[change].extra_deps.clone();
    drafts.push(suspend);
    let at = drafts.len() - 1;
    drafts[change].extra_deps.push(at);
}

struct Graph<'g, 'a> {
    declared: &'g Nodes<'a>,
    live: &'g Nodes<'a>,
    kinds: &'g Kinds,
    change_of: &'g BTreeMap<Address, usize>,
}

impl Graph<'_, '_> {
    /// Adds the resume (or late suspend) steps of `task`'s subtree, children
    /// first; returns the step of `task` itself, or the steps of its nearest
    /// descendants when `task` needs none.
    fn after_steps(
        &self,
        task: &Address,
        root: &Address,
        drafts: &mut Vec<Draft>,
        seen: &mut BTreeSet<Address>,
    ) -> Vec<usize> {
        let children: Vec<&Address> = self
            .declared
            .iter()
            .filter(|(_, n)| n.node.predecessors.contains(task))
            .map(|(a, _)| *a)
            .collect();
        let mut below = Vec::new();
        for child in children {
            if seen.insert(child.clone()) {
                below.extend(self.after_steps(child, root, drafts, seen));
            }
        }
        let Node {
            node,
            fqn,
            attributes,
        } = &self.declared[task];
        let Some(kind) = self.kinds.get(task.kind) else {
            return below;
        };
        let changed = self.change_of.contains_key(task);
        let running = started(self.live, task);
        let (purpose, sql) = if node.enabled && (task == root || changed || !running) {
            (StepPurpose::Resume, kind.resume_sql(fqn, attributes))
        } else if !node.enabled && running && task != root {
            (StepPurpose::Suspend, kind.suspend_sql(fqn, attributes))
        } else {
            // No step of its own: let the parent wait for the children's.
            return below;
        };
        let mut draft = Draft::new(task.clone(), purpose, sql);
        draft.extra_deps = below;
        draft.extra_deps.extend(self.change_of.get(task).copied());
        drafts.push(draft);
        vec![drafts.len() - 1]
    }
}
