//! The inbox's part of the fake server: entries in the account's own scope, and a standing
//! answer to `inbox.read` that keeps the first read, as the real server does.

use chrono::{DateTime, TimeDelta, Utc};
use serde_json::json;
use uuid::Uuid;
use xodim_domain::inbox::{InboxAddress, NAMESPACE};
use xodim_domain::records::{InboxItem, RequestState, Section};
use xodim_domain::sync::EntityKind;

use super::fake_server::{State, Verdict};

/// Publishes `count` unread entries, a minute apart, and answers every read.
pub fn install(state: &mut State, count: u128, now: DateTime<Utc>) -> Vec<Uuid> {
    let ids: Vec<Uuid> = (1..=count).map(|n| Uuid::from_u128(0x1B00 + n)).collect();
    for (minutes, id) in (0i64..).zip(&ids) {
        let item = InboxItem {
            id: *id,
            kind: "correction_decided".to_owned(),
            request_id: Uuid::from_u128(0x4E00),
            section: Section::Education,
            state: RequestState::Rejected,
            note: None,
            created_at: now + TimeDelta::minutes(minutes),
            read_at: None,
        };
        put(state, &item);
    }
    state.answer(
        NAMESPACE,
        Box::new(|state, intent, now| {
            let InboxAddress(id) = intent.aggregate.parse().unwrap();
            let Some(mut item) = entry(state, id) else {
                return Verdict::Rejected(xodim_domain::ErrorCode::NotFound);
            };
            if item.read_at.is_none() {
                item.read_at = Some(now);
                put(state, &item);
            }
            Verdict::Applied
        }),
    );
    ids
}

/// The entry as the server holds it now.
pub fn entry(state: &State, id: Uuid) -> Option<InboxItem> {
    let data = state.entity(state.own(), EntityKind::Inbox, id)?;
    Some(serde_json::from_value(data).unwrap())
}

/// Another device of the account read the entry: it is published read.
pub fn read_elsewhere(state: &mut State, id: Uuid, now: DateTime<Utc>) {
    let mut item = entry(state, id).unwrap();
    item.read_at = Some(now);
    put(state, &item);
}

fn put(state: &mut State, item: &InboxItem) {
    let own = state.own();
    state.write(own, EntityKind::Inbox, item.id, Some(json!(item)));
}
