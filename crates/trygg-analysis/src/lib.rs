//! Trygg's analysis: pure functions from domain data to a situation report
//! (lägesbild): proportions with confidence intervals, weighting, suppression,
//! trends and hotspots.
//!
//! No async, no database, no HTTP and no file system: the same functions serve
//! the server, the CLI and exports, and run on data from any survey tool.
//! The statistics and hotspot methods arrive with their own issues; the crate
//! exists now so the dependency rules are enforced from the start.
