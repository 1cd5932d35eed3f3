//! The dependency graph of one environment's declarations.
//!
//! Edges come from `depends_on` and from every reference a kind names
//! (schema, warehouse, entities, task `after`), plus declared feature views,
//! tasks and models named inside a feature view's `query` or a task's `sql`
//! (found with a SQL tokenizer, see [`crate::sql_refs`]). The graph gives the orders
//! plan and apply use (dependencies first; reverse for deletes), the
//! dependents of a node, and cycles as paths. It does no I/O.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;

use petgraph::Direction;
use petgraph::graph::{DiGraph, NodeIndex};

use crate::diag::Diagnostic;
use crate::ident::Ident;
use crate::kinds::{Spec, World};
use crate::model::Address;
use crate::sql_refs;

/// Why one resource depends on another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// Listed in `depends_on`.
    DependsOn,
    /// Named by this field (`warehouse`, `schema`, `entities`, `after`).
    Field(&'static str),
    /// Named in the resource's SQL (`query` or `sql`).
    Sql,
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::DependsOn => f.write_str("depends_on"),
            Reason::Field(field) => f.write_str(field),
            Reason::Sql => f.write_str("named in its SQL"),
        }
    }
}

/// The dependency graph; an edge runs from a dependency to its dependent.
#[derive(Debug, Clone, Default)]
pub struct Graph {
    graph: DiGraph<Address, Reason>,
    nodes: BTreeMap<Address, NodeIndex>,
}

impl Graph {
    /// Builds the graph of `specs`; references to undeclared objects are ignored
    /// (validation reports them).
    pub fn build(specs: &[Spec]) -> Graph {
        let mut g = Graph::default();
        for spec in specs {
            g.add_node(spec.address().clone());
        }
        let sql_targets = SqlTargets::new(specs);
        for spec in specs {
            let me = spec.address();
            let kind = spec.declaration();
            for r in kind.references() {
                g.add_edge(&r.target, me, Reason::Field(r.field));
            }
            for d in &kind.common().depends_on {
                g.add_edge(&d.value, me, Reason::DependsOn);
            }
            if let (Some(sql), Some((db, schema))) = (kind.sql(), container(spec)) {
                for target in sql_targets.find(sql, db, schema) {
                    g.add_edge(target, me, Reason::Sql);
                }
            }
        }
        g
    }

    /// Adds a node (idempotent).
    pub fn add_node(&mut self, address: Address) {
        if !self.nodes.contains_key(&address) {
            let index = self.graph.add_node(address.clone());
            self.nodes.insert(address, index);
        }
    }

    /// Records that `dependent` depends on `dependency` (ignored when either is
    /// unknown, for self-edges, and when the edge exists).
    pub fn add_edge(&mut self, dependency: &Address, dependent: &Address, reason: Reason) {
        let (Some(&from), Some(&to)) = (self.nodes.get(dependency), self.nodes.get(dependent))
        else {
            return;
        };
        if from != to && self.graph.find_edge(from, to).is_none() {
            self.graph.add_edge(from, to, reason);
        }
    }

    /// Every address in the graph, sorted.
    pub fn addresses(&self) -> Vec<Address> {
        self.nodes.keys().cloned().collect()
    }

    fn neighbours(&self, address: &Address, direction: Direction) -> Vec<Address> {
        let Some(&i) = self.nodes.get(address) else {
            return Vec::new();
        };
        let mut out: Vec<Address> = self
            .graph
            .neighbors_directed(i, direction)
            .map(|n| self.graph[n].clone())
            .collect();
        out.sort();
        out
    }

    /// What `address` depends on directly, sorted.
    pub fn dependencies(&self, address: &Address) -> Vec<Address> {
        self.neighbours(address, Direction::Incoming)
    }

    /// What depends on `address` directly, sorted.
    pub fn dependents(&self, address: &Address) -> Vec<Address> {
        self.neighbours(address, Direction::Outgoing)
    }

    /// Every edge as `(dependent, dependency, reason)`, sorted.
    pub fn edges(&self) -> Vec<(Address, Address, Reason)> {
        let mut out: Vec<(Address, Address, Reason)> = self
            .graph
            .edge_indices()
            .filter_map(|e| {
                let (from, to) = self.graph.edge_endpoints(e)?;
                Some((
                    self.graph[to].clone(),
                    self.graph[from].clone(),
                    self.graph[e],
                ))
            })
            .collect();
        out.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
        out
    }

