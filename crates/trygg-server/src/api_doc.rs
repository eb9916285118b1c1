//! The OpenAPI 3.1 document at `/api/openapi.json`, generated from the handlers'
//! annotations. Every schema is derived from the type that is parsed or
//! written: request bodies from the domain's input types, answers from the
//! handlers' and the application layer's result types, so the document cannot
//! drift from the wire.

use std::collections::BTreeMap;

use actix_web::HttpResponse;
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Required, Response, ResponseBuilder};
use utoipa::{IntoParams, IntoResponses, OpenApi};

/// The one error shape of every 4xx (and of 503).
pub use crate::error::ErrorBody as Error;

/// The two refusals every staff route documents: 401 without a session, 403
/// when the role may not do it or the CSRF token is missing or wrong. Written
/// `responses((status = 200, …), Refused)` in a handler's annotation.
pub struct Refused;

impl IntoResponses for Refused {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        [
            ("401", "Not signed in, or the session has ended"),
            (
                "403",
                "The role may not do this, or the CSRF token is missing or wrong",
            ),
        ]
        .into_iter()
        .map(|(status, description)| (status.to_owned(), error_response(description)))
        .collect()
    }
}

/// The 404 of a route that looks up a row by id: written `NotFound` after
/// the success response, like [`Refused`].
pub struct NotFound;

impl IntoResponses for NotFound {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        let description = "No such row in the staff member's municipality";
        BTreeMap::from([("404".to_owned(), error_response(description))])
    }
}

/// The 422 of a route whose body broke a rule; the error names the field.
pub struct Invalid;

impl IntoResponses for Invalid {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        let description = "A broken rule, naming its field";
        BTreeMap::from([("422".to_owned(), error_response(description))])
    }
}

/// A response with the one error body, described by `description`.
fn error_response(description: &str) -> RefOr<Response> {
    let content = ContentBuilder::new()
        .schema(Some(Ref::from_schema_name("Error")))
        .build();
    ResponseBuilder::new()
        .description(description)
        .content("application/json", content)
        .into()
}

/// The `X-CSRF-Token` header every staff POST, PUT, PATCH and DELETE sends:
/// `params(Csrf)` in a handler's annotation.
pub struct Csrf;

impl IntoParams for Csrf {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![
            ParameterBuilder::new()
                .name("X-CSRF-Token")
                .parameter_in(ParameterIn::Header)
                .required(Required::True)
                .description(Some("The session's CSRF token"))
                .schema(Some(
                    utoipa::openapi::ObjectBuilder::new()
                        .schema_type(utoipa::openapi::Type::String),
                ))
                .build(),
        ]
    }
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
        crate::routes::overview::overview,
        crate::routes::admin::session::login,
        crate::routes::admin::session::current,
        crate::routes::admin::session::logout,
        crate::routes::admin::session::change_password,
        crate::routes::admin::session::totp_setup,
        crate::routes::admin::session::totp_enable,
        crate::routes::admin::session::totp_disable,
        crate::routes::admin::session::sessions,
        crate::routes::admin::session::end_session,
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
        crate::routes::admin::moderation::staff_texts,
        crate::routes::admin::moderation::decide_staff_text,
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
        crate::routes::admin::lagesbild::republish,
        crate::routes::admin::lagesbild::unpublish,
        crate::routes::results::public_results,
        crate::routes::results::public_tables_csv,
        crate::routes::admin::invitations::create,
        crate::routes::admin::invitations::counts,
        crate::routes::admin::events::organisations,
        crate::routes::admin::events::add_organisation,
        crate::routes::admin::events::set_organisation,
        crate::routes::admin::events::reports,
        crate::routes::admin::events::report,
        crate::routes::admin::events::report_one,
        crate::routes::admin::events::correct,
        crate::routes::admin::events::review,
        crate::routes::admin::events::merge,
        crate::routes::admin::events::to_activity,
        crate::routes::admin::events::week,
    ),
    // Types that appear only as query parameters are not collected from the
    // paths, so their references would point at nothing.
    components(schemas(trygg_lagesbild::Format))
)]
struct ApiDoc;

/// `GET /api/openapi.json`.
pub async fn openapi_json() -> HttpResponse {
    HttpResponse::Ok().json(ApiDoc::openapi())
}
