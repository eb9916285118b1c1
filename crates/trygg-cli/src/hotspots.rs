//! `trygg hotspots …`: density clusters, Gi* hexagons and heat surfaces from a pins file.
//!
//! These commands read files and write files; they need no database, so an analyst can
//! run them on pins exported from Trygg or from another survey tool.

use std::collections::HashSet;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::{Subcommand, ValueEnum};
use geo::{ConvexHull, MultiPoint, MultiPolygon, Point, Polygon};
use h3o::{CellIndex, Resolution};
use serde_json::{Value, json};
use trygg_analysis::hotspot::{
    self, GiClass, GiOptions, HexGi, HotspotPin, Kernel, MetricGrid, NOISE, NamedArea, NamedPlace,
    Ties,
};
use trygg_domain::{Location, TimeOfDay};

/// `trygg hotspots …`
#[derive(Debug, Subcommand)]
pub enum HotspotsCommand {
    /// Density clusters (DBSCAN in metres, labels as scikit-learn's).
    Dbscan {
        /// Pins: GeoJSON points, or CSV with `lon,lat[,category,time_of_day]`.
        #[arg(long, value_name = "FILE")]
        input: PathBuf,
        /// Neighbourhood radius in metres.
        #[arg(long, value_name = "METRES")]
        eps_m: f64,
        /// Pins (itself included) within the radius that make a pin a core of a cluster.
        #[arg(long, default_value_t = 5)]
        min_points: usize,
        /// GeoJSON of the clusters: convex hulls with pin and respondent counts.
        #[arg(long, value_name = "FILE")]
        output: PathBuf,
        /// CSV `index,cluster` in input order (−1 is noise).
        #[arg(long, value_name = "FILE")]
        labels: Option<PathBuf>,
    },
    /// Hot and cold spots on H3 hexagons (Getis–Ord Gi*, as esda's G_Local).
    Gi {
        /// Pins: GeoJSON points, or CSV with `lon,lat[,category,time_of_day]`.
        #[arg(long, value_name = "FILE")]
        input: PathBuf,
        /// Area polygons (GeoJSON with a `name` property); the study region is every
        /// hexagon that covers them. Without areas, the pins' hexagons and their rings.
        #[arg(long, value_name = "FILE")]
        areas: Option<PathBuf>,
        /// H3 resolution (9 ≈ 200 m edge).
        #[arg(long, default_value_t = 9)]
        resolution: u8,
        /// Neighbourhood: the k-ring around each hexagon.
        #[arg(long, default_value_t = 1)]
        k: u32,
        /// Conditional permutations for the pseudo p-value (0: classes by the normal p-value).
        #[arg(long, default_value_t = 999)]
        permutations: usize,
        /// Seed of the permutations.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Class cells by Benjamini–Hochberg q-values (false discovery rate).
        #[arg(long)]
        fdr: bool,
        /// How permutations that tie with the observed count are counted.
        #[arg(long, value_enum, default_value_t = TiesArg::Conservative)]
        ties: TiesArg,
        /// GeoJSON with one hexagon per cell of the study region.
        #[arg(long, value_name = "FILE")]
        output: PathBuf,
        /// Also draw the hexagon map as a PNG.
        #[arg(long, value_name = "FILE")]
        png: Option<PathBuf>,
        /// Named places (GeoJSON points with `name`) to name the hotspots by.
        #[arg(long, value_name = "FILE")]
        places: Option<PathBuf>,
        /// The previous round's pins, to say how each hotspot changed.
        #[arg(long, value_name = "FILE")]
        previous: Option<PathBuf>,
    },
    /// A kernel density heat surface.
    Kde {
        /// Pins: GeoJSON points, or CSV with `lon,lat[,category,time_of_day]`.
        #[arg(long, value_name = "FILE")]
        input: PathBuf,
        /// Kernel radius in metres (the standard deviation for the Gaussian kernel).
        #[arg(long, value_name = "METRES", default_value_t = 150.0)]
        bandwidth_m: f64,
        /// Side of a grid cell in metres.
        #[arg(long, value_name = "METRES", default_value_t = 25.0)]
        cell_m: f64,
        /// The kernel.
        #[arg(long, value_enum, default_value_t = KernelArg::Quartic)]
        kernel: KernelArg,
        /// `heat.geojson` (grid cells with pins per km²) or `heat.png` (an image).
        #[arg(long, value_name = "FILE")]
        output: PathBuf,
    },
}

