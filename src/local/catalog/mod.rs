//! The emulated account's objects and the only way to change them.
//!
//! A [`Catalog`] holds warehouses, databases, schemas and schema objects
//! (tables with their rows, views, dynamic tables, tasks, tags, models)
//! keyed by resolved names. The executor never mutates it directly: it
//! computes a list of [`Change`]s from a read-only catalog, and
//! [`Catalog::apply`] replays them. That split is what makes a failed statement leave the catalog
//! untouched, and what the journal persists. This module does no I/O and
//! enforces no Snowflake rule.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::ident::Ident;

mod objects;
mod tag_index;

pub use objects::*;
pub use tag_index::Tagged;

/// Milliseconds since the Unix epoch (UTC).
pub type Millis = u64;

/// A fully qualified schema-object name, each part resolved.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct QualifiedName {
    /// The database.
    pub database: Ident,
    /// The schema.
    pub schema: Ident,
    /// The object.
    pub name: Ident,
}

impl QualifiedName {
    /// `DB.S.X`, each part quoted only when needed, as Snowflake's messages print it.
    pub fn display(&self) -> String {
        format!(
            "{}.{}.{}",
            self.database.to_sql(),
            self.schema.to_sql(),
            self.name.to_sql()
        )
    }

    /// `"DB"."S"."X"`, as SHOW TASKS prints predecessors.
    pub fn quoted(&self) -> String {
        let q = |i: &Ident| format!("\"{}\"", i.as_str().replace('"', "\"\""));
        format!(
            "{}.{}.{}",
            q(&self.database),
            q(&self.schema),
            q(&self.name)
        )
    }
}

/// A tag set on an object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagValue {
    /// The tag.
    pub tag: QualifiedName,
    /// The value.
    pub value: String,
}

/// The tags of an object, at most one value per tag.
pub type Tags = Vec<TagValue>;

/// A schema-level object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Object {
    /// A table.
    Table(Table),
    /// A view.
    View(View),
    /// A dynamic table.
    DynamicTable(DynamicTable),
    /// A task.
    Task(Task),
    /// A tag.
    Tag(Tag),
    /// A model.
    Model(Model),
}

/// Which names an object shares: tables, views and dynamic tables share one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Namespace {
    /// Tables, views, dynamic tables.
    Relation,
    /// Tasks.
    Task,
    /// Tags.
    Tag,
    /// Models.
    Model,
}

impl Object {
    /// The object's resolved name.
    pub fn name(&self) -> &Ident {
        match self {
            Object::Table(o) => &o.name,
            Object::View(o) => &o.name,
            Object::DynamicTable(o) => &o.name,
            Object::Task(o) => &o.name,
            Object::Tag(o) => &o.name,
            Object::Model(o) => &o.name,
        }
    }

    /// The namespace the object's name lives in.
    pub fn namespace(&self) -> Namespace {
        match self {
            Object::Table(_) | Object::View(_) | Object::DynamicTable(_) => Namespace::Relation,
            Object::Task(_) => Namespace::Task,
            Object::Tag(_) => Namespace::Tag,
            Object::Model(_) => Namespace::Model,
        }
    }

    /// Snowflake's type word for messages (`TABLE`, `VIEW`, ...).
    pub fn type_name(&self) -> &'static str {
        match self {
            Object::Table(_) => "TABLE",
            Object::View(_) => "VIEW",
            Object::DynamicTable(_) => "DYNAMIC TABLE",
            Object::Task(_) => "TASK",
            Object::Tag(_) => "TAG",
            Object::Model(_) => "MODEL",
        }
    }

    /// The object's tags (tags themselves carry none).
    pub fn tags(&self) -> Option<&Tags> {
        match self {
            Object::Table(o) => Some(&o.tags),
            Object::View(o) => Some(&o.tags),
            Object::DynamicTable(o) => Some(&o.tags),
            Object::Task(o) => Some(&o.tags),
            Object::Model(o) => Some(&o.tags),
            Object::Tag(_) => None,
        }
    }

    /// Mutable access to the object's tags.
    pub fn tags_mut(&mut self) -> Option<&mut Tags> {
        match self {
            Object::Table(o) => Some(&mut o.tags),
            Object::View(o) => Some(&mut o.tags),
            Object::DynamicTable(o) => Some(&mut o.tags),
            Object::Task(o) => Some(&mut o.tags),
            Object::Model(o) => Some(&mut o.tags),
            Object::Tag(_) => None,
        }
    }
}

/// Where a schema object lives.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ObjectKey {
    /// Database.
    pub database: Ident,
    /// Schema.
    pub schema: Ident,
    /// Namespace.
    pub namespace: Namespace,
    /// Name.
    pub name: Ident,
}

