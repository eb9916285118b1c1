//! GIS files of the lägesbild: GeoJSON in EPSG:4326 (RFC 7946), for QGIS.
//!
//! Attribute names are at most 10 characters, so a shapefile made from these files with
//! `ogr2ogr` keeps them. Hexagons are H3 cell outlines; hotspots are the outlines of
//! their cells dissolved into one (multi)polygon, so they are valid even when a hotspot
//! has fewer than three pins. Pins are for staff only and carry no free text.
//!
//! GeoPackage is not written: it is an SQLite database with binary geometry blobs, and
//! the Rust crates that write it either link GDAL (a C toolchain and a system library)
//! or are unmaintained; QGIS opens these GeoJSON files directly and saves them as
//! GeoPackage in one step.

use h3o::CellIndex;
use h3o::geom::SolventBuilder;
use serde_json::{Value, json};
use trygg_store::StoredPin;

use crate::model::Lagesbild;

/// The coordinate reference system, named for readers that still look for it.
fn crs() -> Value {
    json!({"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}})
}

fn collection(name: &str, features: Vec<Value>) -> Value {
    json!({"type": "FeatureCollection", "name": name, "crs": crs(), "features": features})
}

fn ring(cell: CellIndex) -> Vec<Value> {
    trygg_analysis::hotspot::hex_ring(cell)
        .into_iter()
        .map(|(lon, lat)| json!([round(lon), round(lat)]))
        .collect()
}

/// Seven decimals: about a centimetre, and stable text for tests.
fn round(x: f64) -> f64 {
    (x * 1e7).round() / 1e7
}

/// Every H3 cell of the study region with pins and its Gi* class.
///
/// Properties: `h3`, `pins`, `sens` (pins of sensitive categories), `gi_class`, `gi_z`, `gi_p`.
pub fn cells(lagesbild: &Lagesbild) -> Value {
    let features = lagesbild
        .map
        .cells
        .iter()
        .filter_map(|cell| {
            let index: CellIndex = cell.h3.parse().ok()?;
            Some(json!({
                "type": "Feature",
                "geometry": {"type": "Polygon", "coordinates": [ring(index)]},
                "properties": {
                    "h3": cell.h3,
                    "pins": cell.count,
                    "sens": cell.sensitive,
                    "gi_class": cell.class,
                    "gi_z": finite(cell.z),
                    "gi_p": finite(cell.p),
                }
            }))
        })
        .collect();
    collection("trygg_hexagons", features)
}

fn finite(x: f64) -> Value {
    if x.is_finite() { json!(x) } else { Value::Null }
}

/// The hotspots as dissolved cell outlines.
///
/// Properties: `name`, `area`, `pins`, `resp`, `cells`, `top_cat`, `prev_pins`, `text`.
pub fn hotspots(lagesbild: &Lagesbild) -> Value {
    let solvent = SolventBuilder::new().build();
    let features = lagesbild
        .map
        .hotspots
        .iter()
        .filter_map(|hotspot| {
            let cells: Vec<CellIndex> = hotspot
                .cells
                .iter()
                .filter_map(|c| c.parse().ok())
                .collect();
            let shape = solvent.dissolve(cells).ok()?;
            let polygons: Vec<Value> = shape
                .iter()
                .map(|polygon| {
                    let mut rings = vec![line(polygon.exterior())];
                    rings.extend(polygon.interiors().iter().map(line));
                    Value::Array(rings)
                })
                .collect();
            Some(json!({
                "type": "Feature",
                "geometry": {"type": "MultiPolygon", "coordinates": polygons},
                "properties": {
                    "name": hotspot.name,
                    "area": hotspot.area,
                    "pins": hotspot.pins,
                    "resp": hotspot.respondents,
                    "cells": hotspot.cells.len(),
                    "top_cat": hotspot.categories.first().map(|c| c.0.clone()),
                    "prev_pins": hotspot.previous_pins,
                    "text": hotspot.sentence,
                }
            }))
        })
        .collect();
    collection("trygg_hotspots", features)
}

fn line(ring: &geo::LineString<f64>) -> Value {
    Value::Array(
        ring.coords()
            .map(|c| json!([round(c.x), round(c.y)]))
            .collect(),
    )
}

/// Pins as points, for staff only: category, time of day and area, never comments.
///
/// Properties: `category`, `time`, `area`.
pub fn pins(pins: &[StoredPin]) -> Value {
    let features = pins
        .iter()
        .map(|p| {
            json!({
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [p.pin.location.lon(), p.pin.location.lat()]},
                "properties": {
                    "category": p.pin.category.as_str(),
                    "time": p.pin.time_of_day.as_str(),
                    "area": p.area_code,
                }
            })
        })
        .collect();
    collection("trygg_pins", features)
}
