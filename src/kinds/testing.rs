//! Helpers for the kinds' unit tests: a temporary project resolved in
//! environment DEV (database `ML_DB`), a fresh local account, and the
//! reconciler's introspection run against it. Test-only; nothing here is
//! part of the product.

use std::path::Path;

use serde_json::Value;

use crate::diag::Span;
use crate::ident::Ident;
use crate::kinds::reconciler::{LiveObject, ParseError, Reconciler, Scope};
use crate::load::yaml::{Node, Value as Yaml};
use crate::load::{Environment, Project};
use crate::local::LocalAccount;
use crate::model::{Attributes, Resource};
use crate::resolve::{EnvSelection, ResolvedEnv};
use crate::session::Rows;

/// An environment `name` in `database` with nothing else set, as
/// environments.yaml would read it, for reading resource documents.
pub(crate) fn environment(name: &str, database: &str) -> Environment {
    Environment {
        name: name.into(),
        branches: vec![],
        tags: vec![],
        database: Ident::from_resolved(database),
        protected: false,
        connection: None,
        connection_span: None,
        vars: Node::new(Yaml::Null, Span::file("environments.yaml")),
        state: Default::default(),
        span: Span::file("environments.yaml"),
    }
}

/// Resolves `resources` in environment DEV (database `ML_DB`).
pub(crate) fn resolve(resources: &str) -> ResolvedEnv {
    let dir = tempfile::tempdir().unwrap();
    let write = |p: &str, t: &str| {
        let f = dir.path().join(p);
        std::fs::create_dir_all(f.parent().unwrap()).unwrap();
        std::fs::write(f, t).unwrap();
    };
    write(
        "config/environments.yaml",
        "environments:\n  DEV:\n    branches: [dev]\n    database: ml_db\n",
    );
    write("resources/all.yaml", resources);
    let project =
        Project::load(dir.path()).unwrap_or_else(|d| panic!("{}", d.render(Path::new("."))));
    let selection = project
        .select_with(&EnvSelection::env("DEV"), &|_| None, None)
        .unwrap();
    project
        .resolve_selection(selection)
        .unwrap_or_else(|d| panic!("{}", d.render(dir.path())))
}

/// A fresh local account holding database `ML_DB`, and its directory.
pub(crate) fn account() -> (tempfile::TempDir, LocalAccount) {
    crate::local::scratch_account(&["CREATE DATABASE ML_DB"])
}

/// Runs every statement, panicking on the first refusal.
pub(crate) fn run(account: &LocalAccount, sql: &[String]) {
    for s in sql {
        account
            .execute_sync(s)
            .unwrap_or_else(|e| panic!("{s}: {e}"));
    }
}

/// Introspects `kind` in `ML_DB` and parses the results.
pub(crate) fn live(kind: &dyn Reconciler, account: &LocalAccount) -> Vec<LiveObject> {
    let scope = Scope {
        environment: "DEV".into(),
        database: Ident::from_resolved("ML_DB"),
        schemas: Vec::new(),
    };
    let mut results: Vec<Rows> = kind
        .introspect(&scope)
        .iter()
        .map(|q| account.execute_sync(&q.sql).unwrap())
        .collect();
    let more: Vec<Rows> = kind
        .introspect_more(&scope, &results)
        .iter()
        .map(|q| account.execute_sync(&q.sql).unwrap())
        .collect();
    results.extend(more);
    kind.parse_live(&scope, &results).unwrap()
}

/// The attributes of `resource` that `kind`'s introspection can see.
pub(crate) fn visible(kind: &dyn Reconciler, resource: &Resource) -> Attributes {
    let mut attributes = resource.attributes.clone();
    attributes.retain(|k, _| !kind.unobservable_fields().contains(&k.as_str()));
    attributes
}

/// The fields of `declared` that `kind` can see and that differ in
/// `current`: what the diff would hand to `plan_change`.
pub(crate) fn changed_fields(
    kind: &dyn Reconciler,
    declared: &Resource,
    current: &Attributes,
) -> Vec<String> {
    visible(kind, declared)
        .into_iter()
        .filter(|(k, v)| current.get(k).unwrap_or(&Value::Null) != v)
        .map(|(k, _)| k)
        .collect()
}

/// A SHOW result of one row, every column text.
pub(crate) fn one_row(columns: &[&str], row: &[Option<&str>]) -> Rows {
    use crate::session::{Column, ColumnType};
    Rows {
        columns: columns
            .iter()
            .map(|c| Column::new(*c, ColumnType::Text))
            .collect(),
        rows: vec![row.iter().map(|c| c.map(str::to_string)).collect()],
        query_id: None,
    }
}

/// `kind`'s reading of one result in database `ML_DB`.
pub(crate) fn parse_rows(kind: &dyn Reconciler, rows: Rows) -> Result<Vec<LiveObject>, ParseError> {
    let scope = Scope {
        environment: "DEV".into(),
        database: Ident::from_resolved("ML_DB"),
        schemas: Vec::new(),
    };
    kind.parse_live(&scope, &[rows])
}
