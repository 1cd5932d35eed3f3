//! SHOW: which objects a SHOW statement lists, in Snowflake's order.
//!
//! This module resolves the `IN` scope against the session, applies LIKE
//! (case-insensitive, `%` and `_`), STARTS WITH, `LIMIT n FROM 'name'` and
//! Snowflake's cap of 10,000 rows, then hands each listed object to
//! [`rows`] for its columns (SHOW WAREHOUSES of a Standard-edition account
//! has no query-acceleration columns). It only reads the catalog.

mod columns;
mod parameters;
mod rows;

pub(crate) use rows::model_aliases;

use super::ast::{Name, Scope, Show, ShowKind};
use super::catalog::{Catalog, Model, ModelVersion, Namespace, Object, ObjectKey, QualifiedName};
use super::error::{self, SqlError};
use super::session::SessionState;
use crate::ident::Ident;
use crate::session::Rows;

pub use columns::columns;

/// Snowflake returns at most this many rows from one SHOW.
pub const MAX_ROWS: usize = 10_000;

/// One listed object.
pub(crate) enum Item<'a> {
    /// A database.
    Database(&'a super::catalog::Database),
    /// A schema; `None` for the built-in INFORMATION_SCHEMA of a database.
    Schema(&'a Ident, Option<&'a super::catalog::Schema>),
    /// A warehouse.
    Warehouse(&'a super::catalog::Warehouse),
    /// A schema object.
    Object(&'a ObjectKey, &'a Object),
    /// A model version.
    Version(QualifiedName, &'a Model, &'a ModelVersion),
}

impl Item<'_> {
    fn name(&self) -> &str {
        match self {
            Item::Database(d) => d.name.as_str(),
            Item::Schema(_, Some(s)) => s.name.as_str(),
            Item::Schema(_, None) => "INFORMATION_SCHEMA",
            Item::Warehouse(w) => w.name.as_str(),
            Item::Object(k, _) => k.name.as_str(),
            Item::Version(_, _, v) => v.name.as_str(),
        }
    }
}

/// Runs a SHOW statement.
pub fn show(catalog: &Catalog, session: &SessionState, show: &Show) -> Result<Rows, SqlError> {
    if show.kind == ShowKind::Parameters {
        return parameters::show(catalog, show, |name| qualify(session, name));
    }
    if show.kind == ShowKind::Functions {
        return functions(catalog, session, show);
    }
    let items = candidates(catalog, session, show)?;
    let finalizers = rows::finalizers(&items);
    let like = show.like.as_deref().map(|p| p.to_lowercase());
    let limit = show.limit.map_or(MAX_ROWS, |n| (n as usize).min(MAX_ROWS));
    let listed: Vec<Item> = items
        .into_iter()
        .filter(|item| {
            like.as_deref()
                .is_none_or(|p| like_matches(p, &item.name().to_lowercase()))
        })
        .filter(|item| {
            show.starts_with
                .as_deref()
                .is_none_or(|s| item.name().starts_with(s))
        })
        .filter(|item| show.from.as_deref().is_none_or(|f| item.name() > f))
        .filter(|item| !show.root_only || is_root(item))
        .take(limit)
        .collect();
    let mut rows = rows::render(show.kind, show.terse, session, &listed, &finalizers);
    if show.kind == ShowKind::Warehouses && !catalog.edition.has_enterprise_features() {
        drop_columns(&mut rows, QUERY_ACCELERATION_COLUMNS);
    }
    Ok(rows)
}

/// SHOW WAREHOUSES columns that only accounts with the query acceleration
/// service have (Snowflake's SHOW WAREHOUSES reference: "For accounts that
/// have the query acceleration service feature enabled, the output provides
/// additional information").
const QUERY_ACCELERATION_COLUMNS: &[&str] = &[
    "enable_query_acceleration",
    "query_acceleration_max_scale_factor",
];

/// Removes the `names` columns and their cells.
fn drop_columns(rows: &mut Rows, names: &[&str]) {
    let keep: Vec<bool> = rows
        .columns
        .iter()
        .map(|c| !names.contains(&c.name.as_str()))
        .collect();
    let mut flags = keep.iter();
    rows.columns.retain(|_| *flags.next().unwrap_or(&true));
    for row in &mut rows.rows {
        let mut flags = keep.iter();
        row.retain(|_| *flags.next().unwrap_or(&true));
    }
}

fn is_root(item: &Item) -> bool {
    matches!(item, Item::Object(_, Object::Task(t)) if t.predecessors.is_empty())
}

/// SQL LIKE with `%` and `_`, on already lower-cased text.
pub(crate) fn like_matches(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    // Iterative matcher with backtracking on the last `%`.
    let (mut pi, mut ti) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '_' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '%' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '%')
}

