//! The contact feature's part of the fake server: the account's details in its own scope, and a
//! standing answer that applies every change as sent. A test that needs another answer scripts
//! it with [`State::answer_next`].

use serde_json::json;
use xodim_domain::contact::{ContactDetails, ContactRecord, NAMESPACE};
use xodim_domain::sync::{EntityKind, Intent};

use super::fake_server::{Answer, State, Verdict};

/// The phone the account starts with.
pub const FIRST_PHONE: &str = "+998901234567";

/// Publishes the account's contact details at version 1 and applies every change sent.
pub fn install(state: &mut State) {
    publish(state, FIRST_PHONE, 1);
    state.answer(
        NAMESPACE,
        Box::new(|state, intent, _| {
            apply(state, intent);
            Verdict::Applied
        }),
    );
}

/// The contact details the server publishes now.
pub fn published(state: &State) -> ContactRecord {
    let data = state.entity(state.own(), EntityKind::Contact, state.account);
    serde_json::from_value(data.unwrap()).unwrap()
}

/// Another device of the same account changes the phone: the next version is published.
pub fn change_elsewhere(state: &mut State, phone: &str) {
    let version = published(state).version + 1;
    publish(state, phone, version);
}

/// A one-off answer: the details moved on, and the server sends them as they are now.
pub fn conflict() -> Answer {
    Box::new(|state, _, _| Verdict::Conflict(Some(json!(published(state)))))
}

fn publish(state: &mut State, phone: &str, version: i64) {
    let details = ContactDetails::parse(Some(phone), None, None).unwrap();
    write(state, ContactRecord { details, version });
}

/// An applied change as the server publishes it: the details sent, one version on.
fn apply(state: &mut State, intent: &Intent) {
    let text = |name: &str| intent.args[name].as_str();
    let details = ContactDetails::parse(text("phone"), text("email"), text("address")).unwrap();
    let version = published(state).version + 1;
    write(state, ContactRecord { details, version });
}

fn write(state: &mut State, record: ContactRecord) {
    let (own, account) = (state.own(), state.account);
    state.write(own, EntityKind::Contact, account, Some(json!(record)));
}
