//! Which entries the user sees as read: those the server says were read, and those a read of
//! this device still shapes (queued, being sent, or applied but not yet pulled back).

use std::collections::HashSet;

use uuid::Uuid;
use xodim_domain::inbox::{INBOX_READ, InboxAddress};
use xodim_domain::sync::Cursor;

use crate::store::outbox::OutboxRow;
use crate::sync::overlay::shows;

/// The entries this device's own reads mark read on top of the server's data.
pub(crate) fn read_here(outbox: &[OutboxRow], cursor: &Cursor) -> HashSet<Uuid> {
    outbox
        .iter()
        .filter(|row| row.kind == INBOX_READ && shows(row, cursor))
        .filter_map(|row| row.aggregate.parse::<InboxAddress>().ok())
        .map(|address| address.0)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::outbox::IntentState;

    const OWN: &str = "own:00000000-0000-0000-0000-00000000000a";

    fn read(seq: i64, entry: u128, state: IntentState) -> OutboxRow {
        let aggregate = InboxAddress(Uuid::from_u128(entry)).to_string();
        OutboxRow::queued(seq, INBOX_READ, &aggregate).in_state(state)
    }

    fn cursor(text: &str) -> Cursor {
        Cursor::decode(text).unwrap()
    }

    #[test]
    fn a_queued_or_sending_read_marks_its_entry_read() {
        let outbox = [
            read(1, 0xE1, IntentState::Queued),
            read(2, 0xE2, IntentState::Sending),
        ];
        let read = read_here(&outbox, &Cursor::default());
        assert_eq!(
            read,
            HashSet::from([Uuid::from_u128(0xE1), Uuid::from_u128(0xE2)])
        );
    }

    #[test]
    fn an_applied_read_counts_until_the_pulled_entry_carries_it() {
        let outbox = [read(1, 0xE1, IntentState::Applied).applied_at(&format!("{OWN}@8"))];
        assert_eq!(read_here(&outbox, &cursor(&format!("{OWN}@7"))).len(), 1);
        assert!(read_here(&outbox, &cursor(&format!("{OWN}@8"))).is_empty());
    }

    #[test]
    fn a_refused_read_and_other_intents_mark_nothing() {
        let mut other = read(2, 0xE2, IntentState::Queued);
        other.kind = "correction.withdraw".to_owned();
        let outbox = [read(1, 0xE1, IntentState::Rejected), other];
        assert!(read_here(&outbox, &Cursor::default()).is_empty());
    }
}
