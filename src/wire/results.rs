//! Recent results of the wire server, kept so that clients can come back
//! for them: a statement's answer by query id (`GET /queries/<id>/result`,
//! how the Python connector walks the results of a multi-statement
//! request) and the chunks of a large result (`GET /results/<id>/chunks/<n>`).
//!
//! Only the last [`KEPT`] results are kept; each belongs to the session that
//! ran it. A chunk URL carries a key of its own, as a pre-signed URL does,
//! because clients download chunks without their session token.

use std::collections::VecDeque;
use std::sync::Mutex;

use serde_json::Value;

/// How many results are kept.
const KEPT: usize = 64;

/// One kept result.
#[derive(Debug, Clone)]
struct Kept {
    query_id: String,
    session_id: u64,
    answer: Value,
    chunks: Vec<String>,
    key: String,
}

/// The last results of one server.
#[derive(Debug, Default)]
pub struct Results {
    kept: Mutex<VecDeque<Kept>>,
}

impl Results {
    /// Keeps the answer and chunks of `query_id`, run by `session_id`;
    /// `key` is what its chunk URLs carry.
    pub fn keep(
        &self,
        query_id: &str,
        session_id: u64,
        answer: Value,
        chunks: Vec<String>,
        key: &str,
    ) {
        let mut kept = self.lock();
        if kept.len() == KEPT {
            kept.pop_front();
        }
        kept.push_back(Kept {
            query_id: query_id.to_string(),
            session_id,
            answer,
            chunks,
            key: key.to_string(),
        });
    }

    /// The answer of `query_id`, when `session_id` ran it and it is still kept.
    pub fn answer(&self, query_id: &str, session_id: u64) -> Option<Value> {
        self.lock()
            .iter()
            .find(|k| k.query_id == query_id && k.session_id == session_id)
            .map(|k| k.answer.clone())
    }

    /// Chunk `index` of `query_id`, when `key` is the key of its URLs.
    pub fn chunk(&self, query_id: &str, index: usize, key: &str) -> Option<String> {
        self.lock()
            .iter()
            .find(|k| k.query_id == query_id && k.key == key)
            .and_then(|k| k.chunks.get(index).cloned())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<Kept>> {
        // A poisoned queue only means a request panicked mid-push; the
        // queue itself is still a valid list of results.
        self.kept.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_are_found_by_their_session_and_chunks_by_their_key() {
        let results = Results::default();
        results.keep("q1", 7, Value::from("answer"), vec!["[1]".into()], "k1");
        assert_eq!(results.answer("q1", 7), Some(Value::from("answer")));
        assert_eq!(results.answer("q1", 8), None);
        assert_eq!(results.chunk("q1", 0, "k1").as_deref(), Some("[1]"));
        assert_eq!(results.chunk("q1", 0, "guess"), None);
        assert_eq!(results.chunk("q1", 1, "k1"), None);
    }

    #[test]
    fn only_the_latest_results_are_kept() {
        let results = Results::default();
        for n in 0..=KEPT {
            results.keep(&format!("q{n}"), 1, Value::Null, Vec::new(), "k");
        }
        assert_eq!(results.answer("q0", 1), None);
        assert!(results.answer(&format!("q{KEPT}"), 1).is_some());
    }
}
