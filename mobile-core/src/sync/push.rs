//! Sends due intents and records the server's decisions.

use chrono::{DateTime, Utc};
use rusqlite::Transaction;
use xodim_domain::sync::IntentBatch;
use xodim_domain::{ErrorCode, Locale};

use crate::auth;
use crate::context::Context;
use crate::error::{Error, Result, ServerError};
use crate::store::meta::{self, Key};
use crate::store::outbox::{self, IntentState, OutboxRow, Settlement};
use crate::sync::apply::apply_outbox;
use crate::sync::batch::{self, Budget};
use crate::sync::evidence;
use crate::sync::plan::{self, OutboxUpdate};
use crate::sync::wire::{WireOutcome, WireResults};
use crate::sync::{Notifier, SyncReport};
use crate::transport::{HttpResponse, json_request, server_error};

const INTENTS_PATH: &str = "/api/v1/sync/intents";

/// What the server said to a batch.
enum Answer {
    /// A decision per intent.
    Decided(Vec<WireOutcome>),
    /// The whole batch was refused for good.
    Refused(ServerError),
}

/// Sends batches until no intent is due. Every batch decides or backs off each intent in it, or
/// is refused whole and halves the budget, so the next plan is smaller, holds intents that were
/// waiting for those decisions, or goes in smaller batches.
pub(crate) fn push_all(ctx: &Context, report: &mut SyncReport, notify: &Notifier) -> Result<()> {
    let known = ctx
        .store
        .read(|conn| meta::get(conn, Key::MaxBody))?
        .and_then(|text| text.parse().ok());
    let mut budget = Budget::new(known);
    while push(ctx, report, notify, &mut budget)? {}
    Ok(())
}

/// Sends one batch of due intents, if any, and records what became of them; tells whether there
/// was one.
///
/// Intents are marked as sending before the request leaves, so an app killed mid-request sends
/// them again on its next start. Without an answer they go back to the queue with a back-off and
/// the error is returned (a 5xx or 429 too, honouring its `Retry-After`); nothing is marked
/// applied unless the server said so, and nothing is rejected unless the server refused it
/// alone.
fn push(
    ctx: &Context,
    report: &mut SyncReport,
    notify: &Notifier,
    budget: &mut Budget,
) -> Result<bool> {
    let outbox = ctx.store.read(outbox::all)?;
    let batch = plan::plan_push(&outbox, ctx.clock.now(), *budget);
    if batch.is_empty() {
        return Ok(false);
    }
    if !upload_evidence(ctx, report, notify, &batch)? {
        // Planned again next round without the intents that can never go.
        return Ok(true);
    }
    let ids: Vec<_> = batch.iter().map(|row| row.intent_id).collect();
    ctx.store.write(|tx| outbox::mark_sending(tx, &ids))?;
    report.sent += count(batch.len());

    let answer = send(ctx, &batch, budget);
    let split = batch.len() > 1;
    if let (Ok(Answer::Refused(refusal)), true) = (&answer, split) {
        budget.shrink(batch.len(), batch::body_size(&batch), refusal.status == 413);
    }
    let locale = ctx.locale();
    // Planned on the outbox as it is now, inside the transaction that applies it: an intent
    // queued while the request was out must be settled along with its aggregate.
    settle(ctx, report, notify, &batch, |tx, now| {
        let outbox = outbox::all(tx)?;
        Ok(match &answer {
            Ok(Answer::Decided(outcomes)) => plan::plan_outcomes(&batch, outcomes, &outbox, now),
            Ok(Answer::Refused(_)) if split => plan::plan_resend(&batch, now),
            Ok(Answer::Refused(refusal)) => {
                let (code, message) = refusal_of_one(refusal, locale);
                plan::plan_refusal(&batch, &code, &message, &outbox, now)
            }
            Err(err) => plan::plan_retry(&batch, now, err.retry_after()),
        })
    })?;
    answer.map(|_| true)
}

/// The code and message a single intent refused whole is rejected with: one too large to be
/// sent even alone gets its own code, explained in the user's language.
fn refusal_of_one(refusal: &ServerError, locale: Locale) -> (String, String) {
    if refusal.status == 413 {
        let code = ErrorCode::IntentTooLarge;
        return (code.as_str().to_owned(), code.message(locale).to_owned());
    }
    (refusal.code.clone(), refusal.message.clone())
}

