//! Demo staff accounts for `trygg serve --demo`: an admin, an analyst, a
//! moderator, a police partner and an EST rapportör of the demo's
//! bostadsbolag, in the synthetic demo municipality, with fixed passwords printed at start, so
//! anyone trying Trygg can open the staff pages at once. They exist only in
//! the demo municipality; a real municipality's accounts come from
//! `trygg user add`, with one-time passwords.

use trygg_domain::{Email, Role, StaffUser, StaffUserId};
use trygg_store::Store;

use super::MUNICIPALITY_SLUG;

/// The demo's accounts: address, role and password.
pub const ACCOUNTS: [(&str, Role, &str); 5] = [
    ("admin@trygg.example", Role::Admin, "demo-admin-trygg"),
    (
        "analytiker@trygg.example",
        Role::Analyst,
        "demo-analytiker-trygg",
    ),
    (
        "moderator@trygg.example",
        Role::Moderator,
        "demo-moderator-trygg",
    ),
    // A police partner, who records progress on the medborgarlöften.
    ("polis@trygg.example", Role::Partner, "demo-polis-trygg"),
    // An EST rapportör, who reports händelser for the demo's bostadsbolag.
    (
        "rapportor@trygg.example",
        Role::Reporter,
        "demo-rapportor-trygg",
    ),
];

/// The organisation the demo's rapportör reports for.
const REPORTER_ORGANISATION: &str = "Bostadsbolaget (demo)";

/// Adds the demo accounts to the demo municipality unless they are there.
pub async fn ensure(store: &Store) -> anyhow::Result<()> {
    let Some(municipality) = store.municipality_by_slug(MUNICIPALITY_SLUG).await? else {
        return Ok(());
    };
    for (email, role, password) in ACCOUNTS {
        let email = Email::parse(email, "email").map_err(|e| anyhow::anyhow!(e.message))?;
        if !store
            .staff_credentials(&email, Some(municipality.id))
            .await?
            .is_empty()
        {
            continue;
        }
        let hash = trygg_lagesbild::password::hash(password)
            .map_err(|e| anyhow::anyhow!("cannot hash the demo password: {e}"))?;
        let user = StaffUser {
            id: StaffUserId::new(),
            municipality_id: municipality.id,
            email,
            role,
            disabled: false,
            must_change_password: false,
            totp_enabled: false,
        };
        store.insert_staff_user(&user, &hash).await?;
        if role == Role::Reporter {
            let organisation = store
                .organisations(municipality.id)
                .await?
                .into_iter()
                .find(|o| o.name() == REPORTER_ORGANISATION);
            store
                .set_staff_organisation(municipality.id, user.id, organisation.map(|o| o.id()))
                .await?;
        }
    }
    Ok(())
}

/// Tells how to sign in to the demo's staff pages. It comes after the line
/// with the URL, which scripts read before they may close the pipe, so a
/// closed standard output is ignored here rather than ending the server.
pub fn print_sign_in(base_url: &str) {
    use std::io::Write;
    let mut out = crate::terminal::stdout();
    let _ = writeln!(
        out,
        "Staff pages of the synthetic demo: {base_url}admin  (demo accounts, never use on real data)"
    );
    for (email, role, password) in ACCOUNTS {
        let _ = writeln!(out, "  {role:<8} {email}  password: {password}");
    }
    let _ = out.flush();
}
