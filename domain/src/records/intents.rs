//! The intents of correction requests: their namespace, the address of the request they act
//! on, and the step each stands for. The server and the phone read intents through these alone.

use uuid::Uuid;

use super::request::Step;

/// The intent namespace of correction requests: every type below starts with `correction.`.
pub const NAMESPACE: &str = "correction";

/// The servant files a request (aggregate [`RequestAddress`]).
pub const CORRECTION_SUBMIT: &str = "correction.submit";
/// The servant takes back a request not yet in review.
pub const CORRECTION_WITHDRAW: &str = "correction.withdraw";
/// The servant answers HR's question and sends the request back.
pub const CORRECTION_ANSWER: &str = "correction.answer";
/// An HR officer takes a request to review.
pub const CORRECTION_CLAIM: &str = "correction.claim";
/// The reviewing officer asks the servant for more information.
pub const CORRECTION_ASK: &str = "correction.ask";
/// An HR officer approves; the record changes in the same transaction.
pub const CORRECTION_APPROVE: &str = "correction.approve";
/// An HR officer rejects with a note.
pub const CORRECTION_REJECT: &str = "correction.reject";
/// After a conflict, an officer takes the current record as the new base and reviews again.
pub const CORRECTION_REBASE: &str = "correction.rebase";

aggregate_address! {
    /// The aggregate of a correction request: `request:<request id>`.
    pub struct RequestAddress(Uuid) = "request";
}

/// Which side of a request takes a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Party {
    /// The servant whose request it is.
    Requester,
    /// An HR officer in scope.
    Reviewer,
}

/// The party and the step a step intent type stands for; `None` for `correction.submit`, which
/// creates a request rather than moving one, and for a type this feature does not know.
/// `base_current` tells an approval whether the item is still at the servant's base version.
pub fn step_of(kind: &str, base_current: bool) -> Option<(Party, Step)> {
    Some(match kind {
        CORRECTION_WITHDRAW => (Party::Requester, Step::Withdraw),
        CORRECTION_ANSWER => (Party::Requester, Step::Answer),
        CORRECTION_CLAIM => (Party::Reviewer, Step::Claim),
        CORRECTION_ASK => (Party::Reviewer, Step::Ask),
        CORRECTION_APPROVE => (Party::Reviewer, Step::Approve { base_current }),
        CORRECTION_REJECT => (Party::Reviewer, Step::Reject),
        CORRECTION_REBASE => (Party::Reviewer, Step::Rebase),
        _ => return None,
    })
}

impl Step {
    /// The step carries a note by rule: a question, an answer, a refusal.
    pub fn needs_note(self) -> bool {
        matches!(self, Step::Ask | Step::Answer | Step::Reject)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_step_type_is_in_the_namespace_and_names_its_party() {
        let types = [
            (CORRECTION_WITHDRAW, Party::Requester),
            (CORRECTION_ANSWER, Party::Requester),
            (CORRECTION_CLAIM, Party::Reviewer),
            (CORRECTION_ASK, Party::Reviewer),
            (CORRECTION_APPROVE, Party::Reviewer),
            (CORRECTION_REJECT, Party::Reviewer),
            (CORRECTION_REBASE, Party::Reviewer),
        ];
        for (kind, party) in types {
            assert_eq!(crate::sync::namespace_of(kind), NAMESPACE);
            assert_eq!(step_of(kind, true).map(|(p, _)| p), Some(party), "{kind}");
        }
        assert_eq!(crate::sync::namespace_of(CORRECTION_SUBMIT), NAMESPACE);
        assert_eq!(step_of(CORRECTION_SUBMIT, true), None);
        assert_eq!(step_of("contact.update", true), None);
    }

    #[test]
    fn an_approval_carries_whether_the_base_is_still_current() {
        let stale = step_of(CORRECTION_APPROVE, false).map(|(_, step)| step);
        assert_eq!(
            stale,
            Some(Step::Approve {
                base_current: false
            })
        );
    }

    #[test]
    fn only_questions_answers_and_refusals_need_a_note() {
        let noted: Vec<&str> = [
            CORRECTION_ANSWER,
            CORRECTION_ASK,
            CORRECTION_REJECT,
            CORRECTION_APPROVE,
            CORRECTION_CLAIM,
        ]
        .into_iter()
        .filter(|kind| step_of(kind, true).is_some_and(|(_, step)| step.needs_note()))
        .collect();
        assert_eq!(
            noted,
            [CORRECTION_ANSWER, CORRECTION_ASK, CORRECTION_REJECT]
        );
    }

    #[test]
    fn a_request_address_reads_back_what_it_prints() {
        let address = RequestAddress(Uuid::from_u128(42));
        assert_eq!(address.to_string().parse::<RequestAddress>(), Ok(address));
        assert!(
            "contact:00000000-0000-0000-0000-00000000002a"
                .parse::<RequestAddress>()
                .is_err()
        );
    }
}
