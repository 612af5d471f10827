//! The personnel file on the phone: the servant's records, their correction requests and the
//! HR officer's review queue, read from synced entities with the user's own queued
//! intents replayed on top; and the intents that file, answer and decide requests.
//!
//! It owns the intent namespace `correction`. Every request is the aggregate
//! `request:<request id>` (the domain's `RequestAddress`), so all steps on one request travel
//! in order and steps on different requests do not wait for each other.

mod api;
pub(crate) mod evidence;
pub(crate) mod intents;
mod overlay;
mod state;
pub(crate) mod views;

use std::collections::HashMap;

use serde_json::Value;
use xodim_domain::records::RecordData;
use xodim_domain::records::intents::NAMESPACE;

pub use views::{CorrectionRequestView, RecordView};

use crate::feature::Feature;

/// Entity kinds of this module, as the change log names them.
pub(crate) const RECORD: &str = "record";
/// A correction request.
pub(crate) const REQUEST: &str = "correction_request";

/// The personnel-file feature, as the registry knows it.
pub(crate) struct Records;

impl Feature for Records {
    fn namespace(&self) -> &'static str {
        NAMESPACE
    }

    /// Requests, and the records that show the user's open request about them.
    fn shown_in(&self) -> &'static [&'static str] {
        &[REQUEST, RECORD]
    }

    /// A submission and an answer name their files in `evidence`.
    fn files_named(&self, args: &Value) -> Vec<String> {
        evidence::named_in(args)
    }
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
    fn the_files_of_a_submission_or_an_answer_are_those_in_its_evidence() {
        let args = serde_json::json!({ "note": "mana", "evidence": ["a", "b"] });
        assert_eq!(Records.files_named(&args), ["a", "b"]);
        assert!(Records.files_named(&serde_json::json!({})).is_empty());
    }
}
