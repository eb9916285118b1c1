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
//! - [`markdown`]: a summary of the indicators per round and area, and their changes;
//! - [`pdf`]: the Swedish report "Lägesbild {kommun} {omgång}";
//! - [`public`]: the published subset: suppressed tables and H3 cells with enough pins;
//! - [`disclosure`]: the audit a release must pass before it is published;
//! - [`format`]: the export formats, each with its content type, extension and renderer.
//!
//! Workflows, each one request's or command's whole work, so adapters only parse,
//! call and answer: [`Reports`] keeps read rounds and built lägesbilder in memory;
//! [`dashboard`] is the analysts' dashboard, its pins, heat picture and pin file;
//! [`publish`] publishes a round as a frozen snapshot; [`focus`] ranks the
//! focus-area candidates; [`follow_up`] is the public follow-up of medborgarlöften.
//!
//! [`hotspots`] is the workflow of `trygg hotspots dbscan|gi|kde` on pin files, drawn
//! with the same hexagon outline and heat ramp as the lägesbild's map.
//!
//! [`events`] is the workflow of `trygg events emerging` on event files.
//!
//! [`Sources::from_parts`] takes the same sources as values, for the CLI's files.
//!
//! This crate does I/O only through [`trygg_store::Store`] and the readers and writers
//! its callers hand it; it knows no HTTP.

pub mod accounts;
pub mod areas;
pub mod authoring;
mod cache;
pub mod csv;
pub mod dashboard;
pub mod disclosure;
pub mod est;
pub mod est_week;
pub mod events;
pub mod focus;
pub mod follow_up;
pub mod format;
pub mod geojson;
pub mod heat;
pub mod hotspots;
pub mod intake;
pub mod invitations;
mod load;
pub mod markdown;
mod model;
pub mod moderation;
mod parts;
pub mod password;
pub mod pdf;
pub mod plans;
pub mod population;
pub mod promises;
pub mod public;
mod public_url;
pub mod publish;
pub mod retention;
mod round;
pub mod staff;
pub mod tables;
mod text;
pub mod workflow;
pub mod xlsx;

pub use cache::{FRESH_FOR, Reports, blocking};
pub use format::{Export, Format, UnknownFormat};
pub use load::{LagesbildError, Options, RESOLUTION, Sources};
pub use model::{
    AreaOutline, Filters, HeatSurface, HexCell, HotspotSummary, KeyFigures, Lagesbild, MapResults,
    MunicipalityInfo, OptionInfo, QuestionInfo, RoundIndicators, SurveyInfo, is_sensitive,
};
pub use parts::{Parts, RoundParts};
pub use public_url::PublicUrl;
pub use round::{RoundPin, cell_groups};
pub use text::{percent_sv, share_sv};

pub use trygg_analysis::stats::SituationReport;
