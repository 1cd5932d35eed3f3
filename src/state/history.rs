//! How records differ between two serials: what `floe state history`
//! marks on each address a serial changed, and what `floe state restore`
//! shows before it writes.

use std::collections::{BTreeMap, BTreeSet};

use super::StateEntry;
use crate::model::Address;

/// How one address's record differs from one state to another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordChange {
    /// Recorded in the second state only.
    Added,
    /// Recorded in both, differently: the fields that differ (attribute
    /// keys first, then the entry's own fields).
    Changed(Vec<String>),
    /// Recorded in the first state only.
    Removed,
}

impl RecordChange {
    /// The change from `before` to `after`; `None` when they are equal.
    pub fn between(before: Option<&StateEntry>, after: Option<&StateEntry>) -> Option<Self> {
        match (before, after) {
            (None, None) => None,
            (None, Some(_)) => Some(RecordChange::Added),
            (Some(_), None) => Some(RecordChange::Removed),
            (Some(b), Some(a)) if b == a => None,
            (Some(b), Some(a)) => Some(RecordChange::Changed(fields(b, a))),
        }
    }

    /// `+`, `~` or `-`, as plans mark creates, updates and deletes.
    pub fn mark(&self) -> char {
        match self {
            RecordChange::Added => '+',
            RecordChange::Changed(_) => '~',
            RecordChange::Removed => '-',
        }
    }
}

/// Every address whose record differs between `from` and `to`, sorted.
pub fn record_changes(
    from: &BTreeMap<Address, StateEntry>,
    to: &BTreeMap<Address, StateEntry>,
) -> Vec<(Address, RecordChange)> {
    let addresses: BTreeSet<&Address> = from.keys().chain(to.keys()).collect();
    addresses
        .into_iter()
        .filter_map(|a| RecordChange::between(from.get(a), to.get(a)).map(|c| (a.clone(), c)))
        .collect()
}

/// The fields of two entries of one address that differ.
fn fields(before: &StateEntry, after: &StateEntry) -> Vec<String> {
    let keys: BTreeSet<&String> = before
        .attributes
        .keys()
        .chain(after.attributes.keys())
        .collect();
    let mut out: Vec<String> = keys
        .into_iter()
        .filter(|k| before.attributes.get(*k) != after.attributes.get(*k))
        .cloned()
        .collect();
    let own = [
        ("fqn", before.fqn != after.fqn),
        ("depends_on", before.depends_on != after.depends_on),
        ("applied_at", before.applied_at != after.applied_at),
        ("git_commit", before.git_commit != after.git_commit),
    ];
    out.extend(own.iter().filter(|(_, d)| *d).map(|(f, _)| f.to_string()));
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::kinds::reconciler::fakes::{addr, live};

    fn entry(size: &str) -> StateEntry {
        StateEntry::from_live(&live("warehouse.WH", json!({ "size": size })), vec![], None)
    }

    #[test]
    fn records_added_changed_and_removed_are_told_apart() {
        let (a, b, c) = (
            addr("warehouse.A"),
            addr("warehouse.B"),
            addr("warehouse.C"),
        );
        let small = entry("SMALL");
        let mut large = small.clone();
        large.attributes.insert("size".into(), json!("LARGE"));
        let from = [(a.clone(), small.clone()), (b.clone(), small.clone())].into();
        let to = [(a.clone(), large), (c.clone(), small.clone())].into();
        assert_eq!(
            record_changes(&from, &to),
            [
                (a, RecordChange::Changed(vec!["size".into()])),
                (b, RecordChange::Removed),
                (c, RecordChange::Added),
            ]
        );
        assert_eq!(record_changes(&from, &from), []);
        assert_eq!(
            RecordChange::between(Some(&small), None).map(|c| c.mark()),
            Some('-')
        );
    }
}
