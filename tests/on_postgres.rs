//! The store's suites again, on PostgreSQL: the store with a lot (handles
//! racing for a bay, the log and its replay), the operations, the closed
//! loop, the record (undo, purge), the lot as it was (`past`) and the
//! property tests, each test body
//! as it is in its own file, with every `Lot` a new database on a
//! throwaway cluster this process starts (`common::on_postgres`).
//! `cargo test` alone so covers both backends.

// Each suite is included whole, its `mod common;` with it: the helpers are
// compiled once per suite here, as they are once per file in their own runs.
#![allow(clippy::duplicate_mod)]

#[path = "ops.rs"]
mod ops;

#[path = "closed_loop.rs"]
mod closed_loop;

#[path = "record.rs"]
mod record;

#[path = "properties.rs"]
mod properties;

#[path = "store_lot.rs"]
mod store_lot;

#[path = "past.rs"]
mod past;
