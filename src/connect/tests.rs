use std::collections::BTreeMap;
use std::path::Path;

use super::*;
use crate::diag;

const SECRETS: &[&str] = &[
    "hunter2-pw",
    "key-pass-phrase",
    "oauth-tok-123",
    "-----BEGIN",
];

/// A home folder and a SNOWFLAKE_HOME folder in a temporary directory.
struct Homes {
    dir: tempfile::TempDir,
}

impl Homes {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("a temporary directory can be created");
        std::fs::create_dir_all(dir.path().join("home/.snowflake")).expect("fresh temp dir");
        std::fs::create_dir_all(dir.path().join("sfhome")).expect("fresh temp dir");
        Homes { dir }
    }

    fn home_file(&self, name: &str, text: &str) -> std::path::PathBuf {
        self.write(&self.dir.path().join("home/.snowflake").join(name), text)
    }

    fn sf_home_file(&self, name: &str, text: &str) -> std::path::PathBuf {
        self.write(&self.dir.path().join("sfhome").join(name), text)
    }

    fn write(&self, path: &Path, text: &str) -> std::path::PathBuf {
        std::fs::write(path, text).expect("temp dir is writable");
        set_mode(path, 0o600);
        path.to_path_buf()
    }

    fn sources(&self, env: &[(&str, &str)]) -> Sources {
        Sources {
            snowflake_home: Some(self.dir.path().join("sfhome")),
            home: Some(self.dir.path().join("home")),
            env: env
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect::<BTreeMap<_, _>>(),
        }
    }
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .expect("the test owns the file");
}

#[cfg(not(unix))]
fn set_mode(_path: &Path, _mode: u32) {}

fn assert_no_secret(text: &str) {
    for secret in SECRETS {
        assert!(
            !text.contains(secret),
            "secret {secret:?} leaked in: {text}"
        );
    }
}

#[test]
fn connection_is_chosen_by_flag_then_variable_then_environment_then_default_then_local() {
    type Case<'a> = (
        Option<&'a str>,
        Option<&'a str>,
        Option<&'a str>,
        Option<&'a str>,
        &'a str,
    );
    let cases: &[Case] = &[
        (Some("flag"), Some("var"), Some("env"), Some("def"), "flag"),
        (None, Some("var"), Some("env"), Some("def"), "var"),
        (None, None, Some("env"), Some("def"), "env"),
        (None, None, None, Some("def"), "def"),
        (None, None, None, None, "local"),
        (Some(""), Some(" "), None, Some("def"), "def"),
    ];
    for (flag, var, env, default, expected) in cases {
        assert_eq!(
            choose_connection(*flag, *var, *env, *default),
            *expected,
            "flag={flag:?} var={var:?} env={env:?} default={default:?}"
        );
    }
}

#[test]
fn password_connection_is_read_with_every_context_key() {
    let homes = Homes::new();
    let path = homes.home_file(
        "connections.toml",
        r#"
[prod]
account = "acme-xy12345"
user = "DEPLOY"
password = "hunter2-pw"
role = "SYSADMIN"
warehouse = "ADMIN_WH"
database = "ML"
schema = "PUBLIC"
"#,
    );
    let loaded = load_connection_from("prod", &homes.sources(&[])).expect("prod is defined");
    let config = loaded.config;
    assert_eq!(config.account, "acme-xy12345");
    assert_eq!(config.user.as_deref(), Some("DEPLOY"));
    assert_eq!(config.role.as_deref(), Some("SYSADMIN"));
    assert_eq!(config.warehouse.as_deref(), Some("ADMIN_WH"));
    assert_eq!(config.database.as_deref(), Some("ML"));
    assert_eq!(config.schema.as_deref(), Some("PUBLIC"));
    assert_eq!(config.source.as_deref(), Some(path.as_path()));
    assert_eq!(config.endpoint, None);
    assert_eq!(
        config.authentication,
        Authentication::Password(Secret::new("hunter2-pw"))
    );
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
}

#[test]
fn snowflake_home_is_searched_before_the_home_folder() {
    let homes = Homes::new();
    homes.sf_home_file(
        "connections.toml",
        "[prod]\naccount = \"from-sf-home\"\nuser = \"u\"\npassword = \"p\"\n",
    );
    homes.home_file(
        "connections.toml",
        "[prod]\naccount = \"from-home\"\nuser = \"u\"\npassword = \"p\"\n\
         [dev]\naccount = \"dev-acct\"\nuser = \"u\"\npassword = \"p\"\n",
    );
    let sources = homes.sources(&[]);
    let prod = load_connection_from("prod", &sources).expect("prod is defined");
    assert_eq!(prod.config.account, "from-sf-home");
    let dev = load_connection_from("dev", &sources).expect("dev is defined in ~/.snowflake");
    assert_eq!(dev.config.account, "dev-acct");
}