/// Where schema objects are listed from.
enum Range {
    Account,
    Database(Ident),
    Schema(Ident, Ident),
}

fn candidates<'a>(
    catalog: &'a Catalog,
    session: &SessionState,
    show: &Show,
) -> Result<Vec<Item<'a>>, SqlError> {
    let items = match show.kind {
        ShowKind::Databases => catalog.databases.values().map(Item::Database).collect(),
        ShowKind::Warehouses => catalog.warehouses.values().map(Item::Warehouse).collect(),
        ShowKind::Schemas => schemas(catalog, range(catalog, session, show)?),
        ShowKind::Versions => versions(catalog, session, show)?,
        // The local account holds no online feature tables; the scope
        // must still exist, as Snowflake checks it.
        ShowKind::OnlineFeatureTables => {
            range(catalog, session, show)?;
            Vec::new()
        }
        kind => {
            let range = range(catalog, session, show)?;
            let wanted = |o: &Object| match kind {
                ShowKind::Tables => matches!(o, Object::Table(_) | Object::DynamicTable(_)),
                ShowKind::Views => matches!(o, Object::View(_)),
                ShowKind::DynamicTables => matches!(o, Object::DynamicTable(_)),
                ShowKind::Tasks => matches!(o, Object::Task(_)),
                ShowKind::Tags => matches!(o, Object::Tag(_)),
                ShowKind::Models => matches!(o, Object::Model(_)),
                _ => false,
            };
            objects_in(catalog, range)
                .filter(|(_, o)| wanted(o))
                .map(|(k, o)| Item::Object(k, o))
                .collect::<Vec<_>>()
        }
    };
    Ok(sorted(items))
}

/// Objects of different namespaces interleave by name within a schema.
fn sorted(mut items: Vec<Item<'_>>) -> Vec<Item<'_>> {
    items.sort_by(|a, b| match (a, b) {
        (Item::Object(ka, _), Item::Object(kb, _)) => {
            (&ka.database, &ka.schema, &ka.name).cmp(&(&kb.database, &kb.schema, &kb.name))
        }
        _ => std::cmp::Ordering::Equal,
    });
    items
}

/// The objects in `range`, in key order: the keys of one database, or of
/// one schema, are next to each other in the catalog, so only they are read.
fn objects_in<'a>(
    catalog: &'a Catalog,
    range: Range,
) -> impl Iterator<Item = (&'a ObjectKey, &'a Object)> + 'a {
    let first = |database: &Ident, schema: Option<&Ident>| ObjectKey {
        database: database.clone(),
        schema: schema.cloned().unwrap_or_else(|| Ident::from_resolved("")),
        namespace: Namespace::Relation,
        name: Ident::from_resolved(""),
    };
    let from = match &range {
        Range::Account => None,
        Range::Database(d) => Some(first(d, None)),
        Range::Schema(d, s) => Some(first(d, Some(s))),
    };
    let listed: Box<dyn Iterator<Item = (&ObjectKey, &Object)>> = match from {
        None => Box::new(catalog.objects.iter()),
        Some(from) => Box::new(catalog.objects.range(from..)),
    };
    listed.take_while(move |(k, _)| in_range(&range, k))
}

fn in_range(range: &Range, key: &ObjectKey) -> bool {
    match range {
        Range::Account => true,
        Range::Database(d) => &key.database == d,
        Range::Schema(d, s) => &key.database == d && &key.schema == s,
    }
}

fn schemas(catalog: &Catalog, range: Range) -> Vec<Item<'_>> {
    let mut items = Vec::new();
    for (name, _) in catalog.databases.iter() {
        let wanted = match &range {
            Range::Account => true,
            Range::Database(d) | Range::Schema(d, _) => d == name,
        };
        if !wanted {
            continue;
        }
        let mut listed: Vec<Item> = catalog
            .schemas
            .range((name.clone(), Ident::from_resolved(""))..)
            .take_while(|((d, _), _)| d == name)
            .map(|(_, s)| Item::Schema(name, Some(s)))
            .collect();
        listed.push(Item::Schema(name, None));
        listed.sort_by(|a, b| a.name().cmp(b.name()));
        items.extend(listed);
    }
    items
}

fn versions<'a>(
    catalog: &'a Catalog,
    session: &SessionState,
    show: &Show,
) -> Result<Vec<Item<'a>>, SqlError> {
    let Scope::Model(name) = &show.scope else {
        return Err(error::syntax(1, 0, "VERSIONS"));
    };
    let q = qualify(session, name)?;
    let Some(Object::Model(model)) = catalog.object(&q, Namespace::Model) else {
        return Err(error::object_missing(&q.display()));
    };
    Ok(model
        .versions
        .iter()
        .map(|v| Item::Version(q.clone(), model, v))
        .collect())
}

