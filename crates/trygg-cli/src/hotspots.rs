//! `trygg hotspots …`: density clusters, Gi* hexagons and heat surfaces from a pins file.
//!
//! These commands read files and write files; they need no database, so an analyst can
//! run them on pins exported from Trygg or from another survey tool. The workflow is
//! [`trygg_lagesbild::hotspots`]: this file parses the arguments, opens the files, calls
//! it and says what it wrote.

use crate::terminal::say;
use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::{Args, Subcommand, ValueEnum};
use h3o::Resolution;
use trygg_analysis::hotspot::{GiClass, GiOptions, Hotspot, Kernel, Ties};
use trygg_lagesbild::hotspots::{self as workflow, GiContext, PinFormat, Pins};

/// `trygg hotspots …`
#[derive(Debug, Subcommand)]
pub enum HotspotsCommand {
    /// Density clusters (DBSCAN in metres, labels as scikit-learn's).
    Dbscan(DbscanArgs),
    /// Hot and cold spots on H3 hexagons (Getis–Ord Gi*, as esda's G_Local).
    Gi(GiArgs),
    /// A kernel density heat surface.
    Kde(KdeArgs),
}

/// `trygg hotspots dbscan`
#[derive(Debug, Args)]
pub struct DbscanArgs {
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
}

/// `trygg hotspots gi`
#[derive(Debug, Args)]
pub struct GiArgs {
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
}

/// `trygg hotspots kde`
#[derive(Debug, Args)]
pub struct KdeArgs {
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
        HotspotsCommand::Dbscan(args) => dbscan(&args),
        HotspotsCommand::Gi(args) => gi(&args),
        HotspotsCommand::Kde(args) => kde(&args),
    }
}

fn name(path: &Path) -> String {
    path.display().to_string()
}

fn open(path: &Path) -> anyhow::Result<BufReader<File>> {
    let file = File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(BufReader::with_capacity(1 << 16, file))
}

/// A buffered writer of the new file `path`.
pub(crate) fn create(path: &Path) -> anyhow::Result<BufWriter<File>> {
    let file = File::create(path).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(BufWriter::with_capacity(1 << 16, file))
}

fn read_pins(path: &Path) -> anyhow::Result<Pins> {
    let format = PinFormat::of_file_name(&name(path));
    Ok(workflow::read_pins(&name(path), format, open(path)?)?)
}

fn dbscan(args: &DbscanArgs) -> anyhow::Result<()> {
    let DbscanArgs {
        input,
        eps_m,
        min_points,
        output,
        labels,
    } = args;
    let (eps_m, min_points) = (*eps_m, *min_points);
    if !(eps_m.is_finite() && eps_m > 0.0) {
        bail!("--eps-m must be a positive number of metres, not {eps_m}");
    }
    let clusters = workflow::dbscan(&read_pins(input)?, eps_m, min_points)?;
    workflow::write_clusters(create(output)?, &clusters)?;
    if let Some(path) = labels {
        workflow::write_labels(create(path)?, &clusters.labels)?;
    }
    say!(
        "{} cluster(s) among {} pins, {} noise; wrote {}.",
        clusters.clusters.len(),
        clusters.labels.len(),
        clusters.noise(),
        output.display()
    );
    Ok(())
}

/// The H3 resolution `--resolution` names.
pub(crate) fn resolution(raw: u8) -> anyhow::Result<Resolution> {
    Resolution::try_from(raw)
        .map_err(|_| anyhow::anyhow!("--resolution must be 0 to 15, not {raw}"))
}

fn gi_options(args: &GiArgs) -> anyhow::Result<(Resolution, GiOptions)> {
    let resolution = resolution(args.resolution)?;
    if args.k == 0 {
        bail!("--k must be at least 1");
    }
    let ties = match args.ties {
        TiesArg::Conservative => Ties::Conservative,
        TiesArg::Esda => Ties::Esda,
    };
    let options = GiOptions {
        permutations: args.permutations,
        seed: args.seed,
        fdr: args.fdr,
        ties,
    };
    Ok((resolution, options))
}

