//! Widgets the views are built from.

pub mod bay_grid;
