//! The behaviour each resource kind gives the reconciler.
//!
//! The reconciler (introspection, diff, apply) is generic: it knows
//! addresses, attribute maps and SQL strings, never a kind's fields. Each
//! kind implements [`Reconciler`] once, in `src/kinds/<kind>/reconciler.rs`:
//! which SHOW statements read it, how SHOW rows become canonical
//! [`LiveObject`]s, how a change becomes SQL, and (for tasks) how it sits in
//! a task graph. This module holds only
//! the trait, the values it exchanges and the [`Kinds`] registry; it renders
//! no SQL itself and does no I/O.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::ident::Ident;
use crate::model::{Address, Attributes, KindName, Resource};
use crate::session::Rows;

#[cfg(test)]
pub(crate) mod fakes;

/// What one environment reads and owns in an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    /// The environment's name (`DEV`).
    pub environment: String,
    /// The environment's database.
    pub database: Ident,
    /// The schemas this environment manages (declared or in state); objects
    /// in them that it neither declares nor has in state are unmanaged.
    pub schemas: Vec<Ident>,
}

/// One introspection statement of a kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// The statement, e.g. `SHOW TASKS IN DATABASE OSS_SF_MLOPS`, without a
    /// `LIMIT` clause.
    pub sql: String,
    /// True for a SHOW statement the driver may page: when a result has
    /// 10,000 rows it re-issues `<sql> LIMIT 10000 FROM '<last name>'`,
    /// taking the last row's `name` column.
    pub paged: bool,
}

impl Query {
    /// A SHOW statement that the driver pages past 10,000 rows.
    pub fn show(sql: impl Into<String>) -> Self {
        Query {
            sql: sql.into(),
            paged: true,
        }
    }

    /// Any other statement (a tag lookup, a `SELECT`, or a SHOW whose
    /// syntax has no `LIMIT ... FROM`, such as SHOW WAREHOUSES): issued once.
    pub fn once(sql: impl Into<String>) -> Self {
        Query {
            sql: sql.into(),
            paged: false,
        }
    }
}

/// One object as introspection sees it, in canonical form.
#[derive(Debug, Clone, PartialEq)]
pub struct LiveObject {
    /// The address it would have if declared.
    pub address: Address,
    /// Its fully qualified name as Snowflake shows it.
    pub fqn: String,
    /// The schema holding it (`None` for account objects and schemas): an
    /// object in a managed schema that is neither declared nor in state is
    /// reported as unmanaged; others are not this environment's business.
    pub schema: Option<Ident>,
    /// Canonical attributes, comparable with declared ones.
    pub attributes: Attributes,
}

/// Why SHOW results could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot read {kind} objects from `{statement}`: {message}")]
pub struct ParseError {
    /// The kind being read.
    pub kind: KindName,
    /// The statement whose result was unreadable.
    pub statement: String,
    /// What was wrong, e.g. `column "size" is missing`.
    pub message: String,
}

/// How a declared resource that differs from the live object is brought in line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// In-place statements (ALTER); may be empty when the changed fields are
    /// handled by the planner itself (a task's `enabled`).
    Update(Vec<String>),
    /// Drop and create; the reason is for people (`query changed`).
    Replace {
        /// Why, in a few words, e.g. `join_keys changed`.
        reason: String,
    },
}

/// Where a task sits in its task graph, read from its canonical attributes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphNode {
    /// The tasks it runs after (declared `after`, or live `predecessors`).
    pub predecessors: Vec<Address>,
    /// Whether the task is (or should be) resumed.
    pub enabled: bool,
}

/// A resource kind, as the reconciler sees it.
///
/// Attributes given to and returned from these methods are canonical (see
/// [`crate::model`]). Every method is pure: SQL is returned, never executed.
pub trait Reconciler: Send + Sync {
    /// Which kind this is.
    fn kind(&self) -> KindName;

    /// The statements that read every object of this kind in `scope`, e.g.
    /// one `SHOW WAREHOUSES` or one `SHOW TASKS IN DATABASE X`.
    fn introspect(&self, scope: &Scope) -> Vec<Query>;

    /// Statements that depend on what [`Reconciler::introspect`]'s queries found
    /// (`first`, same order), issued in a second round: e.g. one batched
    /// tag lookup per schema that holds objects of this kind. Their results
    /// follow the first round's in [`Reconciler::parse_live`]. None by default.
    fn introspect_more(&self, _scope: &Scope, _first: &[Rows]) -> Vec<Query> {
        Vec::new()
    }

    /// Turns the results of [`Reconciler::introspect`]'s queries (same order, pages
    /// already joined), then those of [`Reconciler::introspect_more`]'s, into live
    /// objects. Return everything seen; the driver
    /// decides what is managed, unmanaged or another environment's.
    fn parse_live(&self, scope: &Scope, results: &[Rows]) -> Result<Vec<LiveObject>, ParseError>;

