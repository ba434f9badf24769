//! The pure domain: plates, phones, bays, the layout, the stay rules, policy,
//! bay suggestion, the event vocabulary and the clock.
//!
//! Nothing here touches SQLite, the terminal or the system clock directly;
//! everything is testable with plain values.

pub mod bay;
pub mod clock;
pub mod clocks;
pub mod event;
pub mod gate;
pub mod layout;
pub mod phone;
pub mod plate;
pub mod policy;
pub mod report;
pub mod stay;
pub mod suggest;
pub mod text;

pub use bay::{BayId, Zone};
pub use plate::Plate;
