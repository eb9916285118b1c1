//! Hotspots from pin files, the workflow behind `trygg hotspots dbscan|gi|kde`.
//!
//! Pins are read from a CSV (`lon,lat[,category,time_of_day,response_id]`, as
//! `trygg export pins --format csv` writes them) or from GeoJSON points, one record at a
//! time into a compact [`Pins`] table: positions, and categories and respondents as small
//! numbers, so 100,000 pins take a few megabytes whatever the file's size. The maths is
//! [`trygg_analysis::hotspot`]; the files written here use the same hexagon outline
//! ([`hotspot::hex_ring`]) and heat ramp ([`crate::heat`]) as the lägesbild's map.
//!
//! Readers and writers are handed in by the caller; errors name the file and the line or
//! feature at fault.

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, Read, Write};

use geo::{ConvexHull, MultiPoint, Point, Polygon};
use h3o::{CellIndex, Resolution};
use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use trygg_analysis::hotspot::{
    self, GiClass, GiOptions, HexGi, Hotspot, HotspotError, HotspotPin, Kernel, MetricGrid,
    NamedArea, NamedPlace,
};
use trygg_domain::{Location, TimeOfDay};

use crate::model::HeatSurface;

/// Why a hotspot command cannot run.
#[derive(Debug, thiserror::Error)]
pub enum HotspotsError {
    /// An input file is wrong at a place a person can find.
    #[error("{file}{}: {message}", .place.as_ref().map_or(String::new(), |p| format!(", {p}")))]
    File {
        /// The file's name as the user gave it.
        file: String,
        /// The line or feature, when one is at fault.
        place: Option<String>,
        /// What is wrong.
        message: String,
    },
    /// A pins file is empty.
    #[error("{file} is empty: there are no pins to analyse")]
    Empty {
        /// The file's name.
        file: String,
    },
    /// A pins file has no pins.
    #[error("{file} holds no pins")]
    NoPins {
        /// The file's name.
        file: String,
    },
    /// A file cannot be read or written.
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// The analysis refused its parameters.
    #[error(transparent)]
    Analysis(#[from] HotspotError),
    /// A picture cannot be encoded.
    #[error(transparent)]
    Png(#[from] png::EncodingError),
}

fn bad(file: &str, place: impl Into<String>, message: impl std::fmt::Display) -> HotspotsError {
    HotspotsError::File {
        file: file.to_owned(),
        place: Some(place.into()),
        message: message.to_string(),
    }
}

fn whole(file: &str, message: impl std::fmt::Display) -> HotspotsError {
    HotspotsError::File {
        file: file.to_owned(),
        place: None,
        message: message.to_string(),
    }
}

/// The two pin file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PinFormat {
    /// CSV with a header naming `lon` and `lat` (and optionally `category`,
    /// `time_of_day`, `response_id`).
    Csv,
    /// A GeoJSON FeatureCollection of points with those properties.
    GeoJson,
}

impl PinFormat {
    /// CSV for a `.csv` file name, else GeoJSON.
    pub fn of_file_name(name: &str) -> Self {
        let csv = std::path::Path::new(name)
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
        if csv { Self::Csv } else { Self::GeoJson }
    }
}

/// Pins in columns: positions, with categories and respondents as indices into their
/// distinct values.
#[derive(Debug, Clone, Default)]
pub struct Pins {
    locations: Vec<Location>,
    categories: Vec<u32>,
    times: Vec<Option<TimeOfDay>>,
    respondents: Vec<u32>,
    category_names: Vec<String>,
    category_index: HashMap<String, u32>,
    respondent_index: HashMap<String, u32>,
    respondent_names: Vec<String>,
}

/// Marks a missing category or respondent.
const NONE: u32 = u32::MAX;

fn intern(text: Option<&str>, index: &mut HashMap<String, u32>, names: &mut Vec<String>) -> u32 {
    let Some(text) = text else { return NONE };
    if let Some(&i) = index.get(text) {
        return i;
    }
    let i = names.len() as u32;
    names.push(text.to_owned());
    index.insert(text.to_owned(), i);
    i
}

impl Pins {
    fn push(
        &mut self,
        location: Location,
        category: Option<&str>,
        time: Option<TimeOfDay>,
        respondent: Option<&str>,
    ) {
        self.locations.push(location);
        self.categories.push(intern(
            category,
            &mut self.category_index,
            &mut self.category_names,
        ));
        self.times.push(time);
        self.respondents.push(intern(
            respondent,
            &mut self.respondent_index,
            &mut self.respondent_names,
        ));
    }

