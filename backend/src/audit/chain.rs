//! The canonical encoding of an event, and its hash.
//!
//! The hash is the lowercase hex SHA-256 of `xodim.audit.v1` followed by the event's fields in
//! this order: seq, prev_hash, actor_account, on_behalf_of, device_session, action, entity,
//! entity_id, before, after, intent_id, client_time, server_time. Each field is a presence byte
//! (0 absent, 1 present) and, when present, the byte length of its text as a big-endian u64 and
//! the UTF-8 text itself. The length prefixes keep the encoding unambiguous: two different events
//! never encode to the same bytes.
//!
//! The texts are those of the values as the database gives them back, so that anyone reading the
//! rows recomputes the same bytes: seq in decimal, uuids hyphenated in lowercase, times in UTC as
//! `YYYY-MM-DDTHH:MM:SS.ffffffZ` (PostgreSQL keeps microseconds, so times are cut to whole
//! microseconds before they are hashed and stored), and JSON as the stored text.

use chrono::{DateTime, SubsecRound, Utc};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::db::entities::audit_event;

/// The `prev_hash` of the first event: there is no event before it.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

const DOMAIN: &[u8] = b"xodim.audit.v1";
const TIME_FORMAT: &str = "%Y-%m-%dT%H:%M:%S%.6fZ";

/// A time as the database keeps it: whole microseconds.
pub(super) fn to_micros(time: DateTime<Utc>) -> DateTime<Utc> {
    time.trunc_subsecs(6)
}

/// The hash an event must carry, computed from every column but `hash`.
pub fn event_hash(event: &audit_event::Model) -> String {
    let uuid = |id: Option<Uuid>| id.map(|id| id.hyphenated().to_string());
    let time = |at: Option<DateTime<Utc>>| at.map(|at| at.format(TIME_FORMAT).to_string());
    let fields = [
        Some(event.seq.to_string()),
        Some(event.prev_hash.clone()),
        uuid(event.actor_account),
        uuid(event.on_behalf_of),
        uuid(event.device_session),
        Some(event.action.clone()),
        Some(event.entity.clone()),
        uuid(Some(event.entity_id)),
        event.before.clone(),
        event.after.clone(),
        uuid(event.intent_id),
        time(event.client_time),
        time(Some(event.server_time)),
    ];
    let mut hasher = Sha256::new();
    hasher.update(DOMAIN);
    for field in &fields {
        match field {
            None => hasher.update([0u8]),
            Some(text) => {
                hasher.update([1u8]);
                hasher.update((text.len() as u64).to_be_bytes());
                hasher.update(text.as_bytes());
            }
        }
    }
    format!("{:x}", hasher.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event() -> audit_event::Model {
        audit_event::Model {
            seq: 1,
            prev_hash: GENESIS_HASH.to_owned(),
            hash: String::new(),
            actor_account: None,
            on_behalf_of: None,
            device_session: None,
            action: "record.update".to_owned(),
            entity: "record".to_owned(),
            entity_id: Uuid::nil(),
            before: None,
            after: Some("{}".to_owned()),
            intent_id: None,
            client_time: None,
            server_time: DateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn the_hash_is_hex_sha256_and_depends_on_every_field() {
        let base = event_hash(&event());
        assert_eq!(base.len(), 64);
        assert!(
            base.bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        );
        let mut moved = event();
        moved.before = Some("{}".to_owned());
        moved.after = None;
        assert_ne!(event_hash(&moved), base, "a value moved to another field");
        let mut split = event();
        split.action = "record.".to_owned();
        split.entity = "updaterecord".to_owned();
        assert_ne!(
            event_hash(&split),
            base,
            "text moved across a field boundary"
        );
        let mut hashed = event();
        hashed.hash = "anything".to_owned();
        assert_eq!(event_hash(&hashed), base, "the stored hash is not an input");
    }

    #[test]
    fn times_are_hashed_in_whole_microseconds() {
        let at = DateTime::from_timestamp(1_700_000_000, 123_456_789).unwrap_or_default();
        assert_eq!(to_micros(at).timestamp_subsec_nanos(), 123_456_000);
        let mut precise = event();
        precise.server_time = at;
        let mut cut = event();
        cut.server_time = to_micros(at);
        assert_eq!(
            event_hash(&precise),
            event_hash(&cut),
            "the encoding shows what the database keeps"
        );
    }
}
