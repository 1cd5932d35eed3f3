//! Adopting an existing platform: which live objects of an environment
//! `floe import` takes, and the resource files that declare them.
//!
//! The command reads the account with the same batched introspection as
//! plan ([`crate::live::read`]); this module chooses from what was read
//! and writes each object back as a document of its kind (each kind's
//! `import` module, through [`crate::kinds::import_document`]), names
//! carrying the environment interpolated ([`names`]). Files are one per kind and schema, documents sorted by
//! address, each file headed by where and when it was imported. It does no
//! I/O: the command writes the files and records state.
//!
//! What is taken:
//! - schemas: those named with `--schema`; otherwise, when another
//!   environment shares the database, the schemas whose name ends in
//!   `_<ENV>`, and every schema of the database when it is the
//!   environment's alone (`INFORMATION_SCHEMA` and `PUBLIC` never);
//! - entities, feature views, models and tasks of those schemas;
//! - warehouses (account objects, shared by every environment): those the
//!   imported feature views and tasks run on, and, without `--schema`, those
//!   whose name ends in `_<ENV>`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value as Json;

use crate::diag::{Diagnostic, Diagnostics, Place};
use crate::ident::Ident;
use crate::kinds::reconciler::LiveObject;
use crate::load::Project;
use crate::load::resources::{RESOURCES_DIR, document};
use crate::load::yaml::parse_documents;
use crate::model::{Address, KindName};
use crate::resolve::EnvSelection;

pub mod names;

pub use names::Naming;

/// The environment being imported.
#[derive(Debug, Clone)]
pub struct Target {
    /// Its name (`DEV`).
    pub name: String,
    /// Its database.
    pub database: Ident,
    /// True when another environment of environments.yaml uses the same database.
    pub shares_database: bool,
    /// How its names are written.
    pub naming: Naming,
}

/// A `--schema` that the environment's database does not hold.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the database {database} has no schema {schema}")]
pub struct UnknownSchema {
    /// The schema asked for.
    pub schema: String,
    /// The database searched.
    pub database: String,
    /// The schemas it holds.
    pub found: Vec<String>,
}

/// The schemas to import, from the schema objects `schemas` read in the
/// environment's database; `wanted` (from `--schema`) limits them.
pub fn choose_schemas(
    schemas: &[LiveObject],
    target: &Target,
    wanted: &[Ident],
) -> Result<Vec<Ident>, UnknownSchema> {
    let found: Vec<Ident> = schemas
        .iter()
        .filter(|o| o.address.kind == KindName::Schema)
        .map(|o| o.address.name.clone())
        .collect();
    if !wanted.is_empty() {
        if let Some(missing) = wanted.iter().find(|w| !found.contains(w)) {
            return Err(UnknownSchema {
                schema: missing.to_string(),
                database: target.database.to_string(),
                found: found.iter().map(Ident::to_string).collect(),
            });
        }
        return Ok(wanted.to_vec());
    }
    Ok(found
        .into_iter()
        .filter(|s| !target.shares_database || target.naming.carries_env(s.as_str()))
        .collect())
}

/// The objects taken from everything read in `schemas`, sorted by address,
/// leaving out those at an address in `skip` (already declared or recorded).
/// `limited` is true with `--schema`.
pub fn choose_objects(
    objects: Vec<LiveObject>,
    schemas: &[Ident],
    target: &Target,
    limited: bool,
    skip: &BTreeSet<Address>,
) -> Vec<LiveObject> {
    let in_schemas = |o: &LiveObject| match o.address.kind {
        KindName::Schema => schemas.contains(&o.address.name),
        KindName::Warehouse => false,
        _ => o.schema.as_ref().is_some_and(|s| schemas.contains(s)),
    };
    let mut taken: BTreeMap<Address, LiveObject> = BTreeMap::new();
    let mut warehouses = Vec::new();
    for object in objects {
        if object.address.kind == KindName::Warehouse {
            warehouses.push(object);
        } else if in_schemas(&object) {
            taken.entry(object.address.clone()).or_insert(object);
        }
    }
    let used: BTreeSet<&str> = taken
        .values()
        .filter_map(|o| o.attributes.get("warehouse").and_then(Json::as_str))
        .collect();
    let used: BTreeSet<String> = used.into_iter().map(str::to_string).collect();
    for warehouse in warehouses {
        let name = warehouse.address.name.as_str();
        if used.contains(name) || (!limited && target.naming.carries_env(name)) {
            taken.entry(warehouse.address.clone()).or_insert(warehouse);
        }
    }
    taken.retain(|address, _| !skip.contains(address));
    taken.into_values().collect()
}

