//! The wire server's logged-in sessions: session and master tokens, issued
//! at login, renewed on request, dropped at logout or after four idle hours.
//!
//! Tokens only tell clients of one server apart; they are unguessable
//! (keyed by the OS-seeded hasher) but this is not a security boundary:
//! the server listens on loopback unless told otherwise.

use std::collections::HashMap;
use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime};

/// Sessions idle for longer than this are forgotten.
const IDLE_LIMIT: Duration = Duration::from_secs(4 * 3600);

/// One logged-in client.
#[derive(Debug, Clone)]
struct LoggedIn {
    /// The master token that may renew the session token.
    master_token: String,
    last_used: Instant,
}

/// Every session of one server, keyed by session token.
#[derive(Debug)]
pub struct Tokens {
    sessions: Mutex<HashMap<String, LoggedIn>>,
    counter: AtomicU64,
    hasher: RandomState,
}

impl Default for Tokens {
    fn default() -> Self {
        Tokens {
            sessions: Mutex::new(HashMap::new()),
            counter: AtomicU64::new(1),
            hasher: RandomState::new(),
        }
    }
}

impl Tokens {
    /// Opens a session; returns `(session token, master token, session id)`.
    pub fn login(&self) -> (String, String, u64) {
        let session_id = self.counter.fetch_add(1, Ordering::Relaxed);
        let token = self.fresh_token("ses");
        let master_token = self.fresh_token("mst");
        let mut sessions = self.lock();
        sessions.retain(|_, s| s.last_used.elapsed() < IDLE_LIMIT);
        sessions.insert(
            token.clone(),
            LoggedIn {
                master_token: master_token.clone(),
                last_used: Instant::now(),
            },
        );
        (token, master_token, session_id)
    }

    /// Whether `token` is a live session token; marks it used.
    pub fn touch(&self, token: &str) -> bool {
        match self.lock().get_mut(token) {
            Some(session) => {
                session.last_used = Instant::now();
                true
            }
            None => false,
        }
    }

    /// Replaces the session token of the session owning `master_token`;
    /// `old_token` must be that session's token. Returns the new token.
    pub fn renew(&self, master_token: &str, old_token: &str) -> Option<String> {
        let mut sessions = self.lock();
        let session = sessions.get(old_token)?;
        if session.master_token != master_token {
            return None;
        }
        let mut session = sessions.remove(old_token)?;
        session.last_used = Instant::now();
        let token = self.fresh_token("ses");
        sessions.insert(token.clone(), session);
        Some(token)
    }

    /// Closes the session of `token`; false when it was unknown.
    pub fn logout(&self, token: &str) -> bool {
        self.lock().remove(token).is_some()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, LoggedIn>> {
        // A poisoned map only means another request panicked mid-update;
        // the map itself is still a valid set of sessions.
        self.sessions.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn fresh_token(&self, kind: &str) -> String {
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        let now = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let mut parts = [0u64; 2];
        for (salt, part) in parts.iter_mut().enumerate() {
            let mut hasher = self.hasher.build_hasher();
            hasher.write_u64(n);
            hasher.write_u128(now);
            hasher.write_usize(salt);
            *part = hasher.finish();
        }
        format!("ver:1-hint:{kind}-{:016x}{:016x}", parts[0], parts[1])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_renewed_token_replaces_the_old_one() {
        let tokens = Tokens::default();
        let (token, master, _) = tokens.login();
        assert_ne!(token, master);
        assert!(tokens.touch(&token));
        assert_eq!(tokens.renew("wrong master", &token), None);
        let renewed = tokens
            .renew(&master, &token)
            .expect("the master token matches");
        assert!(!tokens.touch(&token));
        assert!(tokens.touch(&renewed));
        assert!(tokens.logout(&renewed));
        assert!(!tokens.touch(&renewed));
    }

    #[test]
    fn every_login_gets_distinct_tokens() {
        let tokens = Tokens::default();
        let (a, _, _) = tokens.login();
        let (b, _, _) = tokens.login();
        assert_ne!(a, b);
    }
}
