//! The public follow-up of medborgarlöften ("Följ med i hur det går"), with no sign-in:
//! `GET /api/v1/public/{municipality}/follow-up` (JSON for the page),
//! `GET /lofte/{municipality}` (the page) and `GET /lofte/{municipality}/feed.atom`.
//!
//! Both answer [`trygg_lagesbild::follow_up`]: only what kommun and polis wrote for
//! the public, and the linked indicator of each published round as the round's
//! snapshot holds it, suppressed as on the round's public results page.

use actix_web::{HttpResponse, web};
use time::OffsetDateTime;
use trygg_lagesbild::follow_up::{self, FollowUpDto, FollowUpError};

use crate::error::ApiError;
use crate::routes::{Answer, Db, Id, ok};

impl From<FollowUpError> for ApiError {
    fn from(e: FollowUpError) -> Self {
        match e {
            FollowUpError::UnknownMunicipality(_) => Self::not_found(e.to_string()),
            FollowUpError::Store(e) => e.into(),
            FollowUpError::Corrupt { .. } => Self::Unexpected(e.into()),
        }
    }
}

/// The public follow-up as JSON.
#[utoipa::path(get, path = "/api/v1/public/{municipality}/follow-up", tag = "public",
    params(("municipality" = String, Path, description = "The municipality's slug")),
    responses(
        (status = 200, description = "Promises, progress, the linked indicator of each published round (from its snapshot) and closed walk findings", body = FollowUpDto),
        (status = 404, description = "No such municipality", body = crate::api_doc::Error),
    )
)]
pub async fn public(store: Db, slug: Id) -> Answer {
    let today = OffsetDateTime::now_utc().date();
    ok(follow_up::public_follow_up(&store, &slug, today).await?)
}

/// The follow-up's updates as an Atom feed: one entry per progress entry and closed finding.
pub async fn feed(store: Db, slug: Id, request: actix_web::HttpRequest) -> Answer {
    let today = OffsetDateTime::now_utc().date();
    let data = follow_up::public_follow_up(&store, &slug, today).await?;
    let base = request
        .app_data::<web::Data<crate::config::PublicUrl>>()
        .map_or("", |url| url.as_str());
    let page = format!("{base}/lofte/{}", data.municipality());
    Ok(HttpResponse::Ok()
        .content_type("application/atom+xml; charset=utf-8")
        .body(follow_up::atom_feed(&data, &page)))
}
