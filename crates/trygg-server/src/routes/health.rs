//! `GET /health/live` (the process answers) and `GET /health/ready` (the
//! database answers too; 503 while it does not, so a load balancer waits).

use actix_web::HttpResponse;
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::routes::{Answer, Db};

/// How the server is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct Health {
    status: HealthStatus,
}

/// `live`: the process answers; `ready`: the database answers too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum HealthStatus {
    /// The process answers.
    Live,
    /// The process and the database answer.
    Ready,
}

/// The process is up.
#[utoipa::path(get, path = "/health/live", responses((status = 200, description = "Live", body = Health)))]
pub async fn live() -> HttpResponse {
    HttpResponse::Ok().json(Health {
        status: HealthStatus::Live,
    })
}

/// The process is up and the database answers.
#[utoipa::path(
    get,
    path = "/health/ready",
    responses(
        (status = 200, description = "Ready", body = Health),
        (status = 503, description = "The database does not answer", body = crate::api_doc::Error),
    )
)]
pub async fn ready(store: Db) -> Answer {
    tokio::time::timeout(std::time::Duration::from_secs(4), store.ping())
        .await
        .map_err(|_| ApiError::TimedOut)?
        .map_err(ApiError::Unavailable)?;
    Ok(HttpResponse::Ok().json(Health {
        status: HealthStatus::Ready,
    }))
}
