//! The lägesbild of one survey round: one value, [`Lagesbild`], read from the store,
//! run through the analysis crate, and rendered by every consumer from that one value.
//!
//! [`Lagesbild::load`] reads the round, the earlier rounds of its series and the pins
//! (store → answers laid out by column, pins without comments), filters respondents by area, gender and age band, optionally weights
//! them to population margins, builds the [`SituationReport`] with trends against the
//! previous round, and adds the map: H3 cells with pin counts and Gi* classes, the
//! hotspot summaries and a heat surface. Everything shown on the dashboard, in the
//! exports and on the public page comes from this value, so the numbers agree.
//!
//! Renderers:
//! - [`csv`]: the tables in long format, UTF-8 with a BOM, comma or semicolon with decimal comma;
//! - [`xlsx`]: an Excel workbook, a sheet per table plus a definitions sheet;
//! - [`geojson`]: H3 cells, hotspot hulls and (staff only) pins, EPSG:4326, short attribute names;
//! - [`pdf`]: the Swedish report "Lägesbild {kommun} {omgång}";
//! - [`public`]: the published subset: suppressed tables and H3 cells with enough pins.
//!
//! This crate does I/O only through [`trygg_store::Store`]; it knows no HTTP.

pub mod csv;
pub mod geojson;
pub mod heat;
mod load;
mod model;
pub mod pdf;
pub mod population;
pub mod public;
pub mod retention;
mod round;
pub mod tables;
mod text;
pub mod xlsx;

pub use load::{LagesbildError, Options, RESOLUTION, Sources};
pub use model::{
    AreaOutline, Filters, HeatSurface, HexCell, HotspotSummary, KeyFigures, Lagesbild, MapResults,
    MunicipalityInfo, OptionInfo, QuestionInfo, RoundIndicators, SurveyInfo, is_sensitive,
};
pub use round::{RoundPin, cell_groups};
pub use text::{percent_sv, share_sv};

pub use trygg_analysis::stats::SituationReport;
