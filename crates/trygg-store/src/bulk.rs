//! Many rows of one table in as few statements as the backend does best.
//!
//! On PostgreSQL a batch goes as one `INSERT … SELECT … FROM
//! json_populate_recordset(…)` with all rows as a single JSON parameter. The
//! statement text is the same for every batch, so each pooled connection
//! prepares it once and reuses the plan; a multi-row `VALUES` list has a new
//! text for every batch size, so nearly every batch cost an extra round trip
//! to prepare and a plan over thousands of bound parameters. On SQLite, where
//! preparing is cheap but bound parameters are limited, rows go as multi-row
//! `VALUES` in chunks.

use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DbBackend, DbErr, EntityName, EntityTrait, IdenStatic,
    Iterable, Statement, Value,
};
use serde_json::{Map, Number, Value as Json};
use time::format_description::well_known::Rfc3339;

/// Rows per INSERT statement on SQLite: well under its limit on bound parameters.
const CHUNK: usize = 500;

/// Inserts `rows` (all of one table, with the same columns set) inside `conn`,
/// usually a transaction.
pub(crate) async fn insert_all<A, C>(conn: &C, rows: Vec<A>) -> Result<(), DbErr>
where
    A: ActiveModelTrait + Send,
    C: ConnectionTrait,
{
    if rows.is_empty() {
        return Ok(());
    }
    if conn.get_database_backend() == DbBackend::Postgres
        && let Some(statement) = as_one_statement(&rows)
    {
        conn.execute_raw(statement).await?;
        return Ok(());
    }
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<A> = rows.by_ref().take(CHUNK).collect();
        A::Entity::insert_many(chunk).exec(conn).await?;
    }
    Ok(())
}

/// The PostgreSQL statement for `rows`, or `None` when a value has no exact
/// JSON form here (then the rows go the general way).
fn as_one_statement<A: ActiveModelTrait>(rows: &[A]) -> Option<Statement> {
    let first = rows.first()?;
    let columns: Vec<_> = <A::Entity as EntityTrait>::Column::iter()
        .filter(|c| !first.get(*c).is_not_set())
        .collect();
    let mut records = Vec::with_capacity(rows.len());
    for row in rows {
        let mut record = Map::with_capacity(columns.len());
        for column in &columns {
            let value = row.get(*column).into_value()?;
            record.insert(column.as_str().to_owned(), json_of(value)?);
        }
        records.push(Json::Object(record));
    }
    let table = <A::Entity as Default>::default().table_name().to_owned();
    let names = columns
        .iter()
        .map(|c| format!("\"{}\"", c.as_str()))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "INSERT INTO \"{table}\" ({names}) SELECT {names} FROM json_populate_recordset(NULL::\"{table}\", $1::json)"
    );
    let json = serde_json::to_string(&records).ok()?;
    Some(Statement::from_sql_and_values(
        DbBackend::Postgres,
        sql,
        [Value::String(Some(json))],
    ))
}

/// The JSON form of a column value that PostgreSQL reads back exactly.
fn json_of(value: Value) -> Option<Json> {
    Some(match value {
        Value::String(v) => v.map_or(Json::Null, Json::String),
        Value::Uuid(v) => v.map_or(Json::Null, |u| Json::String(u.to_string())),
        // The shortest text that parses back to the same double.
        Value::Double(v) => {
            v.map_or(Some(Json::Null), |f| Number::from_f64(f).map(Json::Number))?
        }
        Value::Bool(v) => v.map_or(Json::Null, Json::Bool),
        Value::Int(v) => v.map_or(Json::Null, |i| Json::Number(i.into())),
        Value::BigInt(v) => v.map_or(Json::Null, |i| Json::Number(i.into())),
        Value::TimeDateTimeWithTimeZone(v) => match v {
            Some(t) => Json::String(t.format(&Rfc3339).ok()?),
            None => Json::Null,
        },
        _ => return None,
    })
}
