//! One named connection, validated: account, identity, context and
//! credentials, ready for the Snowflake session to log in with.
//!
//! This module turns the raw keys of a connection (from a file and the
//! environment, in the Snowflake CLI's names) into a [`ConnectionConfig`].
//! It reads no connections file itself. Secrets live in [`Secret`], whose
//! `Debug` is redacted and which has no `Display`, so no formatting of a
//! config can leak one.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use super::error::ConnectError;

/// A credential: a password, passphrase, token or inline key. Prints as `<redacted>`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret itself, for handing to the driver; never format it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// Where a key-pair connection finds its private key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrivateKey {
    /// A PEM file (`private_key_file` or `private_key_path`), read at login.
    File(PathBuf),
    /// The PEM itself (`private_key_raw`).
    Inline(Secret),
}

/// How a connection authenticates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Authentication {
    /// User name and password (`authenticator = "snowflake"`, the default);
    /// also a programmatic access token used as the password.
    Password(Secret),
    /// Key pair (`authenticator = "SNOWFLAKE_JWT"`), optional passphrase.
    KeyPair {
        /// The private key.
        key: PrivateKey,
        /// The passphrase of an encrypted key.
        passphrase: Option<Secret>,
    },
    /// OAuth access token (`authenticator = "oauth"`).
    OAuth(Secret),
}

impl Authentication {
    /// A short name for messages: `password`, `key pair`, `OAuth token`.
    pub fn method(&self) -> &'static str {
        match self {
            Authentication::Password(_) => "password",
            Authentication::KeyPair { .. } => "key pair",
            Authentication::OAuth(_) => "OAuth token",
        }
    }
}

/// Whether an endpoint speaks HTTP or HTTPS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// Plain HTTP, e.g. `floe local serve` on loopback.
    Http,
    /// HTTPS, Snowflake's default.
    Https,
}

/// An endpoint other than `<account>.snowflakecomputing.com` (PrivateLink,
/// a proxy, or `floe local serve`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// `http` or `https`.
    pub protocol: Protocol,
    /// Host name or address.
    pub host: String,
    /// Port; the protocol's default when absent.
    pub port: Option<u16>,
}

impl Endpoint {
    /// The base URL, e.g. `http://127.0.0.1:8085/`.
    pub fn base_url(&self) -> String {
        let scheme = match self.protocol {
            Protocol::Http => "http",
            Protocol::Https => "https",
        };
        match self.port {
            Some(port) => format!("{scheme}://{}:{port}/", self.host),
            None => format!("{scheme}://{}/", self.host),
        }
    }
}

/// A validated named connection. `Debug` shows no secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectionConfig {
    /// The connection's name, e.g. `prod`.
    pub name: String,
    /// The file that defined it; `None` when only environment variables did.
    pub source: Option<PathBuf>,
    /// The account identifier, e.g. `acme-xy12345`.
    pub account: String,
    /// The login name; optional only with OAuth.
    pub user: Option<String>,
    /// Role to use after login.
    pub role: Option<String>,
    /// Warehouse to use after login.
    pub warehouse: Option<String>,
    /// Database to use after login.
    pub database: Option<String>,
    /// Schema to use after login.
    pub schema: Option<String>,
    /// How to log in.
    pub authentication: Authentication,
    /// A custom endpoint; `None` means `https://<account>.snowflakecomputing.com`.
    pub endpoint: Option<Endpoint>,
}

impl fmt::Display for ConnectionConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "connection {} (account {}", self.name, self.account)?;
        if let Some(user) = &self.user {
            write!(f, ", user {user}")?;
        }
        write!(f, ", {}", self.authentication.method())?;
        if let Some(endpoint) = &self.endpoint {
            write!(f, ", at {}", endpoint.base_url())?;
        }
        f.write_str(")")
    }
}

/// One raw value and where it came from (a file path or a variable name).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RawValue {
    /// The value; `None` when it was not a string, integer or boolean.
    pub text: Option<String>,
    /// Where it came from, for messages.
    pub origin: String,
}

/// The keys of one connection before validation, lower-cased.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct RawConnection {
    /// The file that defined the connection, if any.
    pub source: Option<PathBuf>,
    /// Key → value; later writers (environment overrides) replace earlier ones.
    pub keys: BTreeMap<String, RawValue>,
}

impl ConnectionConfig {
    /// Validates the raw keys of connection `name`.
    pub(crate) fn from_raw(name: &str, raw: &RawConnection) -> Result<Self, ConnectError> {
        let fields = Fields { name, raw };
        let account = fields.required("account", "your account identifier, e.g. `acme-xy12345`")?;
        let authentication = authentication(&fields)?;
        let user = fields.text("user")?;
        if user.is_none() && !matches!(authentication, Authentication::OAuth(_)) {
            return Err(fields.missing("user", "the login name"));
        }
        Ok(ConnectionConfig {
            name: name.to_string(),
            source: raw.source.clone(),
            account,
            user,
            role: fields.text("role")?,
            warehouse: fields.text("warehouse")?,
            database: fields.text("database")?,
            schema: fields.text("schema")?,
            authentication,
            endpoint: endpoint(&fields)?,
        })
    }
}

/// Typed access to the raw keys of one connection, with error context.
struct Fields<'a> {
    name: &'a str,
    raw: &'a RawConnection,
}