/// Tie rules of the permutation p-value.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum TiesArg {
    /// Ties count against significance on both sides: no cold spots in empty fields.
    Conservative,
    /// esda's "directed" rule, for comparison with PySAL.
    Esda,
}

/// Kernels of the heat surface.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum KernelArg {
    /// Quartic (biweight), the usual GIS heatmap kernel.
    Quartic,
    /// Epanechnikov.
    Epanechnikov,
    /// Gaussian.
    Gaussian,
}

/// Runs one `trygg hotspots` command.
pub fn run(command: HotspotsCommand) -> anyhow::Result<()> {
    match command {
        HotspotsCommand::Dbscan {
            input,
            eps_m,
            min_points,
            output,
            labels,
        } => dbscan(&input, eps_m, min_points, &output, labels.as_deref()),
        HotspotsCommand::Gi {
            input,
            areas,
            resolution,
            k,
            permutations,
            seed,
            fdr,
            ties,
            output,
            png,
            places,
            previous,
        } => {
            let resolution = Resolution::try_from(resolution)
                .map_err(|_| anyhow::anyhow!("--resolution must be 0 to 15, not {resolution}"))?;
            let options = GiOptions {
                permutations,
                seed,
                fdr,
                ties: match ties {
                    TiesArg::Conservative => Ties::Conservative,
                    TiesArg::Esda => Ties::Esda,
                },
            };
            let files = GiFiles {
                areas: areas.as_deref(),
                places: places.as_deref(),
                previous: previous.as_deref(),
                png: png.as_deref(),
            };
            gi(&input, resolution, k, &options, &output, &files)
        }
        HotspotsCommand::Kde {
            input,
            bandwidth_m,
            cell_m,
            kernel,
            output,
        } => {
            let kernel = match kernel {
                KernelArg::Quartic => Kernel::Quartic,
                KernelArg::Epanechnikov => Kernel::Epanechnikov,
                KernelArg::Gaussian => Kernel::Gaussian,
            };
            kde(&input, bandwidth_m, cell_m, kernel, &output)
        }
    }
}

fn dbscan(
    input: &Path,
    eps_m: f64,
    min_points: usize,
    output: &Path,
    labels_file: Option<&Path>,
) -> anyhow::Result<()> {
    if !(eps_m.is_finite() && eps_m > 0.0) {
        bail!("--eps-m must be a positive number of metres, not {eps_m}");
    }
    let pins = read_pins(input)?;
    let locations: Vec<Location> = pins.iter().map(|p| p.location).collect();
    let labels = hotspot::dbscan(&locations, eps_m, min_points)?;
    let clusters = labels.iter().copied().max().map_or(0, |m| m + 1);
    let mut members: Vec<Vec<&HotspotPin>> = vec![Vec::new(); usize::try_from(clusters)?];
    for (pin, &label) in pins.iter().zip(&labels) {
        if let Some(list) = usize::try_from(label).ok().and_then(|l| members.get_mut(l)) {
            list.push(pin);
        }
    }
    let features: Vec<Value> = members
        .iter()
        .enumerate()
        .map(|(cluster, pins)| {
            let points: Vec<Point<f64>> = pins.iter().map(|p| p.location.point()).collect();
            let n = points.len().max(1) as f64;
            let (sx, sy) = points
                .iter()
                .fold((0.0, 0.0), |(x, y), p| (x + p.x(), y + p.y()));
            let respondents = pins
                .iter()
                .filter_map(|p| p.respondent.as_deref())
                .collect::<HashSet<_>>()
                .len();
            json!({
                "type": "Feature",
                "geometry": polygon_json(&MultiPoint::new(points).convex_hull()),
                "properties": {
                    "cluster": cluster,
                    "pins": pins.len(),
                    "respondents": respondents,
                    "centroid": [sx / n, sy / n],
                }
            })
        })
        .collect();
    write_json(output, &collection(features))?;
    if let Some(path) = labels_file {
        let mut writer = csv::Writer::from_path(path)
            .with_context(|| format!("cannot write {}", path.display()))?;
        writer.write_record(["index", "cluster"])?;
        for (i, label) in labels.iter().enumerate() {
            writer.write_record([i.to_string(), label.to_string()])?;
        }
        writer.flush()?;
    }
    let noise = labels.iter().filter(|&&l| l == NOISE).count();
    println!(
        "{clusters} cluster(s) among {} pins, {noise} noise; wrote {}.",
        labels.len(),
        output.display()
    );
    Ok(())
}

