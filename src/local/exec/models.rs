//! Registry models and their versions, aliases, comments and metadata.

use super::{Exec, Outcome, already_exists_ok, created};
use crate::ident::Ident;
use crate::local::ast::{
    Alter, AlterAction, Create, CreateBody, ObjectType, Prop, Value, VersionSource,
};
use crate::local::catalog::{Change, Model, ModelVersion, Namespace, Object, QualifiedName};
use crate::local::error::{self, SqlError};

/// Aliases Snowflake reserves for every model.
pub(crate) const SYSTEM_ALIASES: &[&str] = &["DEFAULT", "FIRST", "LAST"];

fn version_missing(model: &QualifiedName, version: &Ident) -> SqlError {
    error::invalid(format!(
        "Version '{}' does not exist in model '{}'.",
        version.to_sql(),
        model.display()
    ))
}

/// The index of a version named `name` or aliased `name`.
fn find_version(model: &Model, name: &Ident) -> Option<usize> {
    model
        .versions
        .iter()
        .position(|v| &v.name == name)
        .or_else(|| {
            model
                .versions
                .iter()
                .position(|v| v.alias.as_ref() == Some(name))
        })
}

/// The index of the version a `FROM MODEL ... [VERSION v]` source names:
/// a version, a user alias or a system alias (`DEFAULT`, `FIRST`, `LAST`);
/// the default version when none is named, as Snowflake's CREATE MODEL and
/// ALTER MODEL ... ADD VERSION take it.
fn source_version(model: &Model, name: Option<&Ident>) -> Option<usize> {
    let Some(name) = name else {
        return find_version(model, &model.default_version);
    };
    find_version(model, name).or_else(|| match name.as_str() {
        "DEFAULT" => find_version(model, &model.default_version),
        "FIRST" => (!model.versions.is_empty()).then_some(0),
        "LAST" => model.versions.len().checked_sub(1),
        _ => None,
    })
}

fn metadata(prop: &Prop) -> Result<String, SqlError> {
    let text = match &prop.value {
        Value::Str(s) => s,
        other => return Err(error::invalid_value(&prop.key, &other.written())),
    };
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(v @ serde_json::Value::Object(_)) => Ok(v.to_string()),
        _ => Err(error::invalid(format!(
            "Invalid metadata: '{text}' is not a JSON object."
        ))),
    }
}

impl Exec<'_> {
    fn model_at(&self, q: &QualifiedName) -> Option<&Model> {
        match self.catalog.object(q, Namespace::Model) {
            Some(Object::Model(m)) => Some(m),
            _ => None,
        }
    }

    /// Checks a version source and describes it for the catalog.
    fn version_source(&self, source: &VersionSource) -> Result<String, SqlError> {
        match source {
            VersionSource::Stage(path) => Ok(path.clone()),
            VersionSource::Model { model, version } => {
                let q = self.qualify(model, "CREATE MODEL")?;
                let m = self
                    .model_at(&q)
                    .ok_or_else(|| error::object_missing(&q.display()))?;
                let i = source_version(m, version.as_ref()).ok_or_else(|| {
                    version_missing(&q, version.as_ref().unwrap_or(&m.default_version))
                })?;
                Ok(format!(
                    "{} VERSION {}",
                    q.display(),
                    m.versions[i].name.to_sql()
                ))
            }
        }
    }

    fn new_version(&self, name: &Ident, source: String) -> ModelVersion {
        ModelVersion {
            name: name.clone(),
            created_on: self.now,
            comment: None,
            alias: None,
            metadata: None,
            source,
        }
    }

    pub(super) fn create_model(&mut self, create: &Create) -> Result<Outcome, SqlError> {
        let q = self.qualify(&create.name, "CREATE MODEL")?;
        self.require_schema(&q.database, &q.schema)?;
        let CreateBody::Model { version, source } = &create.body else {
            return Err(error::unsupported("CREATE MODEL"));
        };
        if self.model_at(&q).is_some() {
            if create.mode.if_not_exists {
                return Ok(already_exists_ok(&q.name));
            }
            if !create.mode.or_replace {
                return Err(error::already_exists(&q.name.to_sql()));
            }
        }
        let source = self.version_source(source)?;
        let model = Model {
            name: q.name.clone(),
            created_on: self.now,
            comment: None,
            default_version: version.clone(),
            versions: vec![self.new_version(version, source)],
            tags: Vec::new(),
        };
        Ok(Outcome::status(
            created(ObjectType::Model, &q.name),
            vec![put(&q, model)],
        ))
    }

    pub(super) fn alter_model(&mut self, alter: &Alter) -> Result<Outcome, SqlError> {
        let Some(super::target::Target::Object(q, Object::Model(mut model))) =
            self.find_existing(ObjectType::Model, &alter.name, alter.if_exists)?
        else {
            return Ok(Outcome::done(Vec::new()));
        };
        match &alter.action {
            AlterAction::AddVersion(version, source) => {
                if model.versions.iter().any(|v| &v.name == version) {
                    return Err(error::invalid(format!(
                        "Version '{}' already exists in model '{}'.",
                        version.to_sql(),
                        q.display()
                    )));
                }
                let source = self.version_source(source)?;
                model.versions.push(self.new_version(version, source));
            }
            AlterAction::DropVersion(version) => {
                let i =
                    find_version(&model, version).ok_or_else(|| version_missing(&q, version))?;
                if model.versions[i].name == model.default_version {
                    return Err(error::invalid(format!(
                        "Cannot drop version '{}' of model '{}' because it is the default version. Set another default version first.",
                        model.versions[i].name.to_sql(),
                        q.display()
                    )));
                }
                model.versions.remove(i);
            }
            AlterAction::Set(props) => self.set_model_props(&q, &mut model, props)?,
            AlterAction::Unset(keys) => {
                for key in keys {
                    match key.as_str() {
                        "COMMENT" => model.comment = None,
                        other => return Err(error::invalid_value("UNSET", other)),
                    }
                }
            }
            action => version_action(&q, &mut model, action)?,
        }
        Ok(Outcome::done(vec![put(&q, model)]))
    }

    fn set_model_props(
        &self,
        q: &QualifiedName,
        model: &mut Model,
        props: &[Prop],
    ) -> Result<(), SqlError> {
        for prop in props {
            match prop.key.as_str() {
                "COMMENT" => model.comment = Some(super::target::comment_text(&prop.value)?),
                "DEFAULT_VERSION" => {
                    let version = match &prop.value {
                        Value::Name(n) if n.parts.len() == 1 => n.parts[0].clone(),
                        Value::Str(s) => {
                            Ident::parse(s).map_err(|_| error::invalid_value(&prop.key, s))?
                        }
                        other => return Err(error::invalid_value(&prop.key, &other.written())),
                    };
                    let i = find_version(model, &version)
                        .ok_or_else(|| version_missing(q, &version))?;
                    model.default_version = model.versions[i].name.clone();
                }
                other => return Err(error::invalid_value(other, &prop.value.written())),
            }
        }
        Ok(())
    }
}

