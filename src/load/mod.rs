//! Loading a floe project from disk: environments, configuration overlays and
//! resource documents, every value with its file, line and column.
//!
//! [`Project::load`] reads everything that does not depend on an environment
//! and reports every problem found at once. Choosing an environment,
//! interpolating and validating resources is `resolve`'s job
//! ([`Project::resolve`] lives there); nothing here talks to an account.

pub mod de;
pub mod environments;
pub mod interpolate;
pub mod overlay;
pub mod resources;
pub mod suggest;
pub mod yaml;

use std::path::{Path, PathBuf};

pub use environments::{Environment, Environments};
pub use overlay::ConfigGroups;
pub use resources::Document;

use crate::diag::Diagnostics;

/// A loaded project, before any environment is chosen.
#[derive(Debug, Clone)]
pub struct Project {
    /// The project root (holding `config/` and `resources/`).
    pub root: PathBuf,
    /// `config/environments.yaml`.
    pub environments: Environments,
    /// `config/<group>/` overlays.
    pub config: ConfigGroups,
    /// Every resource document under `resources/`.
    pub documents: Vec<Document>,
}

impl Project {
    /// Loads the project at `root`, reporting every problem found.
    pub fn load(root: &Path) -> Result<Project, Diagnostics> {
        let mut problems = Diagnostics::new();
        let environments = Environments::load(root)
            .map_err(|d| problems.0.extend(d.0))
            .ok();
        let names: Vec<&str> = environments
            .as_ref()
            .map(Environments::names)
            .unwrap_or_default();
        let config = if environments.is_some() {
            ConfigGroups::load(root, &names)
                .map_err(|d| problems.0.extend(d.0))
                .ok()
        } else {
            None
        };
        let documents = resources::load_documents(root)
            .map_err(|d| problems.0.extend(d.0))
            .ok();
        match (environments, config, documents) {
            (Some(environments), Some(config), Some(documents)) if problems.is_empty() => {
                Ok(Project {
                    root: root.to_path_buf(),
                    environments,
                    config,
                    documents,
                })
            }
            _ => Err(problems),
        }
    }

    /// The local account's seed files, relative to the root, in declared order.
    pub fn seed_files(&self) -> &[PathBuf] {
        &self.environments.local_seed
    }

    /// The Snowflake edition the local account emulates.
    pub fn local_edition(&self) -> crate::local::Edition {
        self.environments.local_edition
    }
}
