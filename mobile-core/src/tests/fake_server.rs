//! An in-memory xodim server behind the `Transport` trait: the protocol of `xodim_domain::sync`
//! with login, token rotation, a compacted per-scope change log, idempotent intents, and faults
//! injected on demand.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, TimeDelta, Utc};
use serde_json::{Value, json};
use uuid::Uuid;
use xodim_domain::contact::*;
use xodim_domain::sync::*;
use xodim_domain::{AccountId, ErrorCode, OrgId, UnitId};

use super::{TestClock, fake_records, fake_routes};
use crate::{Clock, HttpRequest, HttpResponse, Transport, TransportError};

/// A failure the next matching request meets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// The request never reaches the server.
    Offline,
    /// The server acts, then the answer is lost.
    LoseAnswer,
    /// The server cannot act now: `503 unavailable`, with `Retry-After` in seconds if given.
    Unavailable(Option<u64>),
}

pub const PASSWORD: &str = "correct horse battery";
pub const LOGIN: &str = "aziz.karimov";
const TOKEN_TTL: i64 = 900;

pub struct Entry {
    pub version: i64,
    pub data: Option<Value>,
}

#[derive(Default)]
pub struct State {
    pub account: Uuid,
    pub org: Uuid,
    pub unit: Uuid,
    pub contact: Option<ContactRecord>,
    pub log: BTreeMap<Scope, HashMap<(EntityKind, Uuid), Entry>>,
    pub heads: BTreeMap<Scope, i64>,
    pub held: Vec<Scope>,
    pub access: HashMap<String, DateTime<Utc>>,
    pub refresh: HashMap<String, bool>,
    pub tokens_issued: u64,
    pub outcomes: HashMap<Uuid, IntentOutcome>,
    /// How many intents were applied (a resent one is not applied again).
    pub applications: usize,
    /// Contact updates are refused with this code.
    pub reject_with: Option<ErrorCode>,
    /// The next non-empty cursor is refused as invalid.
    pub refuse_cursor_once: bool,
    /// Largest page, whatever the client asks.
    pub page_cap: usize,
    pub faults: Vec<(&'static str, Fault)>,
    /// Every request seen, as `METHOD path`.
    pub requests: Vec<String>,
    pub installation_ids: Vec<Uuid>,
    /// Personnel files, requests and evidence.
    pub files: fake_records::Files,
    /// Intent bodies larger than this are refused `413 body_too_large`, as a whole.
    pub max_body: usize,
    /// Whether sync answers name `max_body` in their header.
    pub advertise_limit: bool,
    /// The size of every intent body received, and whether it was refused as too large.
    pub intent_bodies: Vec<(usize, bool)>,
}

pub struct FakeServer {
    pub state: Mutex<State>,
    clock: Arc<TestClock>,
}

impl FakeServer {
    /// A server with one account that manages one unit of five staff in an org of seven units.
    pub fn new(clock: Arc<TestClock>) -> Arc<Self> {
        let mut state = State {
            account: Uuid::from_u128(0xA),
            org: Uuid::from_u128(0x0),
            unit: Uuid::from_u128(0x100),
            page_cap: 3,
            max_body: 256 * 1024,
            advertise_limit: true,
            ..State::default()
        };
        let own = state.own();
        state.held = vec![own, state.org_scope(), state.unit_scope()];
        let details = ContactDetails::parse(Some("+998901234567"), None, None).unwrap();
        let record = ContactRecord {
            details,
            version: 1,
        };
        state.contact = Some(record.clone());
        let account = state.account;
        state.write(own, EntityKind::Contact, account, Some(json!(record)));
        for n in 0..7u128 {
            let unit = UnitRecord {
                unit_id: Uuid::from_u128(0x100 + n),
                parent_id: (n > 0).then(|| Uuid::from_u128(0x100)),
                code: format!("U{n}"),
                name: format!("Unit {n}"),
            };
            let scope = state.org_scope();
            state.write(scope, EntityKind::Unit, unit.unit_id, Some(json!(unit)));
        }
        for n in 0..5u128 {
            let card = EmployeeCard {
                employee_id: Uuid::from_u128(0x200 + n),
                full_name_latn: format!("Xodim {n}"),
                full_name_cyrl: format!("Ходим {n}"),
                post: "mutaxassis".to_owned(),
                unit_id: state.unit,
                phone: None,
                email: None,
            };
            let scope = state.unit_scope();
            state.write(
                scope,
                EntityKind::EmployeeCard,
                card.employee_id,
                Some(json!(card)),
            );
        }
        Arc::new(Self {
            state: Mutex::new(state),
            clock,
        })
    }

