//! What `plan`, `apply`, `drift` and `state import` share: resolve the
//! environment, open its state and its account, read the account, plan.
//!
//! Each step is a function so a command takes only what it needs (`state
//! list` never connects; `apply` locks before it reads). The account is a
//! [`Session`] whichever connection is chosen: the embedded local account
//! or Snowflake, behind the same interface, with no second code path.

use std::collections::BTreeSet;
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use super::leftovers;
use crate::cli::{ConnectionArgs, EnvArgs};
use crate::connect::{self, LOCAL_CONNECTION};
use crate::diag::{Diagnostic, Diagnostics, Span};
use crate::diff::{self, Plan, PlanInput, PlanOrigin};
use crate::ident::Ident;
use crate::kinds::reconciler::{Kinds, Scope};
use crate::live::{self, Introspection, LiveError};
use crate::load::Project;
use crate::load::environments::ENVIRONMENTS_FILE;
use crate::load::environments::StateBackendKind;
use crate::local::project::Adoption;
use crate::local::{self, LocalAccount};
use crate::model::{Address, KindName};
use crate::render;
use crate::resolve::{EnvSelection, ResolvedEnv};
use crate::session::{ExecError, Session};
use crate::snowflake::{SessionOptions, SnowflakeSession};
use crate::state::backend::{Backend, TableStore, Taker};
use crate::state::{State, StateStore};

/// One environment's declarations and where its state lives.
pub struct Workspace {
    /// The project root.
    pub root: PathBuf,
    /// `default_connection` of environments.yaml.
    pub default_connection: Option<String>,
    /// Where `default_connection` is written.
    default_connection_span: Option<Span>,
    /// The environment's declarations.
    pub resolved: ResolvedEnv,
    /// Its state files.
    pub store: StateStore,
    /// Seed files for a new local account.
    seeds: Vec<PathBuf>,
    /// The edition the local account emulates.
    edition: crate::local::Edition,
    /// The branch the project's files come from (CI or checkout), when known.
    files_branch: Option<String>,
}

impl Workspace {
    /// Loads the project and resolves the environment the arguments select.
    pub fn open(root: &Path, args: &EnvArgs) -> Result<Workspace, Diagnostics> {
        let project = Project::load(root)?;
        let resolved = project.resolve(&EnvSelection::from(args))?;
        let store = StateStore::new(root.join("state"), &resolved.environment().name);
        Ok(Workspace {
            root: root.to_path_buf(),
            default_connection: project.environments.default_connection.clone(),
            default_connection_span: project.environments.default_connection_span.clone(),
            seeds: project.seed_files().iter().map(|p| root.join(p)).collect(),
            edition: project.local_edition(),
            files_branch: project.files_branch(),
            resolved,
            store,
        })
    }

    /// Where the environment keeps its state: its files, or its tables
    /// through `session`.
    pub fn backend(&self, session: &Arc<dyn Session>) -> Backend {
        let env = self.resolved.environment();
        match env.state.backend {
            StateBackendKind::Files => Backend::Files(self.store.clone()),
            StateBackendKind::Snowflake => Backend::Tables(TableStore::new(
                session.clone(),
                &env.database,
                &env.state.schema,
                &env.name,
            )),
        }
    }

    /// True when the environment keeps its state in its account's tables.
    pub fn state_in_account(&self) -> bool {
        self.resolved.environment().state.backend == StateBackendKind::Snowflake
    }

    /// The state backend for a command that reads no account otherwise:
    /// connects (as `args` choose) only when the state is in tables.
    pub async fn state_backend(&self, args: &ConnectionArgs) -> Result<Backend, Diagnostics> {
        match self.resolved.environment().state.backend {
            StateBackendKind::Files => Ok(Backend::Files(self.store.clone())),
            StateBackendKind::Snowflake => Ok(self.backend(&self.connect(args).await?)),
        }
    }