impl ObjectKey {
    /// The key of `name` in `namespace`.
    pub fn new(name: &QualifiedName, namespace: Namespace) -> Self {
        ObjectKey {
            database: name.database.clone(),
            schema: name.schema.clone(),
            namespace,
            name: name.name.clone(),
        }
    }

    /// The object's qualified name.
    pub fn qualified(&self) -> QualifiedName {
        QualifiedName {
            database: self.database.clone(),
            schema: self.schema.clone(),
            name: self.name.clone(),
        }
    }
}

/// One effect of a committed statement, as the journal stores it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Change {
    /// Create or replace a warehouse.
    PutWarehouse(Warehouse),
    /// Remove a warehouse.
    DropWarehouse {
        /// Its name.
        name: Ident,
    },
    /// Create or replace a database.
    PutDatabase(Database),
    /// Remove a database and everything in it.
    DropDatabase {
        /// Its name.
        name: Ident,
    },
    /// Create or replace a schema.
    PutSchema(Schema),
    /// Remove a schema and everything in it.
    DropSchema {
        /// Its database.
        database: Ident,
        /// Its name.
        name: Ident,
    },
    /// Create or replace a schema object.
    PutObject {
        /// Its database.
        database: Ident,
        /// Its schema.
        schema: Ident,
        /// The object.
        object: Object,
    },
    /// Remove a schema object.
    DropObject {
        /// Its key.
        key: ObjectKey,
    },
    /// Append rows to a table.
    InsertRows {
        /// The table's key.
        key: ObjectKey,
        /// The new rows.
        rows: Vec<Row>,
    },
    /// Replace rows of a table, matched by id.
    UpdateRows {
        /// The table's key.
        key: ObjectKey,
        /// The rows' new contents.
        rows: Vec<Row>,
    },
    /// Remove rows of a table by id.
    DeleteRows {
        /// The table's key.
        key: ObjectKey,
        /// The ids of the rows removed.
        ids: Vec<u64>,
    },
    /// Advance the id counter.
    NextId {
        /// The new counter value.
        value: u64,
    },
}

/// The Snowflake edition an account emulates: what SHOW WAREHOUSES shows and
/// which warehouse properties CREATE and ALTER accept.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Edition {
    /// Standard edition: single-cluster warehouses, no query acceleration
    /// service (SHOW WAREHOUSES has no query-acceleration columns).
    Standard,
    /// Enterprise edition (and higher): multi-cluster warehouses and the
    /// query acceleration service.
    #[default]
    Enterprise,
}

impl Edition {
    /// The edition named `written` (`standard`, `enterprise`, any case).
    pub fn parse(written: &str) -> Option<Edition> {
        match written.trim().to_ascii_lowercase().as_str() {
            "standard" => Some(Edition::Standard),
            "enterprise" => Some(Edition::Enterprise),
            _ => None,
        }
    }

    /// True when multi-cluster warehouses and query acceleration exist.
    pub fn has_enterprise_features(self) -> bool {
        self == Edition::Enterprise
    }
}

/// The whole emulated account.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Catalog {
    /// The edition emulated; an account setting, not part of the snapshot.
    pub edition: Edition,
    /// Warehouses by name.
    pub warehouses: BTreeMap<Ident, Warehouse>,
    /// Databases by name.
    pub databases: BTreeMap<Ident, Database>,
    /// Schemas by (database, name).
    pub schemas: BTreeMap<(Ident, Ident), Schema>,
    /// Schema objects.
    pub objects: BTreeMap<ObjectKey, Object>,
    /// The next task id.
    pub next_id: u64,
    /// Who each tag is set on, built on first use, dropped by every change
    /// [`Catalog::apply`] makes (so change the catalog only through it).
    tag_index: tag_index::TagIndexCache,
}

impl Catalog {
    /// Applies committed changes in order. Infallible by construction: the
    /// executor checked every rule before producing them.
    pub fn apply(&mut self, changes: &[Change]) {
        for change in changes {
            self.apply_one(change.clone());
        }
    }

    /// Applies committed changes in order, taking them: what the journal
    /// reads is applied without a copy.
    pub fn apply_owned(&mut self, changes: Vec<Change>) {
        for change in changes {
            self.apply_one(change);
        }
    }

