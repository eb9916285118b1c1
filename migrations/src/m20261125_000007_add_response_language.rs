//! The language a response was given in, so analysts can see who answered in
//! English; existing responses were all given in Swedish.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{add_column, drop_column};

migration! {
    up(manager) {
        add_column(manager, "response", string_len("language", 8).default("sv")).await
    }
    down(manager) {
        drop_column(manager, "response", "language").await
    }
}
