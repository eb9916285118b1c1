//! The pieces of schema that most migrations write alike: a table that belongs
//! to one municipality, a foreign key that goes with its parent row, a
//! moderator's decision, an index, dropping tables. Each builds exactly the statement the migrations wrote out by
//! hand before, so moving a migration onto them does not change its schema.
//! Nothing here may ever change what it builds: old migrations call it too.

use sea_orm_migration::{prelude::*, schema::*};

/// Declares a file's `Migration` from the bodies of its `up` and `down`, each
/// with the name it gives the schema manager:
/// `migration! { up(manager) { … } down(manager) { … } }`. The migration is
/// named after its file, as `DeriveMigrationName` names it.
macro_rules! migration {
    (up($up:ident) $up_body:block down($down:ident) $down_body:block) => {
        #[derive(DeriveMigrationName)]
        pub struct Migration;

        #[async_trait::async_trait]
        impl MigrationTrait for Migration {
            async fn up(&self, $up: &SchemaManager) -> Result<(), DbErr> $up_body

            async fn down(&self, $down: &SchemaManager) -> Result<(), DbErr> $down_body
        }
    };
}

/// A table whose primary key is the UUID `id`; the caller adds the other
/// columns.
pub(crate) fn id_table(table: impl IntoIden) -> TableCreateStatement {
    Table::create()
        .table(table)
        .col(uuid("id").primary_key())
        .to_owned()
}

/// A table whose rows belong to one municipality: it starts with a UUID
/// primary key `id` and a `municipality_id`, whose foreign key
/// `fk_{table}_municipality` deletes the row with its municipality. The
/// caller adds the other columns and foreign keys.
pub(crate) fn tenant_table(table: impl IntoIden) -> TableCreateStatement {
    let table = table.into_iden();
    id_table(table.clone())
        .col(uuid("municipality_id"))
        .foreign_key(&mut cascade(
            &format!("fk_{table}_municipality"),
            (table, "municipality_id"),
            "municipality",
        ))
        .to_owned()
}

/// A [`tenant_table`] whose rows also belong to one survey round: after
/// `municipality_id` comes `survey_id`, whose foreign key `fk_{table}_survey`
/// deletes the row with its survey.
pub(crate) fn survey_table(table: impl IntoIden) -> TableCreateStatement {
    tenant_table(table)
        .references(uuid("survey_id"), "survey")
        .to_owned()
}

