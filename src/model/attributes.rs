//! [`Attributes`]: a resource's canonical fields, as a compact sorted map.
//!
//! A plan of a large project holds several attribute maps per object
//! (declared, state, live, changes), most with a handful of keys. A
//! `BTreeMap` spends a whole leaf node (eleven key-value slots) on each, so
//! these maps are a sorted vector of entries instead: one slot per key,
//! lookup by binary search. Iteration, equality and serialization are
//! exactly a `BTreeMap`'s (keys in sorted order), so fingerprints, state
//! files and plans do not change by a byte.

use std::borrow::Borrow;
use std::fmt;

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

/// Canonical attributes of a resource: field name → JSON value, iterated in
/// key order (the map API of a `BTreeMap`, stored as a sorted vector).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Attributes {
    /// Entries sorted by key, keys unique.
    entries: Vec<(String, Value)>,
}

impl Attributes {
    /// An empty map.
    pub fn new() -> Self {
        Attributes::default()
    }

    /// The map of `entries`, in any order; of two equal keys the later wins.
    fn from_entries(mut entries: Vec<(String, Value)>) -> Self {
        // A stable sort keeps equal keys in their given order, so that the
        // deduplication below can keep the last one's value.
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        entries.dedup_by(|later, kept| {
            let same = later.0 == kept.0;
            if same {
                std::mem::swap(&mut later.1, &mut kept.1);
            }
            same
        });
        entries.shrink_to_fit();
        Attributes { entries }
    }

    /// Where `key` is, or where it would be inserted.
    fn position<Q>(&self, key: &Q) -> Result<usize, usize>
    where
        String: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.entries
            .binary_search_by(|(k, _)| Borrow::<Q>::borrow(k).cmp(key))
    }

    /// The value of `key`, if any.
    pub fn get<Q>(&self, key: &Q) -> Option<&Value>
    where
        String: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        let i = self.position(key).ok()?;
        Some(&self.entries[i].1)
    }

    /// The value of `key` to change in place, if any.
    pub fn get_mut<Q>(&mut self, key: &Q) -> Option<&mut Value>
    where
        String: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        let i = self.position(key).ok()?;
        Some(&mut self.entries[i].1)
    }

    /// Whether `key` has a value.
    pub fn contains_key<Q>(&self, key: &Q) -> bool
    where
        String: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.position(key).is_ok()
    }

    /// Sets `key` to `value`; returns the value it replaces, if any.
    pub fn insert(&mut self, key: String, value: Value) -> Option<Value> {
        match self.position(key.as_str()) {
            Ok(i) => Some(std::mem::replace(&mut self.entries[i].1, value)),
            Err(i) => {
                self.entries.insert(i, (key, value));
                None
            }
        }
    }

    /// Removes `key`; returns its value, if it had one.
    pub fn remove<Q>(&mut self, key: &Q) -> Option<Value>
    where
        String: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        let i = self.position(key).ok()?;
        Some(self.entries.remove(i).1)
    }

    /// Keeps only the entries for which `keep` is true.
    pub fn retain(&mut self, mut keep: impl FnMut(&String, &mut Value) -> bool) {
        self.entries.retain_mut(|(k, v)| keep(k, v));
    }

    /// How many keys have a value.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no key has a value.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entries in key order.
    pub fn iter(&self) -> Iter<'_> {
        Iter(self.entries.iter())
    }

    /// The entries in key order, values to change in place.
    pub fn iter_mut(&mut self) -> IterMut<'_> {
        IterMut(self.entries.iter_mut())
    }

    /// The keys in order.
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &String> + ExactSizeIterator + '_ {
        self.entries.iter().map(|(k, _)| k)
    }

    /// The values in key order.
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &Value> + ExactSizeIterator + '_ {
        self.entries.iter().map(|(_, v)| v)
    }

    /// The values in key order, to change in place.
    pub fn values_mut(&mut self) -> impl DoubleEndedIterator<Item = &mut Value> + '_ {
        self.entries.iter_mut().map(|(_, v)| v)
    }

    /// Frees capacity beyond the entries held, for a map that is done growing.
    pub fn shrink_to_fit(&mut self) {
        self.entries.shrink_to_fit();
    }
}

impl fmt::Debug for Attributes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// The entries of [`Attributes`] in key order, by reference.
#[derive(Clone, Debug)]
pub struct Iter<'a>(std::slice::Iter<'a, (String, Value)>);

impl<'a> Iterator for Iter<'a> {
    type Item = (&'a String, &'a Value);

    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|(k, v)| (k, v))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl DoubleEndedIterator for Iter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.0.next_back().map(|(k, v)| (k, v))
    }
}