/// SHOW FUNCTIONS IN MODEL m VERSION v: the version (or alias) must exist;
/// it lists the one function the local account answers for every version
/// (see `rows::MODEL_SPEC`).
fn functions(catalog: &Catalog, session: &SessionState, show: &Show) -> Result<Rows, SqlError> {
    let Scope::ModelVersion(name, version) = &show.scope else {
        return Err(error::syntax(1, 0, "FUNCTIONS"));
    };
    let q = qualify(session, name)?;
    let Some(Object::Model(model)) = catalog.object(&q, Namespace::Model) else {
        return Err(error::object_missing(&q.display()));
    };
    let found = model
        .versions
        .iter()
        .find(|v| &v.name == version || v.alias.as_ref() == Some(version));
    let Some(found) = found else {
        return Err(error::invalid(format!(
            "Model {} does not have a version {}.",
            q.display(),
            version.to_sql()
        )));
    };
    let mut listed = rows::render(
        ShowKind::Functions,
        false,
        session,
        &[],
        &rows::Finalizers::new(),
    );
    let row = rows::model_function_row(q.schema.as_str(), found.created_on);
    let like = show.like.as_deref().map(str::to_lowercase);
    if like.is_none_or(|p| like_matches(&p, "predict")) {
        listed.rows.push(row);
    }
    Ok(listed)
}

fn qualify(session: &SessionState, name: &Name) -> Result<QualifiedName, SqlError> {
    let current_db = || {
        session
            .database
            .clone()
            .ok_or_else(|| error::no_current("database", "SHOW"))
    };
    let current_schema = || {
        session
            .schema
            .clone()
            .ok_or_else(|| error::no_current("schema", "SHOW"))
    };
    let (database, schema) = match name.parts.as_slice() {
        [_] => (current_db()?, current_schema()?),
        [s, _] => (current_db()?, s.clone()),
        [d, s, _] => (d.clone(), s.clone()),
        _ => return Err(error::object_missing(&name.to_sql())),
    };
    Ok(QualifiedName {
        database,
        schema,
        name: name.last().clone(),
    })
}

fn range(catalog: &Catalog, session: &SessionState, show: &Show) -> Result<Range, SqlError> {
    let action = "SHOW";
    let require_db = |db: Ident| {
        if catalog.databases.contains_key(&db) {
            Ok(db)
        } else {
            Err(error::database_missing(&db.to_sql()))
        }
    };
    let current_db = || {
        session
            .database
            .clone()
            .ok_or_else(|| error::no_current("database", action))
    };
    match &show.scope {
        Scope::Default => match &session.database {
            Some(db) => Ok(Range::Database(require_db(db.clone())?)),
            None => Ok(Range::Account),
        },
        Scope::Account => Ok(Range::Account),
        Scope::Database(None) => Ok(Range::Database(require_db(current_db()?)?)),
        Scope::Database(Some(name)) => Ok(Range::Database(require_db(name.last().clone())?)),
        Scope::Schema(name) => {
            let (db, schema) = match name.as_ref().map(|n| n.parts.as_slice()) {
                None => (
                    current_db()?,
                    session
                        .schema
                        .clone()
                        .ok_or_else(|| error::no_current("schema", action))?,
                ),
                Some([s]) => (current_db()?, s.clone()),
                Some([d, s]) => (d.clone(), s.clone()),
                Some(_) => return Err(error::syntax(1, 0, "IN")),
            };
            let db = require_db(db)?;
            if show.kind == ShowKind::Schemas {
                return Ok(Range::Database(db));
            }
            if schema.as_str() != "INFORMATION_SCHEMA" && !catalog.has_schema(&db, &schema) {
                return Err(error::schema_missing(&format!(
                    "{}.{}",
                    db.to_sql(),
                    schema.to_sql()
                )));
            }
            Ok(Range::Schema(db, schema))
        }
        Scope::Model(_) | Scope::ModelVersion(..) | Scope::Task(_) | Scope::Warehouse(_) => {
            Err(error::syntax(1, 0, "IN"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::like_matches;

    #[test]
    fn like_supports_percent_and_underscore() {
        assert!(like_matches(
            "snowml_feature_store_entity_%",
            "snowml_feature_store_entity_pudo"
        ));
        assert!(like_matches("a_c", "abc"));
        assert!(!like_matches("a_c", "abbc"));
        assert!(like_matches("%b%", "abc"));
        assert!(like_matches("%", ""));
        assert!(!like_matches("abc", "abcd"));
    }
}