/// A table of at most one row per survey round: its primary key is
/// `survey_id`, then comes `municipality_id`; their foreign keys
/// `fk_{table}_municipality` and `fk_{table}_survey` delete the row with its
/// municipality or survey.
pub(crate) fn per_survey_table(table: impl IntoIden) -> TableCreateStatement {
    Table::create()
        .table(table)
        .col(uuid("survey_id").primary_key())
        .references(uuid("municipality_id"), "municipality")
        .foreign_key_to("survey_id", "survey")
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

/// What migrations add to a table they create beside plain columns.
pub(crate) trait TableExt {
    /// Adds `column`, which holds the `id` of a row of `parent`, with its
    /// foreign key (see [`TableExt::foreign_key_to`]).
    fn references(&mut self, column: impl IntoColumnDef, parent: impl IntoIden) -> &mut Self;

    /// Adds the foreign key `fk_{table}_{column without "_id"}` from the
    /// column `column` to the `id` of `parent`, which deletes the row with its
    /// parent row (see [`cascade`]).
    fn foreign_key_to(&mut self, column: impl IntoIden, parent: impl IntoIden) -> &mut Self;

    /// Adds one column for each of `names`, in order, each made by `column`
    /// (such as `string` or `text`).
    fn columns<const N: usize>(
        &mut self,
        column: fn(&'static str) -> ColumnDef,
        names: [&'static str; N],
    ) -> &mut Self;

    /// Adds a point as the doubles `lon` and `lat`, which both databases
    /// hold without a spatial extension.
    fn point(&mut self) -> &mut Self;

    /// Adds the dates `starts_on` and `ends_on` of a span of time.
    fn period(&mut self) -> &mut Self;

    /// Adds the columns of a moderator's decision on a text: where the text
    /// comes from, the status given, the text as edited, the reason, who
    /// decided and when. No foreign key to the account: decisions outlive
    /// accounts.
    fn moderation_decision(&mut self) -> &mut Self;

    /// Creates the table as built so far: `tenant_table("x").col(…).create(manager).await`.
    async fn create(&self, manager: &SchemaManager<'_>) -> Result<(), DbErr>;
}

impl TableExt for TableCreateStatement {
    fn references(&mut self, column: impl IntoColumnDef, parent: impl IntoIden) -> &mut Self {
        let column = column.into_column_def();
        let name = column.get_column_name();
        self.col(column).foreign_key_to(name, parent)
    }

    fn foreign_key_to(&mut self, column: impl IntoIden, parent: impl IntoIden) -> &mut Self {
        let Some(TableRef::Table(TableName(_, table), _)) = self.get_table_name() else {
            panic!("a foreign key needs the table's name first");
        };
        let table = table.clone();
        let column = column.into_iden();
        let column_name = column.to_string();
        let name = format!(
            "fk_{table}_{}",
            column_name.strip_suffix("_id").unwrap_or(&column_name)
        );
        self.foreign_key(&mut cascade(&name, (table, column), parent))
    }

    fn columns<const N: usize>(
        &mut self,
        column: fn(&'static str) -> ColumnDef,
        names: [&'static str; N],
    ) -> &mut Self {
        for name in names {
            self.col(column(name));
        }
        self
    }

    fn point(&mut self) -> &mut Self {
        self.col(double("lon")).col(double("lat"))
    }

    fn period(&mut self) -> &mut Self {
        self.col(date("starts_on")).col(date("ends_on"))
    }

    fn moderation_decision(&mut self) -> &mut Self {
        self.col(string("source"))
            .col(string("status"))
            .col(text_null("edited_text"))
            .col(text_null("reason"))
            .col(uuid_null("decided_by"))
            .col(timestamp_with_time_zone("decided_at"))
    }

    async fn create(&self, manager: &SchemaManager<'_>) -> Result<(), DbErr> {
        manager.create_table(self.to_owned()).await
    }
}

/// Adds `column` to the existing table `table`.
pub(crate) async fn add_column(
    manager: &SchemaManager<'_>,
    table: impl IntoIden,
    column: impl IntoColumnDef,
) -> Result<(), DbErr> {
    manager
        .alter_table(Table::alter().table(table).add_column(column).to_owned())
        .await
}

/// Drops the column `column` of `table`.
pub(crate) async fn drop_column(
    manager: &SchemaManager<'_>,
    table: impl IntoIden,
    column: impl IntoIden,
) -> Result<(), DbErr> {
    manager
        .alter_table(Table::alter().table(table).drop_column(column).to_owned())
        .await
}

/// Creates the index `ix_{table}_{columns}` on `columns` of `table`, its
/// name made of the columns' names, each without "_id", joined by `_`.
pub(crate) async fn create_index(
    manager: &SchemaManager<'_>,
    table: &'static str,
    columns: &[&'static str],
) -> Result<(), DbErr> {
    create_named_index(
        manager,
        &index_name("ix", table, columns),
        table,
        columns.iter().copied(),
    )
    .await
}

/// Creates the unique index `ux_{table}_{columns}` on `columns` of `table`,
/// named as by [`create_index`].
pub(crate) async fn create_unique_index(
    manager: &SchemaManager<'_>,
    table: &'static str,
    columns: &[&'static str],
) -> Result<(), DbErr> {
    create_named_unique_index(
        manager,
        &index_name("ux", table, columns),
        table,
        columns.iter().copied(),
    )
    .await
}

fn index_name(prefix: &str, table: &str, columns: &[&str]) -> String {
    let mut name = format!("{prefix}_{table}");
    for column in columns {
        name.push('_');
        name.push_str(column.strip_suffix("_id").unwrap_or(column));
    }
    name
}

/// Creates the index `name` on `columns` of `table`.
pub(crate) async fn create_named_index<C: IntoIden>(
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
pub(crate) async fn create_named_unique_index<C: IntoIden>(
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