impl ExactSizeIterator for Iter<'_> {}

/// The entries of [`Attributes`] in key order, values mutable.
#[derive(Debug)]
pub struct IterMut<'a>(std::slice::IterMut<'a, (String, Value)>);

impl<'a> Iterator for IterMut<'a> {
    type Item = (&'a String, &'a mut Value);

    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|(k, v)| (&*k, v))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl ExactSizeIterator for IterMut<'_> {}

impl FromIterator<(String, Value)> for Attributes {
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(iter: I) -> Self {
        Attributes::from_entries(iter.into_iter().collect())
    }
}

impl Extend<(String, Value)> for Attributes {
    fn extend<I: IntoIterator<Item = (String, Value)>>(&mut self, iter: I) {
        let mut entries = std::mem::take(&mut self.entries);
        entries.extend(iter);
        *self = Attributes::from_entries(entries);
    }
}

impl<const N: usize> From<[(String, Value); N]> for Attributes {
    fn from(entries: [(String, Value); N]) -> Self {
        Attributes::from_entries(Vec::from(entries))
    }
}

impl IntoIterator for Attributes {
    type Item = (String, Value);
    type IntoIter = std::vec::IntoIter<(String, Value)>;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

impl<'a> IntoIterator for &'a Attributes {
    type Item = (&'a String, &'a Value);
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<'a> IntoIterator for &'a mut Attributes {
    type Item = (&'a String, &'a mut Value);
    type IntoIter = IterMut<'a>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter_mut()
    }
}

// Indexing panics on a missing key: tests only, where that is a failure.
#[cfg(test)]
impl<Q> std::ops::Index<&Q> for Attributes
where
    String: Borrow<Q>,
    Q: Ord + ?Sized,
{
    type Output = Value;

    /// The value of `key`; panics when there is none, as a `BTreeMap` does.
    fn index(&self, key: &Q) -> &Value {
        match self.get(key) {
            Some(value) => value,
            None => panic!("no attribute with this key"),
        }
    }
}

impl Serialize for Attributes {
    /// A JSON object with the keys in order, as a `BTreeMap` writes it.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.entries.len()))?;
        for (key, value) in &self.entries {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Attributes {
    /// From a JSON object; of two equal keys the later wins, as in a `BTreeMap`.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(AttributesVisitor)
    }
}

/// Reads [`Attributes`] from a map.
struct AttributesVisitor;

impl<'de> Visitor<'de> for AttributesVisitor {
    type Value = Attributes;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map of attribute names to values")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Attributes, A::Error> {
        let mut entries = Vec::with_capacity(access.size_hint().unwrap_or(0).min(64));
        while let Some(entry) = access.next_entry::<String, Value>()? {
            entries.push(entry);
        }
        Ok(Attributes::from_entries(entries))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;
    use serde_json::json;

    use super::*;

    /// `(key, value)` with an owned key.
    fn entry(key: &str, value: Value) -> (String, Value) {
        (key.to_string(), value)
    }

    #[test]
    fn iteration_is_in_key_order_whatever_the_insertion_order() {
        let mut inserted = Attributes::new();
        for key in ["size", "auto_suspend", "name", "comment", "type"] {
            inserted.insert(key.to_string(), json!(key));
        }
        let collected: Attributes = ["type", "comment", "size", "name", "auto_suspend"]
            .into_iter()
            .map(|key| entry(key, json!(key)))
            .collect();
        let keys: Vec<&str> = inserted.keys().map(String::as_str).collect();
        assert_eq!(keys, ["auto_suspend", "comment", "name", "size", "type"]);
        assert_eq!(inserted, collected);
        let from_array = Attributes::from([entry("b", json!(2)), entry("a", json!(1))]);
        let pairs: Vec<(&String, &Value)> = from_array.iter().collect();
        assert_eq!(
            pairs,
            [(&"a".to_string(), &json!(1)), (&"b".to_string(), &json!(2))]
        );
    }

    #[test]
    fn insert_replaces_and_returns_the_old_value() {
        let mut attributes = Attributes::from([entry("size", json!("SMALL"))]);
        assert_eq!(
            attributes.insert("size".into(), json!("LARGE")),
            Some(json!("SMALL"))
        );
        assert_eq!(attributes.insert("name".into(), json!("WH")), None);
        assert_eq!(attributes.len(), 2);
        assert_eq!(attributes.get("size"), Some(&json!("LARGE")));
        assert_eq!(attributes.remove("size"), Some(json!("LARGE")));
        assert_eq!(attributes.remove("size"), None);
        assert!(!attributes.contains_key("size"));
        assert!(attributes.contains_key("name"));
    }

