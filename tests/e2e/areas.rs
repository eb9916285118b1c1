//! Areas and population figures over HTTP: a GeoJSON upload with one bad feature
//! names it and stores nothing; a good one is listed as a map layer and can be
//! renamed; a population CSV with a bad line names line and field; and the stored
//! figures make the demo's lägesbild weightable.

use reqwest::Method;
use serde_json::{Value, json};
use trygg_domain::{Area, AreaId, MunicipalityId, Permission, Role};
use trygg_e2e::{
    BRO, DEMO_ROUND, TestApp, expect_error, expect_json, indicator_cell, spawn_app, spawn_demo_app,
};
use trygg_store::Store;

use crate::roles::{Case, get, send};

/// One area of a municipality, for the role table.
pub struct Seeded {
    pub area: AreaId,
    pub name: String,
}

impl Seeded {
    /// Text only this municipality's areas contain.
    pub fn markers(&self) -> Vec<String> {
        vec![self.area.to_string(), self.name.clone()]
    }
}

/// The area `bro`, named after the municipality `slug`, in `m`.
pub async fn seed(store: &Store, m: MunicipalityId, slug: &str) -> Seeded {
    let name = format!("Bro i {slug}");
    let geometry: geojson::Geometry = BRO.parse().unwrap();
    let area = Area::parse(m, "bro", &name, &geometry, "area").unwrap();
    store
        .insert_areas(std::slice::from_ref(&area))
        .await
        .unwrap();
    Seeded {
        area: area.id,
        name,
    }
}

fn collection(features: &[Value]) -> Value {
    json!({"type": "FeatureCollection", "features": features})
}

fn square(name: &str, code: &str, west: f64, south: f64) -> Value {
    let (east, north) = (west + 0.05, south + 0.03);
    json!({"type": "Feature", "properties": {"name": name, "code": code},
        "geometry": {"type": "Polygon", "coordinates": [[[west, south], [east, south], [east, north], [west, north], [west, south]]]}})
}

/// The area routes, as `role` calls them on `s`.
pub fn routes(s: &Seeded, role: Role) -> Vec<Case> {
    vec![
        get(
            "/api/v1/admin/areas".to_owned(),
            Some(Permission::ReadResults),
        ),
        get(
            "/api/v1/admin/areas/population".to_owned(),
            Some(Permission::ReadResults),
        ),
        send(
            Method::POST,
            "/api/v1/admin/areas".to_owned(),
            collection(&[square(&format!("Bro ({role})"), "bro", 17.6, 59.5)]),
            Permission::ManageAreas,
            200,
        ),
        send(
            Method::PATCH,
            format!("/api/v1/admin/areas/{}", s.area),
            json!({"name": format!("Bro, döpt av {role}")}),
            Permission::ManageAreas,
            200,
        ),
        send(
            Method::PUT,
            "/api/v1/admin/areas/population".to_owned(),
            // The CSV as a JSON string, which the route takes as well as text/csv.
            json!("area,gender,age_band,population\nbro,kvinna,a16_24,100\n"),
            Permission::ManageAreas,
            200,
        ),
    ]
}

async fn municipality(app: &TestApp) -> MunicipalityId {
    app.add_municipality("omradeskommun", "Områdeskommun")
        .await
        .id
}