    /// The pins' positions in input order.
    pub fn locations(&self) -> &[Location] {
        &self.locations
    }

    /// How many pins there are.
    pub fn len(&self) -> usize {
        self.locations.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.locations.is_empty()
    }

    /// Pin `i` with its texts, as the summaries take it.
    fn pin(&self, i: usize) -> Option<HotspotPin> {
        let name = |ids: &[u32], names: &[String]| {
            ids.get(i).and_then(|&id| names.get(id as usize)).cloned()
        };
        Some(HotspotPin {
            location: *self.locations.get(i)?,
            category: name(&self.categories, &self.category_names),
            time_of_day: self.times.get(i).copied().flatten(),
            respondent: name(&self.respondents, &self.respondent_names),
        })
    }

    /// Distinct known respondents among the pins at `indices`.
    fn respondents_of(&self, indices: &[usize]) -> usize {
        indices
            .iter()
            .filter_map(|&i| self.respondents.get(i).copied())
            .filter(|&r| r != NONE)
            .collect::<HashSet<_>>()
            .len()
    }
}

/// Reads pins, one record at a time.
///
/// # Parameters
/// - `file`: the file's name, for messages.
/// - `format`: CSV or GeoJSON.
/// - `reader`: the file's bytes.
///
/// # Errors
/// [`HotspotsError::File`] naming the line (CSV) or feature (GeoJSON) of a bad position,
/// number or time of day, an empty file or one without pins.
pub fn read_pins(
    file: &str,
    format: PinFormat,
    reader: impl BufRead,
) -> Result<Pins, HotspotsError> {
    let pins = match format {
        PinFormat::Csv => read_csv_pins(file, reader)?,
        PinFormat::GeoJson => read_geojson_pins(file, reader)?,
    };
    if pins.is_empty() {
        return Err(HotspotsError::NoPins {
            file: file.to_owned(),
        });
    }
    Ok(pins)
}

fn empty(file: &str) -> HotspotsError {
    HotspotsError::Empty {
        file: file.to_owned(),
    }
}

fn read_csv_pins(file: &str, mut reader: impl BufRead) -> Result<Pins, HotspotsError> {
    if reader.fill_buf()?.is_empty() {
        return Err(empty(file));
    }
    read_csv_records(file, ::csv::Reader::from_reader(reader))
}

fn read_csv_records<R: Read>(
    file: &str,
    mut reader: ::csv::Reader<R>,
) -> Result<Pins, HotspotsError> {
    let headers = reader
        .byte_headers()
        .map_err(|e| bad(file, "line 1", e))?
        .clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim_ascii() == name.as_bytes())
    };
    let (Some(lon_at), Some(lat_at)) = (column("lon"), column("lat")) else {
        return Err(bad(
            file,
            "line 1",
            "the header needs `lon` and `lat` columns",
        ));
    };
    let category_at = column("category");
    let time_at = column("time_of_day");
    let respondent_at = column("response_id");
    let mut pins = Pins::default();
    let mut record = ::csv::ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(bad(file, "a row", e)),
        }
        let line = || format!("line {}", record.position().map_or(0, |p| p.line()));
        let text = |at: Option<usize>| -> Result<Option<&str>, HotspotsError> {
            let Some(raw) = at.and_then(|a| record.get(a)) else {
                return Ok(None);
            };
            let raw = std::str::from_utf8(raw)
                .map_err(|_| bad(file, line(), "the row is not UTF-8"))?
                .trim();
            Ok(Some(raw).filter(|s| !s.is_empty()))
        };
        let number = |at: usize, name: &str| -> Result<f64, HotspotsError> {
            let raw = text(Some(at))?.unwrap_or("");
            raw.parse::<f64>().map_err(|_| {
                bad(
                    file,
                    format!("{}, column {name}", line()),
                    format!("`{raw}` is not a number"),
                )
            })
        };
        let location = Location::parse(number(lon_at, "lon")?, number(lat_at, "lat")?, "lon,lat")
            .map_err(|e| bad(file, line(), e.message))?;
        let time = text(time_at)?
            .map(|t| TimeOfDay::parse(t, "time_of_day"))
            .transpose()
            .map_err(|e| bad(file, format!("{}, column time_of_day", line()), e.message))?;
        pins.push(location, text(category_at)?, time, text(respondent_at)?);
    }
    Ok(pins)
}

