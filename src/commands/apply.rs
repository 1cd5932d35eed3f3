//! `floe apply`: execute a plan, behind every guard of SPEC 4.3.
//!
//! Order matters: the branch guard and a saved plan's format are checked
//! before anything is opened; the environment's lock is taken before the
//! account is read, so the plan applied is the plan computed under the lock;
//! a saved plan is refused when the account moved since; destructive changes
//! need `--allow-destroy`, new model defaults their metrics gate refuses
//! `--allow-regression`; a plan computed here is shown and confirmed (on a
//! terminal) or needs `--auto-approve`. State is written after every step by
//! [`crate::apply::apply`].

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::engine::{self, Workspace, color_stdout, write};
use super::{Context, ExitCode};
use crate::apply::{
    ApplyOptions, Interrupt, Observer, Observers, StateSink, SuspendedTasks, apply, check_destroy,
    check_fresh, check_regression,
};
use crate::cli::ApplyArgs;
use crate::diag::{Diagnostic, Diagnostics};
use crate::diff::{Plan, live_fingerprint};
use crate::kinds::reconciler_kinds;
use crate::render::{self, LogObserver, ProgressObserver, TextOptions};

/// Runs `floe apply`.
pub fn run(ctx: &Context, args: &ApplyArgs, out: &mut dyn Write) -> Result<ExitCode, Diagnostics> {
    let workspace = Workspace::open(&ctx.project, &args.env)?;
    workspace.resolved.selection.check_apply_guard()?;
    let saved = args.plan_file.as_deref().map(read_plan).transpose()?;
    if saved.is_some() && !args.target.is_empty() {
        return Err(Diagnostic::error("--target cannot narrow a saved plan")
            .hint("make the plan with `floe plan --target ADDR --out FILE` instead")
            .into());
    }
    let targets = engine::targets(&args.target)?;
    engine::runtime()?.block_on(async {
        let session = workspace.connect(&args.connection).await?;
        let backend = workspace.backend(&session);
        let account = Account {
            session,
            backend: &backend,
        };
        let body = locked_apply(ctx, &workspace, args, saved, &targets, account, out);
        workspace.locked(&backend, "floe apply", body).await
    })
}

/// The apply itself, under the environment's lock: read state and account,
/// plan (or check the saved plan), confirm, execute.
async fn locked_apply(
    ctx: &Context,
    workspace: &Workspace,
    args: &ApplyArgs,
    saved: Option<Plan>,
    targets: &[crate::model::Address],
    account: Account<'_>,
    out: &mut dyn Write,
) -> Result<ExitCode, Diagnostics> {
    let Account { session, backend } = account;
    let mut state = workspace.load_state_from(backend).await?;
    let kinds = reconciler_kinds();
    {
        let introspection = workspace
            .introspect(session.clone(), &kinds, &state)
            .await?;
        if ctx.verbose > 0 {
            eprint!("{}", render::introspection_text(&introspection));
        }
        let plan = match saved {
            Some(plan) => {
                check_fresh(
                    &plan,
                    workspace.env_name(),
                    &live_fingerprint(&introspection.live),
                )
                .map_err(|e| Diagnostics::from(e.to_diagnostic()))?;
                plan
            }
            None => {
                let mut plan = workspace.plan(&kinds, &state, &introspection, targets)?;
                plan.origin = workspace.origin(&args.connection);
                let options = TextOptions {
                    color: color_stdout(),
                    sql: false,
                };
                write(out, &render::plan_text(&plan, options))?;
                plan
            }
        };
        if plan.steps.is_empty() {
            return Ok(0);
        }
        check_destroy(&plan, args.allow_destroy)
            .map_err(|e| Diagnostics::from(e.to_diagnostic()))?;
        check_regression(&plan, args.allow_regression)
            .map_err(|e| Diagnostics::from(e.to_diagnostic()))?;
        if args.plan_file.is_none() && !args.auto_approve {
            confirm(workspace, out)?;
        }
        let suspended = Arc::new(SuspendedTasks::default());
        let observers = observers(plan.steps.len(), suspended.clone());
        let left_behind = LeftBehind {
            environment: workspace.env_name().to_string(),
            lock: PathBuf::from(backend.lock_location()),
            suspended,
        };
        let options = ApplyOptions {
            parallelism: usize::from(args.parallelism.max(1)),
            git_commit: workspace.resolved.selection.git.commit.clone(),
            interrupt: interrupt_on_ctrl_c(left_behind),
        };
        let sink = StateSink {
            state: &mut state,
            store: backend,
            kinds: &kinds,
        };
        let summary = apply(&plan, session, sink, &observers, &options).await;
        if let Some(warning) = &summary.state_warning {
            eprint!("{}", render::warning_text(warning));
        }
        write(out, &format!("\n{}", render::summary_text(&summary)))?;
        Ok(if summary.is_success() { 0 } else { 1 })
    }
}

/// The account of the run and the state kept for it.
struct Account<'a> {
    session: Arc<dyn crate::session::Session>,
    backend: &'a crate::state::backend::Backend,
}

/// Reads a plan saved by `floe plan --out`.
fn read_plan(path: &Path) -> Result<Plan, Diagnostics> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Diagnostic::error(format!("cannot read the plan file {}: {e}", path.display()))
    })?;
    Plan::from_json(&text).map_err(|e| {
        Diagnostic::error(format!("{} is not a floe plan: {e}", path.display()))
            .hint("save a plan with `floe plan --out FILE`; do not edit it by hand")
            .into()
    })
}

/// Asks on the terminal; a protected environment wants its name typed.
fn confirm(workspace: &Workspace, out: &mut dyn Write) -> Result<(), Diagnostics> {
    let env = workspace.env_name();
    let expected = if workspace.resolved.environment().protected {
        env
    } else {
        "yes"
    };
    engine::confirm(
        out,
        &engine::Confirmation {
            action: format!("apply to {env}"),
            review: "the plan above",
            prompt: render::confirm_prompt(env, expected),
            expected,
            nothing: "nothing was changed",
        },
    )
}

/// What quitting at once leaves for the user to clean up.
struct LeftBehind {
    environment: String,
    lock: PathBuf,
    suspended: Arc<SuspendedTasks>,
}

/// The first Ctrl-C stops the apply cleanly (running steps finish, state is
/// written, suspended task graphs are resumed); a second one exits at once,
/// saying what it leaves behind: the lock and the task graphs still
/// suspended.
fn interrupt_on_ctrl_c(left_behind: LeftBehind) -> Interrupt {
    let interrupt = Interrupt::default();
    let raise = interrupt.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_err() {
            return;
        }
        raise.raise();
        // stderr may be gone (a closed pipe): the interrupt must not depend on it.
        let _ = write!(std::io::stderr(), "{}", render::interrupted_text());
        if tokio::signal::ctrl_c().await.is_ok() {
            let text = render::left_behind_text(
                &left_behind.environment,
                &left_behind.lock,
                &left_behind.suspended.now(),
            );
            let _ = write!(std::io::stderr(), "{text}");
            std::process::exit(130);
        }
    });
    interrupt
}

/// A progress display on a terminal, one log line per step otherwise
/// (stderr), and the record of the tasks suspended.
fn observers(total: usize, suspended: Arc<SuspendedTasks>) -> Observers {
    let observer: Arc<dyn Observer> = if std::io::stderr().is_terminal() {
        Arc::new(ProgressObserver::new(total))
    } else {
        Arc::new(LogObserver::new(Box::new(std::io::stderr()), total))
    };
    Observers::new(vec![observer, suspended])
}