#[tokio::test]
async fn a_geojson_upload_with_one_bad_feature_names_it_and_stores_nothing() {
    let app = spawn_app().await;
    let m = municipality(&app).await;
    let analyst = app.staff_in(m, Role::Analyst).await;
    let mut bad = square("Kungsängen", "kungsangen", 17.7, 59.45);
    // An open ring: the last point is not the first.
    bad["geometry"]["coordinates"][0][4] = json!([17.71, 59.46]);
    let cases = [
        (
            "an open ring",
            collection(&[square("Bro", "bro", 17.6, 59.5), bad]),
            "features[1].geometry.coordinates[0][0]",
            "feature 2, “Kungsängen”",
        ),
        (
            "a feature without a name",
            collection(&[
                json!({"type": "Feature", "properties": {"code": "x"}, "geometry": square("x", "x", 17.0, 59.0)["geometry"]}),
            ]),
            "features[0].properties.name",
            "feature 1",
        ),
        (
            "the same code twice",
            collection(&[
                square("Bro", "bro", 17.6, 59.5),
                square("Bro igen", "bro", 17.7, 59.5),
            ]),
            "features[1].properties.code",
            "feature 2, “Bro igen”",
        ),
    ];
    for (what, body, field, names) in cases {
        let response = analyst.post_json("/api/v1/admin/areas", &body).await;
        assert_eq!(response.status(), 422, "{what}");
        let error: Value = response.json().await.unwrap();
        assert_eq!(error["field"], field, "{what}: {error}");
        assert!(
            error["message"].as_str().unwrap().contains(names),
            "{what}: {error}"
        );
    }
    let not_geojson = analyst
        .post_json("/api/v1/admin/areas", &json!({"type": "Point"}))
        .await;
    expect_error(not_geojson, 400, "invalid_geojson").await;
    let listed = analyst.get_json("/api/v1/admin/areas").await;
    assert_eq!(listed["areas"], json!([]), "nothing was stored");
    app.finish().await;
}

#[tokio::test]
async fn uploaded_areas_are_a_map_layer_can_be_renamed_and_a_second_upload_replaces_by_code() {
    let app = spawn_app().await;
    let m = municipality(&app).await;
    let analyst = app.staff_in(m, Role::Analyst).await;
    let body = collection(&[
        square("Bro", "bro", 17.6, 59.5),
        square("Kungsängen", "kungsangen", 17.7, 59.45),
    ]);
    let response = analyst.post_json("/api/v1/admin/areas", &body).await;
    let uploaded = expect_json(response, 200).await;
    assert_eq!(uploaded["areas"].as_array().unwrap().len(), 2);
    let features = uploaded["geojson"]["features"].as_array().unwrap();
    assert_eq!(features.len(), 2);
    assert_eq!(features[0]["properties"]["name"], "Bro");
    assert_eq!(features[0]["geometry"]["type"], "MultiPolygon");

    let bro = uploaded["areas"][0]["id"].as_str().unwrap().to_owned();
    let rename = |id: String, name: &'static str| {
        let path = format!("/api/v1/admin/areas/{id}");
        let analyst = &analyst;
        async move { analyst.patch_json(&path, &json!({ "name": name })).await }
    };
    let renamed = rename(bro.clone(), "Bro tätort").await;
    assert_eq!(renamed.status(), 200);
    let areas = app.store.areas(m).await.unwrap();
    assert_eq!(areas[0].name, "Bro tätort");
    let empty = rename(bro.clone(), "  ").await;
    assert_eq!(empty.status(), 422);
    let unknown = rename(uuid::Uuid::now_v7().to_string(), "Ingenstans").await;
    expect_error(unknown, 404, "not_found").await;

    // The same code again replaces name and outline and keeps the id.
    let again = analyst
        .post_json(
            "/api/v1/admin/areas",
            &collection(&[square("Bro centrum", "bro", 17.61, 59.51)]),
        )
        .await;
    assert_eq!(again.status(), 200);
    let areas = app.store.areas(m).await.unwrap();
    assert_eq!(areas.len(), 2);
    assert_eq!(areas[0].id.to_string(), bro);
    assert_eq!(areas[0].name, "Bro centrum");
    app.finish().await;
}

