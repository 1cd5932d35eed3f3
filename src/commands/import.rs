//! `floe import`: write resource files for what an environment already
//! holds, and record each imported object in state as an apply would, so
//! that the next plan is empty.
//!
//! The account is read with plan's batched introspection, first its
//! schemas (to choose which to import), then every kind in them. Files are
//! written atomically and never over an existing file. State is recorded
//! under the environment's lock, from a plan of the written declarations
//! against the objects read: each object whose plan is a no-op gets the
//! record that plan's apply would write. With `--out`, the files go
//! elsewhere for review and no state is recorded.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use super::engine::{self, Workspace, write};
use super::{Context, ExitCode};
use crate::apply::planned_entry;
use crate::atomic_file::write_atomic;
use crate::cli::ImportArgs;
use crate::diag::{Diagnostic, Diagnostics};
use crate::diff::Action;
use crate::ident::Ident;
use crate::import::{self, ImportFile, ImportReport, Naming, Target, WrittenFile};
use crate::kinds::reconciler::{Kinds, LiveObject, Scope};
use crate::kinds::reconciler_kinds;
use crate::live::{self, Introspection};
use crate::load::resources::RESOURCES_DIR;
use crate::model::{Address, KindName};
use crate::render;
use crate::state::backend::Backend;
use crate::state::{State, StateEntry, StateError, clock};

/// Runs `floe import`.
pub fn run(ctx: &Context, args: &ImportArgs, out: &mut dyn Write) -> Result<ExitCode, Diagnostics> {
    let workspace = Workspace::open(&ctx.project, &args.env)?;
    let wanted = wanted_schemas(&args.schemas)?;
    let target = target(&ctx.project, &workspace)?;
    let report = engine::runtime()?.block_on(async {
        let session = workspace.connect(&args.connection).await?;
        let backend = workspace.backend(&session);
        let import = Import {
            ctx,
            args,
            workspace: &workspace,
            wanted: &wanted,
            target: &target,
        };
        // With --out the files are for review: no state, so no lock.
        match args.out {
            Some(_) => import.run(session, &backend).await,
            None => {
                let body = import.run(session, &backend);
                workspace.locked(&backend, "floe import", body).await
            }
        }
    })?;
    write(out, &render::import_text(&report))?;
    Ok(0)
}

/// One `floe import` run: what it was asked, and of which environment.
struct Import<'a> {
    ctx: &'a Context,
    args: &'a ImportArgs,
    workspace: &'a Workspace,
    wanted: &'a [Ident],
    target: &'a Target,
}

impl Import<'_> {
    /// Reads the account, writes the files and, without `--out`, records
    /// the imported objects in the environment's state backend (its lock
    /// held by the caller).
    async fn run(
        &self,
        session: Arc<dyn crate::session::Session>,
        backend: &Backend,
    ) -> Result<ImportReport, Diagnostics> {
        let Import {
            ctx,
            args,
            workspace,
            wanted,
            target,
        } = *self;
        let records = args.out.is_none();
        let out_dir = args
            .out
            .clone()
            .unwrap_or_else(|| ctx.project.join(RESOURCES_DIR));
        let mut state = workspace.load_state_from(backend).await?;
        let kinds = reconciler_kinds();
        let started = Instant::now();
        let (objects, schemas, stats) = read(workspace, session, &kinds, target, wanted).await?;
        let skip = live::managed_addresses(&workspace.resolved.resources, &state);
        let chosen =
            import::choose_objects(objects.clone(), &schemas, target, !wanted.is_empty(), &skip);
        let (chosen, files, refused) = declarable(&ctx.project, chosen, target)?;
        write_files(&out_dir, &files)?;
        let skipped = objects
            .iter()
            .filter(|o| skip.contains(&o.address))
            .map(|o| o.address.clone())
            .collect();
        let mut report = ImportReport {
            environment: target.name.clone(),
            out_dir,
            files: files.iter().map(WrittenFile::from).collect(),
            skipped,
            recorded: None,
            refused,
            unseen: import::unseen(&chosen),
            not_read_back: Vec::new(),
        };
        let introspection = Introspection {
            live: live::Live::default(),
            stats,
            elapsed: started.elapsed(),
        };
        if ctx.verbose > 0 {
            eprint!("{}", render::introspection_text(&introspection));
        }
        if records && !chosen.is_empty() {
            let imported: Vec<Address> = chosen.iter().map(|o| o.address.clone()).collect();
            let reloaded = Workspace::open(&ctx.project, &args.env)?;
            let read = Read {
                objects,
                introspection,
                imported: &imported,
            };
            record(&reloaded, &kinds, &mut state, read, &mut report)?;
            backend.save(&mut state).await.map_err(state_error)?;
        }
        Ok(report)
    }
}

