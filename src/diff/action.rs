//! The action decision: one small pure function and its table.

use super::plan::Action;

/// What is known about one address when deciding its action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Facts {
    /// The environment declares it.
    pub declared: bool,
    /// State records it.
    pub in_state: bool,
    /// Introspection found it.
    pub live: bool,
    /// Some non-ignored attribute differs (declared vs live, or declared vs
    /// state for fields introspection cannot see).
    pub differs: bool,
    /// The kind says the difference needs a drop and create.
    pub needs_replace: bool,
    /// Every differing attribute differs only because live moved away from state.
    pub only_drift: bool,
}

/// Decides the action for one address and whether it is drift.
///
/// | declared | state | live | differs | replace | action  | drift                    |
/// |----------|-------|------|---------|---------|---------|--------------------------|
/// | yes      | no    | no   |  –      |  –      | create  | no                       |
/// | yes      | yes   | no   |  –      |  –      | create  | yes (deleted outside)    |
/// | yes      |  –    | yes  | no      |  –      | no-op   | no                       |
/// | yes      |  –    | yes  | yes     | no      | update  | `only_drift`             |
/// | yes      |  –    | yes  | yes     | yes     | replace | `only_drift`             |
/// | no       | yes   | yes  |  –      |  –      | delete  | no                       |
/// | no       | yes   | no   |  –      |  –      | no-op   | no (state forgets it)    |
/// | no       | no    |  –   |  –      |  –      | no-op   | no (unmanaged, or nothing) |
pub fn decide(f: Facts) -> (Action, bool) {
    match (f.declared, f.in_state, f.live) {
        (true, in_state, false) => (Action::Create, in_state),
        (true, _, true) if !f.differs => (Action::NoOp, false),
        (true, _, true) if f.needs_replace => (Action::Replace, f.only_drift),
        (true, _, true) => (Action::Update, f.only_drift),
        (false, true, true) => (Action::Delete, false),
        (false, _, _) => (Action::NoOp, false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn action_table() {
        use Action::*;
        // declared, state, live, differs, replace, only_drift → action, drift
        let table = [
            (true, false, false, false, false, false, Create, false),
            (true, true, false, false, false, false, Create, true),
            (true, true, false, true, true, false, Create, true),
            (true, false, true, false, false, false, NoOp, false),
            (true, true, true, false, false, false, NoOp, false),
            (true, true, true, true, false, false, Update, false),
            (true, true, true, true, false, true, Update, true),
            (true, false, true, true, false, false, Update, false),
            (true, true, true, true, true, false, Replace, false),
            (true, true, true, true, true, true, Replace, true),
            (false, true, true, false, false, false, Delete, false),
            (false, true, true, true, false, true, Delete, false),
            (false, true, false, false, false, false, NoOp, false),
            (false, false, true, false, false, false, NoOp, false),
            (false, false, false, false, false, false, NoOp, false),
        ];
        for (declared, in_state, live, differs, needs_replace, only_drift, action, drift) in table {
            let facts = Facts {
                declared,
                in_state,
                live,
                differs,
                needs_replace,
                only_drift,
            };
            assert_eq!(decide(facts), (action, drift), "{facts:?}");
        }
    }
}
