//! Correction requests: a servant asks HR to add, change or delete an item of their file.
//!
//! ```text
//! submitted ─claim→ in_review ─approve→ applied        (base version still current)
//!     │  ↑              │  │      └──→ conflict ─rebase→ in_review
//!     │  └─answer── needs_info ←ask┘  └─reject→ rejected
//!     └─(submitted | needs_info) withdraw→ withdrawn
//! ```
//! An HR officer may approve or reject a submitted request without claiming it first; the
//! first valid decision wins and a later one is told the request is already decided.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{RecordData, Section};
use crate::error::{DomainError, ErrorCode};

wire_enum! {
    /// What a correction asks for.
    pub enum CorrectionOp ("operation") {
        /// Add a new item.
        Add = "add",
        /// Change an existing item.
        Edit = "edit",
        /// Delete an existing item.
        Delete = "delete",
    }
}

wire_enum! {
    /// Where a correction request stands.
    pub enum RequestState ("request state") {
        /// Waiting for an HR officer.
        Submitted = "submitted",
        /// An HR officer is reviewing it.
        InReview = "in_review",
        /// HR asked the servant for more information.
        NeedsInfo = "needs_info",
        /// The item changed since the servant saw it; HR must look again.
        Conflict = "conflict",
        /// Approved and applied to the record.
        Applied = "applied",
        /// Refused, with a note.
        Rejected = "rejected",
        /// Taken back by the servant.
        Withdrawn = "withdrawn",
    }
}

impl RequestState {
    /// Decided for good: no step changes it any more.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Applied | Self::Rejected | Self::Withdrawn)
    }
}

/// Who takes a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    /// The servant whose request it is.
    Requester,
    /// An HR officer in scope; `subject` when the request is about the officer's own file.
    Reviewer {
        /// The officer's account.
        account: Uuid,
        /// The request concerns the officer's own file.
        subject: bool,
    },
}

/// A step in a request's life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Take it to review.
    Claim,
    /// Ask for more information.
    Ask,
    /// Answer and send back.
    Answer,
    /// Approve; `base_current` tells whether the item is still at the servant's base version.
    Approve {
        /// The item is unchanged since the servant saw it.
        base_current: bool,
    },
    /// Reject.
    Reject,
    /// Take the current item as the new base after a conflict.
    Rebase,
    /// Take back.
    Withdraw,
}

/// A request's new state and reviewer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transition {
    /// The new state.
    pub state: RequestState,
    /// The officer reviewing it afterwards.
    pub reviewer: Option<Uuid>,
}

fn refuse(code: ErrorCode, detail: &str) -> Result<Transition, DomainError> {
    Err(DomainError::new(code, detail))
}

/// Decides a step: the new state, or why the step is not possible now.
pub fn decide(
    state: RequestState,
    reviewer: Option<Uuid>,
    who: Who,
    step: Step,
) -> Result<Transition, DomainError> {
    if state.is_final() {
        return refuse(ErrorCode::RequestDecided, "the request is already decided");
    }
    match who {
        Who::Requester => by_requester(state, reviewer, step),
        Who::Reviewer { subject: true, .. } => {
            refuse(ErrorCode::OwnRequest, "nobody reviews their own request")
        }
        Who::Reviewer { account, .. } => by_reviewer(state, reviewer, account, step),
    }
}

fn by_requester(
    state: RequestState,
    reviewer: Option<Uuid>,
    step: Step,
) -> Result<Transition, DomainError> {
    use RequestState as S;
    let to = |state| Ok(Transition { state, reviewer });
    match (state, step) {
        (S::Submitted | S::NeedsInfo, Step::Withdraw) => to(S::Withdrawn),
        (S::NeedsInfo, Step::Answer) => to(S::Submitted),
        (_, Step::Withdraw | Step::Answer) => {
            refuse(ErrorCode::RequestState, "not possible in this state")
        }
        _ => refuse(ErrorCode::Forbidden, "only HR officers review requests"),
    }
}

