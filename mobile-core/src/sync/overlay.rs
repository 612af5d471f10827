//! The optimistic overlay: what the user sees is the server's entity with their own undecided
//! and not-yet-visible intents replayed on top, in order. Each feature replays its own intents;
//! this says which intents still count.

use xodim_domain::sync::Cursor;

use crate::store::outbox::{IntentState, OutboxRow};

/// Whether an intent still shapes what the user sees.
///
/// Undecided intents do; an applied one does until the pull cursor covers the position its
/// effects are visible from (then the server's entity already holds them); a rejected or
/// conflicted one never does.
pub(crate) fn shows(row: &OutboxRow, cursor: &Cursor) -> bool {
    match row.state {
        IntentState::Queued | IntentState::Sending => true,
        IntentState::Applied => !visible(row.visible_at.as_deref(), cursor),
        IntentState::Rejected | IntentState::Conflict => false,
    }
}

fn visible(visible_at: Option<&str>, cursor: &Cursor) -> bool {
    // Without a position, or with one this version cannot read, there is nothing to wait for:
    // the server's data, pulled after the answer, is the truth.
    let Some(Ok(needed)) = visible_at.map(Cursor::decode) else {
        return true;
    };
    cursor.covers(&needed)
}

#[cfg(test)]
mod tests {
    use super::*;

    const OWN: &str = "own:00000000-0000-0000-0000-00000000000a";

    fn cursor(text: &str) -> Cursor {
        Cursor::decode(text).unwrap()
    }

    #[test]
    fn undecided_intents_show_and_refused_ones_never_do() {
        let row = |state| OutboxRow::queued(1, "note.add", "note:a").in_state(state);
        let none = Cursor::default();
        assert!(shows(&row(IntentState::Queued), &none));
        assert!(shows(&row(IntentState::Sending), &none));
        assert!(!shows(&row(IntentState::Rejected), &none));
        assert!(!shows(&row(IntentState::Conflict), &none));
    }

    #[test]
    fn an_applied_intent_shows_until_the_cursor_covers_its_position() {
        let applied = OutboxRow::queued(1, "note.add", "note:a").applied_at(&format!("{OWN}@8"));
        assert!(shows(&applied, &cursor(&format!("{OWN}@7"))));
        assert!(!shows(&applied, &cursor(&format!("{OWN}@8"))));
        let unreadable = OutboxRow::queued(1, "note.add", "note:a").applied_at("not a cursor");
        assert!(!shows(&unreadable, &Cursor::default()));
    }
}
