//! HTTP routes, one module per resource.

pub mod admin;
pub mod follow_up;
pub mod health;
pub mod invitation;
pub mod overview;
pub mod proof_of_work;
pub mod results;
pub mod surveys;
pub mod writer;