    /// Why `dependent` depends on `dependency`, if it does directly.
    pub fn reason(&self, dependent: &Address, dependency: &Address) -> Option<Reason> {
        let (from, to) = (self.nodes.get(dependency)?, self.nodes.get(dependent)?);
        self.graph.find_edge(*from, *to).map(|e| self.graph[e])
    }

    /// Dependencies before dependents; among ready nodes, by kind then name.
    /// A cycle is returned as its path (`a → b → a`, each depending on the next).
    pub fn topological_order(&self) -> Result<Vec<Address>, Vec<Address>> {
        let mut pending: BTreeMap<&Address, usize> = self
            .nodes
            .iter()
            .map(|(a, &i)| {
                (
                    a,
                    self.graph
                        .neighbors_directed(i, Direction::Incoming)
                        .count(),
                )
            })
            .collect();
        let mut ready: BTreeSet<&Address> = pending
            .iter()
            .filter(|(_, n)| **n == 0)
            .map(|(a, _)| *a)
            .collect();
        let mut order = Vec::with_capacity(self.nodes.len());
        while let Some(next) = ready.pop_first() {
            pending.remove(next);
            order.push(next.clone());
            for dependent in self
                .graph
                .neighbors_directed(self.nodes[next], Direction::Outgoing)
            {
                let address = &self.graph[dependent];
                if let Some(n) = pending.get_mut(address) {
                    *n -= 1;
                    if *n == 0 {
                        ready.insert(address);
                    }
                }
            }
        }
        if pending.is_empty() {
            Ok(order)
        } else {
            Err(self.find_cycle().unwrap_or_default())
        }
    }

    /// Dependents before dependencies: the order for deletes.
    pub fn reverse_order(&self) -> Result<Vec<Address>, Vec<Address>> {
        self.topological_order().map(|mut o| {
            o.reverse();
            o
        })
    }

    /// `targets` and everything they depend on, transitively.
    pub fn with_dependencies(&self, targets: &[Address]) -> BTreeSet<Address> {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<Address> = targets.to_vec();
        while let Some(a) = stack.pop() {
            if seen.insert(a.clone()) {
                stack.extend(self.dependencies(&a));
            }
        }
        seen
    }

    /// A dependency cycle as a path `a → b → ... → a` (each depends on the next), if any.
    pub fn find_cycle(&self) -> Option<Vec<Address>> {
        let mut state: BTreeMap<&Address, u8> = BTreeMap::new();
        for start in self.nodes.keys() {
            let mut path = Vec::new();
            if let Some(cycle) = self.visit(start, &mut state, &mut path) {
                return Some(cycle);
            }
        }
        None
    }

    fn visit<'a>(
        &'a self,
        node: &'a Address,
        state: &mut BTreeMap<&'a Address, u8>,
        path: &mut Vec<&'a Address>,
    ) -> Option<Vec<Address>> {
        match state.get(node) {
            Some(2) => return None,
            Some(1) => {
                let start = path.iter().position(|a| *a == node)?;
                let mut cycle: Vec<Address> = path[start..].iter().map(|a| (*a).clone()).collect();
                cycle.push(node.clone());
                return Some(cycle);
            }
            _ => {}
        }
        state.insert(node, 1);
        path.push(node);
        let mut deps: Vec<&Address> = self
            .graph
            .neighbors_directed(self.nodes[node], Direction::Incoming)
            .map(|n| &self.graph[n])
            .collect();
        deps.sort();
        for dep in deps {
            if let Some(cycle) = self.visit(dep, state, path) {
                return Some(cycle);
            }
        }
        path.pop();
        state.insert(node, 2);
        None
    }

    /// The error for a cycle, placed at its first resource.
    pub fn cycle_diagnostic(&self, cycle: &[Address], world: &World<'_>) -> Diagnostic {
        let path = cycle
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(" → ");
        let mut d = Diagnostic::error(format!("dependency cycle: {path}"));
        if let Some(spec) = cycle.first().and_then(|a| world.get(a)) {
            d = d.at(spec.declaration().common().span.clone());
        }
        for pair in cycle.windows(2) {
            if let Some(reason) = self.reason(&pair[0], &pair[1]) {
                d = d.caused_by(format!("{} depends on {} ({reason})", pair[0], pair[1]));
            }
        }
        d.hint("break the cycle: remove one of these dependencies (depends_on, after, or a name in SQL)")
    }
}

