//! Query ids and the account's recent results.
//!
//! Every statement the local account runs gets a Snowflake-shaped query id
//! (`01b1c2d3-0000-4a5b-0000-00000000002a`: hex groups 8-4-4-4-12). The
//! results of the last [`CAPACITY`] statements are kept in memory so that
//! `RESULT_SCAN('<id>')` and `RESULT_SCAN(LAST_QUERY_ID())` can read them
//! again, as Snowflake keeps results for 24 hours. The cache lives as long
//! as the process that serves the account; it is not persisted.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};

use super::catalog::Millis;
use crate::session::Rows;

/// How many recent results are kept.
pub const CAPACITY: usize = 256;

static NEXT: AtomicU64 = AtomicU64::new(1);

/// A new query id, unique within this process and ordered by time.
pub fn next_query_id(now: Millis) -> String {
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let secs = (now / 1000) as u32;
    let pid = std::process::id() & 0xffff;
    format!(
        "{secs:08x}-0000-{pid:04x}-0000-{:012x}",
        n & 0xffff_ffff_ffff
    )
}

/// The most recent results by query id, oldest dropped first.
#[derive(Debug, Default)]
pub struct ResultCache {
    entries: VecDeque<(String, Rows)>,
}

impl ResultCache {
    /// Keeps `rows` as the result of `query_id`.
    pub fn insert(&mut self, query_id: String, rows: Rows) {
        if self.entries.len() == CAPACITY {
            self.entries.pop_front();
        }
        self.entries.push_back((query_id, rows));
    }

    /// The result of `query_id`, if it is still kept.
    pub fn get(&self, query_id: &str) -> Option<&Rows> {
        self.entries
            .iter()
            .rev()
            .find(|(id, _)| id == query_id)
            .map(|(_, rows)| rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_most_recent_results_only() {
        let mut cache = ResultCache::default();
        let first = next_query_id(0);
        cache.insert(first.clone(), Rows::status("first"));
        for i in 0..CAPACITY {
            cache.insert(next_query_id(i as Millis), Rows::status("later"));
        }
        assert!(cache.get(&first).is_none());
        assert_eq!(cache.entries.len(), CAPACITY);
    }

    #[test]
    fn query_ids_have_snowflakes_shape_and_differ() {
        let a = next_query_id(1_795_879_486_123);
        let b = next_query_id(1_795_879_486_123);
        assert_ne!(a, b);
        let groups: Vec<usize> = a.split('-').map(str::len).collect();
        assert_eq!(groups, vec![8, 4, 4, 4, 12]);
        assert!(a.chars().all(|c| c == '-' || c.is_ascii_hexdigit()));
    }
}
