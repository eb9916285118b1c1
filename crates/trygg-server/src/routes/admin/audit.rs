//! The municipality's audit log for admins: `GET /api/v1/admin/audit`.

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;
use trygg_domain::Permission;
use utoipa::{IntoParams, ToSchema};

use crate::api_doc::Refused;
use crate::auth::Staff;
use crate::error::ApiError;
use crate::routes::{Answer, Db, resource};

/// Registers the audit route.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(resource("/audit").get(list));
}

/// How many events to show.
#[derive(Deserialize, IntoParams)]
pub struct AuditQuery {
    /// At most this many, newest first (default 200, at most 1000).
    limit: Option<u64>,
}

/// One staff action.
#[derive(Serialize, ToSchema)]
pub struct AuditEventDto {
    id: String,
    /// When (RFC 3339).
    at: String,
    /// The account's id, or null for the CLI.
    user_id: Option<String>,
    /// The account's address, or `trygg (CLI)`.
    actor: String,
    /// What, e.g. `login`, `user_added`, `survey_published`.
    action: String,
    /// On what.
    target: String,
}

/// The audit log.
#[derive(Serialize, ToSchema)]
pub struct AuditDto {
    events: Vec<AuditEventDto>,
}

/// The municipality's latest staff actions.
#[utoipa::path(get, path = "/api/v1/admin/audit", tag = "staff",
    params(AuditQuery),
    responses(
        (status = 200, description = "Newest first", body = AuditDto), Refused,
    )
)]
pub async fn list(staff: Staff, store: Db, query: web::Query<AuditQuery>) -> Answer {
    staff.require(Permission::ReadAudit)?;
    let limit = query.limit.unwrap_or(200).clamp(1, 1000);
    let events = store
        .audit_events(staff.municipality_id(), limit)
        .await?
        .into_iter()
        .map(|e| {
            Ok(AuditEventDto {
                id: e.id.to_string(),
                at: e
                    .at
                    .format(&Rfc3339)
                    .map_err(|e| ApiError::Unexpected(e.into()))?,
                user_id: e.user_id.map(|u| u.to_string()),
                actor: e.actor,
                action: e.action,
                target: e.target,
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    Ok(HttpResponse::Ok().json(AuditDto { events }))
}
