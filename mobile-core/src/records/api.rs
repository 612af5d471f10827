//! The personnel file, correction requests and review on [`XodimCore`]. Every method
//! blocks: call it from a background thread. Steps are queued and sent by the next sync, so
//! they work offline.

use std::collections::HashMap;

use crate::api::XodimCore;
use crate::error::CoreError;
use crate::records::evidence;
use crate::records::intents::{self, Action, Proposal};
use crate::records::views::{self, CorrectionRequestView, RecordView};
use crate::views::{self as intent_views, QueuedIntent};

#[uniffi::export]
impl XodimCore {
    /// The items of the user's personnel file, by section in the order of the file (education,
    /// certificates, work history, knowledge tests, relatives), then by id.
    pub fn records(&self) -> Vec<RecordView> {
        // The list screens have no error state; an unreadable store shows as empty.
        views::records(&self.ctx).unwrap_or_default()
    }

    /// Checks a photo (`image/jpeg`, `image/png`) or a PDF (`application/pdf`) as the server
    /// does and keeps it on the device until the sync has uploaded it; returns its content hash,
    /// which `propose_correction` and `answer_request` take.
    pub fn attach_evidence(
        &self,
        content: Vec<u8>,
        content_type: String,
    ) -> Result<String, CoreError> {
        evidence::attach(&self.ctx, &content, &content_type).map_err(|e| self.fail(e))
    }

    /// Queues a request to HR to change the personnel file, after checking it with the same
    /// rules as the server.
    ///
    /// `section` and `op` (`add`, `edit`, `delete`) are wire names; `record_id` names the item
    /// to edit or delete; `fields` hold the proposed item as form text (see
    /// [`RecordView::fields`]); `evidence` are hashes from `attach_evidence`.
    pub fn propose_correction(
        &self,
        section: String,
        op: String,
        record_id: Option<String>,
        fields: HashMap<String, String>,
        reason: String,
        evidence: Vec<String>,
    ) -> Result<QueuedIntent, CoreError> {
        let proposal = Proposal {
            section: &section,
            op: &op,
            record_id: record_id.as_deref(),
            fields: &fields,
            reason: &reason,
            evidence: &evidence,
        };
        let row = intents::propose(&self.ctx, &proposal).map_err(|e| self.fail(e))?;
        Ok(intent_views::intent(row, self.ctx.locale()))
    }

    /// The user's own correction requests, newest first; one only queued on this device shows
    /// as `submitted` and pending.
    pub fn correction_requests(&self) -> Vec<CorrectionRequestView> {
        views::own_requests(&self.ctx).unwrap_or_default()
    }

    /// Takes back one of the user's requests not yet in review.
    pub fn withdraw_request(&self, id: String) -> Result<QueuedIntent, CoreError> {
        self.act(&id, &Action::Withdraw)
    }

    /// Answers HR's question on one of the user's requests, perhaps with more files.
    pub fn answer_request(
        &self,
        id: String,
        note: String,
        evidence: Vec<String>,
    ) -> Result<QueuedIntent, CoreError> {
        self.act(
            &id,
            &Action::Answer {
                note: &note,
                evidence: &evidence,
            },
        )
    }

    /// For HR officers: the open requests of the staff they review, oldest first. A request
    /// about the user's own file never shows here.
    pub fn review_queue(&self) -> Vec<CorrectionRequestView> {
        views::review_queue(&self.ctx).unwrap_or_default()
    }

    /// For HR officers: takes a request to review.
    pub fn claim_request(&self, id: String) -> Result<QueuedIntent, CoreError> {
        self.act(&id, &Action::Claim)
    }

    /// For HR officers: asks the servant for more information on a request in review.
    pub fn ask_for_info(&self, id: String, note: String) -> Result<QueuedIntent, CoreError> {
        self.act(&id, &Action::Ask { note: &note })
    }

    /// For HR officers: approves a request; the server applies it to the file unless the item
    /// changed since the servant saw it.
    pub fn approve_request(
        &self,
        id: String,
        note: Option<String>,
    ) -> Result<QueuedIntent, CoreError> {
        self.act(
            &id,
            &Action::Approve {
                note: note.as_deref(),
            },
        )
    }

    /// For HR officers: rejects a request, saying why.
    pub fn reject_request(&self, id: String, note: String) -> Result<QueuedIntent, CoreError> {
        self.act(&id, &Action::Reject { note: &note })
    }

    /// For HR officers: after a conflict, takes the item as it is now as the new base and
    /// reviews the request again.
    pub fn rebase_request(&self, id: String) -> Result<QueuedIntent, CoreError> {
        self.act(&id, &Action::Rebase)
    }
}

impl XodimCore {
    fn act(&self, id: &str, action: &Action<'_>) -> Result<QueuedIntent, CoreError> {
        let row = intents::act(&self.ctx, id, action).map_err(|e| self.fail(e))?;
        Ok(intent_views::intent(row, self.ctx.locale()))
    }
}
