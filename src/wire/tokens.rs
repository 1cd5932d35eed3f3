//! The wire server's logged-in sessions: session and master tokens, issued
//! at login, renewed on request, dropped at logout or after four idle hours,
//! each with the account session its login opened.
//!
//! Tokens only tell clients of one server apart; they are unguessable
//! (keyed by the OS-seeded hasher) but this is not a security boundary:
//! the server listens on loopback unless told otherwise.

use std::collections::HashMap;
use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use crate::session::Session;

/// Sessions idle for longer than this are forgotten.
const IDLE_LIMIT: Duration = Duration::from_secs(4 * 3600);

/// One logged-in client.
#[derive(Clone)]
struct LoggedIn {
    /// The master token that may renew the session token.
    master_token: String,
    last_used: Instant,
    session: LiveSession,
}

/// The account session behind a session token, and its id.
#[derive(Clone)]
pub struct LiveSession {
    /// The id the login answer gave.
    pub id: u64,
    /// Where the session's statements run.
    pub session: Arc<dyn Session>,
}

/// Every session of one server, keyed by session token.
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
    /// A new session id, for the session a login is about to open.
    pub fn next_session_id(&self) -> u64 {
        self.counter.fetch_add(1, Ordering::Relaxed)
    }

    /// Registers the session a login opened; returns `(session token, master token)`.
    pub fn login(&self, session: LiveSession) -> (String, String) {
        let token = self.fresh_token("ses");
        let master_token = self.fresh_token("mst");
        let mut sessions = self.lock();
        sessions.retain(|_, s| s.last_used.elapsed() < IDLE_LIMIT);
        sessions.insert(
            token.clone(),
            LoggedIn {
                master_token: master_token.clone(),
                last_used: Instant::now(),
                session,
            },
        );
        (token, master_token)
    }

    /// The session of a live session token, marked used; `None` when the
    /// token is unknown or expired.
    pub fn touch(&self, token: &str) -> Option<LiveSession> {
        let mut sessions = self.lock();
        let logged_in = sessions.get_mut(token)?;
        logged_in.last_used = Instant::now();
        Some(logged_in.session.clone())
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

    /// An unguessable key of 32 hex digits (for chunk URLs).
    pub fn fresh_key(&self) -> String {
        let token = self.fresh_token("key");
        token.rsplit('-').next().unwrap_or_default().to_string()
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
    use crate::session::{BoxFuture, ExecError, Rows};

    struct Nothing;

    impl Session for Nothing {
        fn execute<'a>(&'a self, _sql: &'a str) -> BoxFuture<'a, Result<Rows, ExecError>> {
            Box::pin(async { Ok(Rows::default()) })
        }

        fn describe(&self) -> String {
            "nothing".into()
        }
    }

    fn login(tokens: &Tokens) -> (String, String, u64) {
        let id = tokens.next_session_id();
        let (token, master) = tokens.login(LiveSession {
            id,
            session: Arc::new(Nothing),
        });
        (token, master, id)
    }

    #[test]
    fn a_renewed_token_replaces_the_old_one_and_keeps_the_session() {
        let tokens = Tokens::default();
        let (token, master, id) = login(&tokens);
        assert_ne!(token, master);
        assert_eq!(tokens.touch(&token).map(|s| s.id), Some(id));
        assert_eq!(tokens.renew("wrong master", &token), None);
        let renewed = tokens
            .renew(&master, &token)
            .expect("the master token matches");
        assert!(tokens.touch(&token).is_none());
        assert_eq!(tokens.touch(&renewed).map(|s| s.id), Some(id));
        assert!(tokens.logout(&renewed));
        assert!(tokens.touch(&renewed).is_none());
    }

    #[test]
    fn every_login_gets_distinct_tokens_and_sessions() {
        let tokens = Tokens::default();
        let (a, _, first) = login(&tokens);
        let (b, _, second) = login(&tokens);
        assert_ne!(a, b);
        assert_ne!(first, second);
    }
}
