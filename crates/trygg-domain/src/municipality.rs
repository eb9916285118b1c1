//! The municipality (kommun): the tenant every row belongs to.

use crate::{DomainError, MunicipalityId, Slug, parse_label};

/// A municipality using Trygg, together with its local police area.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Municipality {
    /// Stable identifier.
    pub id: MunicipalityId,
    /// Short name for URLs and the CLI, e.g. `upplands-bro`.
    pub slug: Slug,
    /// Name shown to people.
    pub name: String,
    /// True for generated demo data, which every page labels as synthetic.
    pub synthetic: bool,
}

impl Municipality {
    /// Parses a new municipality.
    pub fn parse(slug: &str, name: &str, synthetic: bool) -> Result<Self, DomainError> {
        Ok(Self {
            id: MunicipalityId::new(),
            slug: Slug::parse(slug, "slug")?,
            name: parse_label(name, 120, "name")?,
            synthetic,
        })
    }
}
