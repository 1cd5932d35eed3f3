//! Fingerprints: the sha256 of a value's canonical JSON.
//!
//! Canonical JSON has object keys sorted and no whitespace, so the same
//! attributes give the same fingerprint whatever order they were built in.
//! This is the one definition used by plans, state and stale-plan checks.

use std::io::Write as _;

use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

/// The canonical JSON text of `value`: keys sorted, no whitespace.
pub fn canonical_json(value: &Value) -> String {
    let mut out = Vec::new();
    write_canonical(value, &mut out);
    // Only JSON text (valid UTF-8) is written.
    String::from_utf8(out).unwrap_or_default()
}

/// Writes the canonical JSON of `value` to `out`, with no intermediate
/// values: keys and scalars are written as serde_json writes them.
fn write_canonical<W: std::io::Write>(value: &Value, out: &mut W) {
    // Writing to memory or to a hasher cannot fail.
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
            let _ = out.write_all(b"{");
            for (i, (key, item)) in entries.into_iter().enumerate() {
                if i > 0 {
                    let _ = out.write_all(b",");
                }
                let _ = serde_json::to_writer(&mut *out, key);
                let _ = out.write_all(b":");
                write_canonical(item, out);
            }
            let _ = out.write_all(b"}");
        }
        Value::Array(items) => {
            let _ = out.write_all(b"[");
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    let _ = out.write_all(b",");
                }
                write_canonical(item, out);
            }
            let _ = out.write_all(b"]");
        }
        scalar => {
            let _ = serde_json::to_writer(&mut *out, scalar);
        }
    }
}

/// `sha256:<hex>` of the canonical JSON of `value`.
pub fn fingerprint<T: Serialize + ?Sized>(value: &T) -> String {
    // Serialising plain data (maps, strings, numbers) into a Value cannot
    // fail; a value that could would be a programming error caught by tests.
    let json = serde_json::to_value(value).unwrap_or(Value::Null);
    let mut hasher = Hashing::new();
    write_canonical(&json, &mut hasher);
    hasher.finish()
}

/// The fingerprint of the object made of `fields`, given in key order (as a
/// `BTreeMap` iterates): the same as [`fingerprint`] of that object, without
/// copying it into a JSON value first.
pub fn fields_fingerprint<'a>(fields: impl IntoIterator<Item = (&'a String, &'a Value)>) -> String {
    let mut hasher = Hashing::new();
    write_fields(fields, &mut hasher);
    hasher.finish()
}

/// The fingerprint of the object whose entries, given in key order, are
/// `key: [text, {fields}]`: the same as [`fingerprint`] of a
/// `BTreeMap<String, (&str, Attributes)>`, without copying it into a JSON
/// value first.
pub fn records_fingerprint<'a, F>(
    records: impl IntoIterator<Item = (&'a str, &'a str, F)>,
) -> String
where
    F: IntoIterator<Item = (&'a String, &'a Value)>,
{
    records_with(records, |fields, hasher| write_fields(fields, hasher))
}

/// The fingerprint of the object whose entries, given in key order, are
/// `key: [text, digest]`: of records whose fields were fingerprinted
/// already, so that each is hashed once.
pub fn digests_fingerprint<'a>(
    records: impl IntoIterator<Item = (&'a str, &'a str, &'a str)>,
) -> String {
    records_with(records, |digest, hasher| {
        let _ = serde_json::to_writer(hasher, digest);
    })
}

/// Hashes `{"key":[text,<what write writes>],...}`.
fn records_with<'a, T>(
    records: impl IntoIterator<Item = (&'a str, &'a str, T)>,
    mut write: impl FnMut(T, &mut Hashing),
) -> String {
    let mut hasher = Hashing::new();
    let _ = hasher.write_all(b"{");
    for (i, (key, text, item)) in records.into_iter().enumerate() {
        if i > 0 {
            let _ = hasher.write_all(b",");
        }
        let _ = serde_json::to_writer(&mut hasher, key);
        let _ = hasher.write_all(b":[");
        let _ = serde_json::to_writer(&mut hasher, text);
        let _ = hasher.write_all(b",");
        write(item, &mut hasher);
        let _ = hasher.write_all(b"]");
    }
    let _ = hasher.write_all(b"}");
    hasher.finish()
}

/// Writes `{"key":value,...}` for `fields` given in key order.
fn write_fields<'a, W: std::io::Write>(
    fields: impl IntoIterator<Item = (&'a String, &'a Value)>,
    out: &mut W,
) {
    let _ = out.write_all(b"{");
    for (i, (key, value)) in fields.into_iter().enumerate() {
        if i > 0 {
            let _ = out.write_all(b",");
        }
        let _ = serde_json::to_writer(&mut *out, key);
        let _ = out.write_all(b":");
        write_canonical(value, out);
    }
    let _ = out.write_all(b"}");
}

/// A sha256 fed through a buffer: serde_json writes a string in several
/// small pieces, and one hasher update per piece costs more than copying
/// them into a buffer and hashing it a block run at a time.
struct Hashing {
    hasher: Sha256,
    buffer: Vec<u8>,
}