struct GiFiles<'a> {
    areas: Option<&'a Path>,
    places: Option<&'a Path>,
    previous: Option<&'a Path>,
    png: Option<&'a Path>,
}

fn gi(
    input: &Path,
    resolution: Resolution,
    k: u32,
    options: &GiOptions,
    output: &Path,
    files: &GiFiles<'_>,
) -> anyhow::Result<()> {
    if k == 0 {
        bail!("--k must be at least 1");
    }
    let pins = read_pins(input)?;
    let areas = files.areas.map(read_areas).transpose()?.unwrap_or_default();
    let places = files
        .places
        .map(read_places)
        .transpose()?
        .unwrap_or_default();
    let previous: Option<Vec<Location>> = files
        .previous
        .map(|p| read_pins(p).map(|pins| pins.iter().map(|p| p.location).collect()))
        .transpose()?;
    let locations: Vec<Location> = pins.iter().map(|p| p.location).collect();
    let shapes: Vec<MultiPolygon<f64>> = areas.iter().map(|a| a.shape.clone()).collect();
    let hex = hotspot::hex_gi_star(&locations, &shapes, resolution, k, options)?;

    let features: Vec<Value> = hex
        .cells
        .iter()
        .enumerate()
        .map(|(i, &cell)| {
            let at = |v: &[f64]| v.get(i).copied().unwrap_or(f64::NAN);
            json!({
                "type": "Feature",
                "geometry": hexagon_json(cell),
                "properties": {
                    "h3": cell.to_string(),
                    "count": hex.counts.get(i),
                    "gi_z": at(&hex.gi.z),
                    "gi_p_norm": at(&hex.gi.p_norm),
                    "gi_p_sim": at(&hex.gi.p_sim),
                    "gi_q_fdr": at(&hex.gi.q_fdr),
                    "class": hex.gi.class.get(i).map(|c| c.as_str()),
                }
            })
        })
        .collect();
    write_json(output, &collection(features))?;

    let count = |wanted: fn(&GiClass) -> bool| hex.gi.class.iter().filter(|c| wanted(c)).count();
    println!(
        "{} cells at resolution {}: {} hot at 95 % or more, {} cold at 95 % or more; wrote {}.",
        hex.cells.len(),
        u8::from(resolution),
        count(|c| c.is_hot_at(95)),
        count(|c| matches!(c, GiClass::Cold95 | GiClass::Cold99)),
        output.display()
    );
    let groups = hotspot::hot_cell_groups(&hex, 95);
    let summaries = hotspot::summarise(
        &groups,
        resolution,
        &pins,
        previous.as_deref(),
        &areas,
        &places,
    )?;
    for s in &summaries {
        let categories: Vec<String> = s
            .top_categories
            .iter()
            .map(|c| format!("{} {:.0} %", c.category, 100.0 * c.share))
            .collect();
        let times: Vec<String> = s
            .time_of_day
            .iter()
            .map(|(t, n)| format!("{} {n}", t.as_str()))
            .collect();
        let change = s.change.map_or(String::new(), |c| {
            format!(
                "; {:+} since the previous round ({})",
                c.difference, c.previous_pins
            )
        });
        println!(
            "hot spot {}{}: {} pins from {} respondents in {} cells at {:.5} N {:.5} E; {}; {}{change}",
            s.name,
            s.area
                .as_ref()
                .filter(|a| **a != s.name)
                .map_or(String::new(), |a| format!(" ({a})")),
            s.pins,
            s.respondents,
            s.cells.len(),
            s.centroid.1,
            s.centroid.0,
            if categories.is_empty() {
                "no categories".to_owned()
            } else {
                categories.join(", ")
            },
            times.join(" / "),
        );
    }
    if let Some(path) = files.png {
        draw_hex_map(path, &hex, &areas, &places)?;
        println!("Drew {}.", path.display());
    }
    Ok(())
}

