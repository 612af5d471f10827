//! Pulls changes until the device holds the server's view.

use crate::auth;
use crate::context::Context;
use crate::error::Result;
use crate::store::meta::{self, Key};
use crate::sync::apply::apply_pull;
use crate::sync::wire::WirePage;
use crate::sync::{Notifier, SyncReport};
use crate::sync::{plan, push};
use crate::transport::{json_request, query_value, read_json, server_error};

const CHANGES_PATH: &str = "/api/v1/sync/changes";
/// Changes per page: large enough for a quick first sync, small enough for a slow line.
const PAGE_LIMIT: u32 = 500;

/// Pulls pages until the server has nothing more, applying each in its own transaction (so a
/// long first sync that is interrupted goes on where it stopped).
///
/// A refused cursor (`invalid_cursor`) drops every synced entity and the cursor, and the pull
/// starts from scratch, once.
pub(crate) fn pull(ctx: &Context, report: &mut SyncReport, notify: &Notifier) -> Result<()> {
    let mut restarted = false;
    loop {
        let cursor = ctx
            .store
            .read(|conn| meta::get(conn, Key::Cursor))?
            .unwrap_or_default();
        let url = format!(
            "{}?cursor={}&limit={PAGE_LIMIT}",
            ctx.url(CHANGES_PATH),
            query_value(&cursor)
        );
        let locale = ctx.locale();
        let response = auth::send_authorized(ctx, &|token| {
            json_request("GET", url.clone(), None::<&()>, locale.tag(), Some(token))
        })?;
        // The next push sizes its batches by the limit the server names.
        push::remember_body_limit(ctx, &response)?;
        let refused = response.status == 400 && server_error(&response).code == "invalid_cursor";
        let plan = if refused && !restarted {
            restarted = true;
            plan::plan_restart()
        } else {
            let page: WirePage = read_json(&response)?;
            plan::plan_page(page, &cursor)?
        };
        let kinds = ctx.store.write(|tx| apply_pull(tx, &plan))?;
        if plan.purge_all || !plan.purge_scopes.is_empty() {
            // The lost scopes' rows must not live on in the journal either.
            ctx.store.scrub()?;
        }
        if !plan.purge_all {
            report.received += plan.received;
            notify.progress(report.received);
        }
        notify.changed(kinds);
        if !plan.more {
            return Ok(());
        }
    }
}