    fn apply_one(&mut self, change: Change) {
        self.tag_index.clear();
        match change {
            Change::PutWarehouse(w) => {
                self.warehouses.insert(w.name.clone(), w);
            }
            Change::DropWarehouse { name } => {
                self.warehouses.remove(&name);
            }
            Change::PutDatabase(d) => {
                self.databases.insert(d.name.clone(), d);
            }
            Change::DropDatabase { name } => {
                self.databases.remove(&name);
                self.schemas.retain(|(db, _), _| *db != name);
                self.objects.retain(|key, _| key.database != name);
            }
            Change::PutSchema(s) => {
                self.schemas.insert((s.database.clone(), s.name.clone()), s);
            }
            Change::DropSchema { database, name } => {
                self.schemas.remove(&(database.clone(), name.clone()));
                self.objects
                    .retain(|key, _| !(key.database == database && key.schema == name));
            }
            Change::PutObject {
                database,
                schema,
                object,
            } => {
                let key = ObjectKey {
                    database,
                    schema,
                    namespace: object.namespace(),
                    name: object.name().clone(),
                };
                self.objects.insert(key, object);
            }
            Change::DropObject { key } => {
                self.objects.remove(&key);
            }
            Change::InsertRows { key, rows } => {
                if let Some(Object::Table(t)) = self.objects.get_mut(&key) {
                    t.data.extend(rows);
                }
            }
            Change::UpdateRows { key, rows } => {
                if let Some(Object::Table(t)) = self.objects.get_mut(&key) {
                    let by_id: BTreeMap<u64, Row> = rows.into_iter().map(|r| (r.id, r)).collect();
                    for row in &mut t.data {
                        if let Some(new) = by_id.get(&row.id) {
                            row.clone_from(new);
                        }
                    }
                }
            }
            Change::DeleteRows { key, ids } => {
                if let Some(Object::Table(t)) = self.objects.get_mut(&key) {
                    let ids: std::collections::BTreeSet<u64> = ids.into_iter().collect();
                    t.data.retain(|row| !ids.contains(&row.id));
                }
            }
            Change::NextId { value } => self.next_id = value,
        }
    }

    /// The object at `name` in `namespace`.
    pub fn object(&self, name: &QualifiedName, namespace: Namespace) -> Option<&Object> {
        self.objects.get(&ObjectKey::new(name, namespace))
    }

    /// Every object of `namespace` in one schema, in name order.
    pub fn objects_in(
        &self,
        database: &Ident,
        schema: &Ident,
        namespace: Namespace,
    ) -> impl Iterator<Item = (&ObjectKey, &Object)> {
        let lo = ObjectKey {
            database: database.clone(),
            schema: schema.clone(),
            namespace,
            name: Ident::from_resolved(""),
        };
        self.objects.range(lo..).take_while(move |(k, _)| {
            &k.database == database && &k.schema == schema && k.namespace == namespace
        })
    }

    /// True when the schema exists.
    pub fn has_schema(&self, database: &Ident, schema: &Ident) -> bool {
        self.schemas
            .contains_key(&(database.clone(), schema.clone()))
    }
}

/// The catalog as its snapshot file stores it: flat lists, keys inside entries.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CatalogFile {
    /// Warehouses.
    pub warehouses: Vec<Warehouse>,
    /// Databases.
    pub databases: Vec<Database>,
    /// Schemas.
    pub schemas: Vec<Schema>,
    /// Schema objects with their database and schema.
    pub objects: Vec<StoredObject>,
    /// The next task id.
    pub next_id: u64,
}

/// A schema object with its location, as stored in a snapshot.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredObject {
    /// Database.
    pub database: Ident,
    /// Schema.
    pub schema: Ident,
    /// The object.
    pub object: Object,
}

impl From<&Catalog> for CatalogFile {
    fn from(c: &Catalog) -> Self {
        CatalogFile {
            warehouses: c.warehouses.values().cloned().collect(),
            databases: c.databases.values().cloned().collect(),
            schemas: c.schemas.values().cloned().collect(),
            objects: c
                .objects
                .iter()
                .map(|(k, o)| StoredObject {
                    database: k.database.clone(),
                    schema: k.schema.clone(),
                    object: o.clone(),
                })
                .collect(),
            next_id: c.next_id,
        }
    }
}

impl From<CatalogFile> for Catalog {
    fn from(f: CatalogFile) -> Self {
        let mut c = Catalog {
            next_id: f.next_id,
            ..Catalog::default()
        };
        let mut changes: Vec<Change> = Vec::new();
        changes.extend(f.warehouses.into_iter().map(Change::PutWarehouse));
        changes.extend(f.databases.into_iter().map(Change::PutDatabase));
        changes.extend(f.schemas.into_iter().map(Change::PutSchema));
        changes.extend(f.objects.into_iter().map(|s| Change::PutObject {
            database: s.database,
            schema: s.schema,
            object: s.object,
        }));
        for change in changes {
            c.apply_one(change);
        }
        c
    }
}
