//! From a [`ConnectionConfig`] to the driver's client configuration:
//! credentials (reading the private key file), endpoint, context, timeout.
//!
//! Secrets go from the config straight into the driver's own redacting
//! types; nothing here formats one.

use std::time::Duration;

use snowflake_connector_rs::{
    AuthConfig, ClientConfig, EndpointConfig, KeyPairConfig, QueryConfig, SessionConfig,
};

use super::failure::auth_message;
use crate::connect::{Authentication, ConnectionConfig, PrivateKey};
use crate::session::ExecError;

/// The driver configuration for `config`; `label` names the connection in errors.
pub fn client_config(
    config: &ConnectionConfig,
    label: &str,
    query_timeout: Duration,
) -> Result<ClientConfig, ExecError> {
    let auth = auth_config(config, label)?;
    let user = config.user.clone().unwrap_or_default();
    let mut session = SessionConfig::new();
    if let Some(role) = &config.role {
        session = session.with_role(role);
    }
    if let Some(warehouse) = &config.warehouse {
        session = session.with_warehouse(warehouse);
    }
    if let Some(database) = &config.database {
        session = session.with_database(database);
    }
    if let Some(schema) = &config.schema {
        session = session.with_schema(schema);
    }
    let mut client = ClientConfig::new(user, &config.account, auth)
        .with_session(session)
        .with_query(QueryConfig::new().with_query_response_timeout(query_timeout));
    if let Some(endpoint) = &config.endpoint {
        let url = url::Url::parse(&endpoint.base_url()).map_err(|e| ExecError::Connection {
            message: format!(
                "{label}: `host`/`port`/`protocol` do not make a valid URL ({e}); check them in connections.toml"
            ),
            transient: false,
        })?;
        client = client.with_endpoint(EndpointConfig::custom_base_url(url));
    }
    Ok(client)
}

fn auth_config(config: &ConnectionConfig, label: &str) -> Result<AuthConfig, ExecError> {
    Ok(match &config.authentication {
        Authentication::Password(password) => AuthConfig::password(password.expose()),
        Authentication::OAuth(token) => AuthConfig::oauth(token.expose()),
        Authentication::KeyPair { key, passphrase } => {
            let pem = match key {
                PrivateKey::Inline(pem) => pem.expose().to_string(),
                PrivateKey::File(path) => std::fs::read_to_string(path).map_err(|e| {
                    ExecError::Auth(auth_message(
                        label,
                        &format!("cannot read the private key file {}: {e}", path.display()),
                    ))
                })?,
            };
            let key_pair = match passphrase {
                Some(phrase) => KeyPairConfig::from_encrypted_pem(pem, phrase.expose().as_bytes()),
                None => KeyPairConfig::from_pem(pem),
            };
            AuthConfig::key_pair(key_pair)
        }
    })
}