fn kde(
    input: &Path,
    bandwidth_m: f64,
    cell_m: f64,
    kernel: Kernel,
    output: &Path,
) -> anyhow::Result<()> {
    if !(bandwidth_m.is_finite() && bandwidth_m > 0.0) {
        bail!("--bandwidth-m must be a positive number of metres, not {bandwidth_m}");
    }
    let extension = output
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_lowercase);
    let png = match extension.as_deref() {
        Some("png") => true,
        Some("geojson" | "json") => false,
        _ => bail!(
            "--output must end in .geojson or .png, not {}",
            output.display()
        ),
    };
    let pins = read_pins(input)?;
    let locations: Vec<Location> = pins.iter().map(|p| p.location).collect();
    let reach = match kernel {
        Kernel::Gaussian => 3.0 * bandwidth_m,
        _ => bandwidth_m,
    };
    let grid = MetricGrid::covering(&locations, reach, cell_m)?;
    let surface = hotspot::kde(&locations, &grid, kernel, bandwidth_m)?;
    if png {
        draw_heat(output, &grid, &surface)?;
    } else {
        let half = grid.cell_m / 2.0;
        let mut features = Vec::new();
        for (i, &density) in surface.iter().enumerate() {
            if density <= 0.0 {
                continue;
            }
            let (row, column) = (i / grid.columns, i % grid.columns);
            let x = grid.x0 + column as f64 * grid.cell_m;
            let y = grid.y0 + row as f64 * grid.cell_m;
            let corner = |dx: f64, dy: f64| {
                let (lon, lat) = grid.unproject(x + dx, y + dy);
                json!([lon, lat])
            };
            features.push(json!({
                "type": "Feature",
                "geometry": {"type": "Polygon", "coordinates": [[
                    corner(-half, -half), corner(half, -half), corner(half, half),
                    corner(-half, half), corner(-half, -half)
                ]]},
                "properties": {"pins_per_km2": density * 1e6},
            }));
        }
        write_json(output, &collection(features))?;
    }
    println!(
        "Heat surface of {} pins on {} × {} cells of {} m; wrote {}.",
        locations.len(),
        grid.columns,
        grid.rows,
        grid.cell_m,
        output.display()
    );
    Ok(())
}

/// A bad input file, at a feature or line a person can find.
fn bad(file: &Path, place: &str, message: impl std::fmt::Display) -> anyhow::Error {
    anyhow::anyhow!("{}, {place}: {message}", file.display())
}

/// Reads pins from GeoJSON points or from CSV (`.csv`) with `lon,lat[,category,time_of_day]`.
fn read_pins(file: &Path) -> anyhow::Result<Vec<HotspotPin>> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    if text.trim().is_empty() {
        bail!("{} is empty: there are no pins to analyse", file.display());
    }
    let is_csv = file
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    let pins = if is_csv {
        read_csv_pins(file, &text)?
    } else {
        read_geojson_pins(file, &text)?
    };
    if pins.is_empty() {
        bail!("{} holds no pins", file.display());
    }
    Ok(pins)
}

fn read_geojson_pins(file: &Path, text: &str) -> anyhow::Result<Vec<HotspotPin>> {
    let value: Value = serde_json::from_str(text).map_err(|e| {
        bad(
            file,
            &format!("line {}", e.line()),
            format!("not JSON: {e}"),
        )
    })?;
    let Some(features) = value.get("features").and_then(Value::as_array) else {
        bail!(
            "{}: not a GeoJSON FeatureCollection (no `features` array)",
            file.display()
        );
    };
    features
        .iter()
        .enumerate()
        .map(|(i, feature)| {
            let place = format!("feature {i}");
            let geometry = feature.get("geometry");
            let kind = geometry
                .and_then(|g| g.get("type"))
                .and_then(Value::as_str)
                .unwrap_or("missing");
            if kind != "Point" {
                return Err(bad(
                    file,
                    &place,
                    format!("the geometry is {kind}, but a pin must be a Point"),
                ));
            }
            let coordinates = geometry
                .and_then(|g| g.get("coordinates"))
                .and_then(Value::as_array);
            let (lon, lat) = match coordinates.map(Vec::as_slice) {
                Some([lon, lat, ..]) => (lon.as_f64(), lat.as_f64()),
                _ => (None, None),
            };
            let (Some(lon), Some(lat)) = (lon, lat) else {
                return Err(bad(
                    file,
                    &place,
                    "the point needs numeric [longitude, latitude] coordinates",
                ));
            };
            let location = Location::parse(lon, lat, "geometry.coordinates")
                .map_err(|e| bad(file, &place, e.message))?;
            let properties = feature.get("properties");
            let text = |key: &str| -> Option<String> {
                match properties.and_then(|p| p.get(key)) {
                    Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
                    Some(Value::Number(n)) => Some(n.to_string()),
                    _ => None,
                }
            };
            let time_of_day = text("time_of_day")
                .map(|t| TimeOfDay::parse(&t, "time_of_day"))
                .transpose()
                .map_err(|e| bad(file, &format!("{place}, property time_of_day"), e.message))?;
            Ok(HotspotPin {
                location,
                category: text("category"),
                time_of_day,
                respondent: text("response_id"),
            })
        })
        .collect()
}

