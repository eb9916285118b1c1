//! `trygg hotspots` on files: clusters, Gi* hexagons and heat surfaces, and bad input
//! that names the feature or line at fault.

use geo::{Contains, Point};
use h3o::{CellIndex, LatLng, Resolution};
use serde_json::Value;

use crate::{Env, demo_areas, stderr};

const PINS: &str = r#"{"type": "FeatureCollection", "features": [
  {"type": "Feature", "geometry": {"type": "Point", "coordinates": [17.6335, 59.5120]}, "properties": {"category": "belysning", "time_of_day": "evening", "response_id": "a"}},
  {"type": "Feature", "geometry": {"type": "Point", "coordinates": [17.6336, 59.5121]}, "properties": {"category": "grupper", "time_of_day": "night", "response_id": "b"}},
  {"type": "Feature", "geometry": {"type": "Point", "coordinates": [17.6334, 59.5119]}, "properties": {"category": "belysning", "time_of_day": "kväll", "response_id": "b"}},
  {"type": "Feature", "geometry": {"type": "Point", "coordinates": [17.7000, 59.5000]}, "properties": {}},
  {"type": "Feature", "geometry": {"type": "Point", "coordinates": [17.7510, 59.4785]}, "properties": {}},
  {"type": "Feature", "geometry": {"type": "Point", "coordinates": [17.7511, 59.4785]}, "properties": {}},
  {"type": "Feature", "geometry": {"type": "Point", "coordinates": [17.7510, 59.4786]}, "properties": {}}
]}"#;

