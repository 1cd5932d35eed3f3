//! `floe state`: inspect and repair an environment's state.
//!
//! `list` and `show` only read. `rm`, `import` and `unlock` change the
//! record, never the account: `rm` forgets an address (the object stays),
//! `import` adopts a declared object that already exists, `unlock` removes
//! the lock a crashed apply left. Writers take the environment's lock.

use std::io::Write;

use super::engine::{self, Workspace, write};
use super::{Context, ExitCode};
use crate::cli::{StateAddrArgs, StateCommand, StateImportArgs};
use crate::diag::{Diagnostic, Diagnostics};
use crate::kinds::reconciler_kinds;
use crate::model::Address;
use crate::render;
use crate::state::backend::Backend;
use crate::state::{StateEntry, StateError};

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
