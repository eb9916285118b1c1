//! Staff accounts of the admin's own municipality: `/api/v1/admin/users`.
//! A new account gets a one-time password, shown once, that must be replaced
//! at first sign-in. Accounts are disabled, never deleted, so the audit log
//! keeps naming who did what.

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use trygg_domain::AuditAction;
use trygg_domain::{Email, Permission, Role};
use trygg_lagesbild::staff::{self, ChangeUserBody};
use utoipa::ToSchema;

use super::session::UserDto;
use crate::api_doc::{Csrf, Refused};
use crate::auth::Staff;
use crate::routes::{Answer, Db, Id, resource};

/// Registers the user routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(resource("/users").get(list).post(add))
        .service(resource("/users/{id}").get(show).patch(change));
}

/// The municipality's accounts.
#[derive(Serialize, ToSchema)]
pub struct UsersDto {
    users: Vec<UserDto>,
}

/// List the municipality's staff accounts.
#[utoipa::path(get, path = "/api/v1/admin/users", tag = "staff",
    responses(
        (status = 200, description = "The accounts, by address", body = UsersDto), Refused,
    )
)]
pub async fn list(staff: Staff, store: Db) -> Answer {
    staff.require(Permission::ManageUsers)?;
    let users = store.staff_users(staff.municipality_id()).await?;
    Ok(HttpResponse::Ok().json(UsersDto {
        users: users.iter().map(UserDto::from).collect(),
    }))
}

/// One account of the municipality.
#[utoipa::path(get, path = "/api/v1/admin/users/{id}", tag = "staff",
    params(("id" = String, Path, description = "The account's id")),
    responses(
        (status = 200, description = "The account", body = UserDto), Refused,
        (status = 404, description = "No such account in this municipality", body = crate::api_doc::Error),
    )
)]
pub async fn show(staff: Staff, store: Db, id: Id) -> Answer {
    staff.require(Permission::ManageUsers)?;
    let user = staff::own_user(&store, &staff.actor(), &id).await?;
    Ok(HttpResponse::Ok().json(UserDto::from(&user)))
}

/// A new account.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUserBody {
    /// The person's work address.
    email: String,
    /// `admin`, `analyst`, `partner`, `moderator` or `viewer`.
    role: String,
}

/// A new account and its one-time password, shown this once.
#[derive(Serialize, ToSchema)]
pub struct NewUserDto {
    user: UserDto,
    /// Give it to the person; they choose their own at first sign-in.
    one_time_password: String,
}

/// Add a staff account with a one-time password.
#[utoipa::path(post, path = "/api/v1/admin/users", tag = "staff",
    params(Csrf),
    request_body(content = NewUserBody, content_type = "application/json"),
    responses(
        (status = 201, description = "Added", body = NewUserDto), Refused,
        (status = 409, description = "The address already has an account here", body = crate::api_doc::Error),
        (status = 422, description = "Not an e-mail address, or not a role", body = crate::api_doc::Error),
    )
)]
pub async fn add(staff: Staff, store: Db, body: web::Json<NewUserBody>) -> Answer {
    staff.require(Permission::ManageUsers)?;
    let email = Email::parse(&body.email, "email")?;
    let role = Role::parse(&body.role, "role")?;
    let (user, one_time_password) =
        crate::auth::create_account(&store, staff.municipality_id(), email, role).await?;
    staff
        .audit(
            &store,
            AuditAction::UserAdded,
            &format!("{} ({})", user.email, user.role),
        )
        .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Cache-Control", "no-store"))
        .json(NewUserDto {
            user: UserDto::from(&user),
            one_time_password,
        }))
}

/// Disable, enable or re-role an account of the municipality.
#[utoipa::path(patch, path = "/api/v1/admin/users/{id}", tag = "staff",
    params(("id" = String, Path, description = "The account's id"), Csrf),
    request_body(content = ChangeUserBody, content_type = "application/json"),
    responses(
        (status = 200, description = "The changed account", body = UserDto), Refused,
        (status = 404, description = "No such account in this municipality", body = crate::api_doc::Error),
        (status = 422, description = "Not a role, or an admin changing their own account", body = crate::api_doc::Error),
    )
)]
pub async fn change(staff: Staff, store: Db, id: Id, body: web::Json<ChangeUserBody>) -> Answer {
    staff.require(Permission::ManageUsers)?;
    let user = staff::change_user(&store, &staff.actor(), &id, body.into_inner()).await?;
    Ok(HttpResponse::Ok().json(UserDto::from(&user)))
}
