//! `floe state`: inspect and repair an environment's state.
//!
//! `list`, `show` and `history` only read. `rm`, `import`, `unlock`,
//! `restore` and `migrate` change the record, never the account: `rm`
//! forgets an address (the object stays), `import` adopts a declared
//! object that already exists, `unlock` removes the lock a crashed apply
//! left, `restore` writes the records as a kept serial had them (as one
//! new serial), `migrate` moves the records to the other backend and
//! reads them back before it retires the source. Writers take the
//! environment's lock (`migrate` both backends').

use std::io::Write;

use super::engine::{self, Workspace, write};
use super::{Context, ExitCode};
use crate::cli::{
    StateAddrArgs, StateBackendArg, StateCommand, StateHistoryArgs, StateImportArgs,
    StateMigrateArgs, StateRestoreArgs,
};
use crate::diag::{Diagnostic, Diagnostics};
use crate::kinds::reconciler_kinds;
use crate::model::Address;
use crate::render;
use crate::state::backend::{Backend, TableStore, oldest_restorable};
use crate::state::history::record_changes;
use crate::state::{StateEntry, StateError, StateStore, tables};

/// Runs `floe state ...`.
pub fn run(
    ctx: &Context,
    args: &StateCommand,
    out: &mut dyn Write,
) -> Result<ExitCode, Diagnostics> {
    match args {
        StateCommand::List(args) => {
            let workspace = Workspace::open(&ctx.project, &args.env)?;
            let state = engine::runtime()?.block_on(async {
                let backend = workspace.state_backend(&args.connection).await?;
                workspace.load_state_from(&backend).await
            })?;
            write(out, &render::state_list_text(&state))?;
        }
        StateCommand::Show(args) => show(ctx, args, out)?,
        StateCommand::Rm(args) => rm(ctx, args, out)?,
        StateCommand::Import(args) => import(ctx, args, out)?,
        StateCommand::Unlock(args) => {
            let workspace = Workspace::open(&ctx.project, &args.env)?;
            let removed = engine::runtime()?.block_on(async {
                let backend = workspace.state_backend(&args.connection).await?;
                backend.force_unlock().await.map_err(diagnostic)
            })?;
            let text = render::unlock_text(workspace.env_name(), removed.as_ref());
            write(out, &text)?;
        }
        StateCommand::History(args) => history(ctx, args, out)?,
        StateCommand::Restore(args) => restore(ctx, args, out)?,
        StateCommand::Migrate(args) => migrate(ctx, args, out)?,
    }
    Ok(0)
}

fn diagnostic(e: StateError) -> Diagnostics {
    e.to_diagnostic().into()
}

fn address(text: &str) -> Result<Address, Diagnostics> {
    engine::address(text).map_err(Diagnostics::from)
}

fn show(ctx: &Context, args: &StateAddrArgs, out: &mut dyn Write) -> Result<(), Diagnostics> {
    let workspace = Workspace::open(&ctx.project, &args.env)?;
    let address = address(&args.address)?;
    let state = engine::runtime()?.block_on(async {
        let backend = workspace.state_backend(&args.connection).await?;
        workspace.load_state_from(&backend).await
    })?;
    let entry = state.get(&address).ok_or_else(|| {
        diagnostic(StateError::NotInState {
            address: address.clone(),
            environment: workspace.env_name().to_string(),
        })
    })?;
    write(out, &render::state_show_text(&address, entry))
}

fn rm(ctx: &Context, args: &StateAddrArgs, out: &mut dyn Write) -> Result<(), Diagnostics> {
    let workspace = Workspace::open(&ctx.project, &args.env)?;
    let address = address(&args.address)?;
    let entry = engine::runtime()?.block_on(async {
        let backend = workspace.state_backend(&args.connection).await?;
        let body = async {
            let mut state = workspace.load_state_from(&backend).await?;
            let entry = state.remove(&address).map_err(diagnostic)?;
            backend.save(&mut state).await.map_err(diagnostic)?;
            Ok(entry)
        };
        workspace.locked(&backend, "floe state rm", body).await
    })?;
    write(out, &render::forgot_text(&address, &entry.fqn))
}