/// What was read, and what of it was imported.
struct Read<'a> {
    objects: Vec<LiveObject>,
    introspection: Introspection,
    imported: &'a [Address],
}

/// `--schema` values as identifiers.
fn wanted_schemas(values: &[String]) -> Result<Vec<Ident>, Diagnostics> {
    values
        .iter()
        .map(|v| {
            Ident::parse(v).map_err(|e| {
                Diagnostic::error(format!("--schema {v}: {e}")).hint(
                    "name a schema of the environment's database, e.g. --schema FEATURE_STORE_DEV",
                )
            })
        })
        .collect::<Result<_, _>>()
        .map_err(Diagnostics::from)
}

/// The environment being imported, with what environments.yaml says of
/// its names and database.
fn target(root: &Path, workspace: &Workspace) -> Result<Target, Diagnostics> {
    let environments = crate::load::environments::Environments::load(root)?;
    let env = workspace.resolved.environment();
    let names = environments.names();
    let shares_database = environments
        .environments
        .iter()
        .any(|e| e.name != env.name && e.database == env.database);
    Ok(Target {
        name: env.name.clone(),
        database: env.database.clone(),
        shares_database,
        naming: Naming::new(&env.name, env.database.as_str(), &names),
    })
}

/// Reads the account: its schemas first, to choose from, then every kind
/// in the chosen schemas. Returns the objects, the chosen schemas and the
/// statements spent.
async fn read(
    workspace: &Workspace,
    session: Arc<dyn crate::session::Session>,
    kinds: &Kinds,
    target: &Target,
    wanted: &[Ident],
) -> Result<(Vec<LiveObject>, Vec<Ident>, Vec<live::KindStats>), Diagnostics> {
    let mut scope = Scope {
        environment: target.name.clone(),
        database: target.database.clone(),
        schemas: Vec::new(),
    };
    let schema_kind = Kinds::new(kinds.get(KindName::Schema).cloned());
    let (found, first) = live::read(session.clone(), &schema_kind, &scope)
        .await
        .map_err(|e| read_error(workspace, &e))?;
    scope.schemas = import::choose_schemas(&found, target, wanted).map_err(|e| {
        Diagnostics::from(Diagnostic::error(e.to_string()).hint(format!(
            "the schemas of {} are: {}",
            e.database,
            e.found.join(", ")
        )))
    })?;
    let (objects, mut stats) = live::read(session, kinds, &scope)
        .await
        .map_err(|e| read_error(workspace, &e))?;
    // The first round's statements count with the schemas'.
    for kind in stats.iter_mut() {
        for earlier in first.iter().filter(|s| s.kind == kind.kind) {
            kind.statements += earlier.statements;
            kind.elapsed += earlier.elapsed;
        }
    }
    Ok((objects, scope.schemas, stats))
}

fn read_error(workspace: &Workspace, error: &live::LiveError) -> Diagnostics {
    Diagnostic::error(error.to_string())
        .hint(format!(
            "check that the account of {} is reachable and the role can run SHOW in {}",
            workspace.env_name(),
            workspace.resolved.environment().database
        ))
        .into()
}

/// The objects kept, their files, and the objects left out with why.
type Declarable = (Vec<LiveObject>, Vec<ImportFile>, Vec<(Address, String)>);