    /// Fields that introspection cannot see (a warehouse's
    /// `initially_suspended`): they are compared declared vs state only.
    fn unobservable_fields(&self) -> &'static [&'static str] {
        &[]
    }

    /// The [`Reconciler::unobservable_fields`] that can still change in the
    /// account after creation (a task's parameters, set by ALTER), so that a
    /// change made outside floe to them goes unseen: the plan names them.
    /// Create-only options are not among them. The default is none.
    fn state_only_fields(&self) -> &'static [&'static str] {
        &[]
    }

    /// A copy of the live attributes `live` with what introspection cannot
    /// see filled in from the attributes state recorded at the last apply (a
    /// model version's `from`: Snowflake keeps no trace of where a version
    /// was copied from), or `None` when the kind fills in nothing, so the
    /// diff compares the object as read without copying it. Called only
    /// when state has an entry for the address. The completed copy is what
    /// the diff compares and what [`Reconciler::plan_change`] receives as
    /// `current`; fingerprints of what was read (the plan's live
    /// fingerprint, checked for staleness) are taken on the attributes as
    /// read. The default fills in nothing.
    fn complete_live(&self, _live: &Attributes, _recorded: &Attributes) -> Option<Attributes> {
        None
    }

    /// Recomputes, on the declared attributes, what this kind derives from
    /// other resources (a feature view's entity tag values from its
    /// entities' join keys), given their `effective` attributes: declared,
    /// with each field under `lifecycle.ignore_changes` at its live value.
    /// A dependent then follows what its dependency really is, so that a
    /// plan never holds steps that contradict each other. The default
    /// derives nothing.
    fn follow(
        &self,
        _declared: &mut Attributes,
        _effective: &dyn Fn(&Address) -> Option<Attributes>,
    ) {
    }

    /// How to bring `current` (live) to `declared`, given the fields that
    /// differ (never empty, never an ignored field). Task-graph kinds leave
    /// suspending and resuming to the planner: when only `enabled` differs,
    /// return `Change::Update(vec![])`.
    fn plan_change(&self, declared: &Resource, current: &Attributes, changed: &[String]) -> Change;

    /// The statements that create `resource`.
    fn create_sql(&self, resource: &Resource) -> Vec<String>;

    /// The statements that drop the object at `address` with these attributes.
    fn delete_sql(&self, address: &Address, fqn: &str, attributes: &Attributes) -> Vec<String>;

    /// True when dropping this object loses data or history (a dynamic
    /// table, a model's versions, a task's run history): a replace is then
    /// destructive. A delete is always destructive.
    fn destroys_data(&self, _attributes: &Attributes) -> bool {
        false
    }

    /// For task-graph kinds: the object's place in its graph. `None` (the
    /// default) means the kind has no graph.
    fn graph_node(&self, _attributes: &Attributes) -> Option<GraphNode> {
        None
    }

    /// For task-graph kinds: `attributes` with the task resumed (`running`)
    /// or suspended. Apply records what is true after each step: Snowflake
    /// creates tasks suspended and a suspend step suspends one, so until its
    /// resume step succeeds state says the task is suspended, and a run cut
    /// short in between leaves a state that matches the account. `None`
    /// (the default) for kinds without a graph.
    fn with_running(&self, _attributes: &Attributes, _running: bool) -> Option<Attributes> {
        None
    }

    /// For task-graph kinds: statements that suspend the task `fqn` whose
    /// canonical attributes are `attributes` (names in SQL are built from
    /// the attributes' identifiers; `fqn` is for people and fallbacks).
    fn suspend_sql(&self, _fqn: &str, _attributes: &Attributes) -> Vec<String> {
        Vec::new()
    }

    /// For task-graph kinds: statements that resume the task `fqn` whose
    /// canonical attributes are `attributes`.
    fn resume_sql(&self, _fqn: &str, _attributes: &Attributes) -> Vec<String> {
        Vec::new()
    }
}

/// The kinds known to a run, by name.
#[derive(Clone, Default)]
pub struct Kinds {
    by_name: BTreeMap<KindName, Arc<dyn Reconciler>>,
}

impl Kinds {
    /// A registry holding `kinds`; a later kind with the same name wins.
    pub fn new(kinds: impl IntoIterator<Item = Arc<dyn Reconciler>>) -> Self {
        let by_name = kinds.into_iter().map(|k| (k.kind(), k)).collect();
        Kinds { by_name }
    }

    /// The implementation of `kind`, if registered.
    pub fn get(&self, kind: KindName) -> Option<&Arc<dyn Reconciler>> {
        self.by_name.get(&kind)
    }

    /// Every registered kind, in [`KindName`] order.
    pub fn iter(&self) -> impl Iterator<Item = &Arc<dyn Reconciler>> {
        self.by_name.values()
    }
}

impl std::fmt::Debug for Kinds {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.by_name.keys()).finish()
    }
}