    #[test]
    fn a_repeated_key_keeps_its_last_value() {
        let attributes: Attributes = serde_json::from_str(r#"{"b":1,"a":2,"b":3,"b":4}"#).unwrap();
        let map: BTreeMap<String, Value> =
            serde_json::from_str(r#"{"b":1,"a":2,"b":3,"b":4}"#).unwrap();
        assert_eq!(attributes.get("b"), Some(&json!(4)));
        assert_eq!(attributes.len(), 2);
        assert_eq!(
            serde_json::to_string(&attributes).unwrap(),
            serde_json::to_string(&map).unwrap()
        );
        let collected: Attributes = [
            entry("k", json!(1)),
            entry("j", json!(0)),
            entry("k", json!(2)),
        ]
        .into_iter()
        .collect();
        assert_eq!(collected.get("k"), Some(&json!(2)));
        let mut extended = collected.clone();
        extended.extend([entry("k", json!(3)), entry("a", json!(4))]);
        assert_eq!(
            serde_json::to_value(&extended).unwrap(),
            json!({"a": 4, "j": 0, "k": 3})
        );
    }

    #[test]
    fn a_non_object_is_refused() {
        assert!(serde_json::from_str::<Attributes>("[1, 2]").is_err());
        assert!(serde_json::from_str::<Attributes>(r#"{"a": }"#).is_err());
    }

    #[test]
    fn retain_and_in_place_changes_keep_the_order() {
        let mut attributes: Attributes =
            (0..6).map(|i| entry(&format!("k{i}"), json!(i))).collect();
        attributes.retain(|_, v| v.as_i64().is_some_and(|i| i % 2 == 0));
        for (_, value) in attributes.iter_mut() {
            *value = json!(value.as_i64().unwrap_or(0) * 10);
        }
        if let Some(v) = attributes.get_mut("k4") {
            *v = json!("four");
        }
        assert_eq!(
            serde_json::to_value(&attributes).unwrap(),
            json!({"k0": 0, "k2": 20, "k4": "four"})
        );
        let values: Vec<&Value> = attributes.values().collect();
        assert_eq!(values, [&json!(0), &json!(20), &json!("four")]);
        assert_eq!(
            format!("{attributes:?}"),
            r#"{"k0": Number(0), "k2": Number(20), "k4": String("four")}"#
        );
    }

    /// A JSON value of a few shapes, nested up to two levels.
    fn value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            "[a-zA-Z0-9 _\"\\\\é]{0,8}".prop_map(Value::from),
        ];
        leaf.prop_recursive(2, 8, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::vec(("[a-c]{1,2}", inner), 0..4)
                    .prop_map(|entries| Value::Object(entries.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn writes_and_reads_as_a_btreemap_does(
            entries in prop::collection::vec(("[a-e_]{0,3}", value()), 0..12),
            inserted in prop::collection::vec(("[a-e_]{0,3}", value()), 0..6),
        ) {
            let mut attributes: Attributes = entries.iter().cloned().collect();
            let mut map: BTreeMap<String, Value> = entries.iter().cloned().collect();
            for (key, value) in inserted {
                prop_assert_eq!(
                    attributes.insert(key.clone(), value.clone()),
                    map.insert(key, value)
                );
            }
            let written = serde_json::to_string(&attributes).unwrap();
            prop_assert_eq!(&written, &serde_json::to_string(&map).unwrap());
            prop_assert_eq!(
                serde_json::to_string_pretty(&attributes).unwrap(),
                serde_json::to_string_pretty(&map).unwrap()
            );
            prop_assert_eq!(
                crate::model::fingerprint(&attributes),
                crate::model::fingerprint(&map)
            );
            let read: Attributes = serde_json::from_str(&written).unwrap();
            prop_assert_eq!(&read, &attributes);
            let pairs: Vec<(&String, &Value)> = attributes.iter().collect();
            prop_assert_eq!(pairs, map.iter().collect::<Vec<_>>());
            for key in map.keys() {
                prop_assert_eq!(attributes.get(key.as_str()), map.get(key));
            }
        }

        #[test]
        fn reads_a_repeated_key_as_a_btreemap_does(
            entries in prop::collection::vec(("[a-c]{1}", any::<i64>()), 0..10),
        ) {
            let body: Vec<String> = entries.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
            let text = format!("{{{}}}", body.join(","));
            let attributes: Attributes = serde_json::from_str(&text).unwrap();
            let map: BTreeMap<String, Value> = serde_json::from_str(&text).unwrap();
            prop_assert_eq!(
                serde_json::to_string(&attributes).unwrap(),
                serde_json::to_string(&map).unwrap()
            );
        }
    }
}
