//! The personnel file on the phone: the servant's records, their correction requests, the HR
//! officer's review queue and the inbox, read from synced entities with the user's own queued
//! intents replayed on top; and the intents that file, answer and decide requests.
//!
//! Every request is the aggregate `request:<request id>`, so all steps on one request travel in
//! order and steps on different requests do not wait for each other.

mod api;
pub(crate) mod evidence;
pub(crate) mod intents;
mod overlay;
mod state;
pub(crate) mod views;

use std::collections::HashMap;

use serde_json::Value;
use uuid::Uuid;
use xodim_domain::records::RecordData;

pub use views::{CorrectionRequestView, InboxView, RecordView};

/// Entity kinds of this module, as the change log names them.
pub(crate) const RECORD: &str = "record";
/// A correction request.
pub(crate) const REQUEST: &str = "correction_request";
/// An inbox entry.
pub(crate) const INBOX: &str = "inbox";

/// The aggregate of a correction request.
pub(crate) fn aggregate(request_id: Uuid) -> String {
    format!("request:{request_id}")
}

/// The request an aggregate names, if it names one.
pub(crate) fn request_of(aggregate: &str) -> Option<Uuid> {
    aggregate
        .strip_prefix("request:")
        .and_then(|id| Uuid::parse_str(id).ok())
}

/// The fields of a record as form text: what `RecordData::from_text` reads back.
pub(crate) fn text_fields(data: &RecordData) -> HashMap<String, String> {
    let Value::Object(map) = data.fields_json() else {
        return HashMap::new();
    };
    map.into_iter()
        .filter_map(|(name, value)| {
            let text = match value {
                Value::Null => return None,
                Value::String(text) => text,
                other => other.to_string(),
            };
            Some((name, text))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use xodim_domain::records::Section;

    use super::*;

    #[test]
    fn fields_as_text_read_back_to_the_same_record() {
        let data = RecordData::from_text(
            Section::Education,
            [
                ("institution", "TDIU"),
                ("level", "master"),
                ("start_year", "2012"),
                ("end_year", "2014"),
                ("honours", "ha"),
            ],
        )
        .unwrap();
        let text = text_fields(&data);
        assert_eq!(text["start_year"], "2012");
        assert_eq!(text["honours"], "true");
        let pairs = text.iter().map(|(k, v)| (k.as_str(), v.as_str()));
        assert_eq!(
            RecordData::from_text(Section::Education, pairs).unwrap(),
            data
        );
    }

    #[test]
    fn only_request_aggregates_name_a_request() {
        let id = Uuid::from_u128(7);
        assert_eq!(request_of(&aggregate(id)), Some(id));
        assert_eq!(
            request_of("contact:00000000-0000-0000-0000-000000000007"),
            None
        );
    }
}
