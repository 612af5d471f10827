//! `GET /api/v1/sync/changes`: one mechanism for the first and every later sync.

use actix_web::{HttpResponse, web};
use serde::Deserialize;
use utoipa::IntoParams;
use xodim_domain::ErrorCode;
use xodim_domain::sync::{ChangesPage, Cursor, Scope};

use super::{log, notify, scopes};
use crate::auth::Actor;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Changes per page unless the client asks for fewer.
pub const DEFAULT_LIMIT: u64 = 500;
/// The most changes one page may carry.
pub const MAX_LIMIT: u64 = 1000;

/// Query of a pull.
#[derive(Debug, Deserialize, IntoParams)]
pub struct PullQuery {
    /// The cursor of the previous page; absent or empty for a first sync.
    pub cursor: Option<String>,
    /// Most changes in the page (1 to 1000, default 500).
    pub limit: Option<u64>,
}

/// The page of changes past the cursor.
#[utoipa::path(get, path = "/api/v1/sync/changes", tag = "sync", params(PullQuery),
    responses((status = 200, description = "ChangesPage"), (status = 400, description = "invalid_cursor")),
    security(("bearer" = [])))]
pub(crate) async fn changes(
    state: web::Data<AppState>,
    actor: Actor,
    query: web::Query<PullQuery>,
) -> ApiResult<HttpResponse> {
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ApiError::new(ErrorCode::InvalidPaging, "limit: 1 to 1000"));
    }
    let mut cursor = Cursor::decode(query.cursor.as_deref().unwrap_or_default())?;
    let (held, cached) = scopes::scopes_with_heads(&state.db, &state.kv, actor.account).await?;
    let removed: Vec<Scope> = cursor
        .scopes()
        .filter(|s| !held.contains(s))
        .copied()
        .collect();
    for scope in &removed {
        cursor.remove(scope);
    }
    let unchanged = held
        .iter()
        .zip(&cached)
        .all(|(scope, head)| head.is_some_and(|h| h <= cursor.position(scope)));
    let mut page = ChangesPage {
        changes: Vec::new(),
        cursor: String::new(),
        has_more: false,
        scopes: held.clone(),
        removed_scopes: removed,
        reset_scopes: Vec::new(),
    };
    if !unchanged {
        fill(&state, &held, &mut cursor, limit, &mut page).await?;
    }
    page.cursor = cursor.encode();
    Ok(HttpResponse::Ok().json(page))
}

/// Reads the heads from the database and the changes past the cursor, scope by scope.
async fn fill(
    state: &AppState,
    held: &[Scope],
    cursor: &mut Cursor,
    limit: u64,
    page: &mut ChangesPage,
) -> ApiResult<()> {
    let heads = log::heads(&state.db, held).await?;
    let known: Vec<(Scope, i64)> = held
        .iter()
        .map(|s| {
            (
                *s,
                heads
                    .iter()
                    .find(|(h, _, _)| h == s)
                    .map_or(0, |(_, v, _)| *v),
            )
        })
        .collect();
    notify::remember(&state.kv, &known).await?;
    let mut room = limit;
    for (scope, head, compacted) in heads {
        let mut position = cursor.position(&scope);
        if position > 0 && position < compacted {
            page.reset_scopes.push(scope);
            position = 0;
            cursor.set(scope, 0);
        }
        if head <= position {
            cursor.set(scope, position);
            continue;
        }
        if room == 0 {
            page.has_more = true;
            break;
        }
        let changes = log::changes_after(&state.db, &scope, position, room + 1).await?;
        let more = changes.len() as u64 > room;
        let taken: Vec<_> = changes
            .into_iter()
            .take(usize::try_from(room).unwrap_or(usize::MAX))
            .collect();
        let last = taken.last().map_or(position, |c| c.version);
        room -= taken.len() as u64;
        page.changes.extend(taken);
        page.has_more |= more;
        cursor.set(scope, if more { last } else { last.max(head) });
    }
    for scope in held {
        if cursor.position(scope) == 0 {
            cursor.set(*scope, 0);
        }
    }
    Ok(())
}
