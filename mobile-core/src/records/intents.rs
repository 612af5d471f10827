//! Intents on correction requests: checked on the device by the rules the server applies, then
//! queued for the next sync.

use std::collections::{BTreeMap, HashMap};

use rusqlite::Transaction;
use serde_json::{Value, json};
use uuid::Uuid;
use xodim_domain::records::{
    CORRECTION_ANSWER, CORRECTION_APPROVE, CORRECTION_ASK, CORRECTION_CLAIM, CORRECTION_REBASE,
    CORRECTION_REJECT, CORRECTION_SUBMIT, CORRECTION_WITHDRAW, CorrectionOp, Note, RecordData,
    RequestAddress, Section, decide,
};
use xodim_domain::{DomainError, ErrorCode};

use super::evidence;
use super::overlay::{self, Shown, Viewer};
use super::state::Snapshot;
use crate::context::Context;
use crate::error::Result;
use crate::store::outbox::{self, NewIntent, OutboxRow};

/// What the servant asks for, as the form gives it.
pub(crate) struct Proposal<'a> {
    /// The section (wire name).
    pub section: &'a str,
    /// `add`, `edit` or `delete`.
    pub op: &'a str,
    /// The item to edit or delete.
    pub record_id: Option<&'a str>,
    /// The proposed fields as text (add, edit).
    pub fields: &'a HashMap<String, String>,
    /// Why.
    pub reason: &'a str,
    /// Content hashes of attached files.
    pub evidence: &'a [String],
}

/// Queues a new correction request. The request's id is new and separate from the intent's, so
/// that later steps can name the request before the server has it.
///
/// An edit or deletion is based on the version of the item the device holds.
pub(crate) fn propose(ctx: &Context, proposal: &Proposal<'_>) -> Result<OutboxRow> {
    let section: Section = proposal.section.trim().parse()?;
    let op: CorrectionOp = proposal.op.trim().parse()?;
    let proposed = match op {
        CorrectionOp::Delete => None,
        CorrectionOp::Add | CorrectionOp::Edit => Some(parse_fields(section, proposal.fields)?),
    };
    let reason = Note::parse(proposal.reason)?;
    evidence::check_list(proposal.evidence)?;
    let target = match op {
        CorrectionOp::Add => None,
        CorrectionOp::Edit | CorrectionOp::Delete => Some(required_id(proposal.record_id)?),
    };
    ctx.store.write(|tx| {
        let snapshot = Snapshot::load(tx)?;
        evidence::require_attached(tx, proposal.evidence)?;
        let mut args = json!({
            "section": section,
            "op": op,
            "reason": reason.as_str(),
            "evidence": proposal.evidence,
        });
        if let Some(id) = target {
            let item = snapshot
                .record(id)
                .filter(|item| item.data.section() == section)
                .ok_or_else(|| {
                    DomainError::new(ErrorCode::NotFound, format!("no {section} item {id}"))
                })?;
            args["record_id"] = json!(id);
            args["base_version"] = json!(item.version);
        }
        if let Some(data) = proposed {
            args["proposed"] = data.fields_json();
        }
        let request = ctx.ids.next_object_id();
        queue(ctx, tx, CORRECTION_SUBMIT, request, 0, args)
    })
}

/// Reads the form's fields; in name order, so the same form always gives the same error.
fn parse_fields(
    section: Section,
    fields: &HashMap<String, String>,
) -> Result<RecordData, DomainError> {
    let sorted: BTreeMap<&str, &str> = fields
        .iter()
        .map(|(name, text)| (name.as_str(), text.as_str()))
        .collect();
    RecordData::from_text(section, sorted)
}

fn required_id(text: Option<&str>) -> Result<Uuid, DomainError> {
    let text = text
        .map(str::trim)
        .filter(|text| !text.is_empty())
        .ok_or_else(|| DomainError::new(ErrorCode::MissingField, "record_id"))?;
    parse_id(text)
}

fn parse_id(text: &str) -> Result<Uuid, DomainError> {
    Uuid::parse_str(text.trim())
        .map_err(|_| DomainError::new(ErrorCode::InvalidId, format!("{text:?} is not an id")))
}

