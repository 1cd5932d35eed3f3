//! What the integration tests share, by topic:
//!
//! - [`project`]: a temporary floe project (or a copy of the example) and
//!   runs of the built `floe` binary on it, with assertions on their output;
//! - [`local`]: the local account, opened in-process or driven through
//!   `floe local exec`;
//! - [`serve`]: the local account served by `floe local serve`, and how a
//!   client connects to a served account;
//! - [`wire`]: a small fake account behind the wire server, and a raw HTTP
//!   client for requests no driver would send;
//! - [`python`]: Snowflake's own Python clients run against a served account.

// Every test file is its own crate and compiles this module on its own,
// each using only some of these helpers and of the re-exports below: what
// one crate leaves unused is used by another.
#![allow(dead_code, unused_imports)]

pub mod local;
pub mod project;
pub mod python;
pub mod serve;
pub mod wire;

pub use project::{ENVIRONMENTS, Output, Project};
