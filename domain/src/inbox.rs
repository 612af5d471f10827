//! The user's inbox as its own feature: entries other features create (a decided correction
//! request, …) and their read state, which every device of the user shares.
//!
//! Read wins: an entry once read stays read, whichever device read it first and however late
//! the other devices' reads arrive. There is no way back to unread, so reads from several
//! devices, offline or not, never conflict.

use chrono::{DateTime, Utc};
use uuid::Uuid;

/// The intent namespace of the inbox.
pub const NAMESPACE: &str = "inbox";

/// The command type that marks one of the user's own inbox entries read.
pub const INBOX_READ: &str = "inbox.read";

aggregate_address! {
    /// The aggregate of one inbox entry: `inbox:<entry id>`.
    pub struct InboxAddress(Uuid) = "inbox";
}

/// What reading an entry does to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadDecision {
    /// The entry was unread: it is read from `at` on.
    MarkRead {
        /// When it counts as read.
        at: DateTime<Utc>,
    },
    /// It was read already; the first read stands and nothing changes.
    AlreadyRead,
}

/// Decides a read of an entry whose read time is `read_at` (`None`: unread), at `now`.
pub fn decide_read(read_at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> ReadDecision {
    match read_at {
        Some(_) => ReadDecision::AlreadyRead,
        None => ReadDecision::MarkRead { at: now },
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::ErrorCode;

    const ID: &str = "0190f0e4-7c4b-7d8e-9a1b-2c3d4e5f6a7b";

    #[test]
    fn an_entry_address_displays_and_parses_back() {
        let address: InboxAddress = format!("inbox:{ID}").parse().unwrap();
        assert_eq!(address.0, Uuid::parse_str(ID).unwrap());
        assert_eq!(address.to_string(), format!("inbox:{ID}"));
    }

    #[test]
    fn another_aggregate_or_a_malformed_id_is_an_invalid_intent() {
        for text in [
            format!("request:{ID}"),
            "inbox:nope".to_owned(),
            ID.to_owned(),
        ] {
            let err = text.parse::<InboxAddress>().unwrap_err();
            assert_eq!(err.code, ErrorCode::InvalidIntent, "{text}");
        }
    }

    #[test]
    fn an_unread_entry_becomes_read_now_and_a_read_one_keeps_its_first_read() {
        let first = Utc.timestamp_opt(1_800_000_000, 0).unwrap();
        let later = Utc.timestamp_opt(1_800_000_600, 0).unwrap();
        assert_eq!(
            decide_read(None, first),
            ReadDecision::MarkRead { at: first }
        );
        assert_eq!(decide_read(Some(first), later), ReadDecision::AlreadyRead);
    }
}
