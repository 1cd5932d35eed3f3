//! floe: an infrastructure-as-code state reconciler for Snowflake ML.
//!
//! The crate is a pipeline; each module owns one stage (see README.md):
//! load a project, resolve it for one environment, build the dependency
//! graph, read the live account through a [`session::Session`], diff into a
//! plan, render it, apply it, and keep state. Each module uses only the
//! modules below it; `layers.rs` lists the order and its test holds every
//! `use crate::` to it.

pub mod apply;
pub mod atomic_file;
pub mod cli;
pub mod commands;
pub mod connect;
pub mod diag;
pub mod diff;
pub mod graph;
pub mod ident;
pub mod import;
pub mod kind_list;
pub mod kinds;
pub mod live;
pub mod load;
pub mod local;
pub mod model;
pub mod render;
pub mod resolve;
pub mod session;
pub mod snowflake;
pub mod sql_refs;
pub mod state;
pub mod wire;

#[cfg(test)]
mod layers;
