//! The staff API under `/api/v1/admin`: every route takes the
//! [`Staff`](crate::auth::Staff) extractor, checks its permission with
//! `staff.require(…)`, and reads and writes only rows of the staff member's
//! own municipality (another municipality's row answers 404).
//!
//! To add routes, write a module with a `configure(cfg)` function that
//! registers each [`resource`](super::resource) and call it from [`scope`]; add
//! the routes to `tests/e2e/roles.rs` too.

pub mod areas;
pub mod audit;
pub mod authoring;
pub mod events;
pub mod focus;
pub mod invitations;
pub mod lagesbild;
pub mod moderation;
pub mod plans;
pub mod promises;
pub mod session;
pub mod users;

use actix_web::web;

use super::surveys::api_not_found;

/// The `/admin` scope, mounted under `/api/v1`.
pub fn scope() -> impl actix_web::dev::HttpServiceFactory + use<> {
    web::scope("/admin")
        .wrap(actix_web::middleware::from_fn(crate::auth::staff_answers))
        .configure(session::configure)
        .configure(users::configure)
        .configure(audit::configure)
        .configure(promises::configure)
        .configure(authoring::configure)
        .configure(moderation::configure)
        .configure(lagesbild::configure)
        .configure(areas::configure)
        .configure(focus::configure)
        .configure(invitations::configure)
        .configure(plans::configure)
        .configure(events::configure)
        .default_service(web::to(api_not_found))
}
