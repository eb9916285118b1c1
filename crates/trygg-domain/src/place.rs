//! Places on the earth: WGS84 points, area polygons and a municipality's boundary.

use geo::{Contains, Intersects, MultiPolygon, Point, Polygon, Validation};
use serde::{Deserialize, Serialize};

use crate::ErrorCode;
use crate::{AreaId, DomainError, Key, MunicipalityId, join_path, parse_label};

/// A WGS84 position (EPSG:4326): longitude and latitude in degrees.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Location {
    lon: f64,
    lat: f64,
}

impl Location {
    /// Parses a longitude/latitude pair, rejecting values outside WGS84's range.
    pub fn parse(lon: f64, lat: f64, field: &str) -> Result<Self, DomainError> {
        if !lon.is_finite() || !(-180.0..=180.0).contains(&lon) {
            return Err(DomainError::new(
                ErrorCode::OutOfRange,
                field,
                format!("longitude {lon} is outside -180..180"),
            ));
        }
        if !lat.is_finite() || !(-90.0..=90.0).contains(&lat) {
            return Err(DomainError::new(
                ErrorCode::OutOfRange,
                field,
                format!("latitude {lat} is outside -90..90"),
            ));
        }
        Ok(Self { lon, lat })
    }

    /// Longitude in degrees east.
    pub const fn lon(&self) -> f64 {
        self.lon
    }

    /// Latitude in degrees north.
    pub const fn lat(&self) -> f64 {
        self.lat
    }

    /// The position as a `geo` point (x = longitude, y = latitude).
    pub fn point(&self) -> Point<f64> {
        Point::new(self.lon, self.lat)
    }
}

/// A named district polygon (kommundel, område) used for breakdowns and to bound pins.
#[derive(Debug, Clone, PartialEq)]
pub struct Area {
    /// Stable identifier.
    pub id: AreaId,
    /// The municipality it belongs to.
    pub municipality_id: MunicipalityId,
    /// Short code, e.g. `bro`, used in CSV files and URLs.
    pub code: Key,
    /// Name shown to people, e.g. "Kungsängen".
    pub name: String,
    /// The district's outline.
    pub boundary: MultiPolygon<f64>,
}

impl Area {
    /// Builds an area from a GeoJSON geometry, checking that every ring is closed,
    /// within WGS84's range and does not cross itself.
    pub fn parse(
        municipality_id: MunicipalityId,
        code: &str,
        name: &str,
        geometry: &geojson::Geometry,
        field: &str,
    ) -> Result<Self, DomainError> {
        let code = Key::parse(code, &join_path(field, "code"))?;
        let name = parse_label(name, 120, &join_path(field, "name"))?;
        let boundary = parse_boundary(geometry, &join_path(field, "geometry"))?;
        Ok(Self {
            id: AreaId::new(),
            municipality_id,
            code,
            name,
            boundary,
        })
    }
}

/// Checks and converts a GeoJSON Polygon or MultiPolygon.
pub fn parse_boundary(
    geometry: &geojson::Geometry,
    field: &str,
) -> Result<MultiPolygon<f64>, DomainError> {
    let polygons: Vec<&geojson::PolygonType> = match &geometry.value {
        geojson::GeometryValue::Polygon { coordinates: rings } => vec![rings],
        geojson::GeometryValue::MultiPolygon {
            coordinates: polygons,
        } => polygons.iter().collect(),
        _ => {
            return Err(invalid_geometry(field, "must be a Polygon or MultiPolygon"));
        }
    };
    if polygons.is_empty() {
        return Err(invalid_geometry(field, "has no polygons"));
    }
    let mut out = Vec::with_capacity(polygons.len());
    for (p, rings) in polygons.into_iter().enumerate() {
        let mut geo_rings = Vec::with_capacity(rings.len());
        for (r, ring) in rings.iter().enumerate() {
            let ring_field = format!("{field}.coordinates[{p}][{r}]");
            geo_rings.push(parse_ring(ring, &ring_field)?);
        }
        let mut geo_rings = geo_rings.into_iter();
        let Some(exterior) = geo_rings.next() else {
            return Err(invalid_geometry(
                format!("{field}.coordinates[{p}]"),
                "a polygon needs an outer ring",
            ));
        };
        out.push(Polygon::new(exterior, geo_rings.collect()));
    }
    let multi = MultiPolygon::new(out);
    if let Err(problem) = multi.check_validation() {
        return Err(invalid_geometry(
            field,
            format!("is not a valid polygon: {problem}"),
        ));
    }
    Ok(multi)
}