/// Declared objects that SQL text may name: feature views (by `NAME$VERSION`),
/// tasks and models, indexed by their fully qualified name.
struct SqlTargets<'a> {
    by_name: HashMap<(&'a Ident, &'a Ident, &'a Ident), Vec<&'a Address>>,
}

/// The database and schema of a declaration that SQL may name, or that holds SQL.
fn container(spec: &Spec) -> Option<(&Ident, &Ident)> {
    match spec {
        Spec::FeatureView(s) => Some((&s.database, &s.schema.value)),
        Spec::Task(s) => Some((&s.database, &s.schema.value)),
        Spec::Model(s) => Some((&s.database, &s.schema.value)),
        _ => None,
    }
}

impl<'a> SqlTargets<'a> {
    fn new(specs: &'a [Spec]) -> SqlTargets<'a> {
        let mut by_name: HashMap<_, Vec<&Address>> = HashMap::new();
        for spec in specs {
            if let Some((db, schema)) = container(spec) {
                let address = spec.address();
                by_name
                    .entry((db, schema, &address.name))
                    .or_default()
                    .push(address);
            }
        }
        SqlTargets { by_name }
    }

    /// The declared objects `sql` names, resolving each name the way
    /// Snowflake does in the SQL of an object in `db`.`schema`: an
    /// unqualified name is in that schema, `schema.name` in that database.
    /// Parts after the third (a column of `db.schema.object`) are ignored.
    fn find(&self, sql: &str, db: &Ident, schema: &Ident) -> BTreeSet<&'a Address> {
        let mut found = BTreeSet::new();
        for parts in sql_refs::dotted_names(sql) {
            let key = match parts.as_slice() {
                [] => continue,
                [name] => (db, schema, name),
                [s, name] => (db, s, name),
                [d, s, name, ..] => (d, s, name),
            };
            if let Some(addresses) = self.by_name.get(&key) {
                found.extend(addresses.iter().copied());
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::{ReadContext, testing};
    use crate::load::Environment;
    use crate::load::yaml::parse_documents;
    use crate::model::KindName;
    use std::path::Path;

    fn env() -> Environment {
        testing::environment("DEV", "DB")
    }

    fn specs(yaml: &str) -> Vec<Spec> {
        let env = env();
        let ctx = ReadContext {
            env: &env,
            env_names: &["DEV"],
        };
        parse_documents(yaml, Path::new("r.yaml"))
            .unwrap()
            .iter()
            .map(|n| {
                let kind =
                    KindName::from_yaml_name(n.get("kind").unwrap().as_str().unwrap()).unwrap();
                Spec::read(kind, n, &ctx).unwrap_or_else(|d| panic!("{d:?}"))
            })
            .collect()
    }

    fn addr(s: &str) -> Address {
        s.parse().unwrap()
    }

    const TASKS: &str = "\
kind: Task\nname: root\nschema: S\nwarehouse: WH\nschedule: 1 hour\nsql: SELECT 1\n---
kind: Task\nname: load\nschema: S\nafter: [root]\nsql: \"INSERT INTO s.t SELECT * FROM fs.daily$V1 -- also report\"\n---
kind: Task\nname: report\nschema: S\nafter: [root]\nsql: \"SELECT 'load' AS note, '/* report */'\"\n---
kind: Task\nname: finish\nschema: S\nafter: [load]\ndepends_on: [task.report]\nsql: CALL db.s.other_proc()\n---
kind: FeatureView\nname: daily\nversion: V1\nschema: FS\nentities: [E]\nquery: SELECT 1\n";

    #[test]
    fn edges_come_from_fields_depends_on_and_sql_identifiers_only() {
        let specs = specs(TASKS);
        let g = Graph::build(&specs);
        assert_eq!(
            g.reason(&addr("task.LOAD"), &addr("task.ROOT")),
            Some(Reason::Field("after"))
        );
        assert_eq!(
            g.reason(&addr("task.ROOT"), &addr("warehouse.WH")),
            None,
            "undeclared targets are not nodes"
        );
        assert_eq!(
            g.reason(&addr("task.LOAD"), &addr("feature_view.DAILY$V1")),
            Some(Reason::Sql)
        );
        assert_eq!(
            g.reason(&addr("task.FINISH"), &addr("task.REPORT")),
            Some(Reason::DependsOn)
        );
        assert_eq!(
            g.reason(&addr("task.LOAD"), &addr("task.REPORT")),
            None,
            "a name in a comment is not a reference"
        );
        assert_eq!(
            g.reason(&addr("task.REPORT"), &addr("task.LOAD")),
            None,
            "a name in a string is not a reference"
        );
        assert_eq!(
            g.dependents(&addr("task.ROOT")),
            vec![addr("task.LOAD"), addr("task.REPORT")]
        );
        assert_eq!(
            g.dependencies(&addr("task.FINISH")),
            vec![addr("task.LOAD"), addr("task.REPORT")]
        );
    }

    #[test]
    fn qualified_sql_names_must_match_schema_and_database() {
        let yaml = "kind: Task\nname: t\nschema: S\nschedule: 1 hour\nsql: SELECT * FROM other.daily$V1 JOIN x.fs.daily$V1\n---\nkind: FeatureView\nname: daily\nversion: V1\nschema: FS\nentities: [E]\nquery: SELECT 1\n";
        let g = Graph::build(&specs(yaml));
        assert_eq!(
            g.reason(&addr("task.T"), &addr("feature_view.DAILY$V1")),
            None
        );
        let yaml = yaml.replace("x.fs.daily", "db.fs.daily");
        assert_eq!(
            Graph::build(&specs(&yaml)).reason(&addr("task.T"), &addr("feature_view.DAILY$V1")),
            Some(Reason::Sql)
        );
    }

    #[test]
    fn unqualified_sql_names_resolve_in_the_objects_own_schema() {
        let yaml = "\
kind: FeatureView\nname: daily\nversion: V1\nschema: FS\nentities: [E]\nquery: SELECT 1\n---
kind: FeatureView\nname: daily\nversion: V2\nschema: OTHER\nentities: [E]\nquery: SELECT 1\n---
kind: Task\nname: in_fs\nschema: FS\nschedule: 1 hour\nsql: SELECT * FROM daily$V1\n---
kind: Task\nname: elsewhere\nschema: S\nschedule: 1 hour\nsql: SELECT * FROM daily$V1 JOIN daily$V2\n---
kind: Task\nname: columns\nschema: S\nschedule: 1 hour\nsql: SELECT db.other.daily$V2.x FROM db.other.daily$V2\n";
        let g = Graph::build(&specs(yaml));
        assert_eq!(
            g.reason(&addr("task.IN_FS"), &addr("feature_view.DAILY$V1")),
            Some(Reason::Sql)
        );
        assert_eq!(
            g.dependencies(&addr("task.ELSEWHERE")),
            Vec::<Address>::new(),
            "an unqualified name is looked up in the task's own schema only"
        );
        assert_eq!(
            g.dependencies(&addr("task.COLUMNS")),
            vec![addr("feature_view.DAILY$V2")]
        );
    }

    #[test]
    fn topological_order_puts_dependencies_first_and_reverse_order_last() {
        let g = Graph::build(&specs(TASKS));
        let order = g.topological_order().unwrap();
        let pos = |a: &str| order.iter().position(|o| *o == addr(a)).unwrap();
        assert_eq!(order[0], addr("feature_view.DAILY$V1"));
        assert!(pos("task.ROOT") < pos("task.LOAD") && pos("task.LOAD") < pos("task.FINISH"));
        assert!(pos("task.REPORT") < pos("task.FINISH"));
        let reverse = g.reverse_order().unwrap();
        assert_eq!(reverse.first(), Some(&addr("task.FINISH")));
        assert_eq!(g.with_dependencies(&[addr("task.LOAD")]).len(), 3);
    }

    #[test]
    fn cycles_are_reported_as_paths() {
        let mut g = Graph::default();
        for a in ["task.A", "task.B", "task.C", "task.D"] {
            g.add_node(addr(a));
        }
        g.add_edge(&addr("task.B"), &addr("task.A"), Reason::Field("after"));
        g.add_edge(&addr("task.C"), &addr("task.B"), Reason::Sql);
        g.add_edge(&addr("task.A"), &addr("task.C"), Reason::DependsOn);
        g.add_edge(&addr("task.A"), &addr("task.D"), Reason::DependsOn);
        let cycle = g.topological_order().unwrap_err();
        let path: Vec<String> = cycle.iter().map(ToString::to_string).collect();
        assert_eq!(path, vec!["task.A", "task.B", "task.C", "task.A"]);
        assert!(g.find_cycle().is_some());
    }
}
