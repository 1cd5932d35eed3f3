//! Names that carry the environment, written back as interpolations.
//!
//! An imported name such as `FEATURE_STORE_DEV` becomes
//! `FEATURE_STORE_${env.name}`, and the environment's database
//! `${env.database}`, so the written declarations serve every environment.
//! Only exact spellings are replaced (a token's last `_` word equal to the
//! environment's name, a token equal to its database), so each interpolated
//! text resolves, in the imported environment, to exactly the text read.

/// `${env.name}`.
const ENV_NAME: &str = "${env.name}";
/// `${env.database}`.
const ENV_DATABASE: &str = "${env.database}";

/// How the names of one imported environment are written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Naming {
    /// The environment's name, when names ending in `_<name>` stand for it.
    env: Option<String>,
    /// The environment's database, when it is written `${env.database}`.
    database: Option<String>,
}

impl Naming {
    /// The naming of environment `env` (of database `database`) among the
    /// environments `all` of environments.yaml. The name is interpolated
    /// only when it is one upper-case word and no other environment's name
    /// ends in `_<env>` (which would make `X_${env.name}` read two ways).
    pub fn new(env: &str, database: &str, all: &[&str]) -> Naming {
        let word = !env.is_empty()
            && env
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
        let suffix = format!("_{env}");
        let clash = all.iter().any(|other| other.ends_with(&suffix));
        Naming {
            env: (word && !clash).then(|| env.to_string()),
            database: Some(database.to_string()),
        }
    }

    /// True when `name` carries the environment's name as its last word.
    pub fn carries_env(&self, name: &str) -> bool {
        self.env
            .as_ref()
            .is_some_and(|env| name.len() > env.len() + 1 && name.ends_with(&format!("_{env}")))
    }

    /// How to write the resolved identifier `name` in YAML: interpolated
    /// when it carries the environment, double-quoted when its spelling
    /// needs it.
    pub fn name(&self, name: &str) -> String {
        if crate::ident::needs_quotes(name) {
            // Interpolation runs before identifiers are read: a quoted name
            // keeps `${` literal.
            return format!("\"{}\"", name.replace('"', "\"\"").replace("${", "$${"));
        }
        self.token(name).unwrap_or_else(|| name.to_string())
    }

    /// SQL or any other text: identifier tokens that carry the environment
    /// or name its database interpolated, every literal `${` escaped.
    pub fn text(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while !rest.is_empty() {
            let token_len = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            if token_len == 0 {
                let c = rest.chars().next().unwrap_or(' ');
                if rest.starts_with("${") {
                    out.push_str("$${");
                    rest = &rest[2..];
                } else {
                    out.push(c);
                    rest = &rest[c.len_utf8()..];
                }
                continue;
            }
            let token = &rest[..token_len];
            // `$` before an interpolation would escape it (`$${`).
            let after_dollar = out.ends_with('$');
            match self.token(token) {
                Some(written) if !after_dollar => out.push_str(&written),
                _ => out.push_str(token),
            }
            rest = &rest[token_len..];
        }
        out
    }

    /// A token interpolated, or `None` when it names nothing of the environment.
    fn token(&self, token: &str) -> Option<String> {
        if self.database.as_deref() == Some(token) {
            return Some(ENV_DATABASE.to_string());
        }
        let env = self.env.as_ref()?;
        if !self.carries_env(token) {
            return None;
        }
        let stem = &token[..token.len() - env.len()];
        Some(format!("{stem}{ENV_NAME}"))
    }
}

impl crate::kinds::import::Names for Naming {
    fn name(&self, name: &str) -> String {
        Naming::name(self, name)
    }

    fn text(&self, text: &str) -> String {
        Naming::text(self, text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dev() -> Naming {
        Naming::new("DEV", "OSS_SF_MLOPS", &["DEV", "STAGING", "PROD"])
    }

    #[test]
    fn names_ending_in_the_environment_are_interpolated() {
        let n = dev();
        assert_eq!(n.name("FEATURE_STORE_DEV"), "FEATURE_STORE_${env.name}");
        assert_eq!(n.name("PUDO_DEV"), "PUDO_${env.name}");
        assert_eq!(n.name("DEVICES"), "DEVICES");
        assert_eq!(n.name("DEV_TOOLS"), "DEV_TOOLS");
        assert_eq!(n.name("DEV"), "DEV");
        assert_eq!(n.name("OSS_SF_MLOPS"), "${env.database}");
    }

    #[test]
    fn names_that_need_quotes_keep_their_spelling() {
        assert_eq!(dev().name("my_dev"), "\"my_dev\"");
        assert_eq!(dev().name("A\"B"), "\"A\"\"B\"");
    }

    #[test]
    fn text_replaces_exact_tokens_and_escapes_literal_interpolations() {
        let n = dev();
        assert_eq!(
            n.text("SELECT * FROM OSS_SF_MLOPS.PUDO_DEV.T WHERE x = '${y}' AND pudo_dev = 1"),
            "SELECT * FROM ${env.database}.PUDO_${env.name}.T WHERE x = '$${y}' AND pudo_dev = 1"
        );
        assert_eq!(n.text("$PUDO_DEV"), "$PUDO_DEV");
    }

    #[test]
    fn an_environment_whose_name_ends_another_is_not_interpolated() {
        let n = Naming::new("DEV", "DB", &["DEV", "PRE_DEV"]);
        assert_eq!(n.name("PUDO_DEV"), "PUDO_DEV");
    }
}