/// One feature as read, before its checks.
#[derive(Deserialize)]
struct RawFeature {
    geometry: Option<RawGeometry>,
    #[serde(default)]
    properties: Option<RawProperties>,
}

#[derive(Deserialize)]
struct RawGeometry {
    #[serde(rename = "type")]
    kind: String,
    coordinates: Option<Value>,
}

#[derive(Deserialize, Default)]
struct RawProperties {
    category: Option<Value>,
    time_of_day: Option<Value>,
    response_id: Option<Value>,
}

fn property_text(value: Option<&Value>) -> Option<String> {
    match value {
        Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    }
}

/// Reads a FeatureCollection's features one by one into [`Pins`].
struct Collection<'a> {
    file: &'a str,
    pins: &'a mut Pins,
}

impl<'de> DeserializeSeed<'de> for Collection<'_> {
    type Value = Result<(), HotspotsError>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Collection<'_> {
    type Value = Result<(), HotspotsError>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a GeoJSON FeatureCollection")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut outcome = None;
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if key == "features" && outcome.is_none() {
                outcome = Some(map.next_value_seed(Features {
                    file: self.file,
                    pins: &mut *self.pins,
                })?);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(outcome.unwrap_or_else(|| {
            Err(whole(
                self.file,
                "not a GeoJSON FeatureCollection (no `features` array)",
            ))
        }))
    }
}

struct Features<'a> {
    file: &'a str,
    pins: &'a mut Pins,
}

impl<'de> DeserializeSeed<'de> for Features<'_> {
    type Value = Result<(), HotspotsError>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Features<'_> {
    type Value = Result<(), HotspotsError>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an array of features")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut index = 0;
        while let Some(feature) = seq.next_element::<RawFeature>()? {
            if let Err(e) = add_feature(self.file, index, feature, self.pins) {
                // Skip the rest without keeping it, then report the first fault.
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                return Ok(Err(e));
            }
            index += 1;
        }
        Ok(Ok(()))
    }
}

fn add_feature(
    file: &str,
    index: usize,
    feature: RawFeature,
    pins: &mut Pins,
) -> Result<(), HotspotsError> {
    let place = format!("feature {index}");
    let kind = feature
        .geometry
        .as_ref()
        .map_or("missing", |g| g.kind.as_str());
    if kind != "Point" {
        return Err(bad(
            file,
            place,
            format!("the geometry is {kind}, but a pin must be a Point"),
        ));
    }
    let coordinates = feature
        .geometry
        .as_ref()
        .and_then(|g| g.coordinates.as_ref())
        .and_then(Value::as_array);
    let (lon, lat) = match coordinates.map(Vec::as_slice) {
        Some([lon, lat, ..]) => (lon.as_f64(), lat.as_f64()),
        _ => (None, None),
    };
    let (Some(lon), Some(lat)) = (lon, lat) else {
        return Err(bad(
            file,
            place,
            "the point needs numeric [longitude, latitude] coordinates",
        ));
    };
    let location = Location::parse(lon, lat, "geometry.coordinates")
        .map_err(|e| bad(file, place.clone(), e.message))?;
    let properties = feature.properties.unwrap_or_default();
    let time = property_text(properties.time_of_day.as_ref())
        .map(|t| TimeOfDay::parse(&t, "time_of_day"))
        .transpose()
        .map_err(|e| bad(file, format!("{place}, property time_of_day"), e.message))?;
    let category = property_text(properties.category.as_ref());
    let respondent = property_text(properties.response_id.as_ref());
    pins.push(location, category.as_deref(), time, respondent.as_deref());
    Ok(())
}

fn read_geojson_pins(file: &str, mut reader: impl BufRead) -> Result<Pins, HotspotsError> {
    let mut bytes = Vec::new();
    reader.read_to_end(&mut bytes)?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(empty(file));
    }
    let mut pins = Pins::default();
    let mut deserializer = serde_json::Deserializer::from_slice(&bytes);
    let outcome = Collection {
        file,
        pins: &mut pins,
    }
    .deserialize(&mut deserializer)
    .and_then(|outcome| deserializer.end().map(|()| outcome))
    .map_err(|e| {
        bad(
            file,
            format!("line {}", e.line()),
            if e.is_data() {
                format!("not a GeoJSON FeatureCollection: {e}")
            } else {
                format!("not JSON: {e}")
            },
        )
    })?;
    outcome?;
    Ok(pins)
}