    /// The state in `backend` (empty before the first apply); warns when a
    /// killed run left an unfinished journal line.
    pub async fn load_state_from(&self, backend: &Backend) -> Result<State, Diagnostics> {
        let loaded = backend
            .load_reporting()
            .await
            .map_err(|e| Diagnostics::from(e.to_diagnostic()))?;
        if let Some(warning) = &loaded.warning {
            eprint!("{}", render::warning_text(warning));
        }
        Ok(loaded.state)
    }

    /// Runs `body` holding the environment's lock in `backend`, taken for
    /// `command`, and frees it afterwards whatever `body` returned.
    pub async fn locked<T>(
        &self,
        backend: &Backend,
        command: &str,
        body: impl std::future::Future<Output = Result<T, Diagnostics>>,
    ) -> Result<T, Diagnostics> {
        let git = &self.resolved.selection.git;
        let taker = Taker {
            command,
            branch: self.files_branch.as_deref(),
            commit: git.commit.as_deref(),
        };
        let held = backend
            .lock(&taker)
            .await
            .map_err(|e| Diagnostics::from(e.to_diagnostic()))?;
        let result = body.await;
        held.release().await;
        result
    }

    /// The environment's name.
    pub fn env_name(&self) -> &str {
        &self.resolved.environment().name
    }

    /// What a plan of this run compares: the branch and commit its
    /// declarations come from, and the connection of the account.
    pub fn origin(&self, args: &ConnectionArgs) -> PlanOrigin {
        PlanOrigin {
            branch: self.files_branch.clone(),
            commit: self.resolved.selection.git.commit.clone(),
            connection: self.connection_name(args),
        }
    }

    /// The connection name this run uses (SPEC 1.4 order).
    pub fn connection_name(&self, args: &ConnectionArgs) -> String {
        let from_env = std::env::var("FLOE_CONNECTION").ok();
        connect::choose_connection(
            args.connection.as_deref(),
            from_env.as_deref(),
            self.resolved.environment().connection.as_deref(),
            self.default_connection.as_deref(),
        )
    }

    /// Opens the account: the project's local account, or a
    /// logged-in Snowflake session for a named connection.
    pub async fn connect(&self, args: &ConnectionArgs) -> Result<Arc<dyn Session>, Diagnostics> {
        let name = self.connection_name(args);
        if name == LOCAL_CONNECTION {
            let path = local::account_path(&self.root);
            let account = open_local_account(&self.root, &self.seeds, local_latency()?)?
                .with_edition(self.edition);
            if let Some(lost) = leftovers::lost_account(&self.store, &path, account.opened()) {
                eprint!("{}", render::lost_account_text(&lost));
            }
            return Ok(Arc::new(account));
        }
        let loaded = connect::load_connection(&name).map_err(|e| {
            let d = Diagnostic::error(e.to_string());
            let d = match self.connection_origin(args) {
                Some((span, field)) => d
                    .at(span)
                    .caused_by(format!("`{field}` in {ENVIRONMENTS_FILE} names it")),
                None => d,
            };
            d.hint(e.hint())
        })?;
        for warning in &loaded.warnings {
            eprint!("{}", render::warning_text(warning));
        }
        let session = SnowflakeSession::connect(&loaded.config, SessionOptions::default())
            .await
            .map_err(|e| {
                Diagnostic::error(e.to_string()).hint(format!(
                    "check connection `{name}` in connections.toml and that the account is reachable"
                ))
            })?;
        Ok(Arc::new(session))
    }

    /// Where environments.yaml chose the connection of this run, when it
    /// did (neither `--connection` nor `FLOE_CONNECTION` is set): the place
    /// of the `connection` or `default_connection` that named it.
    fn connection_origin(&self, args: &ConnectionArgs) -> Option<(Span, &'static str)> {
        let set = |v: Option<&str>| v.is_some_and(|v| !v.trim().is_empty());
        let from_env = std::env::var("FLOE_CONNECTION").ok();
        if set(args.connection.as_deref()) || set(from_env.as_deref()) {
            return None;
        }
        let env = self.resolved.environment();
        if set(env.connection.as_deref()) {
            return env.connection_span.clone().map(|s| (s, "connection"));
        }
        self.default_connection_span
            .clone()
            .map(|s| (s, "default_connection"))
    }

