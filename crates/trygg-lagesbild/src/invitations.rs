//! Invitation codes for a postal sample: `count` single-use codes for letters
//! to one area (or none), stored with the survey, and the print shop's CSV
//! ([`crate::csv::invitation_letters`]) with each letter's code and link. The
//! server and `trygg invitations create` both make letters here, so both
//! doors refuse the same counts and areas and write the same file.

use trygg_domain::AuditAction;
use trygg_domain::ErrorCode;
use trygg_domain::{CODE_CHARS, InvitationCode, Key, Survey};
use trygg_store::Store;

use crate::workflow::{Actor, WorkflowError};

/// The most codes made at once: a large postal sample.
pub const MAX_CODES: usize = 50_000;

/// What a batch of letters is for.
#[derive(Debug, Clone, Copy)]
pub struct Batch<'a> {
    /// How many codes, 1 to [`MAX_CODES`].
    pub count: usize,
    /// The area (code) the letters go to, for response rates per area.
    pub area: Option<&'a str>,
    /// The server's public address, the start of every letter's link.
    pub base_url: &'a str,
}

/// A stored batch of codes and the print shop's CSV (`kod,lank,omrade`).
#[derive(Debug)]
pub struct Letters {
    codes: usize,
    csv: Vec<u8>,
}

impl Letters {
    /// How many codes were made.
    pub const fn codes(&self) -> usize {
        self.codes
    }

    /// The print shop's CSV.
    pub fn into_csv(self) -> Vec<u8> {
        self.csv
    }
}

/// `count` fresh codes from the operating system's randomness.
///
/// # Errors
/// [`WorkflowError::Internal`] when the operating system gives no randomness.
pub fn new_codes(count: usize) -> Result<Vec<InvitationCode>, WorkflowError> {
    (0..count)
        .map(|_| {
            let mut bytes = [0_u8; CODE_CHARS];
            getrandom::fill(&mut bytes)
                .map_err(|e| WorkflowError::Internal(format!("no randomness for codes: {e}")))?;
            Ok(InvitationCode::from_random(bytes))
        })
        .collect()
}

/// Makes and stores the codes of `batch` for `survey`, audited as `actor`
/// when a staff member asks; from then on the survey is answered only with a code.
///
/// # Errors
/// A count out of range (`out_of_range`), an area that is not a key or not one
/// of the municipality's (`unknown_area`), or the store's.
pub async fn create(
    store: &Store,
    survey: &Survey,
    batch: Batch<'_>,
    actor: Option<&Actor>,
) -> Result<Letters, WorkflowError> {
    if !(1..=MAX_CODES).contains(&batch.count) {
        return Err(WorkflowError::invalid(
            ErrorCode::OutOfRange,
            "count",
            format!("make between 1 and {MAX_CODES} codes at a time"),
        ));
    }
    let area = known_area(store, survey, batch.area).await?;
    let codes = new_codes(batch.count)?;
    store
        .insert_invitations(survey, area.as_ref(), &codes)
        .await?;
    if let Some(actor) = actor {
        let target = format!("{}: {} codes", survey.slug, codes.len());
        actor
            .audit(store, AuditAction::InvitationsCreated, &target)
            .await?;
    }
    let csv =
        crate::csv::invitation_letters(&codes, batch.base_url, &survey.slug, area.as_ref())
            .map_err(|e| WorkflowError::Internal(format!("the letters cannot be written: {e}")))?;
    Ok(Letters {
        codes: codes.len(),
        csv,
    })
}

async fn known_area(
    store: &Store,
    survey: &Survey,
    raw: Option<&str>,
) -> Result<Option<Key>, WorkflowError> {
    let Some(raw) = raw else {
        return Ok(None);
    };
    let key = Key::parse(raw, "area")?;
    let areas = store.areas(survey.municipality_id).await?;
    if !areas.iter().any(|a| a.code == key) {
        return Err(WorkflowError::invalid(
            ErrorCode::UnknownArea,
            "area",
            format!("`{key}` is not one of the municipality's areas"),
        ));
    }
    Ok(Some(key))
}