fn read_features(file: &str, reader: impl Read) -> Result<Vec<geojson::Feature>, HotspotsError> {
    let collection: geojson::FeatureCollection = serde_json::from_reader(reader).map_err(|e| {
        bad(
            file,
            format!("line {}", e.line()),
            format!("not a GeoJSON FeatureCollection: {e}"),
        )
    })?;
    Ok(collection.features)
}

/// Reads area polygons with a `name` property (unnamed ones are called "area i").
///
/// # Errors
/// [`HotspotsError::File`] for a feature without a valid (multi)polygon.
pub fn read_areas(file: &str, reader: impl Read) -> Result<Vec<NamedArea>, HotspotsError> {
    read_features(file, reader)?
        .iter()
        .enumerate()
        .map(|(i, feature)| {
            let place = format!("feature {i}");
            let Some(geometry) = &feature.geometry else {
                return Err(bad(file, place, "the area has no geometry"));
            };
            let shape = trygg_domain::parse_boundary(geometry, "geometry")
                .map_err(|e| bad(file, place, format!("{}: {}", e.field, e.message)))?;
            let name = feature
                .property("name")
                .and_then(Value::as_str)
                .map_or_else(|| format!("area {i}"), str::to_owned);
            Ok(NamedArea { name, shape })
        })
        .collect()
}

/// Reads named places: GeoJSON points with a `name` property.
///
/// # Errors
/// [`HotspotsError::File`] for a feature that is not a named point.
pub fn read_places(file: &str, reader: impl Read) -> Result<Vec<NamedPlace>, HotspotsError> {
    read_features(file, reader)?
        .iter()
        .enumerate()
        .map(|(i, feature)| {
            let place = format!("feature {i}");
            let coordinates = match feature.geometry.as_ref().map(|g| &g.value) {
                Some(geojson::GeometryValue::Point { coordinates }) => {
                    coordinates.as_slice().to_vec()
                }
                _ => return Err(bad(file, place, "a named place must be a Point")),
            };
            let (Some(&lon), Some(&lat)) = (coordinates.first(), coordinates.get(1)) else {
                return Err(bad(
                    file,
                    place,
                    "the point needs a longitude and a latitude",
                ));
            };
            let location = Location::parse(lon, lat, "geometry")
                .map_err(|e| bad(file, place.clone(), e.message))?;
            let Some(name) = feature.property("name").and_then(Value::as_str) else {
                return Err(bad(file, place, "the place has no `name`"));
            };
            Ok(NamedPlace {
                name: name.to_owned(),
                location,
            })
        })
        .collect()
}

/// What a Gi* map is computed from besides the pins.
#[derive(Debug, Clone, Copy, Default)]
pub struct GiContext<'a> {
    /// Area polygons: the study region covers them. Without, the pins' cells and rings.
    pub areas: &'a [NamedArea],
    /// Named places to name the hotspots by.
    pub places: &'a [NamedPlace],
    /// The previous round's pins, to say how each hotspot changed.
    pub previous: Option<&'a Pins>,
}

/// A Gi* map of hexagons and its hotspots.
#[derive(Debug, Clone)]
pub struct GiMap {
    /// The resolution of the cells.
    pub resolution: Resolution,
    /// Cells, counts and statistics.
    pub hex: HexGi,
    /// Touching cells hot at 95 % or more that hold pins, described.
    pub hotspots: Vec<Hotspot>,
}

impl GiMap {
    /// How many cells are in a class that `wanted` accepts.
    pub fn count(&self, wanted: impl Fn(GiClass) -> bool) -> usize {
        self.hex.gi.class.iter().filter(|&&c| wanted(c)).count()
    }
}