#[test]
fn environment_variables_override_single_keys() {
    let homes = Homes::new();
    homes.home_file(
        "connections.toml",
        "[prod]\naccount = \"file-acct\"\nuser = \"FILE_USER\"\npassword = \"old\"\n",
    );
    let sources = homes.sources(&[
        ("SNOWFLAKE_PASSWORD", "hunter2-pw"),
        ("SNOWFLAKE_ACCOUNT", "generic-acct"),
        ("SNOWFLAKE_CONNECTIONS_PROD_ACCOUNT", "specific-acct"),
    ]);
    let config = load_connection_from("prod", &sources)
        .expect("prod is defined")
        .config;
    assert_eq!(config.account, "specific-acct");
    assert_eq!(config.user.as_deref(), Some("FILE_USER"));
    assert_eq!(
        config.authentication,
        Authentication::Password(Secret::new("hunter2-pw"))
    );
}

#[test]
fn connection_specific_variables_alone_define_a_connection() {
    let homes = Homes::new();
    let sources = homes.sources(&[
        ("SNOWFLAKE_CONNECTIONS_CI_ACCOUNT", "ci-acct"),
        ("SNOWFLAKE_CONNECTIONS_CI_USER", "CI"),
        ("SNOWFLAKE_CONNECTIONS_CI_TOKEN", "oauth-tok-123"),
        ("SNOWFLAKE_CONNECTIONS_CI_AUTHENTICATOR", "oauth"),
    ]);
    let config = load_connection_from("ci", &sources)
        .expect("variables define ci")
        .config;
    assert_eq!(config.source, None);
    assert_eq!(
        config.authentication,
        Authentication::OAuth(Secret::new("oauth-tok-123"))
    );
}

#[test]
fn generic_variables_alone_do_not_define_a_misspelt_connection() {
    let homes = Homes::new();
    homes.home_file(
        "connections.toml",
        "[prod]\naccount = \"a\"\n[dev]\naccount = \"b\"\n",
    );
    let sources = homes.sources(&[
        ("SNOWFLAKE_ACCOUNT", "a"),
        ("SNOWFLAKE_PASSWORD", "hunter2-pw"),
    ]);
    let error = load_connection_from("prdo", &sources).expect_err("prdo is not defined");
    assert!(matches!(error, ConnectError::NotFound { .. }), "{error:?}");
    assert_eq!(error.to_string(), "connection `prdo` is not defined");
    let hint = error.hint();
    assert!(hint.starts_with("did you mean `prod`?"), "{hint}");
    assert!(hint.contains("defined there: dev, prod"), "{hint}");
    assert!(hint.contains("connections.toml"), "{hint}");
    assert!(hint.contains("--connection local"), "{hint}");
}

#[cfg(unix)]
#[test]
fn a_connections_file_readable_by_others_gets_a_warning() {
    let homes = Homes::new();
    let path = homes.home_file(
        "connections.toml",
        "[prod]\naccount = \"a\"\nuser = \"u\"\npassword = \"hunter2-pw\"\n",
    );
    set_mode(&path, 0o644);
    let loaded = load_connection_from("prod", &homes.sources(&[])).expect("prod is defined");
    assert_eq!(loaded.warnings.len(), 1, "{:?}", loaded.warnings);
    let warning = &loaded.warnings[0];
    assert!(warning.contains("bad permissions"), "{warning}");
    assert!(warning.contains("0644"), "{warning}");
    assert!(warning.contains("chmod 0600"), "{warning}");
    assert!(warning.contains(&path.display().to_string()), "{warning}");

    set_mode(&path, 0o600);
    let loaded = load_connection_from("prod", &homes.sources(&[])).expect("prod is defined");
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
}

#[test]
fn key_pair_is_inferred_from_a_private_key_file() {
    let homes = Homes::new();
    homes.home_file(
        "connections.toml",
        "[kp]\naccount = \"a\"\nuser = \"u\"\nprivate_key_path = \"/keys/rsa.p8\"\n\
         private_key_passphrase = \"key-pass-phrase\"\n",
    );
    let config = load_connection_from("kp", &homes.sources(&[]))
        .expect("kp is defined")
        .config;
    assert_eq!(
        config.authentication,
        Authentication::KeyPair {
            key: PrivateKey::File("/keys/rsa.p8".into()),
            passphrase: Some(Secret::new("key-pass-phrase")),
        }
    );
}