fn read_json(path: &std::path::Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[tokio::test]
async fn dbscan_writes_cluster_hulls_and_labels_in_input_order() {
    let env = Env::new().await;
    let pins = env.file("pins.geojson", PINS);
    let clusters = env.dir.path().join("clusters.geojson");
    let labels = env.dir.path().join("labels.csv");
    let out = env.ok(&[
        "hotspots",
        "dbscan",
        "--input",
        pins.to_str().unwrap(),
        "--eps-m",
        "30",
        "--min-points",
        "3",
        "--output",
        clusters.to_str().unwrap(),
        "--labels",
        labels.to_str().unwrap(),
    ]);
    assert!(out.contains("2 cluster(s) among 7 pins, 1 noise"), "{out}");
    assert_eq!(
        std::fs::read_to_string(&labels).unwrap(),
        "index,cluster\n0,0\n1,0\n2,0\n3,-1\n4,1\n5,1\n6,1\n"
    );
    let clusters = read_json(&clusters);
    let first = &clusters["features"][0];
    assert_eq!(first["geometry"]["type"], "Polygon");
    assert_eq!(first["properties"]["pins"], 3);
    assert_eq!(first["properties"]["respondents"], 2);
    env.finish().await;
}

#[tokio::test]
async fn dbscan_reads_pins_from_csv() {
    let env = Env::new().await;
    let pins = env.file(
        "pins.csv",
        "lon,lat,category,time_of_day\n17.6335,59.512,belysning,day\n17.6336,59.5121,,\n17.70,59.50,trafik,night\n",
    );
    let labels = env.dir.path().join("labels.csv");
    env.ok(&[
        "hotspots",
        "dbscan",
        "--input",
        pins.to_str().unwrap(),
        "--eps-m",
        "50",
        "--min-points",
        "2",
        "--output",
        env.dir.path().join("c.geojson").to_str().unwrap(),
        "--labels",
        labels.to_str().unwrap(),
    ]);
    assert_eq!(
        std::fs::read_to_string(&labels).unwrap(),
        "index,cluster\n0,0\n1,0\n2,-1\n"
    );
    env.finish().await;
}

#[tokio::test]
async fn kde_writes_a_heat_surface_as_geojson_and_as_png() {
    let env = Env::new().await;
    let pins = env.file("pins.geojson", PINS);
    let heat = env.dir.path().join("heat.geojson");
    env.ok(&[
        "hotspots",
        "kde",
        "--input",
        pins.to_str().unwrap(),
        "--bandwidth-m",
        "150",
        "--cell-m",
        "25",
        "--output",
        heat.to_str().unwrap(),
    ]);
    let heat = read_json(&heat);
    let densities: Vec<f64> = heat["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["properties"]["pins_per_km2"].as_f64().unwrap())
        .collect();
    assert!(!densities.is_empty());
    // Three pins within 15 m of each other under a 150 m quartic kernel give about
    // 3 · 3 / (π · 0.15²) ≈ 127 pins per km² at the peak.
    let peak = densities.iter().copied().fold(0.0, f64::max);
    assert!((100.0..140.0).contains(&peak), "{peak}");

    let png = env.dir.path().join("heat.png");
    env.ok(&[
        "hotspots",
        "kde",
        "--input",
        pins.to_str().unwrap(),
        "--kernel",
        "epanechnikov",
        "--output",
        png.to_str().unwrap(),
    ]);
    let bytes = std::fs::read(&png).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    env.finish().await;
}

#[tokio::test]
async fn gi_on_the_demo_finds_the_three_centres_hot_and_nothing_hot_in_lassa() {
    let env = Env::new().await;
    env.ok(&["demo", "load"]);
    let pins = env.dir.path().join("pins.geojson");
    env.ok(&[
        "export",
        "pins",
        "--survey",
        "trygghetsmatning-2023",
        "--format",
        "geojson",
        "-o",
        pins.to_str().unwrap(),
    ]);
    let cells = env.dir.path().join("cells.geojson");
    let png = env.dir.path().join("map.png");
    let out = env.ok(&[
        "hotspots",
        "gi",
        "--input",
        pins.to_str().unwrap(),
        "--areas",
        demo_areas().to_str().unwrap(),
        "--output",
        cells.to_str().unwrap(),
        "--png",
        png.to_str().unwrap(),
    ]);
    assert!(out.contains("hot spot"), "{out}");
    assert_eq!(&std::fs::read(&png).unwrap()[..4], b"\x89PNG");

    let cells = read_json(&cells);
    let features = cells["features"].as_array().unwrap();
    let class_at = |lon: f64, lat: f64| -> String {
        let cell = LatLng::new(lat, lon).unwrap().to_cell(Resolution::Nine);
        let feature = features
            .iter()
            .find(|f| f["properties"]["h3"] == cell.to_string())
            .unwrap();
        for key in ["count", "gi_z", "gi_p_norm", "gi_p_sim", "gi_q_fdr"] {
            assert!(feature["properties"][key].is_number(), "{key}");
        }
        feature["properties"]["class"].as_str().unwrap().to_owned()
    };
    for (place, lon, lat) in [
        ("Bro centrum", 17.6335, 59.512),
        ("Bro station", 17.642, 59.5075),
        ("Kungsängen centrum", 17.751, 59.4785),
    ] {
        let class = class_at(lon, lat);
        assert!(class == "hot_99" || class == "hot_95", "{place} is {class}");
    }

    let areas = read_json(&demo_areas());
    let lassa = areas["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["properties"]["name"] == "Låssa")
        .unwrap();
    let geometry: geojson::Geometry = serde_json::from_value(lassa["geometry"].clone()).unwrap();
    let lassa = trygg_domain::parse_boundary(&geometry, "geometry").unwrap();
    let mut in_lassa = 0;
    for feature in features {
        let cell: CellIndex = feature["properties"]["h3"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        let centre = LatLng::from(cell);
        if lassa.contains(&Point::new(centre.lng(), centre.lat())) {
            in_lassa += 1;
            let class = feature["properties"]["class"].as_str().unwrap();
            assert!(
                class != "hot_99" && class != "hot_95",
                "{cell} in Låssa is {class}"
            );
        }
    }
    assert!(in_lassa > 100, "{in_lassa}");
    env.finish().await;
}

#[tokio::test]
async fn bad_pin_files_name_the_feature_or_line_and_exit_non_zero() {
    let env = Env::new().await;
    let point = |lon: f64, lat: f64| {
        format!(
            r#"{{"type": "Feature", "geometry": {{"type": "Point", "coordinates": [{lon}, {lat}]}}, "properties": {{}}}}"#
        )
    };
    let collection = |features: &[String]| {
        format!(
            r#"{{"type": "FeatureCollection", "features": [{}]}}"#,
            features.join(",")
        )
    };
    let cases = [
        (
            "latitude out of range",
            "pins.geojson",
            collection(&[point(17.6, 59.5), point(17.6, 95.0)]),
            &["30"][..],
            &["feature 1", "latitude 95"][..],
        ),
        (
            "longitude out of range",
            "pins.geojson",
            collection(&[point(200.0, 59.5)]),
            &["30"][..],
            &["feature 0", "longitude 200"][..],
        ),
        (
            "empty file",
            "pins.geojson",
            String::new(),
            &["30"][..],
            &["pins.geojson is empty"][..],
        ),
        (
            "a line instead of a point",
            "pins.geojson",
            collection(&[
                point(17.6, 59.5),
                r#"{"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[17.6, 59.5], [17.7, 59.6]]}, "properties": {}}"#.to_owned(),
            ]),
            &["30"][..],
            &["feature 1", "LineString", "Point"][..],
        ),
        (
            "eps of zero",
            "pins.geojson",
            collection(&[point(17.6, 59.5)]),
            &["0"][..],
            &["--eps-m must be a positive number"][..],
        ),
        (
            "negative eps",
            "pins.geojson",
            collection(&[point(17.6, 59.5)]),
            &["-5"][..],
            &["--eps-m must be a positive number"][..],
        ),
        (
            "a CSV row with a word for a latitude",
            "pins.csv",
            "lon,lat\n17.6,59.5\n17.6,norr\n".to_owned(),
            &["30"][..],
            &["line 3", "column lat", "`norr` is not a number"][..],
        ),
        (
            "a CSV without a lat column",
            "pins.csv",
            "lon,latitude\n17.6,59.5\n".to_owned(),
            &["30"][..],
            &["line 1", "`lat`"][..],
        ),
        (
            "an unknown time of day",
            "pins.geojson",
            r#"{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [17.6, 59.5]}, "properties": {"time_of_day": "tea time"}}]}"#.to_owned(),
            &["30"][..],
            &["feature 0", "time_of_day", "tea time"][..],
        ),
    ];
    for (description, name, contents, eps, expected) in cases {
        let input = env.file(name, &contents);
        let eps_arg = format!("--eps-m={}", eps[0]);
        let out = env.run(&[
            "hotspots",
            "dbscan",
            "--input",
            input.to_str().unwrap(),
            &eps_arg,
            "--output",
            env.dir.path().join("out.geojson").to_str().unwrap(),
        ]);
        assert!(!out.status.success(), "{description}: succeeded");
        let message = stderr(&out);
        for part in expected {
            assert!(
                message.contains(part),
                "{description}: `{part}` missing from {message}"
            );
        }
    }
    env.finish().await;
}
