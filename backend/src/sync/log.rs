//! The change log: per-scope versions taken under the scope row's lock, one row per entity.
//!
//! A writer bumps `sync_scopes.version` with an upsert that locks the scope's row until its
//! transaction ends, so a later writer of the same scope gets a higher version only after the
//! earlier one committed. Versions therefore become visible in order, and a reader that saw
//! version `n` has seen every change up to `n`: there are no gaps to skip. Scopes are locked in
//! sorted order so that two writers of the same scopes cannot deadlock.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, OnConflict, Query};
use sea_orm::{ConnectionTrait, DbErr, ExprTrait, Order, QueryResult};
use serde_json::Value;
use uuid::Uuid;
use xodim_domain::sync::{Change, EntityKind, Scope};

/// One entity version to write into one scope; `data: None` removes it from the scope.
#[derive(Debug, Clone)]
pub struct Entry {
    pub scope: Scope,
    pub kind: EntityKind,
    pub id: Uuid,
    pub data: Option<Value>,
}

pub(crate) fn kind_name(kind: EntityKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// Writes the entries in the caller's transaction; returns each scope's new version.
pub async fn record(
    txn: &impl ConnectionTrait,
    mut entries: Vec<Entry>,
    now: DateTime<Utc>,
) -> Result<Vec<(Scope, i64)>, DbErr> {
    entries.sort_by_key(|e| e.scope.key());
    let mut heads: Vec<(Scope, i64)> = Vec::new();
    for entry in entries {
        let version = bump(txn, &entry.scope).await?;
        upsert(txn, &entry, version, now).await?;
        match heads.last_mut() {
            Some((scope, head)) if *scope == entry.scope => *head = version,
            _ => heads.push((entry.scope, version)),
        }
    }
    Ok(heads)
}

async fn bump(txn: &impl ConnectionTrait, scope: &Scope) -> Result<i64, DbErr> {
    let statement = Query::insert()
        .into_table("sync_scopes")
        .columns(["id", "version", "compacted_through"])
        .values([scope.key().into(), 1i64.into(), 0i64.into()])
        .map_err(|e| DbErr::Custom(e.to_string()))?
        .on_conflict(
            OnConflict::column("id")
                .value("version", Expr::col(("sync_scopes", "version")).add(1))
                .to_owned(),
        )
        .returning_col("version")
        .to_owned();
    let row = txn.query_one(&statement).await?;
    row.ok_or_else(|| DbErr::Custom("scope version not returned".into()))?
        .try_get("", "version")
}

async fn upsert(
    txn: &impl ConnectionTrait,
    entry: &Entry,
    version: i64,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let data = entry.data.as_ref().map(Value::to_string);
    let statement = Query::insert()
        .into_table("change_log")
        .columns([
            "scope_id",
            "kind",
            "entity_id",
            "version",
            "data",
            "changed_at",
        ])
        .values([
            entry.scope.key().into(),
            kind_name(entry.kind).into(),
            entry.id.into(),
            version.into(),
            data.into(),
            now.into(),
        ])
        .map_err(|e| DbErr::Custom(e.to_string()))?
        .on_conflict(
            OnConflict::columns(["scope_id", "kind", "entity_id"])
                .update_columns(["version", "data", "changed_at"])
                .to_owned(),
        )
        .to_owned();
    txn.execute(&statement).await.map(|_| ())
}

/// The current version and compaction point of scopes (absent scopes have never changed).
pub async fn heads(
    db: &impl ConnectionTrait,
    scopes: &[Scope],
) -> Result<Vec<(Scope, i64, i64)>, DbErr> {
    let keys: Vec<String> = scopes.iter().map(Scope::key).collect();
    let statement = Query::select()
        .columns(["id", "version", "compacted_through"])
        .from("sync_scopes")
        .and_where(Expr::col("id").is_in(keys))
        .to_owned();
    let rows = db.query_all(&statement).await?;
    let mut heads = Vec::with_capacity(rows.len());
    for row in rows {
        let id: String = row.try_get("", "id")?;
        let Ok(scope) = id.parse::<Scope>() else {
            continue;
        };
        heads.push((
            scope,
            row.try_get("", "version")?,
            row.try_get("", "compacted_through")?,
        ));
    }
    Ok(heads)
}

/// Up to `limit` changes of a scope after `after`, in version order.
pub async fn changes_after(
    db: &impl ConnectionTrait,
    scope: &Scope,
    after: i64,
    limit: u64,
) -> Result<Vec<Change>, DbErr> {
    let statement = Query::select()
        .columns(["kind", "entity_id", "version", "data"])
        .from("change_log")
        .and_where(Expr::col("scope_id").eq(scope.key()))
        .and_where(Expr::col("version").gt(after))
        .order_by("version", Order::Asc)
        .limit(limit)
        .to_owned();
    db.query_all(&statement)
        .await?
        .iter()
        .map(|row| change_of(*scope, row))
        .collect()
}

fn change_of(scope: Scope, row: &QueryResult) -> Result<Change, DbErr> {
    let kind: String = row.try_get("", "kind")?;
    let data: Option<String> = row.try_get("", "data")?;
    Ok(Change {
        scope,
        kind: serde_json::from_value(Value::String(kind))
            .map_err(|e| DbErr::Custom(e.to_string()))?,
        id: row.try_get("", "entity_id")?,
        version: row.try_get("", "version")?,
        data: data
            .map(|d| serde_json::from_str(&d))
            .transpose()
            .map_err(|e| DbErr::Custom(e.to_string()))?,
    })
}

/// Deletes tombstones older than `before` and remembers, per scope, up to which version they
/// may be gone: a cursor older than that cannot be continued and is told to start the scope over.
pub async fn compact(db: &impl ConnectionTrait, before: DateTime<Utc>) -> Result<u64, DbErr> {
    let affected = Query::select()
        .column("scope_id")
        .expr_as(Expr::col("version").max(), "upto")
        .from("change_log")
        .and_where(Expr::col("data").is_null())
        .and_where(Expr::col("changed_at").lt(before))
        .group_by_col("scope_id")
        .to_owned();
    let mut removed = 0;
    for row in db.query_all(&affected).await? {
        let scope: String = row.try_get("", "scope_id")?;
        let upto: i64 = row.try_get("", "upto")?;
        let raise = Query::update()
            .table("sync_scopes")
            .value("compacted_through", upto)
            .and_where(Expr::col("id").eq(scope.clone()))
            .and_where(Expr::col("compacted_through").lt(upto))
            .to_owned();
        db.execute(&raise).await?;
        let delete = Query::delete()
            .from_table("change_log")
            .and_where(Expr::col("scope_id").eq(scope))
            .and_where(Expr::col("data").is_null())
            .and_where(Expr::col("version").lte(upto))
            .to_owned();
        removed += db.execute(&delete).await?.rows_affected();
    }
    Ok(removed)
}