#[test]
fn host_port_and_protocol_make_a_custom_endpoint() {
    let homes = Homes::new();
    homes.home_file(
        "connections.toml",
        "[served]\naccount = \"local\"\nuser = \"floe\"\npassword = \"p\"\n\
         host = \"127.0.0.1\"\nport = 8085\nprotocol = \"http\"\n",
    );
    let config = load_connection_from("served", &homes.sources(&[]))
        .expect("served is defined")
        .config;
    let endpoint = config.endpoint.expect("host was given");
    assert_eq!(endpoint.base_url(), "http://127.0.0.1:8085/");
}

#[test]
fn a_bad_port_names_the_key_and_its_origin_not_the_value() {
    let homes = Homes::new();
    homes.home_file(
        "connections.toml",
        "[p]\naccount = \"a\"\nuser = \"u\"\npassword = \"p\"\n",
    );
    let sources = homes.sources(&[("SNOWFLAKE_PORT", "hunter2-pw")]);
    let error = load_connection_from("p", &sources).expect_err("the port is not a number");
    let text = format!("{error} {error:?} {}", error.hint());
    assert!(text.contains("`port`"), "{text}");
    assert!(text.contains("SNOWFLAKE_PORT"), "{text}");
    assert_no_secret(&text);
}

#[test]
fn a_toml_syntax_error_has_a_place_and_no_secret() {
    let homes = Homes::new();
    let path = homes.home_file(
        "connections.toml",
        "[prod]\naccount = \"a\"\npassword = \"hunter2-pw\n",
    );
    let error = load_connection_from("prod", &homes.sources(&[])).expect_err("invalid TOML");
    let text = format!("{error} {error:?} {}", error.hint());
    assert!(
        text.contains(&format!("{}:3:", path.display())),
        "the place is file:line:col: {text}"
    );
    assert_no_secret(&text);
    let rendered = diag::Diagnostic::from(error).render(Path::new("/"));
    assert_no_secret(&rendered);
}

#[test]
fn unsupported_authenticator_is_refused_with_the_supported_ones() {
    let homes = Homes::new();
    homes.home_file(
        "connections.toml",
        "[sso]\naccount = \"a\"\nuser = \"u\"\nauthenticator = \"externalbrowser\"\n",
    );
    let error = load_connection_from("sso", &homes.sources(&[])).expect_err("not supported");
    assert_eq!(
        error.to_string(),
        "connection `sso`: authenticator `externalbrowser` is not supported"
    );
    assert!(error.hint().contains("SNOWFLAKE_JWT"));
}

#[test]
fn missing_credentials_say_which_keys_to_set() {
    let homes = Homes::new();
    homes.home_file(
        "connections.toml",
        "[bare]\naccount = \"a\"\nuser = \"u\"\n",
    );
    let error = load_connection_from("bare", &homes.sources(&[])).expect_err("no credential");
    assert_eq!(error.to_string(), "connection `bare` has no `password`");
    let hint = error.hint();
    assert!(hint.contains("private_key_file"), "{hint}");
    assert!(hint.contains("SNOWFLAKE_PASSWORD"), "{hint}");
}

#[test]
fn default_resolves_through_default_connection_name_and_config_toml_tables() {
    let homes = Homes::new();
    homes.home_file(
        "config.toml",
        "default_connection_name = \"team\"\n\n[connections.team]\naccount = \"team-acct\"\n\
         user = \"u\"\npassword = \"p\"\n",
    );
    let loaded = load_connection_from("default", &homes.sources(&[])).expect("default → team");
    assert_eq!(loaded.config.name, "team");
    assert_eq!(loaded.config.account, "team-acct");
}

#[test]
fn debug_and_display_of_a_connection_show_no_secret() {
    let base = |authentication| ConnectionConfig {
        name: "prod".into(),
        source: None,
        account: "acme".into(),
        user: Some("DEPLOY".into()),
        role: None,
        warehouse: None,
        database: None,
        schema: None,
        authentication,
        endpoint: None,
    };
    let configs = [
        base(Authentication::Password(Secret::new("hunter2-pw"))),
        base(Authentication::OAuth(Secret::new("oauth-tok-123"))),
        base(Authentication::KeyPair {
            key: PrivateKey::Inline(Secret::new("-----BEGIN PRIVATE KEY-----")),
            passphrase: Some(Secret::new("key-pass-phrase")),
        }),
    ];
    for config in configs {
        let text = format!("{config:?} {config} {config:#?}");
        assert!(text.contains("acme"), "{text}");
        assert!(text.contains("<redacted>"), "{text}");
        assert_no_secret(&text);
    }
}