/// ALTER MODEL actions on one version: aliases, comment, metadata.
fn version_action(
    q: &QualifiedName,
    model: &mut Model,
    action: &AlterAction,
) -> Result<(), SqlError> {
    match action {
        AlterAction::SetAlias(version, alias) => set_alias(q, model, version, alias)?,
        AlterAction::UnsetAlias(version) => {
            let i = find_version(model, version).ok_or_else(|| version_missing(q, version))?;
            model.versions[i].alias = None;
        }
        AlterAction::ModifyVersionSet(version, props) => {
            let i = find_version(model, version).ok_or_else(|| version_missing(q, version))?;
            for prop in props {
                match prop.key.as_str() {
                    "COMMENT" => {
                        model.versions[i].comment = Some(super::target::comment_text(&prop.value)?)
                    }
                    "METADATA" => model.versions[i].metadata = Some(metadata(prop)?),
                    other => return Err(error::invalid_value(other, &prop.value.written())),
                }
            }
        }
        AlterAction::ModifyVersionUnset(version, keys) => {
            let i = find_version(model, version).ok_or_else(|| version_missing(q, version))?;
            for key in keys {
                match key.as_str() {
                    "COMMENT" => model.versions[i].comment = None,
                    "METADATA" => model.versions[i].metadata = None,
                    other => return Err(error::invalid_value("UNSET", other)),
                }
            }
        }
        _ => return Err(error::unsupported("ALTER MODEL")),
    }
    Ok(())
}

fn set_alias(
    q: &QualifiedName,
    model: &mut Model,
    version: &Ident,
    alias: &Ident,
) -> Result<(), SqlError> {
    let i = find_version(model, version).ok_or_else(|| version_missing(q, version))?;
    if SYSTEM_ALIASES.contains(&alias.as_str()) {
        return Err(error::invalid(format!(
            "'{}' is a system alias and cannot be assigned.",
            alias.as_str()
        )));
    }
    let taken = model
        .versions
        .iter()
        .enumerate()
        .any(|(j, v)| j != i && (v.alias.as_ref() == Some(alias) || &v.name == alias));
    if taken {
        return Err(error::invalid(format!(
            "Alias '{}' is already in use in model '{}'.",
            alias.to_sql(),
            q.display()
        )));
    }
    model.versions[i].alias = Some(alias.clone());
    Ok(())
}

fn put(q: &QualifiedName, model: Model) -> Change {
    Change::PutObject {
        database: q.database.clone(),
        schema: q.schema.clone(),
        object: Object::Model(model),
    }
}
