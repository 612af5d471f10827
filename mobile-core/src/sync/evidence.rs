//! Evidence files travel ahead of the intents that name them: the server refuses a request
//! naming a file it does not have, so every file a batch names is uploaded before the batch.
//!
//! Uploads are idempotent (`PUT /api/v1/evidence/{sha256}`), so a file whose answer was lost is
//! simply sent again. Files leave the device once the intents naming them are decided.

use std::collections::HashSet;

use chrono::{DateTime, TimeDelta, Utc};

use crate::auth;
use crate::context::Context;
use crate::error::{Error, Result, ServerError};
use crate::feature::Registry;
use crate::store::evidence::{self, EvidenceEntry, EvidenceFile};
use crate::store::outbox::OutboxRow;
use crate::sync::plan::{self, OutboxUpdate};
use crate::sync::wire::WireOutcome;
use crate::transport::{bytes_request, server_error};

/// How long a file attached but named by no intent is kept: the user may still be filling in
/// the form it belongs to.
const UNUSED_FOR: TimeDelta = TimeDelta::days(1);

/// A file the server refused for good, and why.
pub(crate) type Refusal = (String, ServerError);

/// The content hashes of the files an intent names, as the feature owning it reads them.
fn named_in(features: &Registry, row: &OutboxRow) -> Vec<String> {
    features.files_named(&row.kind, &row.args)
}

/// Uploads the files the batch names that the server does not have yet; returns the ones it
/// refused for good (too large, wrong type, damaged).
///
/// No answer, an overloaded server or a lost session is an error like a failed push: the batch
/// waits and the files go again with it.
pub(crate) fn upload_for(ctx: &Context, batch: &[OutboxRow]) -> Result<Vec<Refusal>> {
    let mut seen = HashSet::new();
    let mut refused = Vec::new();
    for hash in batch.iter().flat_map(|row| named_in(&ctx.features, row)) {
        if !seen.insert(hash.clone()) {
            continue;
        }
        // A file not on the device is left to the server: it may have it already, or it
        // refuses the intent with `evidence_missing`.
        let file = ctx
            .store
            .read(|conn| evidence::awaiting_upload(conn, &hash))?;
        if let Some(file) = file
            && let Some(refusal) = upload(ctx, &file)?
        {
            refused.push((hash, refusal));
        }
    }
    Ok(refused)
}

/// Sends one file; a refusal for good is returned, anything worth retrying is an error.
fn upload(ctx: &Context, file: &EvidenceFile) -> Result<Option<ServerError>> {
    let url = ctx.url(&format!("/api/v1/evidence/{}", file.hash));
    let locale = ctx.locale();
    let response = auth::send_authorized(ctx, &|token| {
        let body = file.content.clone();
        let tag = locale.tag();
        Ok(bytes_request(
            "PUT",
            url.clone(),
            body,
            &file.content_type,
            tag,
            token,
        ))
    })?;
    if (200..300).contains(&response.status) {
        ctx.store
            .write(|tx| evidence::mark_uploaded(tx, &file.hash))?;
        return Ok(None);
    }
    let refusal = server_error(&response);
    if refusal.is_transient() || refusal.status == 401 {
        return Err(Error::Server(refusal));
    }
    Ok(Some(refusal))
}

/// The server refused files for good: every undecided intent naming one is rejected with the
/// server's reason (it could never be applied), and what was queued on top of it conflicts.
pub(crate) fn plan_refusals(
    features: &Registry,
    refused: &[Refusal],
    outbox: &[OutboxRow],
    now: DateTime<Utc>,
) -> Vec<OutboxUpdate> {
    let mut rows = Vec::new();
    let mut outcomes = Vec::new();
    for row in outbox.iter().filter(|row| row.state.is_pending()) {
        let named = named_in(features, row);
        let Some((_, refusal)) = refused.iter().find(|(hash, _)| named.contains(hash)) else {
            continue;
        };
        rows.push(row.clone());
        outcomes.push(WireOutcome {
            id: row.intent_id,
            status: "rejected".to_owned(),
            code: Some(refusal.code.clone()),
            message: Some(refusal.message.clone()),
            current: None,
            visible_at: None,
        });
    }
    plan::plan_outcomes(&rows, &outcomes, outbox, now)
}