/// One file an import wrote, as its report names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrittenFile {
    /// Its path, relative to the output folder.
    pub path: PathBuf,
    /// How many objects it declares.
    pub objects: usize,
    /// How many `# TODO:` notes it holds.
    pub todos: usize,
}

impl From<&ImportFile> for WrittenFile {
    fn from(file: &ImportFile) -> Self {
        WrittenFile {
            path: file.path.clone(),
            objects: file.addresses.len(),
            todos: file.todos,
        }
    }
}

/// What an import did, for people.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ImportReport {
    /// The environment read.
    pub environment: String,
    /// The folder the files went to.
    pub out_dir: PathBuf,
    /// The files written.
    pub files: Vec<WrittenFile>,
    /// Addresses already declared or recorded, left as they are.
    pub skipped: Vec<Address>,
    /// Addresses recorded in state; `None` when no state was recorded (`--out`).
    pub recorded: Option<Vec<Address>>,
    /// Objects left out because their document would not validate, and why.
    pub refused: Vec<(Address, String)>,
    /// What the account does not show of the imported objects ([`unseen`]).
    pub unseen: Vec<String>,
    /// Imported objects whose declaration does not match what the account
    /// shows (plan will change them), with the fields that differ.
    pub not_read_back: Vec<(Address, Vec<String>)>,
}

/// The imported objects whose document does not validate in some
/// environment of `project`, with the first reason: `files` are checked as
/// if they were under `resources/`, beside the project's own documents.
/// Problems that no imported document causes are returned as errors.
pub fn refusals(
    mut project: Project,
    files: &[ImportFile],
) -> Result<BTreeMap<Address, String>, Diagnostics> {
    let mut starts: Vec<(PathBuf, usize, Address)> = Vec::new();
    for file in files {
        let path = Path::new(RESOURCES_DIR).join(&file.path);
        let nodes = parse_documents(&file.text, &path).map_err(Diagnostics::from)?;
        for (node, address) in nodes.into_iter().zip(&file.addresses) {
            starts.push((path.clone(), node.span.line, address.clone()));
            project
                .documents
                .extend(document(node).map_err(Diagnostics::from)?);
        }
    }
    let mut refused = BTreeMap::new();
    let names: Vec<String> = project
        .environments
        .names()
        .into_iter()
        .map(str::to_string)
        .collect();
    for env in names {
        let Err(problems) = project.resolve(&EnvSelection::env(&env)) else {
            continue;
        };
        for problem in problems.0 {
            let Some(address) = culprit(&problem, &starts) else {
                return Err(Diagnostic::error(problem.message.clone())
                    .caused_by(format!("validating the imported files in {env}"))
                    .hint("fix the project's own resource files first: `floe validate` shows where")
                    .into());
            };
            refused
                .entry(address)
                .or_insert_with(|| format!("{env}: {}", problem.message));
        }
    }
    Ok(refused)
}

/// The imported document a problem is in: the last one starting at or
/// before its line in its file.
fn culprit(problem: &Diagnostic, starts: &[(PathBuf, usize, Address)]) -> Option<Address> {
    let Some(Place::Span(span)) = &problem.place else {
        return None;
    };
    starts
        .iter()
        .filter(|(file, line, _)| file.as_path() == &*span.file && *line <= span.line)
        .max_by_key(|(_, line, _)| *line)
        .map(|(_, _, address)| address.clone())
}

/// What the account does not show of `objects`, one phrase per kind (the
/// files hold a `# TODO:` for each): the values written are defaults or
/// placeholders, recorded as such.
pub fn unseen(objects: &[LiveObject]) -> Vec<String> {
    let count = |kind: KindName| objects.iter().filter(|o| o.address.kind == kind).count();
    let versions: usize = objects
        .iter()
        .filter_map(|o| o.attributes.get("versions").and_then(Json::as_array))
        .map(Vec::len)
        .sum();
    let mut out = Vec::new();
    if versions > 0 {
        out.push(format!(
            "the source (`from`) of {versions} model version(s)"
        ));
    }
    let tasks = count(KindName::Task);
    if tasks > 0 {
        out.push(format!(
            "`timeout_ms` and `suspend_after_failures` of {tasks} task(s)"
        ));
    }
    let warehouses = count(KindName::Warehouse);
    if warehouses > 0 {
        out.push(format!(
            "`initially_suspended` of {warehouses} warehouse(s)"
        ));
    }
    out
}