impl Fields<'_> {
    /// A string key; empty strings count as absent, as in the Snowflake CLI.
    fn text(&self, key: &str) -> Result<Option<String>, ConnectError> {
        match self.raw.keys.get(key) {
            None => Ok(None),
            Some(RawValue { text: Some(t), .. }) if t.is_empty() => Ok(None),
            Some(RawValue { text: Some(t), .. }) => Ok(Some(t.clone())),
            Some(RawValue { text: None, origin }) => Err(self.invalid(key, "a string", origin)),
        }
    }

    fn secret(&self, key: &str) -> Result<Option<Secret>, ConnectError> {
        Ok(self.text(key)?.map(Secret::new))
    }

    fn required(&self, key: &'static str, what: &str) -> Result<String, ConnectError> {
        self.text(key)?.ok_or_else(|| self.missing(key, what))
    }

    fn origin(&self, key: &str) -> String {
        self.raw
            .keys
            .get(key)
            .map(|v| v.origin.clone())
            .unwrap_or_default()
    }

    fn invalid(&self, key: &str, expected: &'static str, origin: &str) -> ConnectError {
        ConnectError::InvalidValue {
            name: self.name.to_string(),
            key: key.to_string(),
            expected,
            origin: origin.to_string(),
        }
    }

    fn missing(&self, key: &'static str, what: &str) -> ConnectError {
        let place = match &self.raw.source {
            Some(path) => format!("`[{}]` in {}", self.name, path.display()),
            None => format!("`[{}]` in connections.toml", self.name),
        };
        ConnectError::MissingKey {
            name: self.name.to_string(),
            key,
            hint: format!(
                "set `{key}` ({what}) in {place}, or the environment variable SNOWFLAKE_{}",
                key.to_ascii_uppercase()
            ),
        }
    }
}

fn authentication(fields: &Fields<'_>) -> Result<Authentication, ConnectError> {
    let authenticator = fields
        .text("authenticator")?
        .map(|a| a.to_ascii_lowercase());
    match authenticator.as_deref() {
        None => inferred_authentication(fields),
        Some("snowflake") => password(fields),
        Some("snowflake_jwt") => key_pair(fields)?
            .ok_or_else(|| fields.missing("private_key_file", "the path of the PEM private key")),
        Some("oauth") => oauth(fields)?.ok_or_else(|| fields.missing("token", "the OAuth token")),
        Some("programmatic_access_token") => fields
            .secret("token")?
            .map(Authentication::Password)
            .ok_or_else(|| fields.missing("token", "the programmatic access token")),
        Some(_) => Err(ConnectError::UnsupportedAuthenticator {
            name: fields.name.to_string(),
            authenticator: fields.text("authenticator")?.unwrap_or_default(),
        }),
    }
}

/// Without `authenticator`, the credential present decides: a private key,
/// then a password, then a token.
fn inferred_authentication(fields: &Fields<'_>) -> Result<Authentication, ConnectError> {
    if let Some(auth) = key_pair(fields)? {
        return Ok(auth);
    }
    if fields.text("password")?.is_some() {
        return password(fields);
    }
    if let Some(auth) = oauth(fields)? {
        return Ok(auth);
    }
    Err(fields.missing(
        "password",
        "or `private_key_file` for a key pair, or `token` for OAuth",
    ))
}

fn password(fields: &Fields<'_>) -> Result<Authentication, ConnectError> {
    fields
        .secret("password")?
        .map(Authentication::Password)
        .ok_or_else(|| fields.missing("password", "the user's password"))
}

fn key_pair(fields: &Fields<'_>) -> Result<Option<Authentication>, ConnectError> {
    let file = match fields.text("private_key_file")? {
        Some(path) => Some(path),
        None => fields.text("private_key_path")?,
    };
    let key = match (file, fields.secret("private_key_raw")?) {
        (Some(path), _) => PrivateKey::File(expand_home(&path)),
        (None, Some(pem)) => PrivateKey::Inline(pem),
        (None, None) => return Ok(None),
    };
    Ok(Some(Authentication::KeyPair {
        key,
        passphrase: fields.secret("private_key_passphrase")?,
    }))
}

fn oauth(fields: &Fields<'_>) -> Result<Option<Authentication>, ConnectError> {
    if let Some(token) = fields.secret("token")? {
        return Ok(Some(Authentication::OAuth(token)));
    }
    let Some(path) = fields.text("token_file_path")? else {
        return Ok(None);
    };
    let path = expand_home(&path);
    let token = std::fs::read_to_string(&path).map_err(|source| ConnectError::Read {
        path: path.clone(),
        source,
    })?;
    Ok(Some(Authentication::OAuth(Secret::new(token.trim()))))
}

fn endpoint(fields: &Fields<'_>) -> Result<Option<Endpoint>, ConnectError> {
    let host = fields.text("host")?;
    let port = match fields.text("port")? {
        None => None,
        Some(text) => Some(text.trim().parse::<u16>().map_err(|_| {
            fields.invalid("port", "a port number (1-65535)", &fields.origin("port"))
        })?),
    };
    let protocol = match fields.text("protocol")?.map(|p| p.to_ascii_lowercase()) {
        None => None,
        Some(p) if p == "http" => Some(Protocol::Http),
        Some(p) if p == "https" => Some(Protocol::Https),
        Some(_) => {
            return Err(fields.invalid(
                "protocol",
                "`http` or `https`",
                &fields.origin("protocol"),
            ));
        }
    };
    if host.is_none() && port.is_none() && protocol.is_none() {
        return Ok(None);
    }
    let account = fields.text("account")?.unwrap_or_default();
    Ok(Some(Endpoint {
        protocol: protocol.unwrap_or(Protocol::Https),
        host: host.unwrap_or_else(|| format!("{account}.snowflakecomputing.com")),
        port,
    }))
}

/// Expands a leading `~/` the way the Snowflake CLI does for key paths.
fn expand_home(path: &str) -> PathBuf {
    match (path.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => Path::new(&home).join(rest),
        _ => PathBuf::from(path),
    }
}