#[tokio::test]
async fn a_population_csv_with_a_bad_line_names_line_and_field_and_a_good_one_is_stored() {
    let app = spawn_app().await;
    let m = municipality(&app).await;
    seed(&app.store, m, "test").await;
    let analyst = app.staff_in(m, Role::Analyst).await;
    let put = |body: &'static str| {
        analyst
            .request(Method::PUT, "/api/v1/admin/areas/population")
            .header("Content-Type", "text/csv")
            .body(body)
            .send()
    };
    let bad = put("area,gender,age_band,population\nbro,kvinna,a16_24,586\nbro,man,a16_24,sex\n")
        .await
        .unwrap();
    let error = expect_json(bad, 422).await;
    assert_eq!(error["field"], "line[3].population", "{error}");
    assert!(error["message"].as_str().unwrap().starts_with("line 3: "));
    assert_eq!(app.store.population(m).await.unwrap(), vec![]);

    let good = put("area,gender,age_band,population\nbro,kvinna,a16_24,586\nbro,man,a16_24,635\n")
        .await
        .unwrap();
    let stored = expect_json(good, 200).await;
    assert_eq!(stored["total"], 1221);
    let listed = analyst.get_json("/api/v1/admin/areas").await;
    assert_eq!(listed["areas"][0]["population"], 1221);
    assert_eq!(listed["population_total"], 1221);
    app.finish().await;
}

/// The overall share of an indicator in a lägesbild.
fn overall(report: &Value, key: &str) -> f64 {
    indicator_cell(report, key, &[], &[])["estimate"]["value"]
        .as_f64()
        .unwrap()
}

#[tokio::test]
async fn the_demo_population_makes_the_lagesbild_weightable_and_weighting_changes_the_shares() {
    let app = spawn_demo_app().await;
    let survey = app.survey(DEMO_ROUND).await;
    let total: u32 = app
        .store
        .population(survey.municipality_id)
        .await
        .unwrap()
        .iter()
        .map(|f| f.population)
        .sum();
    assert!(
        (20_000..31_000).contains(&total),
        "16–84 of about 31,000: {total}"
    );
    let analyst = app.staff_in(survey.municipality_id, Role::Analyst).await;
    let base = format!("/api/v1/admin/surveys/{}/lagesbild", survey.id);
    let plain = analyst.get_json(&base).await;
    assert_eq!(plain["weighting_available"], true);
    assert_eq!(plain["weighted"], false);
    let response = analyst.get(&format!("{base}?weighted=true")).await;
    let weighted = expect_json(response, 200).await;
    assert_eq!(weighted["weighted"], true);
    assert!(
        weighted["report"]["weighting"].is_object(),
        "{}",
        weighted["report"]["weighting"]
    );
    let (p, w) = (
        overall(&plain, "evening_unsafe"),
        overall(&weighted, "evening_unsafe"),
    );
    assert!(p > 0.0 && w > 0.0 && (p - w).abs() > 1e-6, "{p} {w}");
    // A filtered lägesbild is raked to its own part of the population: weighted,
    // Bro's respondents are women and men in the proportion Bro's residents
    // are, not the municipality's.
    let bro = analyst.get(&format!("{base}?weighted=true&area=bro")).await;
    let bro = expect_json(bro, 200).await;
    assert_eq!(bro["weighted"], true);
    let figures = app.store.population(survey.municipality_id).await.unwrap();
    let women_per_man = |area: Option<&str>| {
        let residents = |gender: &str| -> f64 {
            figures
                .iter()
                .filter(|f| f.gender.as_str() == gender)
                .filter(|f| area.is_none_or(|a| f.area.as_str() == a))
                .map(|f| f64::from(f.population))
                .sum()
        };
        residents("kvinna") / residents("man")
    };
    let (in_bro, everywhere) = (women_per_man(Some("bro")), women_per_man(None));
    assert!(
        (in_bro / everywhere - 1.0).abs() > 1e-3,
        "Bro's residents are split as the municipality's: {in_bro} {everywhere}"
    );
    let raked = gender_share(&bro, "kvinna") / gender_share(&bro, "man");
    assert!(
        (raked / in_bro - 1.0).abs() < 1e-3,
        "weighted {raked} women per man, Bro has {in_bro}, the municipality {everywhere}"
    );
    app.finish().await;
}

/// The overall weighted share of `option` of the gender question in a lägesbild.
fn gender_share(report: &Value, option: &str) -> f64 {
    report["report"]["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["question"] == "gender" && t["group_by"] == json!([]))
        .unwrap_or_else(|| panic!("no overall gender table: {}", report["report"]["tables"]))
        ["cells"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["option"] == option)
        .unwrap()["estimate"]["share"]
        .as_f64()
        .unwrap()
}
