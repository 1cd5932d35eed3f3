//! The three-way attribute comparison of one address.

use serde_json::Value;

use super::plan::AttributeChange;
use crate::kinds::reconciler::LiveObject;
use crate::model::Resource;
use crate::state::StateEntry;

/// Equality where an absent value and JSON `null` are the same.
fn same(a: Option<&Value>, b: Option<&Value>) -> bool {
    let a = a.filter(|v| !v.is_null());
    let b = b.filter(|v| !v.is_null());
    a == b
}

/// The declared fields of `declared` that differ from the account.
///
/// Visible fields compare declared vs live; fields in `unobservable` compare
/// declared vs state (and never differ when state has no entry). Fields in
/// `lifecycle.ignore_changes` are skipped. A change is drift when state
/// agrees with the declaration and only live moved.
pub fn compare(
    declared: &Resource,
    state: Option<&StateEntry>,
    live: &LiveObject,
    unobservable: &[&str],
) -> Vec<AttributeChange> {
    let mut changes = Vec::new();
    for (field, value) in &declared.attributes {
        if declared.lifecycle.ignore_changes.contains(field) {
            continue;
        }
        let recorded = state.and_then(|s| s.attributes.get(field));
        if unobservable.contains(&field.as_str()) {
            if state.is_some() && !same(Some(value), recorded) {
                changes.push(AttributeChange {
                    field: field.clone(),
                    declared: Some(value.clone()),
                    state: recorded.cloned(),
                    live: None,
                    drift: false,
                });
            }
            continue;
        }
        let seen = live.attributes.get(field);
        if same(Some(value), seen) {
            continue;
        }
        let drift = state.is_some() && same(recorded, Some(value)) && !same(recorded, seen);
        changes.push(AttributeChange {
            field: field.clone(),
            declared: Some(value.clone()),
            state: recorded.cloned(),
            live: seen.cloned(),
            drift,
        });
    }
    changes
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::kinds::reconciler::fakes::{live, resource};

    fn entry(attributes: Value) -> StateEntry {
        StateEntry::from_live(&live("warehouse.WH", attributes), vec![], None)
    }

    #[test]
    fn live_change_behind_floes_back_is_drift() {
        let declared = resource("warehouse.WH", json!({"size": "SMALL"}), &[]);
        let state = entry(json!({"size": "SMALL"}));
        let seen = live("warehouse.WH", json!({"size": "LARGE"}));
        let changes = compare(&declared, Some(&state), &seen, &[]);
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].old(), Some(&json!("LARGE")));
        assert!(changes[0].drift);
    }

    #[test]
    fn declared_change_is_not_drift() {
        let declared = resource("warehouse.WH", json!({"size": "MEDIUM"}), &[]);
        let state = entry(json!({"size": "SMALL"}));
        let seen = live("warehouse.WH", json!({"size": "SMALL"}));
        let changes = compare(&declared, Some(&state), &seen, &[]);
        assert_eq!(changes.len(), 1);
        assert!(!changes[0].drift);
        assert!(!compare(&declared, None, &seen, &[])[0].drift);
    }

    #[test]
    fn ignored_fields_are_never_compared() {
        let mut declared = resource(
            "warehouse.WH",
            json!({"size": "SMALL", "comment": "a"}),
            &[],
        );
        declared.lifecycle.ignore_changes = vec!["size".into()];
        let seen = live("warehouse.WH", json!({"size": "LARGE", "comment": "a"}));
        assert!(compare(&declared, None, &seen, &[]).is_empty());
    }

    #[test]
    fn unobservable_fields_compare_against_state_only() {
        let declared = resource("warehouse.WH", json!({"initially_suspended": true}), &[]);
        let seen = live("warehouse.WH", json!({}));
        assert!(compare(&declared, None, &seen, &["initially_suspended"]).is_empty());
        let state = entry(json!({"initially_suspended": true}));
        assert!(compare(&declared, Some(&state), &seen, &["initially_suspended"]).is_empty());
        let state = entry(json!({"initially_suspended": false}));
        let changes = compare(&declared, Some(&state), &seen, &["initially_suspended"]);
        assert_eq!(changes[0].old(), Some(&json!(false)));
        assert_eq!(changes[0].live, None);
    }

    #[test]
    fn null_and_absent_are_the_same() {
        let declared = resource("warehouse.WH", json!({"comment": null}), &[]);
        let seen = live("warehouse.WH", json!({}));
        assert!(compare(&declared, None, &seen, &[]).is_empty());
    }
}
