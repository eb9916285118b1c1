//! Responses: who answered, as little as possible: the hour it came in and,
//! for answers sent over HTTP, the idempotency key that makes retries safe.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{TableExt, create_unique_index, drop_tables, survey_table};

migration! {
    up(manager) {
        survey_table("response")
            .col(timestamp_with_time_zone("submitted_hour"))
            .columns(string_null, ["idempotency_key", "fingerprint"])
            .create(manager)
            .await?;
        // A retried submission finds its first copy through this index; it is
        // unique so two racing retries cannot both be stored.
        create_unique_index(manager, "response", &["survey_id", "idempotency_key"]).await
    }
    down(manager) {
        drop_tables(manager, ["response"]).await
    }
}