fn import(ctx: &Context, args: &StateImportArgs, out: &mut dyn Write) -> Result<(), Diagnostics> {
    let workspace = Workspace::open(&ctx.project, &args.env)?;
    let address = address(&args.address)?;
    let declared = workspace.resolved.resource(&address).ok_or_else(|| {
        Diagnostics::from(
            Diagnostic::error(format!(
                "{address} is not declared in {}",
                workspace.env_name()
            ))
            .hint("declare the resource under resources/ first, then import the existing object"),
        )
    })?;
    engine::runtime()?.block_on(async {
        let session = workspace.connect(&args.connection).await?;
        let backend = workspace.backend(&session);
        let body = import_locked(&workspace, &address, declared, session, &backend);
        workspace.locked(&backend, "floe state import", body).await
    })?;
    write(out, &render::imported_text(&address, &declared.fqn))
}

/// `floe state import` under the environment's lock.
async fn import_locked(
    workspace: &Workspace,
    address: &Address,
    declared: &crate::model::Resource,
    session: std::sync::Arc<dyn crate::session::Session>,
    backend: &Backend,
) -> Result<(), Diagnostics> {
    let mut state = workspace.load_state_from(backend).await?;
    let kinds = reconciler_kinds();
    let introspection = workspace.introspect(session, &kinds, &state).await?;
    let object = introspection.live.managed.get(address).ok_or_else(|| {
        Diagnostics::from(
            Diagnostic::error(format!(
                "{} does not exist in the account of {}",
                declared.fqn,
                workspace.env_name()
            ))
            .hint("nothing to import: `floe apply` creates it"),
        )
    })?;
    // What SHOW cannot show (a warehouse's initially_suspended) is taken from
    // the declaration: there is nothing else to take it from.
    let mut adopted = object.clone();
    if let Some(kind) = kinds.get(address.kind) {
        for field in kind.unobservable_fields() {
            if let Some(value) = declared.attributes.get(*field) {
                adopted.attributes.insert(field.to_string(), value.clone());
            }
        }
    }
    let entry = StateEntry::from_live(
        &adopted,
        declared.depends_on.clone(),
        workspace.resolved.selection.git.commit.clone(),
    );
    state.import(address.clone(), entry).map_err(diagnostic)?;
    backend.save(&mut state).await.map_err(diagnostic)
}

fn history(ctx: &Context, args: &StateHistoryArgs, out: &mut dyn Write) -> Result<(), Diagnostics> {
    let workspace = Workspace::open(&ctx.project, &args.env)?;
    let address = args.address.as_deref().map(address).transpose()?;
    let rows = engine::runtime()?.block_on(async {
        let backend = workspace.state_backend(&args.connection).await?;
        backend.history(address.as_ref()).await.map_err(diagnostic)
    })?;
    let text = render::history_text(workspace.env_name(), &rows, address.as_ref(), args.limit);
    write(out, &text)
}

fn restore(ctx: &Context, args: &StateRestoreArgs, out: &mut dyn Write) -> Result<(), Diagnostics> {
    let workspace = Workspace::open(&ctx.project, &args.env)?;
    engine::runtime()?.block_on(async {
        let backend = workspace.state_backend(&args.connection).await?;
        let body = restore_locked(&workspace, args, &backend, &mut *out);
        workspace.locked(&backend, "floe state restore", body).await
    })
}

/// `floe state restore` under the environment's lock: the records as of
/// the serial, from the kept history, written as one new serial.
async fn restore_locked(
    workspace: &Workspace,
    args: &StateRestoreArgs,
    backend: &Backend,
    out: &mut dyn Write,
) -> Result<(), Diagnostics> {
    let env = workspace.env_name();
    let rows = backend.history(None).await.map_err(diagnostic)?;
    let mut state = workspace.load_state_from(backend).await?;
    let oldest = oldest_restorable(state.serial);
    if args.serial > state.serial {
        return Err(Diagnostic::error(format!(
            "serial {} is newer than the state of {env}, which is at serial {}",
            args.serial, state.serial
        ))
        .hint("`floe state history` lists the serials that can be restored")
        .into());
    }
    if args.serial < oldest {
        return Err(Diagnostic::error(format!(
            "serial {} is older than the history kept for {env}: the oldest serial it can restore is {oldest}",
            args.serial
        ))
        .hint("the last 100 serials are kept; `floe state history` lists them")
        .into());
    }
    let restored = tables::as_of(&state.resources, &rows, args.serial);
    let changes = record_changes(&state.resources, &restored);
    if changes.is_empty() {
        return write(out, &render::nothing_to_restore_text(env, args.serial));
    }
    write(out, &render::restore_plan_text(env, args.serial, &changes))?;
    if !args.auto_approve {
        confirm(env, out)?;
    }
    state.resources = restored;
    backend.save(&mut state).await.map_err(diagnostic)?;
    write(out, &render::restored_text(env, args.serial, state.serial))
}

