//! What a feature decided about an intent, and what that decision publishes.

use serde_json::Value;
use xodim_domain::sync::IntentStatus;
use xodim_domain::{DomainError, ErrorCode};

use super::Publication;

/// What a feature decided about an intent.
pub struct Decision {
    verdict: Verdict,
    publication: Publication,
}

/// The answer a device is given, as it is stored for replays.
pub(in crate::sync) struct Verdict {
    pub status: IntentStatus,
    pub code: Option<ErrorCode>,
    pub detail: Option<String>,
    pub current: Option<Value>,
}

impl Decision {
    /// Applied, with what it publishes.
    pub fn applied(publication: impl Into<Publication>) -> Self {
        Self {
            verdict: Verdict {
                status: IntentStatus::Applied,
                code: None,
                detail: None,
                current: None,
            },
            publication: publication.into(),
        }
    }

    /// The aggregate had moved on and the intent could not do what it asked, but the
    /// aggregate records that it was tried (an approval that sends a request to conflict):
    /// `current` is what it is now, `publication` what the attempt wrote.
    pub fn conflict_recorded(publication: impl Into<Publication>, current: Value) -> Self {
        Self {
            publication: publication.into(),
            ..Self::conflict(Some(current))
        }
    }

    /// Refused for good.
    pub fn rejected(err: DomainError) -> Self {
        Self::refused(Verdict {
            status: IntentStatus::Rejected,
            code: Some(err.code),
            detail: Some(err.detail),
            current: None,
        })
    }

    /// The aggregate moved on; `current` is what it is now.
    pub fn conflict(current: Option<Value>) -> Self {
        Self::refused(Verdict {
            status: IntentStatus::Conflict,
            code: Some(ErrorCode::VersionConflict),
            detail: None,
            current,
        })
    }

    /// An intent type that no feature, or not the feature of its namespace, knows.
    pub fn unknown_intent(kind: &str) -> Self {
        Self::rejected(DomainError::new(
            ErrorCode::UnknownIntent,
            format!("unknown intent type {kind:?}"),
        ))
    }

    /// What the decision publishes, for callers that decide outside the intent route (the
    /// demo seed) and write it in their own transaction.
    pub fn into_publication(self) -> Publication {
        self.publication
    }

    pub(in crate::sync) fn into_parts(self) -> (Verdict, Publication) {
        (self.verdict, self.publication)
    }

    fn refused(verdict: Verdict) -> Self {
        Self {
            verdict,
            publication: Publication::default(),
        }
    }
}
