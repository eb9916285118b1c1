//! The OpenAPI 3.1 document at `/api/openapi.json`, generated from the handlers'
//! annotations. The schemas here describe the JSON on the wire; requests are
//! still parsed by the domain types, so a schema can be stricter in words but
//! never looser than what the server accepts.

use std::collections::BTreeMap;

use actix_web::HttpResponse;
use utoipa::{OpenApi, ToSchema};

/// The one error shape of every 4xx (and of 503).
#[derive(ToSchema)]
#[expect(dead_code, reason = "describes the JSON that ErrorBody serialises")]
pub struct Error {
    /// snake_case code, e.g. `unknown_option`.
    error: String,
    /// Path of the field at fault, e.g. `answers.gender` or `pins[2].location`.
    field: Option<String>,
    /// What is wrong, in English.
    message: String,
    /// For a closed survey (410): its last open day.
    closes_on: Option<String>,
}

/// An answer: an option key, several option keys, a number or a free text.
#[derive(ToSchema)]
#[expect(dead_code, reason = "describes the JSON the domain parses")]
pub enum Answer {
    /// An option key (single choice) or a free text.
    Text(String),
    /// Option keys (multiple choice).
    Choices(Vec<String>),
    /// A number.
    Number(f64),
}

/// An unsafe place: on the map (`location`) or in words (`description`).
#[derive(ToSchema)]
#[expect(dead_code, reason = "describes the JSON the domain parses")]
pub struct Pin {
    /// `[longitude, latitude]` in WGS84.
    location: Option<[f64; 2]>,
    /// The place in words, at most 500 characters, instead of `location`.
    description: Option<String>,
    /// A category key of the survey's map question.
    category: String,
    /// `day`, `evening`, `night` or `always` (Swedish names are accepted too).
    time_of_day: String,
    /// At most 1,000 characters.
    comment: Option<String>,
}

/// One resident's response.
#[derive(ToSchema)]
#[expect(dead_code, reason = "describes the JSON the domain parses")]
pub struct ResponseBody {
    /// Answers by question key.
    answers: BTreeMap<String, Answer>,
    /// Pins for the map question.
    pins: Vec<Pin>,
    /// `sv` (default) or `en`.
    language: Option<String>,
}

/// A stored response.
#[derive(ToSchema)]
#[expect(dead_code, reason = "describes the JSON the handler writes")]
pub struct Stored {
    /// The response's id.
    response_id: String,
    /// Always `stored`.
    status: String,
}

/// A published survey: texts, questions, areas (GeoJSON), named places and map settings.
#[derive(ToSchema)]
#[expect(dead_code, reason = "describes the JSON the handler writes")]
pub struct SurveyDefinition {
    slug: String,
    round: String,
    title: BTreeMap<String, String>,
    intro: Option<BTreeMap<String, String>>,
    opens_on: String,
    closes_on: Option<String>,
    languages: Vec<String>,
    questions: Vec<serde_json::Value>,
    areas: serde_json::Value,
    places: Vec<serde_json::Value>,
    map: serde_json::Value,
}

/// Health.
#[derive(ToSchema)]
#[expect(dead_code, reason = "describes the JSON the handler writes")]
pub struct Health {
    /// `live` or `ready`.
    status: String,
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Trygg",
        description = "The resident intake API of Trygg (published surveys and the responses residents send) and the staff API under /api/v1/admin (a `trygg_session` cookie from POST /api/v1/admin/session; every POST, PUT, PATCH and DELETE also sends the session's X-CSRF-Token)."
    ),
    paths(
        crate::routes::follow_up::public,
        crate::routes::admin::promises::focus_areas,
        crate::routes::admin::promises::add_focus_area,
        crate::routes::admin::promises::promises,
        crate::routes::admin::promises::promise,
        crate::routes::admin::promises::add_promise,
        crate::routes::admin::promises::add_activity,
        crate::routes::admin::promises::add_progress,
        crate::routes::admin::promises::walks,
        crate::routes::admin::promises::walk,
        crate::routes::admin::promises::add_walk,
        crate::routes::admin::promises::add_finding,
        crate::routes::admin::promises::change_finding,
        crate::routes::admin::focus::candidates,
        crate::routes::admin::focus::crime_counts,
        crate::routes::admin::focus::import_crime_counts,
        crate::routes::admin::plans::plans,
        crate::routes::admin::plans::plan,
        crate::routes::admin::plans::add_plan,
        crate::routes::admin::plans::replace_plan,
        crate::routes::admin::plans::add_meeting,
        crate::routes::admin::plans::record_review,
        crate::routes::surveys::definition,
        crate::routes::surveys::submit,
        crate::routes::proof_of_work::challenge,
        crate::routes::health::live,
        crate::routes::health::ready,
        crate::routes::admin::session::login,
        crate::routes::admin::session::current,
        crate::routes::admin::session::logout,
        crate::routes::admin::session::change_password,
        crate::routes::admin::session::totp_setup,
        crate::routes::admin::session::totp_enable,
        crate::routes::admin::session::totp_disable,
        crate::routes::admin::users::list,
        crate::routes::admin::users::show,
        crate::routes::admin::users::add,
        crate::routes::admin::users::change,
        crate::routes::admin::audit::list,
        crate::routes::admin::authoring::bank,
        crate::routes::admin::authoring::list,
        crate::routes::admin::authoring::create,
        crate::routes::admin::authoring::show,
        crate::routes::admin::authoring::replace,
        crate::routes::admin::authoring::delete,
        crate::routes::admin::authoring::publish,
        crate::routes::admin::authoring::copy_round,
        crate::routes::admin::authoring::preview,
        crate::routes::admin::moderation::queue,
        crate::routes::admin::moderation::show,
        crate::routes::admin::moderation::decide,
        crate::routes::admin::areas::list,
        crate::routes::admin::areas::upload,
        crate::routes::admin::areas::rename,
        crate::routes::admin::areas::population,
        crate::routes::admin::areas::replace_population,
        crate::routes::admin::lagesbild::lagesbild,
        crate::routes::admin::lagesbild::pins,
        crate::routes::admin::lagesbild::heat,
        crate::routes::admin::lagesbild::export,
        crate::routes::admin::lagesbild::pins_geojson,
        crate::routes::admin::lagesbild::publish,
        crate::routes::admin::lagesbild::unpublish,
        crate::routes::results::public_results,
        crate::routes::results::public_tables_csv,
        crate::routes::admin::invitations::create,
        crate::routes::admin::invitations::counts,
    ),
    components(schemas(Error, Answer, Pin, ResponseBody, Stored, SurveyDefinition, Health))
)]
struct ApiDoc;

/// `GET /api/openapi.json`.
pub async fn openapi_json() -> HttpResponse {
    HttpResponse::Ok().json(ApiDoc::openapi())
}