/// A step on an existing request.
pub(crate) enum Action<'a> {
    /// The servant takes the request back.
    Withdraw,
    /// The servant answers HR's question, perhaps with more files.
    Answer {
        /// The answer.
        note: &'a str,
        /// Content hashes of attached files.
        evidence: &'a [String],
    },
    /// An HR officer takes the request to review.
    Claim,
    /// The reviewing officer asks the servant for more.
    Ask {
        /// The question.
        note: &'a str,
    },
    /// An HR officer approves, with an optional note.
    Approve {
        /// The note; blank means none.
        note: Option<&'a str>,
    },
    /// An HR officer rejects.
    Reject {
        /// Why.
        note: &'a str,
    },
    /// After a conflict, an officer takes the current item as the new base.
    Rebase,
}

impl Action<'_> {
    fn kind(&self) -> &'static str {
        match self {
            Action::Withdraw => CORRECTION_WITHDRAW,
            Action::Answer { .. } => CORRECTION_ANSWER,
            Action::Claim => CORRECTION_CLAIM,
            Action::Ask { .. } => CORRECTION_ASK,
            Action::Approve { .. } => CORRECTION_APPROVE,
            Action::Reject { .. } => CORRECTION_REJECT,
            Action::Rebase => CORRECTION_REBASE,
        }
    }

    fn by_requester(&self) -> bool {
        matches!(self, Action::Withdraw | Action::Answer { .. })
    }

    fn evidence(&self) -> &[String] {
        match self {
            Action::Answer { evidence, .. } => evidence,
            _ => &[],
        }
    }

    /// The intent's arguments, each checked as the server checks it.
    fn args(&self) -> Result<Value, DomainError> {
        let note = |text: &str| Note::parse(text).map(|note| json!({ "note": note.as_str() }));
        match self {
            Action::Withdraw | Action::Claim | Action::Rebase => Ok(json!({})),
            Action::Ask { note: text } | Action::Reject { note: text } => note(text),
            Action::Approve { note: None } => Ok(json!({})),
            Action::Approve { note: Some(text) } if text.trim().is_empty() => Ok(json!({})),
            Action::Approve { note: Some(text) } => note(text),
            Action::Answer {
                note: text,
                evidence,
            } => {
                evidence::check_list(evidence)?;
                let mut args = note(text)?;
                args["evidence"] = json!(evidence);
                Ok(args)
            }
        }
    }
}

/// Queues a step on request `request_id` after the state machine allowed it on the request as
/// the user sees it. The expectation is the server's version of the request the user saw; the
/// server judges the step by the request's state.
pub(crate) fn act(ctx: &Context, request_id: &str, action: &Action<'_>) -> Result<OutboxRow> {
    let id = parse_id(request_id)?;
    let args = action.args()?;
    ctx.store.write(|tx| {
        let snapshot = Snapshot::load(tx)?;
        let (shown, subject) = find(&snapshot, id, action.by_requester())
            .ok_or_else(|| DomainError::new(ErrorCode::NotFound, format!("no request {id}")))?;
        let viewer = Viewer {
            account: snapshot.account,
            subject,
        };
        let request = &shown.request;
        if let Some((who, step)) = overlay::step_of(action.kind(), request, viewer) {
            decide(request.state, request.reviewer, who, step)?;
        }
        evidence::require_attached(tx, action.evidence())?;
        queue(ctx, tx, action.kind(), id, request.version, args)
    })
}

/// The request a step acts on, and whether it is about the user's own file.
fn find(snapshot: &Snapshot, id: Uuid, by_requester: bool) -> Option<(Shown, bool)> {
    let own = || snapshot.own_request(id).map(|shown| (shown, true));
    if by_requester {
        return own();
    }
    snapshot.reviewed_request(id).or_else(own)
}

fn queue(
    ctx: &Context,
    tx: &Transaction<'_>,
    kind: &str,
    request: Uuid,
    seen: i64,
    args: Value,
) -> Result<OutboxRow> {
    let intent = NewIntent {
        intent_id: ctx.ids.next_intent_id(),
        kind: kind.to_owned(),
        aggregate: RequestAddress(request).to_string(),
        expectation: Some(seen),
        args,
        client_time: ctx.clock.now(),
    };
    outbox::insert(tx, &intent)
}