/// Hot and cold spots on H3 hexagons (Getis–Ord Gi*, as esda's `G_Local`), with the
/// hotspots described.
///
/// # Parameters
/// - `pins`: this round's pins.
/// - `context`: areas, places and the previous round's pins.
/// - `resolution`, `k`, `options`: as [`hotspot::hex_gi_star`].
///
/// # Errors
/// [`HotspotsError::Analysis`] for `k` = 0 or an area h3o cannot cover.
pub fn gi(
    pins: &Pins,
    context: &GiContext<'_>,
    resolution: Resolution,
    k: u32,
    options: &GiOptions,
) -> Result<GiMap, HotspotsError> {
    let cells: Vec<CellIndex> = pins
        .locations
        .iter()
        .map(|&l| hotspot::cell_of(l, resolution))
        .collect::<Result<_, _>>()?;
    let mut counts: HashMap<CellIndex, u32> = HashMap::new();
    for &cell in &cells {
        *counts.entry(cell).or_insert(0) += 1;
    }
    let shapes: Vec<_> = context.areas.iter().map(|a| a.shape.clone()).collect();
    let hex = hotspot::hex_gi_star_counts(&counts, &shapes, resolution, k, options)?;
    let groups = hotspot::hot_cell_groups(&hex, 95);
    // Only the pins in hot cells are spelled out for the summaries.
    let hot: HashSet<CellIndex> = groups.iter().flatten().copied().collect();
    let members: Vec<HotspotPin> = cells
        .iter()
        .enumerate()
        .filter(|(_, cell)| hot.contains(*cell))
        .filter_map(|(i, _)| pins.pin(i))
        .collect();
    let previous: Option<Vec<Location>> = context.previous.map(|p| p.locations.clone());
    let hotspots = hotspot::summarise(
        &groups,
        resolution,
        &members,
        previous.as_deref(),
        context.areas,
        context.places,
    )?;
    Ok(GiMap {
        resolution,
        hex,
        hotspots,
    })
}

#[derive(Serialize)]
struct PolygonGeometry<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    coordinates: [&'a [(f64, f64)]; 1],
}

#[derive(Serialize)]
struct CellProperties<'a> {
    h3: String,
    count: u32,
    gi_z: f64,
    gi_p_norm: f64,
    gi_p_sim: f64,
    gi_q_fdr: f64,
    class: &'a str,
}

#[derive(Serialize)]
struct Feature<'a, P> {
    #[serde(rename = "type")]
    kind: &'static str,
    geometry: PolygonGeometry<'a>,
    properties: P,
}

/// Writes features one at a time inside a FeatureCollection.
pub(crate) struct FeatureWriter<W: Write> {
    out: W,
    first: bool,
}

impl<W: Write> FeatureWriter<W> {
    pub(crate) fn new(mut out: W) -> std::io::Result<Self> {
        out.write_all(br#"{"type":"FeatureCollection","features":["#)?;
        Ok(Self { out, first: true })
    }

    pub(crate) fn polygon(
        &mut self,
        ring: &[(f64, f64)],
        properties: impl Serialize,
    ) -> std::io::Result<()> {
        if !self.first {
            self.out.write_all(b",")?;
        }
        self.first = false;
        self.out.write_all(b"\n")?;
        let feature = Feature {
            kind: "Feature",
            geometry: PolygonGeometry {
                kind: "Polygon",
                coordinates: [ring],
            },
            properties,
        };
        serde_json::to_writer(&mut self.out, &feature).map_err(std::io::Error::from)
    }

    pub(crate) fn finish(mut self) -> std::io::Result<()> {
        self.out.write_all(b"\n]}\n")?;
        self.out.flush()
    }
}

/// Writes every cell of a Gi* map as a GeoJSON hexagon, streaming.
///
/// Properties: `h3`, `count`, `gi_z`, `gi_p_norm`, `gi_p_sim`, `gi_q_fdr` (null when not a
/// number) and `class` (e.g. `hot_95`).
///
/// # Errors
/// Whatever writing to `out` returns.
pub fn write_cells(out: impl Write, hex: &HexGi) -> std::io::Result<()> {
    let mut writer = FeatureWriter::new(out)?;
    for (i, &cell) in hex.cells.iter().enumerate() {
        let at = |v: &[f64]| v.get(i).copied().unwrap_or(f64::NAN);
        writer.polygon(
            &hotspot::hex_ring(cell),
            CellProperties {
                h3: cell.to_string(),
                count: hex.counts.get(i).copied().unwrap_or(0),
                gi_z: at(&hex.gi.z),
                gi_p_norm: at(&hex.gi.p_norm),
                gi_p_sim: at(&hex.gi.p_sim),
                gi_q_fdr: at(&hex.gi.q_fdr),
                class: hex
                    .gi
                    .class
                    .get(i)
                    .map_or("not_significant", |c| c.as_str()),
            },
        )?;
    }
    writer.finish()
}

/// Density clusters of pins with their hulls.
#[derive(Debug, Clone)]
pub struct Clusters {
    /// One label per pin in input order: a cluster number or −1 for noise.
    pub labels: Vec<i64>,
    /// The clusters in label order.
    pub clusters: Vec<Cluster>,
}

/// One density cluster.
#[derive(Debug, Clone)]
pub struct Cluster {
    /// The convex hull of its pins.
    pub hull: Polygon<f64>,
    /// Pins in it.
    pub pins: usize,
    /// Distinct known respondents among them.
    pub respondents: usize,
    /// The mean position (lon, lat).
    pub centroid: (f64, f64),
}

impl Clusters {
    /// Pins that belong to no cluster.
    pub fn noise(&self) -> usize {
        self.labels.iter().filter(|&&l| l == hotspot::NOISE).count()
    }
}

/// DBSCAN in metres with scikit-learn's labels, and each cluster's hull.
///
/// # Errors
/// [`HotspotsError::Analysis`] for a radius that is not positive or `min_points` = 0.
pub fn dbscan(pins: &Pins, eps_m: f64, min_points: usize) -> Result<Clusters, HotspotsError> {
    let labels = hotspot::dbscan(&pins.locations, eps_m, min_points)?;
    let count = labels
        .iter()
        .copied()
        .max()
        .map_or(0, |m| usize::try_from(m + 1).unwrap_or(0));
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); count];
    for (i, &label) in labels.iter().enumerate() {
        if let Some(list) = usize::try_from(label).ok().and_then(|l| members.get_mut(l)) {
            list.push(i);
        }
    }
    let clusters = members
        .iter()
        .map(|indices| {
            let points: Vec<Point<f64>> = indices
                .iter()
                .filter_map(|&i| pins.locations.get(i).map(Location::point))
                .collect();
            let n = points.len().max(1) as f64;
            let (sx, sy) = points
                .iter()
                .fold((0.0, 0.0), |(x, y), p| (x + p.x(), y + p.y()));
            Cluster {
                hull: MultiPoint::new(points).convex_hull(),
                pins: indices.len(),
                respondents: pins.respondents_of(indices),
                centroid: (sx / n, sy / n),
            }
        })
        .collect();
    Ok(Clusters { labels, clusters })
}

