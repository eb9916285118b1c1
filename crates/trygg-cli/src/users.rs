//! `trygg user add|list|disable|enable`: staff accounts from the command line,
//! for the first admin of a new municipality and for scripts. A new account
//! gets a one-time password, printed once, that the person must replace at
//! first sign-in; it is never stored in clear or logged.

use crate::terminal::say;
use anyhow::{Context, bail};
use clap::Subcommand;
use trygg_domain::AuditAction;
use trygg_domain::{Email, Municipality, Role};
use trygg_store::Store;

/// `trygg user …`
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a staff account and print its one-time password.
    Add {
        /// The person's work e-mail address.
        #[arg(long)]
        email: String,
        /// admin, analyst, partner, moderator, viewer or reporter (an EST rapportör).
        #[arg(long, value_parser = parse_role)]
        role: Role,
    },
    /// List the municipality's staff accounts.
    List,
    /// Disable an account: it cannot sign in and its sessions end at once.
    Disable {
        /// The account's e-mail address.
        #[arg(long)]
        email: String,
    },
    /// Give an account a new one-time password (for a forgotten password or a
    /// lost phone): its sessions end and its second factor is removed.
    Reset {
        /// The account's e-mail address.
        #[arg(long)]
        email: String,
    },
    /// Enable a disabled account again.
    Enable {
        /// The account's e-mail address.
        #[arg(long)]
        email: String,
    },
}

fn parse_role(text: &str) -> Result<Role, String> {
    Role::parse(text, "role").map_err(|e| e.message)
}

/// Runs a `trygg user` command in `municipality`.
pub async fn run(
    store: &Store,
    municipality: &Municipality,
    command: UserCommand,
) -> anyhow::Result<()> {
    match command {
        UserCommand::Add { email, role } => add(store, municipality, &email, role).await,
        UserCommand::List => list(store, municipality).await,
        UserCommand::Disable { email } => set_disabled(store, municipality, &email, true).await,
        UserCommand::Enable { email } => set_disabled(store, municipality, &email, false).await,
        UserCommand::Reset { email } => reset(store, municipality, &email).await,
    }
}

async fn add(store: &Store, m: &Municipality, email: &str, role: Role) -> anyhow::Result<()> {
    let email =
        Email::parse(email, "email").map_err(|e| anyhow::anyhow!("--email: {}", e.message))?;
    let (user, one_time) =
        trygg_lagesbild::accounts::create_account(store, m.id, email, role).await?;
    let subject = format!("{} ({})", user.email, user.role);
    store
        .audit(m.id, None, AuditAction::UserAdded, &subject)
        .await?;
    say!("Added {} as {} in {}.", user.email, user.role, m.slug);
    say!("One-time password: {one_time}");
    say!(
        "Give it to them in person or by phone; they sign in at /admin and must choose their own password at once."
    );
    Ok(())
}

async fn list(store: &Store, m: &Municipality) -> anyhow::Result<()> {
    say!("{:<40} {:<10} status", "email", "role");
    for user in store.staff_users(m.id).await? {
        let status = if user.disabled {
            "disabled"
        } else if user.must_change_password {
            "one-time password not yet replaced"
        } else {
            "active"
        };
        let totp = if user.totp_enabled { ", TOTP" } else { "" };
        say!("{:<40} {:<10} {status}{totp}", user.email, user.role);
    }
    Ok(())
}

async fn reset(store: &Store, m: &Municipality, email: &str) -> anyhow::Result<()> {
    let account = find(store, m, email).await?;
    let one_time = trygg_lagesbild::password::one_time_password();
    let hash = trygg_lagesbild::password::hash(&one_time)
        .map_err(|e| anyhow::anyhow!("cannot hash the password: {e}"))?;
    store.reset_staff_password(m.id, account.id, &hash).await?;
    let subject = account.email.as_str();
    store
        .audit(m.id, None, AuditAction::PasswordReset, subject)
        .await?;
    say!(
        "Reset {} in {}: signed out everywhere, two-step verification removed.",
        account.email,
        m.slug
    );
    say!("One-time password: {one_time}");
    Ok(())
}

async fn set_disabled(
    store: &Store,
    municipality: &Municipality,
    email: &str,
    disabled: bool,
) -> anyhow::Result<()> {
    let account = find(store, municipality, email).await?;
    let email = account.email;
    store
        .set_staff_disabled(municipality.id, account.id, disabled)
        .await
        .context("cannot change the account")?;
    let (action, done) = if disabled {
        (AuditAction::UserDisabled, "Disabled")
    } else {
        (AuditAction::UserEnabled, "Enabled")
    };
    store
        .audit(municipality.id, None, action, email.as_str())
        .await?;
    say!("{done} {email} in {}.", municipality.slug);
    Ok(())
}

async fn find(
    store: &Store,
    municipality: &Municipality,
    email: &str,
) -> anyhow::Result<trygg_domain::StaffUser> {
    let email =
        Email::parse(email, "email").map_err(|e| anyhow::anyhow!("--email: {}", e.message))?;
    let Some(account) = store
        .staff_credentials(&email, Some(municipality.id))
        .await?
        .into_iter()
        .next()
    else {
        bail!(
            "no account {email} in {}; `trygg user list` shows them",
            municipality.slug
        );
    };
    Ok(account.user)
}