impl Hashing {
    const CAPACITY: usize = 8 * 1024;

    fn new() -> Self {
        Hashing {
            hasher: Sha256::new(),
            buffer: Vec::with_capacity(Self::CAPACITY),
        }
    }

    /// `sha256:<hex>` of everything written.
    fn finish(mut self) -> String {
        self.hasher.update(&self.buffer);
        hex(self.hasher)
    }
}

impl std::io::Write for Hashing {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        if self.buffer.len() + bytes.len() > Self::CAPACITY {
            self.hasher.update(&self.buffer);
            self.buffer.clear();
            if bytes.len() >= Self::CAPACITY {
                self.hasher.update(bytes);
                return Ok(bytes.len());
            }
        }
        self.buffer.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// `sha256:<hex>` of what `hasher` was given.
fn hex(hasher: Sha256) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(7 + 64);
    out.push_str("sha256:");
    for b in hasher.finalize() {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fingerprints_ignore_key_order_at_every_depth() {
        let a: Value =
            serde_json::from_str(r#"{"b":1,"a":{"y":[1,{"q":2,"p":1}],"x":"s"}}"#).unwrap();
        let b: Value =
            serde_json::from_str(r#"{"a":{"x":"s","y":[1,{"p":1,"q":2}]},"b":1}"#).unwrap();
        assert_eq!(fingerprint(&a), fingerprint(&b));
        assert_eq!(
            canonical_json(&a),
            r#"{"a":{"x":"s","y":[1,{"p":1,"q":2}]},"b":1}"#
        );
    }

    #[test]
    fn fields_fingerprints_equal_fingerprints_of_the_same_map() {
        let map: std::collections::BTreeMap<String, Value> = serde_json::from_str(
            r#"{"b":1,"a":{"y":[1,{"q":2,"p":1}],"x":"s\"q"},"c":null,"d":[]}"#,
        )
        .unwrap();
        assert_eq!(fields_fingerprint(&map), fingerprint(&map));
        let empty = std::collections::BTreeMap::<String, Value>::new();
        assert_eq!(fields_fingerprint(&empty), fingerprint(&empty));
    }

    #[test]
    fn records_fingerprints_equal_fingerprints_of_the_same_records() {
        let a: std::collections::BTreeMap<String, Value> =
            serde_json::from_str(r#"{"z":{"q":2,"p":[1,"x"]},"a":"\u00e9"}"#).unwrap();
        let b = std::collections::BTreeMap::<String, Value>::new();
        let records: std::collections::BTreeMap<
            String,
            (&str, &std::collections::BTreeMap<String, Value>),
        > = [
            ("warehouse.B".to_string(), ("B \"q\"", &a)),
            ("schema.A".to_string(), ("DB.A", &b)),
        ]
        .into_iter()
        .collect();
        let streamed = records_fingerprint(
            records
                .iter()
                .map(|(k, (text, fields))| (k.as_str(), *text, fields.iter())),
        );
        assert_eq!(streamed, fingerprint(&records));
        let none: [(
            &str,
            &str,
            std::collections::btree_map::Iter<'_, String, Value>,
        ); 0] = [];
        assert_eq!(
            records_fingerprint(none),
            fingerprint(&std::collections::BTreeMap::<
                String,
                (&str, &std::collections::BTreeMap<String, Value>),
            >::new())
        );
    }

    #[test]
    fn long_values_hash_as_one_text() {
        let long = "x".repeat(3 * Hashing::CAPACITY + 5);
        let map: std::collections::BTreeMap<String, Value> = [
            ("a".to_string(), json!(long)),
            ("b".to_string(), json!([1, 2])),
        ]
        .into_iter()
        .collect();
        let text = canonical_json(&serde_json::to_value(&map).unwrap());
        let mut expected = Sha256::new();
        expected.update(text.as_bytes());
        assert_eq!(fields_fingerprint(&map), hex(expected));
    }

    #[test]
    fn fingerprints_differ_when_values_or_list_order_differ() {
        assert_ne!(fingerprint(&json!({"a": 1})), fingerprint(&json!({"a": 2})));
        assert_ne!(fingerprint(&json!([1, 2])), fingerprint(&json!([2, 1])));
        assert!(fingerprint(&json!({})).starts_with("sha256:"));
        assert_eq!(fingerprint(&json!({})).len(), "sha256:".len() + 64);
    }

    #[test]
    fn digests_hash_as_the_object_of_their_records() {
        let digest = fields_fingerprint(&std::collections::BTreeMap::<String, Value>::new());
        let records = [("a.X", "DB.X", digest.as_str()), ("b.Y", "DB.\"y\"", "d2")];
        let object = json!({"a.X": ["DB.X", digest], "b.Y": ["DB.\"y\"", "d2"]});
        assert_eq!(digests_fingerprint(records), fingerprint(&object));
        assert_ne!(
            digests_fingerprint([("a.X", "DB.X", "d1")]),
            digests_fingerprint([("a.X", "DB.X", "d2")])
        );
    }
}
