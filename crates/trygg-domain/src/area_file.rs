//! Areas from a GeoJSON FeatureCollection, as the CLI imports them from a file and
//! staff upload them in the browser: one parser, so both name a bad feature the same way.

use std::collections::HashMap;

use crate::ErrorCode;
use crate::{Area, DomainError, Key, Lines, MunicipalityId, plain_text};

/// Where a feature keeps the area's name and code.
#[derive(Debug, Clone, Copy)]
pub struct AreaProperties<'a> {
    /// Property holding the name, usually `name`.
    pub name: &'a str,
    /// Property holding the code, usually `code`; without it the code is made from the name.
    pub code: &'a str,
}

impl Default for AreaProperties<'_> {
    fn default() -> Self {
        Self {
            name: "name",
            code: "code",
        }
    }
}

/// Parses every feature of `collection` into an [`Area`] of `municipality_id`.
///
/// # Errors
/// The first broken rule as a [`DomainError`] whose field is `features[i]…` and whose
/// message names the feature ("feature 3, “Bro”: …"), so a person finds it in the file:
/// a missing name, a missing or invalid geometry, or a code used twice in the file.
pub fn areas_from_geojson(
    municipality_id: MunicipalityId,
    collection: &geojson::FeatureCollection,
    properties: AreaProperties<'_>,
) -> Result<Vec<Area>, DomainError> {
    if collection.features.is_empty() {
        return Err(DomainError::new(
            ErrorCode::Required,
            "features",
            "the FeatureCollection has no features",
        ));
    }
    let mut areas = Vec::with_capacity(collection.features.len());
    let mut seen: HashMap<Key, usize> = HashMap::new();
    for (i, feature) in collection.features.iter().enumerate() {
        let item = format!("features[{i}]");
        let name = feature.property(properties.name).and_then(|v| v.as_str());
        let label = match name {
            Some(name) => format!("feature {}, “{name}”", i + 1),
            None => format!("feature {}", i + 1),
        };
        let fail = |code: ErrorCode, field: String, message: &str| {
            DomainError::new(code, field, format!("{label}: {message}"))
        };
        let Some(name) = name else {
            return Err(fail(
                ErrorCode::Required,
                format!("{item}.properties.{}", properties.name),
                "the name is missing or not text",
            ));
        };
        let code_raw = match feature.property(properties.code) {
            Some(serde_json::Value::String(code)) => code.clone(),
            Some(serde_json::Value::Number(code)) => code.to_string(),
            _ => name.to_owned(),
        };
        // A code is folded into a key below, which would turn a control
        // character into `_` instead of refusing it.
        plain_text(
            &code_raw,
            Lines::One,
            &format!("{item}.properties.{}", properties.code),
        )
        .map_err(|e| DomainError::new(e.code, e.field, format!("{label}: {}", e.message)))?;
        let Some(geometry) = &feature.geometry else {
            return Err(fail(
                ErrorCode::Required,
                format!("{item}.geometry"),
                "the feature has no geometry",
            ));
        };
        let area = Area::parse(
            municipality_id,
            &key_from_label(&code_raw),
            name,
            geometry,
            &item,
        )
        .map_err(|e| DomainError::new(e.code, e.field, format!("{label}: {}", e.message)))?;
        if let Some(first) = seen.insert(area.code.clone(), i) {
            return Err(fail(
                ErrorCode::Duplicate,
                format!("{item}.properties.{}", properties.code),
                &format!(
                    "the code `{}` is also used by feature {}",
                    area.code,
                    first + 1
                ),
            ));
        }
        areas.push(area);
    }
    Ok(areas)
}

/// Makes a key from a label: lower case, Swedish letters folded to ASCII, other
/// characters to `_`, and a leading `a_` when it would start with a digit.
pub fn key_from_label(label: &str) -> String {
    let mut key: String = label
        .trim()
        .to_lowercase()
        .chars()
        .map(|c| match c {
            'å' | 'ä' | 'à' | 'á' => 'a',
            'ö' | 'ø' | 'ó' => 'o',
            'é' | 'è' => 'e',
            'ü' => 'u',
            c if c.is_ascii_lowercase() || c.is_ascii_digit() => c,
            _ => '_',
        })
        .collect();
    if key.starts_with(|c: char| c.is_ascii_digit()) {
        key.insert_str(0, "a_");
    }
    key
}
