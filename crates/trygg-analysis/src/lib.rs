//! Trygg's analysis: pure functions from domain data to a situation report
//! (lägesbild): proportions with confidence intervals, weighting, suppression,
//! trends, hotspots and the weekly statistics of reported events.
//!
//! No async, no database, no HTTP and no file system: the same functions serve
//! the server, the CLI and exports, and run on data from any survey tool.

pub mod events;
pub mod hotspot;
pub mod stats;
mod union_find;
