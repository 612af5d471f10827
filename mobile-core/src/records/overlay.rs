//! The optimistic view of one correction request: the server's copy with the user's own steps
//! replayed through the domain's state machine, so a step taken offline shows at once and a step
//! the server would refuse never shows.

use serde::Deserialize;
use serde_json::Value;
use uuid::Uuid;
use xodim_domain::records::{
    CORRECTION_ANSWER, CORRECTION_APPROVE, CORRECTION_ASK, CORRECTION_REBASE, CORRECTION_REJECT,
    CORRECTION_SUBMIT, CorrectionOp, CorrectionRequest, Party, RecordData, RequestAddress,
    RequestState, Section, Step, Who, decide, rebase, step_of as domain_step_of,
};
use xodim_domain::sync::Cursor;

use crate::store::outbox::OutboxRow;
use crate::sync::overlay::shows;

/// A request as the user should see it now.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Shown {
    /// The request, with the user's own steps applied.
    pub request: CorrectionRequest,
    /// Whether it shows steps the server has not confirmed yet.
    pub pending: bool,
}

/// Who is looking: the user's account, and whether the request is about their own file.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Viewer {
    /// The signed-in account.
    pub account: Uuid,
    /// The request concerns the viewer's own file.
    pub subject: bool,
}

/// The arguments of a `correction.submit` as the core writes them.
#[derive(Debug, Deserialize)]
struct SubmitArgs {
    section: Section,
    op: CorrectionOp,
    record_id: Option<Uuid>,
    base_version: Option<i64>,
    proposed: Option<Value>,
    reason: String,
    #[serde(default)]
    evidence: Vec<String>,
}

/// Replays `rows` (the intents on this request's aggregate, oldest first) over `base`, the
/// server's copy. `base_of` gives the item a submitted edit or deletion is about, for a request
/// the server has not sent yet.
pub(crate) fn replay(
    base: Option<CorrectionRequest>,
    rows: &[&OutboxRow],
    cursor: &Cursor,
    viewer: Viewer,
    base_of: &dyn Fn(Uuid) -> Option<RecordData>,
) -> Option<Shown> {
    let mut shown = base.map(|request| Shown {
        request,
        pending: false,
    });
    for row in rows.iter().filter(|row| shows(row, cursor)) {
        shown = match shown {
            None if row.kind == CORRECTION_SUBMIT => submitted(row, base_of),
            // The server's copy already holds the submission.
            Some(current) if row.kind == CORRECTION_SUBMIT => Some(current),
            Some(current) => Some(step(current, row, viewer)),
            None => None,
        };
    }
    shown
}

/// A submission the server has not sent back yet, built from the intent.
fn submitted(row: &OutboxRow, base_of: &dyn Fn(Uuid) -> Option<RecordData>) -> Option<Shown> {
    let RequestAddress(id) = row.aggregate.parse().ok()?;
    let args: SubmitArgs = serde_json::from_value(row.args.clone()).ok()?;
    let proposed = match &args.proposed {
        Some(fields) => Some(RecordData::parse(args.section, fields).ok()?),
        None => None,
    };
    let request = CorrectionRequest {
        id,
        // Not known on the device until the server answers; the servant's own view needs
        // neither.
        employee_id: Uuid::nil(),
        employee_name: String::new(),
        section: args.section,
        op: args.op,
        record_id: args.record_id,
        base_version: args.base_version,
        base: args.record_id.and_then(base_of),
        current: None,
        proposed,
        conflicts: Vec::new(),
        reason: args.reason,
        evidence: args.evidence,
        state: RequestState::Submitted,
        reviewer: None,
        note: None,
        answer: None,
        version: 0,
        submitted_at: row.client_time,
        decided_at: None,
    };
    Some(Shown {
        request,
        pending: true,
    })
}

/// One step replayed; a step the state machine refuses leaves the request as it was.
fn step(mut shown: Shown, row: &OutboxRow, viewer: Viewer) -> Shown {
    let request = &mut shown.request;
    let Some((who, step)) = step_of(&row.kind, request, viewer) else {
        return shown;
    };
    let Ok(transition) = decide(request.state, request.reviewer, who, step) else {
        return shown;
    };
    request.state = transition.state;
    request.reviewer = transition.reviewer;
    let note = row
        .args
        .get("note")
        .and_then(Value::as_str)
        .map(str::to_owned);
    match row.kind.as_str() {
        CORRECTION_ANSWER => request.answer = note,
        CORRECTION_ASK | CORRECTION_REJECT if note.is_some() => request.note = note,
        // An approval that ends in conflict leaves the request's note as it was.
        CORRECTION_APPROVE if note.is_some() && transition.state == RequestState::Applied => {
            request.note = note;
        }
        CORRECTION_REBASE => carry_onto_current(request),
        _ => {}
    }
    if transition.state.is_final() {
        request.decided_at = Some(row.client_time);
    }
    shown.pending = true;
    shown
}

/// A rebase as the server does it: the current item becomes the base and only the servant's
/// changes are carried onto it.
fn carry_onto_current(request: &mut CorrectionRequest) {
    let (Some(base), Some(proposed)) = (&request.base, &request.proposed) else {
        return;
    };
    let Some(current) = request.current.take() else {
        return;
    };
    let rebased = rebase(base, proposed, &current);
    request.proposed = Some(rebased.proposed);
    request.base = Some(current);
    for field in rebased.conflicts {
        if !request.conflicts.contains(&field) {
            request.conflicts.push(field);
        }
    }
}

/// The actor and the step an intent type stands for, by the domain's reading of the type, on
/// `request` as `viewer` sees it.
pub(crate) fn step_of(
    kind: &str,
    request: &CorrectionRequest,
    viewer: Viewer,
) -> Option<(Who, Step)> {
    // The server sends `current` only when the item moved past the servant's base.
    let (party, step) = domain_step_of(kind, request.current.is_none())?;
    let who = match party {
        Party::Requester => Who::Requester,
        Party::Reviewer => Who::Reviewer {
            account: viewer.account,
            subject: viewer.subject,
        },
    };
    Some((who, step))
}

#[cfg(test)]
#[path = "overlay_tests.rs"]
mod tests;