    pub fn with<T>(&self, op: impl FnOnce(&mut State) -> T) -> T {
        op(&mut self.state.lock().unwrap())
    }

    /// The next request whose path contains `path` meets `fault`.
    pub fn fail_next(&self, path: &'static str, fault: Fault) {
        self.with(|s| s.faults.push((path, fault)));
    }

    pub fn count(&self, request: &str) -> usize {
        self.with(|s| s.requests.iter().filter(|r| r.as_str() == request).count())
    }
}

impl State {
    pub fn own(&self) -> Scope {
        Scope::Own(AccountId::from_uuid(self.account))
    }
    pub fn org_scope(&self) -> Scope {
        Scope::Org(OrgId::from_uuid(self.org))
    }
    pub fn unit_scope(&self) -> Scope {
        Scope::Unit(UnitId::from_uuid(self.unit))
    }

    /// Writes an entity version into a scope's log, replacing its previous row.
    pub fn write(&mut self, scope: Scope, kind: EntityKind, id: Uuid, data: Option<Value>) -> i64 {
        let head = self.heads.entry(scope).or_default();
        *head += 1;
        let version = *head;
        let entry = Entry { version, data };
        self.log.entry(scope).or_default().insert((kind, id), entry);
        version
    }

    /// Another device of the same account changes the contact details.
    pub fn change_contact_elsewhere(&mut self, phone: &str) {
        let version = self.contact.as_ref().map_or(0, |c| c.version) + 1;
        let details = ContactDetails::parse(Some(phone), None, None).unwrap();
        let record = ContactRecord { details, version };
        self.contact = Some(record.clone());
        let (own, account) = (self.own(), self.account);
        self.write(own, EntityKind::Contact, account, Some(json!(record)));
    }

    /// Ends every session, as a remote sign-out does.
    pub fn end_sessions(&mut self) {
        self.access.clear();
        self.refresh.clear();
    }

    /// Makes every access token expire now.
    pub fn expire_access_tokens(&mut self, now: DateTime<Utc>) {
        for expiry in self.access.values_mut() {
            *expiry = now;
        }
    }

    pub fn issue(&mut self, now: DateTime<Utc>) -> Value {
        self.tokens_issued += 1;
        let access = format!("at-{}", self.tokens_issued);
        let refresh = format!("rt-{}", self.tokens_issued);
        self.access
            .insert(access.clone(), now + TimeDelta::seconds(TOKEN_TTL));
        self.refresh.insert(refresh.clone(), false);
        json!({
            "access_token": access, "token_type": "Bearer", "expires_in": TOKEN_TTL,
            "refresh_token": refresh, "session_id": Uuid::from_u128(0x5E55), "account_id": self.account,
        })
    }
}

impl Transport for FakeServer {
    fn execute(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let path = request
            .url
            .strip_prefix(super::BASE_URL)
            .unwrap()
            .split('?')
            .next()
            .unwrap()
            .to_owned();
        let mut state = self.state.lock().unwrap();
        state.requests.push(format!("{} {path}", request.method));
        let fault = state
            .faults
            .iter()
            .position(|(p, _)| path.contains(p))
            .map(|i| state.faults.remove(i).1);
        let lost = || TransportError::Network {
            reason: "connection reset".to_owned(),
        };
        if fault == Some(Fault::Offline) {
            return Err(lost());
        }
        if let Some(Fault::Unavailable(retry_after)) = fault {
            return Ok(fake_routes::unavailable(retry_after));
        }
        let response = fake_routes::serve_sized(&mut state, &path, &request, self.clock.now());
        if fault == Some(Fault::LoseAnswer) {
            return Err(lost());
        }
        Ok(response)
    }
}
