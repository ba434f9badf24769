//! trucklot: a keyboard-only terminal application that runs a checkpoint truck
//! lot. The binary's `main` is a thin edge; everything lives here.
//!
//! Layers, and who may know whom: `cli` and `tui` call `ops`; `ops` calls the
//! pure `domain` and the `store`; only `store` speaks SQL.

pub mod cli;
pub mod config;
pub mod domain;
pub mod humanize;
pub mod i18n;
pub mod ops;
pub mod sim;
pub mod site_time;
pub mod store;
pub mod tui;
pub mod tz;
