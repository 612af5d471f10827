//! What the personnel-file screens show, in the user's language.

use std::collections::HashMap;

use uuid::Uuid;
use xodim_domain::Locale;
use xodim_domain::records::{RecordData, RecordItem};

use super::overlay::Shown;
use super::state::Snapshot;
use super::text_fields;
use crate::context::Context;
use crate::error::Result;

/// An item of the user's personnel file.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RecordView {
    /// The item.
    pub id: String,
    /// Its section (wire name: `education`, `certificate`, `work_history`, `knowledge_test`,
    /// `relative`).
    pub section: String,
    /// The section's name in the user's language.
    pub section_label: String,
    /// Its version; a correction is based on it.
    pub version: i64,
    /// Where this version came from: `hr`, `self_request` or `integration`.
    pub source: String,
    /// When HR verified it (Unix milliseconds).
    pub verified_at_ms: Option<i64>,
    /// Each field as form text (numbers in digits, yes/no as `true`/`false`, dates as
    /// `YYYY-MM-DD`); what `propose_correction` accepts back.
    pub fields: HashMap<String, String>,
    /// The user's own undecided correction request about this item, if there is one.
    pub pending_request: Option<String>,
}

/// A correction request: one of the user's own, or one they review.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CorrectionRequestView {
    /// The request.
    pub id: String,
    /// Whose file it is about (for the reviewer); unknown for a request the server has not
    /// received yet.
    pub employee_name: Option<String>,
    /// The section (wire name).
    pub section: String,
    /// The section's name in the user's language.
    pub section_label: String,
    /// `add`, `edit` or `delete`.
    pub op: String,
    /// The item to change or delete; for an applied addition, the new item.
    pub record_id: Option<String>,
    /// Where it stands (wire name: `submitted`, `in_review`, `needs_info`, `conflict`,
    /// `applied`, `rejected`, `withdrawn`), the user's own queued steps included.
    pub state: String,
    /// The state in the user's language.
    pub state_label: String,
    /// HR's question or decision note.
    pub note: Option<String>,
    /// The servant's latest answer to HR's question.
    pub answer: Option<String>,
    /// Why the servant asks.
    pub reason: String,
    /// Content hashes of the evidence files.
    pub evidence: Vec<String>,
    /// Whether it shows steps of this user the server has not confirmed yet.
    pub pending: bool,
    /// The request's version on the server (0 before the server has it).
    pub version: i64,
    /// The item as the servant saw it, as form text.
    pub base: Option<HashMap<String, String>>,
    /// The item as it is now, when it changed since the servant saw it.
    pub current: Option<HashMap<String, String>>,
    /// What the servant proposes (add, edit).
    pub proposed: Option<HashMap<String, String>>,
    /// Fields in which the proposal would undo a change HR made since the servant's base: the
    /// reviewer decides them (approving takes the servant's value).
    pub conflicts: Vec<String>,
    /// When it was filed (Unix milliseconds): by the server, or by the device while queued.
    pub submitted_at_ms: i64,
}

/// The items of the user's file, by section (in the order of the file) then id.
pub(crate) fn records(ctx: &Context) -> Result<Vec<RecordView>> {
    let snapshot = ctx.store.read(Snapshot::load)?;
    // With several open requests about one item, the newest (ids are time-ordered) is shown.
    let mut newest: HashMap<Uuid, Uuid> = HashMap::new();
    for shown in snapshot.own_requests() {
        let request = &shown.request;
        if let (false, Some(item)) = (request.state.is_final(), request.record_id) {
            let entry = newest.entry(item).or_insert(request.id);
            *entry = (*entry).max(request.id);
        }
    }
    let open: HashMap<Uuid, String> = newest
        .into_iter()
        .map(|(item, request)| (item, request.to_string()))
        .collect();
    let locale = ctx.locale();
    let mut items: Vec<&RecordItem> = snapshot.records.iter().collect();
    items.sort_by_key(|item| (item.data.section(), item.id));
    Ok(items
        .into_iter()
        .map(|item| record_view(item, open.get(&item.id).cloned(), locale))
        .collect())
}

fn record_view(item: &RecordItem, pending_request: Option<String>, locale: Locale) -> RecordView {
    let section = item.data.section();
    RecordView {
        id: item.id.to_string(),
        section: section.as_str().to_owned(),
        section_label: section.label(locale).to_owned(),
        version: item.version,
        source: item.source.as_str().to_owned(),
        verified_at_ms: item.verified_at.map(|at| at.timestamp_millis()),
        fields: text_fields(&item.data),
        pending_request,
    }
}

/// The user's own requests, newest first.
pub(crate) fn own_requests(ctx: &Context) -> Result<Vec<CorrectionRequestView>> {
    let mut shown = ctx.store.read(Snapshot::load)?.own_requests();
    shown.sort_by(|a, b| {
        let key = |s: &Shown| (s.request.submitted_at, s.request.id);
        key(b).cmp(&key(a))
    });
    let locale = ctx.locale();
    Ok(shown.iter().map(|s| request_view(s, locale)).collect())
}

/// The open requests the user reviews, oldest first.
pub(crate) fn review_queue(ctx: &Context) -> Result<Vec<CorrectionRequestView>> {
    let mut shown = ctx.store.read(Snapshot::load)?.review_queue();
    shown.sort_by_key(|s| (s.request.submitted_at, s.request.id));
    let locale = ctx.locale();
    Ok(shown.iter().map(|s| request_view(s, locale)).collect())
}

/// A request for the screen.
pub(crate) fn request_view(shown: &Shown, locale: Locale) -> CorrectionRequestView {
    let request = &shown.request;
    let text = |data: &Option<RecordData>| data.as_ref().map(text_fields);
    CorrectionRequestView {
        id: request.id.to_string(),
        employee_name: Some(request.employee_name.clone()).filter(|name| !name.is_empty()),
        section: request.section.as_str().to_owned(),
        section_label: request.section.label(locale).to_owned(),
        op: request.op.as_str().to_owned(),
        record_id: request.record_id.map(|id| id.to_string()),
        state: request.state.as_str().to_owned(),
        state_label: request.state.label(locale).to_owned(),
        note: request.note.clone(),
        answer: request.answer.clone(),
        reason: request.reason.clone(),
        evidence: request.evidence.clone(),
        pending: shown.pending,
        version: request.version,
        base: text(&request.base),
        current: text(&request.current),
        proposed: text(&request.proposed),
        conflicts: request.conflicts.clone(),
        submitted_at_ms: request.submitted_at.timestamp_millis(),
    }
}