#[derive(Serialize)]
struct ClusterProperties {
    cluster: usize,
    pins: usize,
    respondents: usize,
    centroid: [f64; 2],
}

/// Writes the clusters as GeoJSON hulls with `cluster`, `pins`, `respondents`, `centroid`.
///
/// # Errors
/// Whatever writing to `out` returns.
pub fn write_clusters(out: impl Write, clusters: &Clusters) -> std::io::Result<()> {
    let mut writer = FeatureWriter::new(out)?;
    for (i, cluster) in clusters.clusters.iter().enumerate() {
        let ring: Vec<(f64, f64)> = cluster
            .hull
            .exterior()
            .coords()
            .map(|c| (c.x, c.y))
            .collect();
        writer.polygon(
            &ring,
            ClusterProperties {
                cluster: i,
                pins: cluster.pins,
                respondents: cluster.respondents,
                centroid: [cluster.centroid.0, cluster.centroid.1],
            },
        )?;
    }
    writer.finish()
}

/// Writes CSV `index,cluster` in input order (−1 is noise).
///
/// # Errors
/// Whatever writing to `out` returns.
pub fn write_labels(mut out: impl Write, labels: &[i64]) -> std::io::Result<()> {
    out.write_all(b"index,cluster\n")?;
    for (i, label) in labels.iter().enumerate() {
        writeln!(out, "{i},{label}")?;
    }
    out.flush()
}

/// A heat surface on a metric grid.
#[derive(Debug, Clone)]
pub struct Heat {
    /// The grid.
    pub grid: MetricGrid,
    /// Pins per m², row by row from the south.
    pub density: Vec<f64>,
}

/// A kernel density heat surface of the pins.
///
/// # Errors
/// [`HotspotsError::Analysis`] for a bandwidth or cell size that is not positive.
pub fn kde(
    pins: &Pins,
    bandwidth_m: f64,
    cell_m: f64,
    kernel: Kernel,
) -> Result<Heat, HotspotsError> {
    let reach = match kernel {
        Kernel::Gaussian => 3.0 * bandwidth_m,
        _ => bandwidth_m,
    };
    let grid = MetricGrid::covering(&pins.locations, reach, cell_m)?;
    let density = hotspot::kde(&pins.locations, &grid, kernel, bandwidth_m)?;
    Ok(Heat { grid, density })
}

#[derive(Serialize)]
struct HeatProperties {
    pins_per_km2: f64,
}