/// Whether an intent names a file the server does not have yet.
pub(crate) fn waits_for_upload(
    conn: &rusqlite::Connection,
    features: &Registry,
    row: &OutboxRow,
) -> Result<bool> {
    for hash in named_in(features, row) {
        if evidence::uploaded(conn, &hash)? == Some(false) {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The files to delete: those no undecided intent names that a decided intent made since they
/// were attached did name, and those attached long ago that nothing names.
///
/// Comparing with the time of attachment keeps a file the user attaches again for a new request
/// after an old request with the same file was decided.
pub(crate) fn plan_purge(
    features: &Registry,
    files: &[EvidenceEntry],
    outbox: &[OutboxRow],
    now: DateTime<Utc>,
) -> Vec<String> {
    files
        .iter()
        .filter(|file| {
            let naming = || {
                outbox
                    .iter()
                    .filter(|row| named_in(features, row).contains(&file.hash))
            };
            let awaited = naming().any(|row| row.state.is_pending());
            let done = naming().any(|row| row.client_time >= file.attached_at);
            !awaited && (done || file.attached_at + UNUSED_FOR < now)
        })
        .map(|file| file.hash.clone())
        .collect()
}

/// Deletes the files nothing needs any more.
pub(crate) fn purge(ctx: &Context) -> Result<()> {
    let now = ctx.clock.now();
    ctx.store.write(|tx| {
        let files = evidence::entries(tx)?;
        let outbox = crate::store::outbox::all(tx)?;
        evidence::delete(tx, &plan_purge(&ctx.features, &files, &outbox, now))
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use uuid::Uuid;

    use super::*;
    use crate::feature::testing::notes;
    use crate::store::outbox::{IntentState, Settlement};

    fn at(secs: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + secs, 0).unwrap()
    }

    fn file(hash: &str, secs: i64) -> EvidenceEntry {
        EvidenceEntry {
            hash: hash.to_owned(),
            attached_at: at(secs),
        }
    }

    fn naming(hash: &str, state: IntentState, secs: i64) -> OutboxRow {
        OutboxRow::queued(1, "note.add", "note:1")
            .in_state(state)
            .with_args(json!({ "files": [hash] }))
            .made_at(at(secs))
    }

    fn purged(files: &[EvidenceEntry], outbox: &[OutboxRow], now: DateTime<Utc>) -> Vec<String> {
        plan_purge(&notes(), files, outbox, now)
    }

    #[test]
    fn a_refused_file_rejects_every_undecided_intent_naming_it_with_the_servers_reason() {
        let mut other = naming("b", IntentState::Queued, 0);
        other.intent_id = Uuid::from_u128(2);
        other.aggregate = "note:2".to_owned();
        let outbox = [
            naming("a", IntentState::Queued, 0),
            other,
            naming("a", IntentState::Applied, 0),
        ];
        let refusal = ServerError {
            status: 413,
            code: "evidence_too_large".to_owned(),
            message: "too large".to_owned(),
            retry_after: None,
        };
        let refused = [("a".to_owned(), refusal)];
        let updates = plan_refusals(&notes(), &refused, &outbox[..2], at(1));
        assert_eq!(updates.len(), 1);
        let (id, settlement) = &updates[0];
        assert_eq!(*id, Uuid::from_u128(1));
        let Settlement::Final {
            state,
            code,
            message,
            ..
        } = settlement
        else {
            panic!("not final: {settlement:?}");
        };
        assert_eq!(*state, IntentState::Rejected);
        assert_eq!(code.as_deref(), Some("evidence_too_large"));
        assert_eq!(message.as_deref(), Some("too large"));
    }

    #[test]
    fn a_file_stays_while_an_intent_naming_it_is_undecided() {
        let files = [file("a", 0)];
        let outbox = [naming("a", IntentState::Queued, 0)];
        assert!(purged(&files, &outbox, at(10 * 86_400)).is_empty());
    }

    #[test]
    fn a_file_goes_once_the_intents_naming_it_are_decided() {
        let files = [file("a", 0)];
        let outbox = [naming("a", IntentState::Applied, 0)];
        assert_eq!(purged(&files, &outbox, at(1)), ["a"]);
        let outbox = [naming("a", IntentState::Rejected, 5)];
        assert_eq!(purged(&files, &outbox, at(6)), ["a"]);
    }

    #[test]
    fn a_file_attached_again_after_an_old_request_waits_for_its_new_one() {
        let files = [file("a", 100)];
        let outbox = [naming("a", IntentState::Applied, 0)];
        assert!(purged(&files, &outbox, at(101)).is_empty());
    }

    #[test]
    fn a_file_nothing_names_goes_after_a_day() {
        let files = [file("a", 0)];
        assert!(purged(&files, &[], at(3600)).is_empty());
        assert_eq!(purged(&files, &[], at(86_401)), ["a"]);
    }
}
