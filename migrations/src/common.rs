//! The pieces of schema that most migrations write alike: a table that belongs
//! to one municipality, a foreign key that goes with its parent row, an index,
//! dropping tables. Each builds exactly the statement the migrations wrote out by
//! hand before, so moving a migration onto them does not change its schema.
//! Nothing here may ever change what it builds: old migrations call it too.

use sea_orm_migration::{prelude::*, schema::*};

/// A table whose rows belong to one municipality: it starts with a UUID
/// primary key `id` and a `municipality_id`, whose foreign key
/// `fk_{table}_municipality` deletes the row with its municipality. The
/// caller adds the other columns and foreign keys.
pub(crate) fn tenant_table(table: impl IntoIden) -> TableCreateStatement {
    let table = table.into_iden();
    Table::create()
        .table(table.clone())
        .col(uuid("id").primary_key())
        .col(uuid("municipality_id"))
        .foreign_key(&mut cascade(
            &format!("fk_{table}_municipality"),
            (table, "municipality_id"),
            "municipality",
        ))
        .to_owned()
}

/// The foreign key `name` from `(table, column)` to the `id` of the table
/// `parent`, which deletes the row when its parent row is deleted.
pub(crate) fn cascade(
    name: &str,
    (table, column): (impl IntoIden, impl IntoIden),
    parent: impl IntoIden,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(table.into_iden(), column.into_iden())
        .to(parent.into_iden(), "id")
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

/// Creates the index `name` on `columns` of `table`.
pub(crate) async fn create_index<C: IntoIden>(
    manager: &SchemaManager<'_>,
    name: &str,
    table: impl IntoIden,
    columns: impl IntoIterator<Item = C>,
) -> Result<(), DbErr> {
    manager
        .create_index(index(name, table, columns).to_owned())
        .await
}

/// Creates the unique index `name` on `columns` of `table`.
pub(crate) async fn create_unique_index<C: IntoIden>(
    manager: &SchemaManager<'_>,
    name: &str,
    table: impl IntoIden,
    columns: impl IntoIterator<Item = C>,
) -> Result<(), DbErr> {
    manager
        .create_index(index(name, table, columns).unique().to_owned())
        .await
}

fn index<C: IntoIden>(
    name: &str,
    table: impl IntoIden,
    columns: impl IntoIterator<Item = C>,
) -> IndexCreateStatement {
    let mut index = Index::create();
    index.name(name).table(table.into_iden());
    for column in columns {
        index.col(column.into_iden());
    }
    index
}

/// Drops `tables`, in the order given (children before their parents).
pub(crate) async fn drop_tables<T: IntoIden>(
    manager: &SchemaManager<'_>,
    tables: impl IntoIterator<Item = T>,
) -> Result<(), DbErr> {
    for table in tables {
        manager
            .drop_table(Table::drop().table(table.into_iden()).to_owned())
            .await?;
    }
    Ok(())
}
