//! How much goes into one push: at most the server's number of intents a batch, in a body no
//! larger than the server accepts. The server names its body limit in a header of every answer
//! of its sync routes; until the device has seen it, a conservative default holds.
//!
//! A batch the server refuses whole is not final unless it holds a single intent: the budget
//! shrinks and its intents go again in smaller batches, so that no valid intent is ever lost
//! because of its neighbours.

use xodim_domain::sync::{Expectation, Intent, IntentBatch};

use crate::store::outbox::OutboxRow;
use crate::transport::HttpResponse;

/// The most intents the server accepts in one batch.
pub(crate) const MAX_INTENTS: usize = 100;
/// The body limit assumed until the server names its own (its default is 256 KiB).
pub(crate) const DEFAULT_MAX_BODY: usize = 64 * 1024;
/// The server's header naming its largest accepted JSON body in bytes.
pub(crate) const MAX_BODY_HEADER: &str = "xodim-max-body-bytes";

/// The most intents and bytes the next batch may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Budget {
    /// Intents in one batch.
    pub intents: usize,
    /// Bytes of the whole request body.
    pub bytes: usize,
    /// Whether a refusal shrank it: a limit the server names then only lowers it (a proxy on
    /// the way may accept less than the server).
    pub shrunk: bool,
}

impl Budget {
    /// The budget under the server's body limit, or the default when it is not known yet.
    pub fn new(max_body: Option<usize>) -> Self {
        Self {
            intents: MAX_INTENTS,
            bytes: max_body.unwrap_or(DEFAULT_MAX_BODY),
            shrunk: false,
        }
    }

    /// The server named its body limit.
    pub fn learn(&mut self, max_body: usize) {
        self.bytes = if self.shrunk {
            self.bytes.min(max_body)
        } else {
            max_body
        };
    }

    /// The server refused a batch of `sent` intents in `body` bytes as a whole: the next batches
    /// hold half as many, and for a body that was too large, half as many bytes.
    pub fn shrink(&mut self, sent: usize, body: usize, too_large: bool) {
        self.intents = self.intents.min(sent / 2).max(1);
        self.shrunk = true;
        if too_large {
            self.bytes = self.bytes.min(body / 2);
        }
    }
}

/// An outbox row as it travels.
pub(crate) fn wire_intent(row: &OutboxRow) -> Intent {
    Intent {
        id: row.intent_id,
        kind: row.kind.clone(),
        aggregate: row.aggregate.clone(),
        expectation: row.expectation.map(|version| Expectation { version }),
        args: row.args.clone(),
        client_time: Some(row.client_time),
    }
}

/// The bytes one intent takes in a request body.
pub(crate) fn wire_size(row: &OutboxRow) -> usize {
    serde_json::to_vec(&wire_intent(row)).map_or(usize::MAX, |bytes| bytes.len())
}

/// The bytes of the body around no intent at all: `{"intents":[]}`.
pub(crate) fn envelope_size() -> usize {
    let empty = IntentBatch { intents: vec![] };
    serde_json::to_vec(&empty).map_or(0, |bytes| bytes.len())
}

/// The bytes of the request body that carries `batch`.
pub(crate) fn body_size(batch: &[OutboxRow]) -> usize {
    let commas = batch.len().saturating_sub(1);
    batch
        .iter()
        .map(wire_size)
        .fold(envelope_size() + commas, usize::saturating_add)
}

/// The body limit an answer of the server names, if it names one.
pub(crate) fn advertised_limit(response: &HttpResponse) -> Option<usize> {
    response
        .headers
        .iter()
        .find(|header| header.name.eq_ignore_ascii_case(MAX_BODY_HEADER))
        .and_then(|header| header.value.trim().parse().ok())
        .filter(|limit| *limit > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_batch_halves_the_budget_down_to_one_intent() {
        let mut budget = Budget::new(Some(1000));
        budget.shrink(10, 900, true);
        assert_eq!((budget.intents, budget.bytes), (5, 450));
        budget.shrink(5, 400, false);
        assert_eq!((budget.intents, budget.bytes), (2, 450));
        budget.shrink(2, 400, false);
        budget.shrink(1, 400, false);
        assert_eq!(budget.intents, 1);
        budget.learn(2000);
        assert_eq!(
            budget.bytes, 450,
            "after a refusal a named limit only lowers the budget"
        );
        let mut fresh = Budget::new(None);
        fresh.learn(262_144);
        assert_eq!(fresh.bytes, 262_144);
    }

    #[test]
    fn the_limit_is_read_from_the_header_in_any_case() {
        let response = |value: &str| HttpResponse {
            status: 200,
            headers: vec![crate::Header {
                name: "Xodim-Max-Body-Bytes".to_owned(),
                value: value.to_owned(),
            }],
            body: vec![],
        };
        assert_eq!(advertised_limit(&response("262144")), Some(262_144));
        assert_eq!(advertised_limit(&response("0")), None);
        assert_eq!(advertised_limit(&response("lots")), None);
    }
}
