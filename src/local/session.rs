//! A session's own context, apart from the catalog: what the executor
//! changes with USE and ALTER SESSION, and what SHOW and SELECT read
//! (current database, schema, role, parameters), and its open transaction.

use std::collections::BTreeMap;

use crate::ident::Ident;
use crate::local::catalog::Change;

/// The session's context: what the login, USE (and CREATE
/// DATABASE/SCHEMA/WAREHOUSE) and ALTER SESSION set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionState {
    /// The current database.
    pub database: Option<Ident>,
    /// The current schema.
    pub schema: Option<Ident>,
    /// The current warehouse.
    pub warehouse: Option<Ident>,
    /// The current role.
    pub role: Option<Ident>,
    /// Session and statement parameters in force (names upper case).
    pub parameters: BTreeMap<String, String>,
    /// The session's id, as the login answer gave it.
    pub session_id: u64,
    /// The id of the session's last statement, for LAST_QUERY_ID().
    pub last_query_id: Option<String>,
    /// The session's open explicit transaction: the changes its DML made,
    /// seen by this session only until COMMIT (or a DDL statement) commits
    /// them; ROLLBACK drops them.
    pub transaction: Option<Vec<Change>>,
}
