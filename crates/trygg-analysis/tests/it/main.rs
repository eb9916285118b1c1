//! trygg-analysis against reference implementations, through committed fixtures.
//! Each module sets its own `#![expect(...)]` for the panicking helpers it uses.

mod did;
mod disclosure;
mod events;
mod hotspot;
mod stats;