/// Writes the grid cells with any density as GeoJSON squares with `pins_per_km2`.
///
/// # Errors
/// Whatever writing to `out` returns.
pub fn write_heat(out: impl Write, heat: &Heat) -> std::io::Result<()> {
    let grid = &heat.grid;
    let half = grid.cell_m / 2.0;
    let mut writer = FeatureWriter::new(out)?;
    for (i, &density) in heat.density.iter().enumerate() {
        if density <= 0.0 {
            continue;
        }
        let (row, column) = (i / grid.columns, i % grid.columns);
        let x = grid.x0 + column as f64 * grid.cell_m;
        let y = grid.y0 + row as f64 * grid.cell_m;
        let ring: Vec<(f64, f64)> = [
            (-1.0, -1.0),
            (1.0, -1.0),
            (1.0, 1.0),
            (-1.0, 1.0),
            (-1.0, -1.0),
        ]
        .iter()
        .map(|&(dx, dy)| grid.unproject(x + dx * half, y + dy * half))
        .collect();
        writer.polygon(
            &ring,
            HeatProperties {
                pins_per_km2: density * 1e6,
            },
        )?;
    }
    writer.finish()
}

/// The heat surface as a PNG, one pixel per cell, with the lägesbild's heat ramp.
///
/// # Errors
/// [`png::EncodingError`] if the image cannot be encoded.
pub fn heat_png(heat: &Heat) -> Result<Vec<u8>, png::EncodingError> {
    let grid = &heat.grid;
    let (west, south) = grid.unproject(grid.x0, grid.y0);
    let (east, north) = grid.unproject(
        grid.x0 + grid.columns as f64 * grid.cell_m,
        grid.y0 + grid.rows as f64 * grid.cell_m,
    );
    crate::heat::png(&HeatSurface {
        bounds: (west, south, east, north),
        columns: grid.columns,
        rows: grid.rows,
        cell_m: grid.cell_m,
        bandwidth_m: 0.0,
        values: heat.density.iter().map(|d| d * 1e6).collect(),
    })
}

/// An RGB image with a simple equirectangular view of a lon/lat box.
struct Canvas {
    width: usize,
    height: usize,
    pixels: Vec<u8>,
    west: f64,
    north: f64,
    scale_x: f64,
    scale_y: f64,
}

impl Canvas {
    /// A canvas `width` pixels wide over the box, keeping ground proportions.
    fn new(width: usize, (west, south, east, north): (f64, f64, f64, f64)) -> Self {
        let cos = ((south + north) / 2.0).to_radians().cos();
        let span_x = (east - west).max(1e-9) * cos;
        let span_y = (north - south).max(1e-9);
        let height = ((width as f64) * span_y / span_x)
            .round()
            .clamp(1.0, 4000.0) as usize;
        Self {
            width,
            height,
            pixels: vec![255; width * height * 3],
            west,
            north,
            scale_x: width as f64 / (east - west).max(1e-9),
            scale_y: height as f64 / span_y,
        }
    }

    fn to_pixel(&self, lon: f64, lat: f64) -> (f64, f64) {
        (
            (lon - self.west) * self.scale_x,
            (self.north - lat) * self.scale_y,
        )
    }

    fn put(&mut self, x: i64, y: i64, colour: [u8; 3]) {
        if x < 0 || y < 0 || x as usize >= self.width || y as usize >= self.height {
            return;
        }
        let at = (y as usize * self.width + x as usize) * 3;
        if let Some(pixel) = self.pixels.get_mut(at..at + 3) {
            pixel.copy_from_slice(&colour);
        }
    }

    /// Fills a polygon given in lon/lat with the even–odd rule, scanline by scanline.
    fn fill(&mut self, ring: &[(f64, f64)], colour: [u8; 3]) {
        let points: Vec<(f64, f64)> = ring
            .iter()
            .map(|&(lon, lat)| self.to_pixel(lon, lat))
            .collect();
        let top = points
            .iter()
            .map(|p| p.1)
            .fold(f64::INFINITY, f64::min)
            .floor()
            .max(0.0) as i64;
        let bottom = points
            .iter()
            .map(|p| p.1)
            .fold(f64::NEG_INFINITY, f64::max)
            .ceil()
            .min(self.height as f64) as i64;
        for y in top..bottom {
            let yc = y as f64 + 0.5;
            let mut crossings: Vec<f64> = points
                .windows(2)
                .filter_map(|w| match w {
                    [(x0, y0), (x1, y1)] if (y0 <= &yc) != (y1 <= &yc) => {
                        Some(x0 + (yc - y0) / (y1 - y0) * (x1 - x0))
                    }
                    _ => None,
                })
                .collect();
            crossings.sort_by(f64::total_cmp);
            for pair in crossings.chunks_exact(2) {
                if let [a, b] = pair {
                    for x in (a - 0.5).ceil() as i64..=(b - 0.5).floor() as i64 {
                        self.put(x, y, colour);
                    }
                }
            }
        }
    }