fn read_csv_pins(file: &Path, text: &str) -> anyhow::Result<Vec<HotspotPin>> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| bad(file, "line 1", e))?
        .clone();
    let column = |name: &str| headers.iter().position(|h| h.trim() == name);
    let (Some(lon_at), Some(lat_at)) = (column("lon"), column("lat")) else {
        bail!(
            "{}, line 1: the header needs `lon` and `lat` columns",
            file.display()
        );
    };
    let category_at = column("category");
    let time_at = column("time_of_day");
    let respondent_at = column("response_id");
    let mut pins = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| bad(file, "a row", e))?;
        let line = record.position().map_or(0, |p| p.line());
        let place = format!("line {line}");
        let number = |at: usize, name: &str| -> anyhow::Result<f64> {
            let raw = record.get(at).unwrap_or("").trim();
            raw.parse::<f64>().map_err(|_| {
                bad(
                    file,
                    &format!("{place}, column {name}"),
                    format!("`{raw}` is not a number"),
                )
            })
        };
        let location = Location::parse(number(lon_at, "lon")?, number(lat_at, "lat")?, "lon,lat")
            .map_err(|e| bad(file, &place, e.message))?;
        let field = |at: Option<usize>| {
            at.and_then(|a| record.get(a))
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        let time_of_day = field(time_at)
            .map(|t| TimeOfDay::parse(&t, "time_of_day"))
            .transpose()
            .map_err(|e| bad(file, &format!("{place}, column time_of_day"), e.message))?;
        pins.push(HotspotPin {
            location,
            category: field(category_at),
            time_of_day,
            respondent: field(respondent_at),
        });
    }
    Ok(pins)
}

fn read_features(file: &Path) -> anyhow::Result<Vec<geojson::Feature>> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let collection: geojson::FeatureCollection = serde_json::from_str(&text).map_err(|e| {
        bad(
            file,
            &format!("line {}", e.line()),
            format!("not a GeoJSON FeatureCollection: {e}"),
        )
    })?;
    Ok(collection.features)
}

fn read_areas(file: &Path) -> anyhow::Result<Vec<NamedArea>> {
    read_features(file)?
        .iter()
        .enumerate()
        .map(|(i, feature)| {
            let place = format!("feature {i}");
            let Some(geometry) = &feature.geometry else {
                return Err(bad(file, &place, "the area has no geometry"));
            };
            let shape = trygg_domain::parse_boundary(geometry, "geometry")
                .map_err(|e| bad(file, &place, format!("{}: {}", e.field, e.message)))?;
            let name = feature
                .property("name")
                .and_then(Value::as_str)
                .map_or_else(|| format!("area {i}"), str::to_owned);
            Ok(NamedArea { name, shape })
        })
        .collect()
}

fn read_places(file: &Path) -> anyhow::Result<Vec<NamedPlace>> {
    read_features(file)?
        .iter()
        .enumerate()
        .map(|(i, feature)| {
            let place = format!("feature {i}");
            let coordinates = match feature.geometry.as_ref().map(|g| &g.value) {
                Some(geojson::GeometryValue::Point { coordinates }) => {
                    coordinates.as_slice().to_vec()
                }
                _ => return Err(bad(file, &place, "a named place must be a Point")),
            };
            let (Some(&lon), Some(&lat)) = (coordinates.first(), coordinates.get(1)) else {
                return Err(bad(
                    file,
                    &place,
                    "the point needs a longitude and a latitude",
                ));
            };
            let location =
                Location::parse(lon, lat, "geometry").map_err(|e| bad(file, &place, e.message))?;
            let Some(name) = feature.property("name").and_then(Value::as_str) else {
                return Err(bad(file, &place, "the place has no `name`"));
            };
            Ok(NamedPlace {
                name: name.to_owned(),
                location,
            })
        })
        .collect()
}