    /// What this environment reads: its database and the schemas it
    /// declares or has in state.
    pub fn scope(&self, state: &State) -> Scope {
        let declared = self
            .resolved
            .resources
            .iter()
            .filter(|r| r.address.kind == KindName::Schema)
            .map(|r| r.address.name.clone());
        let recorded = state
            .resources
            .keys()
            .filter(|a| a.kind == KindName::Schema)
            .map(|a| a.name.clone());
        let schemas: BTreeSet<Ident> = declared.chain(recorded).collect();
        Scope {
            environment: self.env_name().to_string(),
            database: self.resolved.environment().database.clone(),
            schemas: schemas.into_iter().collect(),
        }
    }

    /// Reads the account with every kind's batched statements.
    pub async fn introspect(
        &self,
        session: Arc<dyn Session>,
        kinds: &Kinds,
        state: &State,
    ) -> Result<Introspection, Diagnostics> {
        let managed = live::managed_addresses(&self.resolved.resources, state);
        live::introspect(session, kinds, &self.scope(state), &managed)
            .await
            .map_err(|e| self.introspection_error(&e).into())
    }

    /// A failed read, with the most likely fix: a missing database is the
    /// environment's to provide, anything else is access or reachability.
    fn introspection_error(&self, error: &LiveError) -> Diagnostic {
        let env = self.resolved.environment();
        let missing_database = matches!(
            error,
            LiveError::Exec { source: ExecError::Sql(e), .. } if e.code == "002043"
        );
        if missing_database {
            return Diagnostic::error(format!(
                "the database {} of environment {} does not exist in its account",
                env.database, env.name
            ))
            .at(env.span.clone())
            .caused_by(error.to_string())
            .hint(
                "floe manages what is inside the environment's database, not the database itself: \
                 create it first (for the local account, in a seed file listed under `local.seed` \
                 in config/environments.yaml)",
            );
        }
        Diagnostic::error(error.to_string()).hint(format!(
            "check that the account of {} is reachable and the role can run SHOW in {}",
            env.name, env.database
        ))
    }

    /// The plan from declared × state × live.
    pub fn plan(
        &self,
        kinds: &Kinds,
        state: &State,
        introspection: &Introspection,
        targets: &[Address],
    ) -> Result<Plan, Diagnostics> {
        diff::plan(&PlanInput {
            environment: self.env_name(),
            declared: &self.resolved.resources,
            state,
            live: &introspection.live,
            kinds,
            targets,
        })
        .map_err(|e| Diagnostic::error(e.to_string()).into())
    }
}

/// Opens (or creates and seeds) the project's local account, shared by
/// every environment. A lone per-environment account of older floe becomes
/// the project's, with a note; others beside the project's are warned about;
/// several and no project account is an error saying how to go on.
pub fn open_local_account(
    root: &Path,
    seeds: &[PathBuf],
    latency: Option<Duration>,
) -> Result<LocalAccount, Diagnostics> {
    let path = local::account_path(root);
    let local_error = |e: local::LocalError| {
        let d = Diagnostic::error(e.to_string());
        match e.hint() {
            Some(hint) => d.hint(hint),
            None => d,
        }
    };
    match local::project::adopt_per_environment_accounts(root).map_err(local_error)? {
        Adoption::None => {}
        Adoption::Adopted(from) => eprint!("{}", render::adopted_account_text(&from, &path)),
        Adoption::Ignored(files) => eprint!("{}", render::ignored_accounts_text(&files, &path)),
    }
    LocalAccount::open(&path, seeds, latency).map_err(|e| local_error(e).into())
}