    /// Draws the outline of a polygon given in lon/lat.
    fn outline(&mut self, ring: &[(f64, f64)], colour: [u8; 3], thickness: i64) {
        for w in ring.windows(2) {
            if let [(lon0, lat0), (lon1, lat1)] = w {
                let (x0, y0) = self.to_pixel(*lon0, *lat0);
                let (x1, y1) = self.to_pixel(*lon1, *lat1);
                let steps = (x1 - x0).abs().max((y1 - y0).abs()).ceil().max(1.0) as i64;
                for s in 0..=steps {
                    let t = s as f64 / steps as f64;
                    let (x, y) = (x0 + t * (x1 - x0), y0 + t * (y1 - y0));
                    for dx in 0..thickness {
                        for dy in 0..thickness {
                            self.put(x as i64 + dx, y as i64 + dy, colour);
                        }
                    }
                }
            }
        }
    }

    fn marker(&mut self, lon: f64, lat: f64) {
        let (x, y) = self.to_pixel(lon, lat);
        let (x, y) = (x as i64, y as i64);
        for d in -7..=7_i64 {
            for t in -1..=1 {
                self.put(x + d, y + t, [0, 0, 0]);
                self.put(x + t, y + d, [0, 0, 0]);
            }
        }
    }

    fn encode(&self) -> Result<Vec<u8>, png::EncodingError> {
        let mut out = Vec::new();
        {
            let width = u32::try_from(self.width).unwrap_or(u32::MAX);
            let height = u32::try_from(self.height).unwrap_or(u32::MAX);
            let mut encoder = png::Encoder::new(&mut out, width, height);
            encoder.set_color(png::ColorType::Rgb);
            encoder.set_depth(png::BitDepth::Eight);
            let mut writer = encoder.write_header()?;
            writer.write_image_data(&self.pixels)?;
        }
        Ok(out)
    }
}

/// ColorBrewer RdBu-like colours for the seven classes.
fn class_colour(class: GiClass) -> [u8; 3] {
    match class {
        GiClass::Hot99 => [178, 24, 43],
        GiClass::Hot95 => [239, 138, 98],
        GiClass::Hot90 => [253, 219, 199],
        GiClass::NotSignificant => [240, 240, 240],
        GiClass::Cold90 => [209, 229, 240],
        GiClass::Cold95 => [103, 169, 207],
        GiClass::Cold99 => [33, 102, 172],
    }
}

/// The hexagon map as a PNG 1,200 pixels wide: cells in their class colours, area
/// outlines and a cross at each named place.
///
/// # Errors
/// [`HotspotsError::File`]-free: [`HotspotsError::Analysis`] when there are no cells,
/// [`HotspotsError::Png`] if the image cannot be encoded.
pub fn hex_map_png(
    hex: &HexGi,
    areas: &[NamedArea],
    places: &[NamedPlace],
) -> Result<Vec<u8>, HotspotsError> {
    let rings: Vec<Vec<(f64, f64)>> = hex.cells.iter().map(|&c| hotspot::hex_ring(c)).collect();
    let mut bounds = (
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    );
    for &(lon, lat) in rings.iter().flatten() {
        bounds = (
            bounds.0.min(lon),
            bounds.1.min(lat),
            bounds.2.max(lon),
            bounds.3.max(lat),
        );
    }
    if !bounds.0.is_finite() {
        return Err(HotspotError::Parameter("there are no cells to draw".to_owned()).into());
    }
    let mut canvas = Canvas::new(1200, bounds);
    for (ring, &class) in rings.iter().zip(&hex.gi.class) {
        canvas.fill(ring, class_colour(class));
    }
    for ring in &rings {
        canvas.outline(ring, [200, 200, 200], 1);
    }
    for area in areas {
        for polygon in &area.shape {
            let ring: Vec<(f64, f64)> = polygon.exterior().coords().map(|c| (c.x, c.y)).collect();
            canvas.outline(&ring, [60, 60, 60], 2);
        }
    }
    for place in places {
        canvas.marker(place.location.lon(), place.location.lat());
    }
    Ok(canvas.encode()?)
}