fn parse_ring(
    ring: &[geojson::Position],
    field: &str,
) -> Result<geo::LineString<f64>, DomainError> {
    if ring.len() < 4 {
        return Err(invalid_geometry(
            field,
            "a ring needs at least four positions (the first repeated at the end)",
        ));
    }
    let mut coords = Vec::with_capacity(ring.len());
    for (i, position) in ring.iter().enumerate() {
        let (Some(&lon), Some(&lat)) = (position.as_slice().first(), position.as_slice().get(1))
        else {
            return Err(invalid_geometry(
                format!("{field}[{i}]"),
                "a position needs a longitude and a latitude",
            ));
        };
        let location = Location::parse(lon, lat, &format!("{field}[{i}]"))?;
        coords.push(geo::coord! { x: location.lon, y: location.lat });
    }
    if ring.first() != ring.last() {
        return Err(invalid_geometry(
            field,
            "the ring is not closed: its last position must repeat its first",
        ));
    }
    Ok(geo::LineString::new(coords))
}

/// The error for a geometry at `field` that breaks a rule of GeoJSON.
fn invalid_geometry(field: impl Into<String>, message: impl Into<String>) -> DomainError {
    DomainError::new(ErrorCode::InvalidGeometry, field, message)
}

/// Where pins may be: the union of a municipality's areas.
#[derive(Debug, Clone, Default)]
pub struct Boundary {
    areas: Vec<(Key, MultiPolygon<f64>)>,
}

impl Boundary {
    /// The boundary made of these areas.
    pub fn new(areas: impl IntoIterator<Item = (Key, MultiPolygon<f64>)>) -> Self {
        Self {
            areas: areas.into_iter().collect(),
        }
    }

    /// The boundary made of `areas`' outlines.
    pub fn of(areas: &[Area]) -> Self {
        Self::new(areas.iter().map(|a| (a.code.clone(), a.boundary.clone())))
    }

    /// True when the municipality has no areas yet, so nothing can be checked.
    pub fn is_empty(&self) -> bool {
        self.areas.is_empty()
    }

    /// The code of the area that holds `location`, if any. A point on a shared
    /// border belongs to the first area that touches it.
    pub fn area_of(&self, location: Location) -> Option<&Key> {
        let point = location.point();
        self.areas
            .iter()
            .find(|(_, polygon)| polygon.contains(&point))
            .or_else(|| {
                self.areas
                    .iter()
                    .find(|(_, polygon)| polygon.intersects(&point))
            })
            .map(|(code, _)| code)
    }

    /// Checks that `location` lies inside one of the areas.
    pub fn check(&self, location: Location, field: &str) -> Result<(), DomainError> {
        if self.is_empty() || self.area_of(location).is_some() {
            Ok(())
        } else {
            Err(DomainError::new(
                ErrorCode::OutsideMunicipality,
                field,
                format!(
                    "({}, {}) lies outside every area of the municipality",
                    location.lon, location.lat
                ),
            ))
        }
    }
}

/// A point given as `[lon, lat]` or `{"lon": .., "lat": ..}` in JSON input.
#[derive(Debug, Clone, Copy, Deserialize, utoipa::ToSchema)]
#[serde(untagged)]
#[schema(as = Location)]
pub enum RawLocation {
    /// GeoJSON order.
    Pair([f64; 2]),
    /// Named fields.
    Named {
        /// Longitude.
        lon: f64,
        /// Latitude.
        lat: f64,
    },
}

impl RawLocation {
    /// Parses into a checked [`Location`].
    pub fn parse(self, field: &str) -> Result<Location, DomainError> {
        match self {
            Self::Pair([lon, lat]) | Self::Named { lon, lat } => Location::parse(lon, lat, field),
        }
    }
}

/// A named place in a municipality (a centre, a station, a square) that
/// residents can choose from a list instead of using the map.
#[derive(Debug, Clone, PartialEq)]
pub struct NamedPlace {
    /// The municipality it lies in.
    pub municipality_id: MunicipalityId,
    /// Name shown to people, e.g. "Bro centrum".
    pub name: String,
    /// What sort of place it is, e.g. `centre` or `station`.
    pub kind: Key,
    /// Where it is.
    pub location: Location,
}

impl NamedPlace {
    /// Parses a named place, naming `field` when something is wrong.
    pub fn parse(
        municipality_id: MunicipalityId,
        name: &str,
        kind: &str,
        lon: f64,
        lat: f64,
        field: &str,
    ) -> Result<Self, DomainError> {
        Ok(Self {
            municipality_id,
            name: parse_label(name, 120, &join_path(field, "name"))?,
            kind: Key::parse(kind, &join_path(field, "kind"))?,
            location: Location::parse(lon, lat, &join_path(field, "location"))?,
        })
    }
}
