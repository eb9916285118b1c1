//! trygg-analysis against reference implementations, through committed fixtures.

#![expect(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, reason = "tests fail loudly")]

mod hotspot;
mod stats;
