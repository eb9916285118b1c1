//! `GET /health/live` (the process answers) and `GET /health/ready` (the
//! database answers too; 503 while it does not, so a load balancer waits).

use actix_web::{HttpResponse, web};
use serde_json::json;
use trygg_store::Store;

use crate::error::ApiError;

/// The process is up.
#[utoipa::path(get, path = "/health/live", responses((status = 200, description = "Live", body = crate::api_doc::Health)))]
pub async fn live() -> HttpResponse {
    HttpResponse::Ok().json(json!({"status": "live"}))
}

/// The process is up and the database answers.
#[utoipa::path(
    get,
    path = "/health/ready",
    responses(
        (status = 200, description = "Ready", body = crate::api_doc::Health),
        (status = 503, description = "The database does not answer", body = crate::api_doc::Error),
    )
)]
pub async fn ready(store: web::Data<Store>) -> Result<HttpResponse, ApiError> {
    tokio::time::timeout(std::time::Duration::from_secs(4), store.ping())
        .await
        .map_err(|_| ApiError::TimedOut)?
        .map_err(ApiError::Unavailable)?;
    Ok(HttpResponse::Ok().json(json!({"status": "ready"})))
}
