//! `GET /api/v1/sync/live`: a server-sent event stream that says which of the caller's scopes
//! moved. It carries no data; the app pulls when poked.

use std::time::Duration;

use actix_web::web::Bytes;
use actix_web::{HttpResponse, web};
use futures_util::stream;
use tokio::sync::broadcast::error::RecvError;

use super::notify::EVERY_SCOPE;
use super::scopes;
use crate::auth::Actor;
use crate::error::ApiResult;
use crate::state::AppState;

const KEEP_ALIVE: Duration = Duration::from_secs(25);

/// Streams `event: poke` lines for the caller's scopes, with a comment line as keep-alive.
#[utoipa::path(get, path = "/api/v1/sync/live", tag = "sync",
    responses((status = 200, description = "text/event-stream of pokes", content_type = "text/event-stream")),
    security(("bearer" = [])))]
pub(crate) async fn live(state: web::Data<AppState>, actor: Actor) -> ApiResult<HttpResponse> {
    let held: Vec<String> = scopes::scopes_of(&state.db, &state.kv, actor.account)
        .await?
        .iter()
        .map(|s| s.key())
        .collect();
    let receiver = state.notifier.subscribe();
    let events = stream::unfold((receiver, held), |(mut receiver, held)| async move {
        loop {
            let line = match tokio::time::timeout(KEEP_ALIVE, receiver.recv()).await {
                Err(_) => ": keep-alive\n\n".to_owned(),
                Ok(Ok(scope)) if scope == EVERY_SCOPE || held.contains(&scope) => {
                    format!("event: poke\ndata: {scope}\n\n")
                }
                Ok(Ok(_)) => continue,
                // Missed pokes are told as one poke of everything: the app pulls either way.
                Ok(Err(RecvError::Lagged(_))) => format!("event: poke\ndata: {EVERY_SCOPE}\n\n"),
                Ok(Err(RecvError::Closed)) => return None,
            };
            return Some((
                Ok::<_, actix_web::Error>(Bytes::from(line)),
                (receiver, held),
            ));
        }
    });
    Ok(HttpResponse::Ok()
        .content_type("text/event-stream")
        .insert_header(("Cache-Control", "no-cache"))
        .streaming(events))
}