/// The files declaring `chosen`, without the objects whose documents would
/// not validate (a root task without a schedule, which floe cannot
/// declare, then its children): those are returned with the reason.
fn declarable(
    root: &Path,
    mut chosen: Vec<LiveObject>,
    target: &Target,
) -> Result<Declarable, Diagnostics> {
    let project = crate::load::Project::load(root)?;
    let at = clock::now_rfc3339();
    let mut refused = Vec::new();
    loop {
        let files = import::files(&chosen, target, &at);
        let found = import::refusals(project.clone(), &files)?;
        if found.is_empty() {
            return Ok((chosen, files, refused));
        }
        chosen.retain(|o| !found.contains_key(&o.address));
        refused.extend(found);
    }
}

/// Writes every file atomically, after checking that none exists: an
/// existing file is never overwritten, and then nothing is written.
fn write_files(out_dir: &Path, files: &[ImportFile]) -> Result<(), Diagnostics> {
    let existing: Vec<PathBuf> = files
        .iter()
        .map(|f| out_dir.join(&f.path))
        .filter(|p| p.exists())
        .collect();
    if !existing.is_empty() {
        let mut problems = Diagnostics::new();
        for path in existing {
            problems.push(
                Diagnostic::error(format!(
                    "{} already exists; floe import never overwrites a file",
                    path.display()
                ))
                .hint("move it away (or merge it by hand later), or write the import elsewhere with --out DIR"),
            );
        }
        return Err(problems);
    }
    for file in files {
        let path = out_dir.join(&file.path);
        let written = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| write_atomic(&path, file.text.as_bytes()));
        written.map_err(|e| {
            Diagnostic::error(format!("cannot write {}: {e}", path.display()))
                .hint("check that the folder is writable")
        })?;
    }
    Ok(())
}

/// Adds to `state` each imported object that the written declarations
/// match, with the record an apply of their plan writes; lists the others.
/// The caller writes `state` to its backend.
fn record(
    workspace: &Workspace,
    kinds: &Kinds,
    state: &mut State,
    read: Read<'_>,
    report: &mut ImportReport,
) -> Result<(), Diagnostics> {
    let Read {
        objects,
        mut introspection,
        imported,
    } = read;
    let managed = live::managed_addresses(&workspace.resolved.resources, state);
    introspection.live = live::sort(objects, &workspace.scope(state), &managed);
    // Fields introspection cannot see (a model version's source, a task's
    // parameters) come from the declarations just written: state is first
    // told what they say, so the plan compares only what the account shows.
    let mut provisional = state.clone();
    for address in imported {
        let (Some(declared), Some(object), Some(kind)) = (
            workspace.resolved.resource(address),
            introspection.live.managed.get(address),
            kinds.get(address.kind),
        ) else {
            continue;
        };
        let mut adopted = object.clone();
        for field in kind.unobservable_fields() {
            if let Some(value) = declared.attributes.get(*field) {
                adopted.attributes.insert(field.to_string(), value.clone());
            }
        }
        if let Some(completed) = kind.complete_live(&adopted.attributes, &declared.attributes) {
            adopted.attributes = completed;
        }
        let entry = StateEntry::from_live(&adopted, declared.depends_on.clone(), None);
        provisional.resources.insert(address.clone(), entry);
    }
    let plan = workspace.plan(kinds, &provisional, &introspection, imported)?;
    let commit = workspace.resolved.selection.git.commit.clone();
    let mut recorded = Vec::new();
    for change in &plan.changes {
        if !imported.contains(&change.address) {
            continue;
        }
        match planned_entry(change, commit.clone()) {
            Some(entry) if change.action == Action::NoOp => {
                state
                    .import(change.address.clone(), entry)
                    .map_err(state_error)?;
                recorded.push(change.address.clone());
            }
            _ => report.not_read_back.push((
                change.address.clone(),
                change.attributes.iter().map(|a| a.field.clone()).collect(),
            )),
        }
    }
    report.recorded = Some(recorded);
    Ok(())
}

fn state_error(e: StateError) -> Diagnostics {
    e.to_diagnostic().into()
}