impl Workspace {
    /// [`Workspace::plan`] for a run that reads the declared resources no
    /// more: their attributes move into the plan instead of being copied,
    /// and the workspace is left without resources.
    pub fn plan_moving_resources(
        &mut self,
        kinds: &Kinds,
        state: &State,
        introspection: &Introspection,
        targets: &[Address],
    ) -> Result<Plan, Diagnostics> {
        let declared = std::mem::take(&mut self.resolved.resources);
        let input = PlanInput {
            environment: self.env_name(),
            declared: &[],
            state,
            live: &introspection.live,
            kinds,
            targets,
        };
        diff::plan_moving(&input, declared).map_err(|e| Diagnostic::error(e.to_string()).into())
    }
}

/// Parses an address as written on the command line.
pub fn address(text: &str) -> Result<Address, Diagnostic> {
    text.parse::<Address>().map_err(|e| {
        Diagnostic::error(e.to_string())
            .hint("`floe graph` lists the declared addresses, `floe state list` the recorded ones")
    })
}

/// Parses `--target` values into addresses.
pub fn targets(values: &[String]) -> Result<Vec<Address>, Diagnostics> {
    values
        .iter()
        .map(|v| address(v))
        .collect::<Result<_, _>>()
        .map_err(Diagnostics::from)
}

/// A runtime for one command's I/O.
pub fn runtime() -> Result<tokio::runtime::Runtime, Diagnostics> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Diagnostic::error(format!("cannot start the async runtime: {e}")).into())
}

/// `FLOE_LOCAL_LATENCY_MS`: a sleep before every local statement, off by default.
pub fn local_latency() -> Result<Option<Duration>, Diagnostic> {
    match std::env::var("FLOE_LOCAL_LATENCY_MS") {
        Ok(v) if !v.trim().is_empty() => v
            .trim()
            .parse::<u64>()
            .map(|ms| Some(Duration::from_millis(ms)))
            .map_err(|_| {
                Diagnostic::error(format!(
                    "FLOE_LOCAL_LATENCY_MS must be a number of milliseconds, not `{v}`"
                ))
            }),
        _ => Ok(None),
    }
}

/// True when colour may be used on stdout.
pub fn color_stdout() -> bool {
    use std::io::IsTerminal;
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Writes `text` to `out`, as a diagnostic on failure.
pub fn write(out: &mut dyn std::io::Write, text: &str) -> Result<(), Diagnostics> {
    out.write_all(text.as_bytes())
        .map_err(|e| Diagnostic::error(format!("cannot write the output: {e}")).into())
}

/// What a command asks the user to confirm on the terminal.
pub struct Confirmation<'a> {
    /// The action, as the messages name it (`apply to DEV`).
    pub action: String,
    /// What to review before running again (`the plan above`).
    pub review: &'a str,
    /// The question.
    pub prompt: String,
    /// The answer that confirms (`yes`, or the environment's name).
    pub expected: &'a str,
    /// What refusing leaves (`nothing was changed`).
    pub nothing: &'a str,
}

/// Asks on the terminal; without one, refuses (the run needs
/// `--auto-approve`), and any answer but the expected one cancels.
pub fn confirm(out: &mut dyn Write, asked: &Confirmation<'_>) -> Result<(), Diagnostics> {
    let action = &asked.action;
    if !std::io::stdin().is_terminal() {
        return Err(Diagnostic::error(format!(
            "{action} needs a confirmation, and there is no terminal to ask on"
        ))
        .hint(format!(
            "review {}, then run again with --auto-approve",
            asked.review
        ))
        .into());
    }
    write(out, &asked.prompt)?;
    let _ = out.flush();
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(|e| Diagnostic::error(format!("cannot read the confirmation: {e}")))?;
    if answer.trim() == asked.expected {
        Ok(())
    } else {
        Err(Diagnostic::error(format!("{action} cancelled: {}", asked.nothing)).into())
    }
}
