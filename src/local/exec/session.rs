//! What belongs to a session rather than to the catalog: the context a
//! login makes current, `ALTER SESSION`, statement parameters that last
//! one request, and the statement count a request's text must hold.
//!
//! Nothing here changes the catalog; the account's locking and commits
//! are `crate::local`'s.

use super::{Exec, Outcome};
use crate::ident::Ident;
use crate::local::ast::AlterSession;
use crate::local::catalog::Catalog;
use crate::local::error::{self, SqlError};
use crate::local::session::SessionState;
use crate::session::{LoginContext, MULTI_STATEMENT_COUNT, Parameters};

/// The schema `USE DATABASE` (and a login naming only a database) makes current.
const PUBLIC: &str = "PUBLIC";

impl Exec<'_> {
    /// `ALTER SESSION SET` / `UNSET`: parameters of this session only.
    pub(super) fn alter_session(&mut self, change: &AlterSession) -> Outcome {
        match change {
            AlterSession::Set(values) => {
                for (name, value) in values {
                    self.session.parameters.insert(name.clone(), value.clone());
                }
            }
            AlterSession::Unset(names) => {
                for name in names {
                    self.session.parameters.remove(name);
                }
            }
        }
        Outcome::done(Vec::new())
    }
}

/// Refuses a request whose text holds another number of statements than
/// `MULTI_STATEMENT_COUNT` asks for: `1` when unset, `0` for any number.
pub fn check_statement_count(actual: usize, parameters: &Parameters) -> Result<(), SqlError> {
    let desired = match parameters.get(MULTI_STATEMENT_COUNT) {
        None => 1,
        Some(text) => text
            .trim()
            .parse::<u64>()
            .map_err(|_| error::invalid_value(MULTI_STATEMENT_COUNT, text))?,
    };
    if desired == 0 || usize::try_from(desired).is_ok_and(|d| d == actual) {
        Ok(())
    } else {
        Err(error::statement_count(actual, desired))
    }
}

/// The session after a request: what its statements changed, but the
/// statement parameters sent with the request back to the session's own
/// values (unless a statement of the request set them itself).
pub fn after_request(
    before: &Parameters,
    mut after: SessionState,
    statement: &Parameters,
) -> SessionState {
    for (name, value) in statement {
        if after.parameters.get(name) != Some(value) {
            continue;
        }
        match before.get(name) {
            Some(own) => after.parameters.insert(name.clone(), own.clone()),
            None => after.parameters.remove(name),
        };
    }
    after
}

/// The state of session `session_id` opened with `login`: names are
/// identifiers (unquoted → upper case); a database, schema or warehouse
/// that does not exist is not current, as on Snowflake, where the login
/// still succeeds. A database without a schema makes `PUBLIC` current
/// when it exists, as `USE DATABASE` does.
pub fn login_state(catalog: &Catalog, session_id: u64, login: &LoginContext) -> SessionState {
    let ident = |name: &Option<String>| name.as_deref().and_then(|n| Ident::parse(n).ok());
    let database = ident(&login.database).filter(|d| catalog.databases.contains_key(d));
    let schema = database.as_ref().and_then(|db| {
        let schema = ident(&login.schema).unwrap_or_else(|| Ident::from_resolved(PUBLIC));
        catalog.has_schema(db, &schema).then_some(schema)
    });
    let warehouse = ident(&login.warehouse).filter(|w| catalog.warehouses.contains_key(w));
    SessionState {
        database,
        schema,
        warehouse,
        role: ident(&login.role),
        parameters: Parameters::new(),
        session_id,
        last_query_id: None,
        transaction: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parameters(pairs: &[(&str, &str)]) -> Parameters {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn one_statement_is_expected_unless_the_count_says_otherwise() {
        assert!(check_statement_count(1, &Parameters::new()).is_ok());
        let refused = check_statement_count(2, &Parameters::new()).unwrap_err();
        assert_eq!(refused.code, "000008");
        assert_eq!(
            refused.message,
            "Actual statement count 2 did not match the desired statement count 1."
        );
        assert!(check_statement_count(7, &parameters(&[(MULTI_STATEMENT_COUNT, "0")])).is_ok());
        assert!(check_statement_count(2, &parameters(&[(MULTI_STATEMENT_COUNT, "2")])).is_ok());
        let refused =
            check_statement_count(1, &parameters(&[(MULTI_STATEMENT_COUNT, "5")])).unwrap_err();
        assert_eq!(
            refused.message,
            "Actual statement count 1 did not match the desired statement count 5."
        );
    }

    #[test]
    fn statement_parameters_last_one_request_but_alter_session_stays() {
        let before = parameters(&[("QUERY_TAG", "own")]);
        let sent = parameters(&[("QUERY_TAG", "sent"), ("MULTI_STATEMENT_COUNT", "0")]);
        let mut after = SessionState {
            parameters: parameters(&[
                ("QUERY_TAG", "sent"),
                ("MULTI_STATEMENT_COUNT", "0"),
                ("TIMEZONE", "UTC"),
            ]),
            ..SessionState::default()
        };
        after.schema = Some(Ident::from_resolved("S"));
        let next = after_request(&before, after, &sent);
        assert_eq!(
            next.parameters,
            parameters(&[("QUERY_TAG", "own"), ("TIMEZONE", "UTC")])
        );
        assert_eq!(next.schema, Some(Ident::from_resolved("S")));
    }
}
