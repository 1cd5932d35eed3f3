//! Who each tag is set on: an index of the catalog's tag assignments, built
//! on the first lookup and dropped by every change to the catalog.
//!
//! Without it, finding the objects a tag is set on reads every object of
//! the account, once per lookup; with it, the account is read once per
//! version of the catalog, however many lookups follow.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::{
    Catalog, Database, Object, ObjectKey, QualifiedName, Schema, TagValue, Tags, Warehouse,
};
use crate::ident::Ident;

/// Where a tag is set, by the key its holder has in the catalog.
#[derive(Debug, Clone)]
enum Holder {
    Warehouse(Ident),
    Database(Ident),
    Schema((Ident, Ident)),
    Object(ObjectKey),
}

/// An object a tag is set on, as the catalog holds it.
#[derive(Debug, Clone, Copy)]
pub enum Tagged<'a> {
    /// A warehouse.
    Warehouse(&'a Warehouse),
    /// A database.
    Database(&'a Database),
    /// A schema.
    Schema(&'a Schema),
    /// A schema object.
    Object(&'a Object),
}

/// The holders of each tag, each with the position of the assignment in
/// its holder's tags, each tag's holders in catalog order (warehouses,
/// databases, schemas, then schema objects, each by key).
#[derive(Debug, Default)]
struct TagIndex {
    by_tag: HashMap<QualifiedName, Vec<(Holder, usize)>>,
}

impl TagIndex {
    fn of(catalog: &Catalog) -> TagIndex {
        let mut index = TagIndex::default();
        let mut push = |tags: &[TagValue], holder: &dyn Fn() -> Holder| {
            for (i, t) in tags.iter().enumerate() {
                let holders = index.by_tag.entry(t.tag.clone()).or_default();
                holders.push((holder(), i));
            }
        };
        for (name, w) in &catalog.warehouses {
            push(&w.tags, &|| Holder::Warehouse(name.clone()));
        }
        for (name, d) in &catalog.databases {
            push(&d.tags, &|| Holder::Database(name.clone()));
        }
        for (key, s) in &catalog.schemas {
            push(&s.tags, &|| Holder::Schema(key.clone()));
        }
        for (key, object) in &catalog.objects {
            if let Some(tags) = object.tags() {
                push(tags, &|| Holder::Object(key.clone()));
            }
        }
        index
    }
}

/// The index, or nothing yet. A cache: two catalogs with the same objects
/// are equal whether or not either has built it, and a copy of a catalog
/// starts without it.
#[derive(Debug, Default)]
pub(super) struct TagIndexCache(OnceLock<TagIndex>);

impl Clone for TagIndexCache {
    fn clone(&self) -> Self {
        TagIndexCache::default()
    }
}

impl PartialEq for TagIndexCache {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for TagIndexCache {}

impl TagIndexCache {
    /// Drops the index: the catalog has changed.
    pub(super) fn clear(&mut self) {
        self.0 = OnceLock::new();
    }
}

impl Catalog {
    /// Every warehouse, database, schema and schema object `tag` is set on,
    /// with the value, in catalog order (warehouses, databases, schemas,
    /// then schema objects, each in key order).
    pub fn tagged_with<'a>(
        &'a self,
        tag: &QualifiedName,
    ) -> impl Iterator<Item = (Tagged<'a>, &'a TagValue)> + 'a {
        let index = self.tag_index.0.get_or_init(|| TagIndex::of(self));
        let holders = index.by_tag.get(tag).map_or(&[][..], Vec::as_slice);
        holders.iter().filter_map(move |(holder, position)| {
            let (tagged, tags) = self.holder(holder)?;
            Some((tagged, tags.get(*position)?))
        })
    }

    /// The holder at `holder`, with its tags.
    fn holder(&self, holder: &Holder) -> Option<(Tagged<'_>, &Tags)> {
        Some(match holder {
            Holder::Warehouse(name) => {
                let w = self.warehouses.get(name)?;
                (Tagged::Warehouse(w), &w.tags)
            }
            Holder::Database(name) => {
                let d = self.databases.get(name)?;
                (Tagged::Database(d), &d.tags)
            }
            Holder::Schema(key) => {
                let s = self.schemas.get(key)?;
                (Tagged::Schema(s), &s.tags)
            }
            Holder::Object(key) => {
                let o = self.objects.get(key)?;
                (Tagged::Object(o), o.tags()?)
            }
        })
    }
}