fn by_reviewer(
    state: RequestState,
    reviewer: Option<Uuid>,
    me: Uuid,
    step: Step,
) -> Result<Transition, DomainError> {
    use RequestState as S;
    let mine = Some(me);
    if state == S::InReview && reviewer != mine && !matches!(step, Step::Claim) {
        return refuse(ErrorCode::RequestClaimed, "another officer is reviewing it");
    }
    let to = |state| {
        Ok(Transition {
            state,
            reviewer: mine,
        })
    };
    match (state, step) {
        (S::Submitted, Step::Claim) => to(S::InReview),
        (S::InReview, Step::Claim) if reviewer == mine => to(S::InReview),
        (S::InReview, Step::Claim) => {
            refuse(ErrorCode::RequestClaimed, "another officer is reviewing it")
        }
        (S::InReview, Step::Ask) => to(S::NeedsInfo),
        (S::Submitted | S::InReview, Step::Approve { base_current: true }) => to(S::Applied),
        (
            S::Submitted | S::InReview,
            Step::Approve {
                base_current: false,
            },
        ) => to(S::Conflict),
        (S::Submitted | S::InReview | S::Conflict, Step::Reject) => to(S::Rejected),
        (S::Conflict, Step::Rebase) => to(S::InReview),
        (_, Step::Withdraw | Step::Answer) => refuse(
            ErrorCode::Forbidden,
            "only the servant withdraws or answers",
        ),
        _ => refuse(ErrorCode::RequestState, "not possible in this state"),
    }
}

/// A correction request as the servant and the HR officers in scope see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CorrectionRequest {
    /// The request (chosen by the servant's device).
    pub id: Uuid,
    /// Whose file.
    pub employee_id: Uuid,
    /// The servant's name, for the HR inbox.
    pub employee_name: String,
    /// The section.
    pub section: Section,
    /// Add, edit or delete.
    pub op: CorrectionOp,
    /// The item to edit or delete; for an applied addition, the new item.
    pub record_id: Option<Uuid>,
    /// The item's version the servant saw (edit, delete); after a rebase, the version HR took.
    pub base_version: Option<i64>,
    /// The item as the servant saw it.
    pub base: Option<RecordData>,
    /// The item as it is now, when it differs from the base.
    pub current: Option<RecordData>,
    /// What the servant proposes (add, edit).
    pub proposed: Option<RecordData>,
    /// Fields in which the proposal would undo a change HR made since the servant's base, for
    /// the reviewer to decide (see [`rebase`](super::rebase)).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<String>,
    /// Why.
    pub reason: String,
    /// Content hashes of the evidence files.
    pub evidence: Vec<String>,
    /// Where it stands.
    pub state: RequestState,
    /// The officer reviewing or who decided it.
    pub reviewer: Option<Uuid>,
    /// HR's question or decision note.
    pub note: Option<String>,
    /// The servant's latest answer to a question.
    pub answer: Option<String>,
    /// The request's own version; each step raises it.
    pub version: i64,
    /// When the server received it.
    pub submitted_at: DateTime<Utc>,
    /// When it was decided.
    pub decided_at: Option<DateTime<Utc>>,
}

/// An entry of a user's inbox: the phone renders its text in the user's language.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InboxItem {
    /// The entry.
    pub id: Uuid,
    /// What happened, e.g. `correction_decided`.
    pub kind: String,
    /// The request it is about.
    pub request_id: Uuid,
    /// The section of the request.
    pub section: Section,
    /// The request's state when the entry was made.
    pub state: RequestState,
    /// HR's note.
    pub note: Option<String>,
    /// When.
    pub created_at: DateTime<Utc>,
    /// When the user first read it on any device; `None` while unread (see [`crate::inbox`]).
    #[serde(default)]
    pub read_at: Option<DateTime<Utc>>,
}
