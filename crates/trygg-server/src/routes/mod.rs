//! HTTP routes, one module per resource.

pub mod health;
pub mod overview;
pub mod surveys;
