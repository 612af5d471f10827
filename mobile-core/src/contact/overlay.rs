//! The contact details as the user sees them: the server's entity with the user's own changes
//! replayed through the domain's rule.

use serde::Deserialize;
use serde_json::Value;
use xodim_domain::contact::{ContactDecision, decide_contact_update};
use xodim_domain::sync::Cursor;

use crate::error::Result;
use crate::store::outbox::{IntentState, OutboxRow};
use crate::sync::overlay::shows;

/// Contact details as the user should see them now.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub(crate) struct ContactState {
    /// Phone.
    #[serde(default)]
    pub phone: Option<String>,
    /// E-mail.
    #[serde(default)]
    pub email: Option<String>,
    /// Postal address.
    #[serde(default)]
    pub address: Option<String>,
    /// The version, counting the user's own changes on top.
    #[serde(default)]
    pub version: i64,
    /// Whether local changes not yet visible from the server are included.
    #[serde(skip)]
    pub pending: bool,
}

/// The contact details: `base` (the server's `contact` entity as JSON) with the intents on
/// `aggregate` replayed through the domain's rule. A queued change that the rule says would
/// conflict is left out: the server will refuse it too.
pub(crate) fn contact(
    base: Option<&str>,
    outbox: &[OutboxRow],
    aggregate: &str,
    cursor: &Cursor,
) -> Result<Option<ContactState>> {
    let mut state: Option<ContactState> = base.map(serde_json::from_str).transpose()?;
    for row in outbox
        .iter()
        .filter(|row| row.aggregate == aggregate && shows(row, cursor))
    {
        let seen = row.expectation.unwrap_or(0);
        let current = state.as_ref().map_or(0, |s| s.version);
        let new_version = match (row.state, decide_contact_update(current, seen)) {
            // The server already decided an applied one; its version follows what it expected.
            (IntentState::Applied, _) => seen.saturating_add(1),
            (_, ContactDecision::Apply { new_version }) => new_version,
            (_, ContactDecision::Conflict) => continue,
        };
        state = Some(replay(&row.args, new_version));
    }
    Ok(state)
}

fn replay(args: &Value, version: i64) -> ContactState {
    let text = |name: &str| args.get(name).and_then(Value::as_str).map(str::to_owned);
    ContactState {
        phone: text("phone"),
        email: text("email"),
        address: text("address"),
        version,
        pending: true,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use uuid::Uuid;
    use xodim_domain::AccountId;
    use xodim_domain::contact::{CONTACT_UPDATE, ContactAddress};

    use super::*;

    fn address(n: u128) -> String {
        ContactAddress(AccountId::from_uuid(Uuid::from_u128(n))).to_string()
    }

    fn intent(seq: i64, state: IntentState, expect: i64, phone: &str) -> OutboxRow {
        OutboxRow::queued(seq, CONTACT_UPDATE, &address(0xA))
            .in_state(state)
            .expecting(expect)
            .with_args(json!({"phone": phone, "email": null, "address": null}))
    }

    fn applied(seq: i64, expect: i64, phone: &str, visible_at: &str) -> OutboxRow {
        intent(seq, IntentState::Applied, expect, phone).applied_at(visible_at)
    }

    fn cursor(text: &str) -> Cursor {
        Cursor::decode(text).unwrap()
    }

    const OWN: &str = "own:00000000-0000-0000-0000-00000000000a";
    const BASE: &str = r#"{"phone":"+998900000000","email":null,"address":null,"version":3}"#;

    fn view(outbox: &[OutboxRow], at: &str) -> Option<ContactState> {
        contact(Some(BASE), outbox, &address(0xA), &cursor(at)).unwrap()
    }

    #[test]
    fn without_intents_the_server_entity_shows_as_is() {
        let state = view(&[], "").unwrap();
        assert_eq!(
            (state.phone.as_deref(), state.version),
            (Some("+998900000000"), 3)
        );
        assert!(!state.pending);
        assert_eq!(
            contact(None, &[], &address(0xA), &Cursor::default()).unwrap(),
            None
        );
    }

    #[test]
    fn queued_changes_replay_in_order() {
        let outbox = [
            intent(1, IntentState::Sending, 3, "+998911111111"),
            intent(2, IntentState::Queued, 4, "+998922222222"),
        ];
        let state = view(&outbox, "").unwrap();
        assert_eq!(
            (state.phone.as_deref(), state.version),
            (Some("+998922222222"), 5)
        );
        assert!(state.pending);
    }

    #[test]
    fn an_applied_change_counts_until_the_cursor_covers_it() {
        let outbox = [applied(1, 3, "+998911111111", &format!("{OWN}@8"))];
        let before = view(&outbox, &format!("{OWN}@7")).unwrap();
        assert_eq!(before.phone.as_deref(), Some("+998911111111"));
        assert!(before.pending);
        let after = view(&outbox, &format!("{OWN}@8")).unwrap();
        assert_eq!(after.phone.as_deref(), Some("+998900000000"));
        assert!(!after.pending);
    }

    #[test]
    fn rejected_and_conflicted_changes_never_count() {
        let outbox = [
            intent(1, IntentState::Rejected, 3, "+998911111111"),
            intent(2, IntentState::Conflict, 3, "+998922222222"),
        ];
        assert_eq!(
            view(&outbox, "").unwrap().phone.as_deref(),
            Some("+998900000000")
        );
    }

    #[test]
    fn a_queued_change_the_domain_says_would_conflict_is_left_out() {
        // Decided on version 2; the server is at 3 already.
        let outbox = [intent(1, IntentState::Queued, 2, "+998911111111")];
        let state = view(&outbox, "").unwrap();
        assert_eq!(
            (state.phone.as_deref(), state.pending),
            (Some("+998900000000"), false)
        );
    }

    #[test]
    fn other_aggregates_do_not_show() {
        let mut other = intent(1, IntentState::Queued, 3, "+998911111111");
        other.aggregate = address(0xB);
        assert_eq!(view(&[other], "").unwrap().version, 3);
    }
}