fn gi(args: &GiArgs) -> anyhow::Result<()> {
    let (resolution, options) = gi_options(args)?;
    let (input, output) = (&args.input, &args.output);
    let pins = read_pins(input)?;
    let areas = match &args.areas {
        Some(path) => workflow::read_areas(&name(path), open(path)?)?,
        None => Vec::new(),
    };
    let places = match &args.places {
        Some(path) => workflow::read_places(&name(path), open(path)?)?,
        None => Vec::new(),
    };
    let previous = args.previous.as_deref().map(read_pins).transpose()?;
    let context = GiContext {
        areas: &areas,
        places: &places,
        previous: previous.as_ref(),
    };
    let map = workflow::gi(&pins, &context, resolution, args.k, &options)?;
    workflow::write_cells(create(output)?, &map.hex)?;
    say!(
        "{} cells at resolution {}: {} hot at 95 % or more, {} cold at 95 % or more; wrote {}.",
        map.hex.cells.len(),
        u8::from(resolution),
        map.count(|c| c.is_hot_at(95)),
        map.count(|c| matches!(c, GiClass::Cold95 | GiClass::Cold99)),
        output.display()
    );
    for hotspot in &map.hotspots {
        say!("{}", describe(hotspot));
    }
    if let Some(path) = &args.png {
        let mut out = create(path)?;
        out.write_all(&workflow::hex_map_png(&map.hex, &areas, &places)?)?;
        out.flush()?;
        say!("Drew {}.", path.display());
    }
    Ok(())
}

/// One line about a hotspot: name, pins, respondents, place, categories, times, change.
fn describe(s: &Hotspot) -> String {
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
    let area = s
        .area
        .as_ref()
        .filter(|a| **a != s.name)
        .map_or(String::new(), |a| format!(" ({a})"));
    let categories = if categories.is_empty() {
        "no categories".to_owned()
    } else {
        categories.join(", ")
    };
    format!(
        "hot spot {}{area}: {} pins from {} respondents in {} cells at {:.5} N {:.5} E; {categories}; {}{change}",
        s.name,
        s.pins,
        s.respondents,
        s.cells.len(),
        s.centroid.1,
        s.centroid.0,
        times.join(" / "),
    )
}

/// The kernel `--kernel` names.
const fn kernel_of(arg: KernelArg) -> Kernel {
    match arg {
        KernelArg::Quartic => Kernel::Quartic,
        KernelArg::Epanechnikov => Kernel::Epanechnikov,
        KernelArg::Gaussian => Kernel::Gaussian,
    }
}

/// Whether `--output` asks for a PNG picture (else GeoJSON), by its extension.
fn heat_as_png(output: &Path) -> anyhow::Result<bool> {
    let extension = output
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_lowercase);
    match extension.as_deref() {
        Some("png") => Ok(true),
        Some("geojson" | "json") => Ok(false),
        _ => bail!(
            "--output must end in .geojson or .png, not {}",
            output.display()
        ),
    }
}

fn kde(args: &KdeArgs) -> anyhow::Result<()> {
    let KdeArgs {
        input,
        bandwidth_m,
        cell_m,
        kernel,
        output,
    } = args;
    let bandwidth_m = *bandwidth_m;
    if !(bandwidth_m.is_finite() && bandwidth_m > 0.0) {
        bail!("--bandwidth-m must be a positive number of metres, not {bandwidth_m}");
    }
    let png = heat_as_png(output)?;
    let pins = read_pins(input)?;
    let heat = workflow::kde(&pins, bandwidth_m, *cell_m, kernel_of(*kernel))?;
    let mut out = create(output)?;
    if png {
        out.write_all(&workflow::heat_png(&heat)?)?;
        out.flush()?;
    } else {
        workflow::write_heat(out, &heat)?;
    }
    say!(
        "Heat surface of {} pins on {} × {} cells of {} m; wrote {}.",
        pins.len(),
        heat.grid.columns,
        heat.grid.rows,
        heat.grid.cell_m,
        output.display()
    );
    Ok(())
}