/// Uploads the files the batch names; tells whether the batch may go as planned.
///
/// Files the server refused for good reject the intents naming them, and the batch is planned
/// again. Without an answer, the intents waiting for a file back off like an unanswered push.
fn upload_evidence(
    ctx: &Context,
    report: &mut SyncReport,
    notify: &Notifier,
    batch: &[OutboxRow],
) -> Result<bool> {
    let err = match evidence::upload_for(ctx, batch) {
        Ok(refused) if refused.is_empty() => return Ok(true),
        Ok(refused) => {
            settle(ctx, report, notify, batch, |tx, now| {
                Ok(evidence::plan_refusals(
                    &ctx.features,
                    &refused,
                    &outbox::all(tx)?,
                    now,
                ))
            })?;
            return Ok(false);
        }
        Err(err) => err,
    };
    settle(ctx, report, notify, batch, |tx, now| {
        let mut waiting = Vec::new();
        for row in batch {
            if evidence::waits_for_upload(tx, &ctx.features, row)? {
                waiting.push(row.clone());
            }
        }
        Ok(plan::plan_retry(&waiting, now, err.retry_after()))
    })?;
    Err(err)
}

/// Plans and applies outbox updates in one transaction, counts them and tells the listener.
fn settle(
    ctx: &Context,
    report: &mut SyncReport,
    notify: &Notifier,
    batch: &[OutboxRow],
    plan: impl FnOnce(&Transaction<'_>, DateTime<Utc>) -> Result<Vec<OutboxUpdate>>,
) -> Result<()> {
    let now = ctx.clock.now();
    let updates = ctx.store.write(|tx| {
        let updates = plan(tx, now)?;
        apply_outbox(tx, &updates)?;
        Ok(updates)
    })?;
    tally(report, &updates);
    // The features owning these intents say which screens show their state.
    notify.changed(
        ctx.features
            .shown_in(batch.iter().map(|row| row.kind.as_str())),
    );
    Ok(())
}

fn send(ctx: &Context, batch: &[OutboxRow], budget: &mut Budget) -> Result<Answer> {
    let body = IntentBatch {
        intents: batch.iter().map(batch::wire_intent).collect(),
    };
    let url = ctx.url(INTENTS_PATH);
    let locale = ctx.locale();
    let response = auth::send_authorized(ctx, &|token| {
        json_request("POST", url.clone(), Some(&body), locale.tag(), Some(token))
    })?;
    if let Some(limit) = remember_body_limit(ctx, &response)? {
        budget.learn(limit);
    }
    if (200..300).contains(&response.status) {
        // An answer that cannot be read is treated like a lost one: resending is safe.
        let results: WireResults = serde_json::from_slice(&response.body)
            .map_err(|err| Error::Corrupt(format!("intent results: {err}")))?;
        return Ok(Answer::Decided(results.results));
    }
    let refusal = server_error(&response);
    if refusal.is_transient() || refusal.status == 401 {
        return Err(Error::Server(refusal));
    }
    Ok(Answer::Refused(refusal))
}

/// Stores the body limit a sync answer names, if it names one; returns it.
pub(crate) fn remember_body_limit(ctx: &Context, response: &HttpResponse) -> Result<Option<usize>> {
    let Some(limit) = batch::advertised_limit(response) else {
        return Ok(None);
    };
    let text = limit.to_string();
    if ctx
        .store
        .read(|conn| meta::get(conn, Key::MaxBody))?
        .as_deref()
        != Some(&text)
    {
        ctx.store.write(|tx| meta::set(tx, Key::MaxBody, &text))?;
    }
    Ok(Some(limit))
}

fn tally(report: &mut SyncReport, updates: &[OutboxUpdate]) {
    for (_, settlement) in updates {
        if let Settlement::Final { state, .. } = settlement {
            match state {
                IntentState::Applied => report.applied += 1,
                IntentState::Rejected => report.rejected += 1,
                IntentState::Conflict => report.conflicts += 1,
                IntentState::Queued | IntentState::Sending => {}
            }
        }
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