/// One file `floe import` writes.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportFile {
    /// Its path, relative to the output folder (`feature_store/feature_store.yaml`).
    pub path: PathBuf,
    /// The addresses it declares, in file order.
    pub addresses: Vec<Address>,
    /// How many `# TODO:` notes it holds.
    pub todos: usize,
    /// Its text.
    pub text: String,
}

/// The files declaring `objects` (sorted by address), one per kind and
/// schema; `imported_at` is the RFC 3339 time written in each header.
pub fn files(objects: &[LiveObject], target: &Target, imported_at: &str) -> Vec<ImportFile> {
    let stems = file_stems(objects, target);
    let mut grouped: BTreeMap<PathBuf, Vec<&LiveObject>> = BTreeMap::new();
    for object in objects {
        grouped
            .entry(file_of(object, &stems))
            .or_default()
            .push(object);
    }
    grouped
        .into_iter()
        .map(|(path, objects)| file(path, &objects, target, imported_at))
        .collect()
}

fn file(path: PathBuf, objects: &[&LiveObject], target: &Target, at: &str) -> ImportFile {
    let mut text = format!(
        "# Imported by `floe import` from environment {} (database {}) at {at}.\n\
         # Review it before committing: each `# TODO:` names what the account does not show.\n",
        target.name, target.database
    );
    let kinds: BTreeSet<KindName> = objects.iter().map(|o| o.address.kind).collect();
    let mut todos = 0;
    for note in kinds.into_iter().filter_map(crate::kinds::import_note) {
        push_comment(&mut text, &format!("TODO: {note}"));
        todos += 1;
    }
    for (i, object) in objects.iter().enumerate() {
        let doc = crate::kinds::import_document(object, &target.naming);
        text.push_str(if i == 0 { "\n" } else { "---\n" });
        for todo in &doc.todos {
            push_comment(&mut text, &format!("TODO: {} {todo}", object.address));
        }
        todos += doc.todos.len();
        // A mapping of strings, numbers, booleans and sequences always serialises.
        text.push_str(&serde_yaml::to_string(&doc.fields).unwrap_or_default());
    }
    ImportFile {
        path,
        addresses: objects.iter().map(|o| o.address.clone()).collect(),
        todos,
        text,
    }
}

/// Appends `comment` as `#` lines of at most about 100 characters.
fn push_comment(text: &mut String, comment: &str) {
    let mut line = String::from("#");
    for word in comment.split_whitespace() {
        if line.len() + word.len() > 98 && line.len() > 1 {
            text.push_str(&line);
            text.push('\n');
            line = String::from("#  ");
        }
        line.push(' ');
        line.push_str(word);
    }
    text.push_str(&line);
    text.push('\n');
}

/// The file holding `object`.
fn file_of(object: &LiveObject, stems: &BTreeMap<Ident, String>) -> PathBuf {
    let stem = |o: &LiveObject| {
        o.schema
            .as_ref()
            .and_then(|s| stems.get(s).cloned())
            .unwrap_or_else(|| "objects".into())
    };
    match object.address.kind {
        KindName::Warehouse => PathBuf::from("warehouses.yaml"),
        KindName::Schema => PathBuf::from("schemas.yaml"),
        KindName::Entity | KindName::FeatureView => {
            PathBuf::from("feature_store").join(format!("{}.yaml", stem(object)))
        }
        KindName::Model => PathBuf::from("registry").join(format!("{}.yaml", stem(object))),
        KindName::Task => PathBuf::from("tasks").join(format!("{}.yaml", stem(object))),
    }
}

/// Per schema, the stem of its files: its name in lower case without the
/// environment's suffix (`FEATURE_STORE_DEV` → `feature_store`), or with it
/// when two schemas would share a stem.
fn file_stems(objects: &[LiveObject], target: &Target) -> BTreeMap<Ident, String> {
    let schemas: BTreeSet<&Ident> = objects.iter().filter_map(|o| o.schema.as_ref()).collect();
    let clean = |s: &str| -> String {
        s.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '_' {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .collect()
    };
    let short = |s: &Ident| {
        let name = s.as_str();
        if target.naming.carries_env(name) {
            clean(&name[..name.len() - target.name.len() - 1])
        } else {
            clean(name)
        }
    };
    let mut count: BTreeMap<String, usize> = BTreeMap::new();
    for s in &schemas {
        *count.entry(short(s)).or_default() += 1;
    }
    schemas
        .into_iter()
        .map(|s| {
            let stem = short(s);
            let stem = if count[&stem] > 1 {
                clean(s.as_str())
            } else {
                stem
            };
            (s.clone(), stem)
        })
        .collect()
}

#[cfg(test)]
mod tests;
