//! trygg-analysis against reference implementations, through committed fixtures.

mod hotspot;
mod stats;