fn collection(features: Vec<Value>) -> Value {
    json!({"type": "FeatureCollection", "features": features})
}

fn write_json(path: &Path, value: &Value) -> anyhow::Result<()> {
    let file = File::create(path).with_context(|| format!("cannot write {}", path.display()))?;
    let mut out = BufWriter::new(file);
    serde_json::to_writer(&mut out, value)?;
    writeln!(out)?;
    out.flush()?;
    Ok(())
}

fn polygon_json(polygon: &Polygon<f64>) -> Value {
    let ring: Vec<Value> = polygon
        .exterior()
        .coords()
        .map(|c| json!([c.x, c.y]))
        .collect();
    json!({"type": "Polygon", "coordinates": [ring]})
}

fn hexagon_ring(cell: CellIndex) -> Vec<(f64, f64)> {
    let mut ring: Vec<(f64, f64)> = cell.boundary().iter().map(|v| (v.lng(), v.lat())).collect();
    if let Some(&first) = ring.first() {
        ring.push(first);
    }
    ring
}

fn hexagon_json(cell: CellIndex) -> Value {
    let ring: Vec<Value> = hexagon_ring(cell)
        .into_iter()
        .map(|(lon, lat)| json!([lon, lat]))
        .collect();
    json!({"type": "Polygon", "coordinates": [ring]})
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

    fn save(&self, path: &Path) -> anyhow::Result<()> {
        let file =
            File::create(path).with_context(|| format!("cannot write {}", path.display()))?;
        let mut encoder = png::Encoder::new(
            BufWriter::new(file),
            u32::try_from(self.width)?,
            u32::try_from(self.height)?,
        );
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header()?;
        writer.write_image_data(&self.pixels)?;
        writer.finish()?;
        Ok(())
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

fn draw_hex_map(
    path: &Path,
    hex: &HexGi,
    areas: &[NamedArea],
    places: &[NamedPlace],
) -> anyhow::Result<()> {
    let rings: Vec<Vec<(f64, f64)>> = hex.cells.iter().map(|&c| hexagon_ring(c)).collect();
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
        bail!("there are no cells to draw");
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
    canvas.save(path)
}

fn draw_heat(path: &Path, grid: &MetricGrid, surface: &[f64]) -> anyhow::Result<()> {
    let peak = surface.iter().fold(0.0_f64, |m, &v| m.max(v));
    let mut pixels = Vec::with_capacity(surface.len() * 3);
    // Rows are stored from the south; an image starts at the top.
    for row in (0..grid.rows).rev() {
        for column in 0..grid.columns {
            let v = surface
                .get(row * grid.columns + column)
                .copied()
                .unwrap_or(0.0);
            let t = if peak > 0.0 { (v / peak).sqrt() } else { 0.0 };
            pixels.extend(heat_colour(t));
        }
    }
    let canvas = Canvas {
        width: grid.columns,
        height: grid.rows,
        pixels,
        west: 0.0,
        north: 0.0,
        scale_x: 1.0,
        scale_y: 1.0,
    };
    canvas.save(path)
}

/// White through yellow and orange to dark red, for t from 0 to 1.
fn heat_colour(t: f64) -> [u8; 3] {
    let stops: [(f64, [f64; 3]); 4] = [
        (0.0, [255.0, 255.0, 255.0]),
        (0.35, [254.0, 217.0, 118.0]),
        (0.7, [240.0, 59.0, 32.0]),
        (1.0, [128.0, 0.0, 38.0]),
    ];
    let t = t.clamp(0.0, 1.0);
    for w in stops.windows(2) {
        if let [(t0, c0), (t1, c1)] = w
            && t <= *t1
        {
            let f = (t - t0) / (t1 - t0);
            let mix = |i: usize| {
                let a = c0.get(i).copied().unwrap_or(0.0);
                let b = c1.get(i).copied().unwrap_or(0.0);
                (a + f * (b - a)).round() as u8
            };
            return [mix(0), mix(1), mix(2)];
        }
    }
    [128, 0, 38]
}