/// Asks on the terminal before a restore writes.
fn confirm(env: &str, out: &mut dyn Write) -> Result<(), Diagnostics> {
    engine::confirm(
        out,
        &engine::Confirmation {
            action: format!("restore of {env}"),
            review: "the records above",
            prompt: render::restore_prompt(env),
            expected: "yes",
            nothing: "nothing was written",
        },
    )
}

fn migrate(ctx: &Context, args: &StateMigrateArgs, out: &mut dyn Write) -> Result<(), Diagnostics> {
    let workspace = Workspace::open(&ctx.project, &args.env)?;
    let text = engine::runtime()?.block_on(async {
        let session = workspace.connect(&args.connection).await?;
        let env = workspace.resolved.environment();
        let open = |backend: StateBackendArg| match backend {
            StateBackendArg::Snowflake => Backend::Tables(TableStore::new(
                session.clone(),
                &env.database,
                &env.state.schema,
                &env.name,
            )),
            StateBackendArg::Files => {
                Backend::Files(StateStore::new(workspace.root.join("state"), &env.name))
            }
        };
        let from = match args.to {
            StateBackendArg::Snowflake => StateBackendArg::Files,
            StateBackendArg::Files => StateBackendArg::Snowflake,
        };
        // A fresh reader of the target, so the check reads what landed,
        // not what the writer remembers writing.
        let (source, target, reader) = (open(from), open(args.to), open(args.to));
        let command = "floe state migrate";
        let body = migrate_locked(&workspace, args.to, [&source, &target, &reader]);
        let inner = workspace.locked(&target, command, body);
        workspace.locked(&source, command, inner).await
    })?;
    write(out, &text)
}

/// `floe state migrate` under both locks: copy every record from `source`
/// to an empty `target`, read it back through `reader`, and only then
/// retire the source files (tables are left, with how to remove them).
async fn migrate_locked(
    workspace: &Workspace,
    to: StateBackendArg,
    [source, target, reader]: [&Backend; 3],
) -> Result<String, Diagnostics> {
    let env = workspace.env_name();
    let state = workspace.load_state_from(source).await?;
    let backend = match to {
        StateBackendArg::Snowflake => "snowflake",
        StateBackendArg::Files => "files",
    };
    let configured = (to == StateBackendArg::Snowflake) == workspace.state_in_account();
    if state.resources.is_empty() {
        let already = if configured {
            format!(
                "config/environments.yaml already keeps the state of {env} in `{backend}`: there is nothing to move"
            )
        } else {
            "apply the environment first, or check --env/--branch".to_string()
        };
        return Err(Diagnostic::error(format!(
            "{} records nothing for {env} to migrate",
            source.location()
        ))
        .hint(already)
        .into());
    }
    let existing = workspace.load_state_from(target).await?;
    if !existing.resources.is_empty() {
        return Err(Diagnostic::error(format!(
            "{} already records {} resources of {env}; floe state migrate never writes over records",
            target.location(),
            existing.resources.len()
        ))
        .hint(match target {
            Backend::Tables(tables) => format!(
                "if they are stale, remove them first with: {}",
                tables.forget_statements().join("; ")
            ),
            Backend::Files(store) => format!(
                "if it is stale, move {} away first",
                store.path().display()
            ),
        })
        .into());
    }
    let mut written = state.clone();
    target.save(&mut written).await.map_err(diagnostic)?;
    let read_back = workspace.load_state_from(reader).await?;
    if read_back.resources != state.resources {
        return Err(Diagnostic::error(format!(
            "{} does not read back the {} records written to it; the source {} was left as it was",
            target.location(),
            state.resources.len(),
            source.location()
        ))
        .hint("run `floe state migrate` again; if it fails again, keep the source and report the mismatch")
        .into());
    }
    let (kept, drop_rows) = match source {
        Backend::Files(store) => {
            let kept = store.retire(&state).map_err(diagnostic)?;
            (Some(kept.display().to_string()), None)
        }
        Backend::Tables(tables) => (None, Some(tables.forget_statements().join("; "))),
    };
    Ok(render::migrated_text(&render::Migration {
        environment: env,
        records: state.resources.len(),
        from: source.location(),
        to: target.location(),
        kept,
        drop_rows,
        backend,
        configured,
    }))
}
