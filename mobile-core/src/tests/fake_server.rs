//! An in-memory xodim server behind the `Transport` trait: the mechanics of the protocol of
//! `xodim_domain::sync` (login, token rotation, a compacted per-scope change log, intent batches
//! with idempotent stored outcomes, body limits, evidence uploads, faults injected on demand).
//!
//! It decides no intent itself: each test scripts what the server answers per intent namespace
//! and what it publishes into the change log (see [`State::answer`], [`State::answer_next`]).
//! The real server's decisions are tested against the real backend in `tests/`.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, TimeDelta, Utc};
use serde_json::{Value, json};
use uuid::Uuid;
use xodim_domain::sync::*;
use xodim_domain::{AccountId, ErrorCode, OrgId, UnitId};

use super::{TestClock, fake_routes};
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

/// What the server answers to one intent, after publishing whatever the script publishes.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// Applied: its effects are visible from the change-log heads after the script ran.
    Applied,
    /// Refused for good with this code.
    Rejected(ErrorCode),
    /// The aggregate moved: the server has it as this now.
    Conflict(Option<Value>),
}

/// A scripted answer: may publish into the change log, then says what became of the intent.
pub type Answer = Box<dyn FnMut(&mut State, &Intent, DateTime<Utc>) -> Verdict + Send>;

/// A one-off answer that publishes nothing.
pub fn verdict(verdict: Verdict) -> Answer {
    Box::new(move |_, _, _| verdict.clone())
}

#[derive(Default)]
pub struct State {
    pub account: Uuid,
    pub org: Uuid,
    pub unit: Uuid,
    pub log: BTreeMap<Scope, HashMap<(EntityKind, Uuid), Entry>>,
    pub heads: BTreeMap<Scope, i64>,
    pub held: Vec<Scope>,
    pub access: HashMap<String, DateTime<Utc>>,
    pub refresh: HashMap<String, bool>,
    pub tokens_issued: u64,
    pub outcomes: HashMap<Uuid, IntentOutcome>,
    /// How many intents were applied (a resent one is not applied again).
    pub applications: usize,
    /// Every intent answered, in order (a resent one is answered from `outcomes`, not again).
    pub answered: Vec<Intent>,
    /// The standing answer of each intent namespace.
    answers: HashMap<String, Answer>,
    /// Answers used once each, before the standing one, per namespace.
    next_answers: HashMap<String, VecDeque<Answer>>,
    /// The next non-empty cursor is refused as invalid.
    pub refuse_cursor_once: bool,
    /// Largest page, whatever the client asks.
    pub page_cap: usize,
    pub faults: Vec<(&'static str, Fault)>,
    /// Every request seen, as `METHOD path`.
    pub requests: Vec<String>,
    pub installation_ids: Vec<Uuid>,
    /// Uploaded evidence files by content hash.
    pub evidence: BTreeMap<String, Vec<u8>>,
    /// Uploads are refused with this status and code.
    pub refuse_uploads: Option<(u16, ErrorCode)>,
    /// Intent bodies larger than this are refused `413 body_too_large`, as a whole.
    pub max_body: usize,
    /// Whether sync answers name `max_body` in their header.
    pub advertise_limit: bool,
    /// The size of every intent body received, and whether it was refused as too large.
    pub intent_bodies: Vec<(usize, bool)>,
    /// The push token the session registered, as sent; the session's end drops it.
    pub push_token: Option<Value>,
}

pub struct FakeServer {
    pub state: Mutex<State>,
    clock: Arc<TestClock>,
}

impl FakeServer {
    /// A server with one account that manages one unit of five staff in an org of seven units.
    /// It answers no intent until a test says how.
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

    /// The entity as the scope's log holds it now; `None` when it is not there or left it.
    pub fn entity(&self, scope: Scope, kind: EntityKind, id: Uuid) -> Option<Value> {
        self.log.get(&scope)?.get(&(kind, id))?.data.clone()
    }

    /// Every intent of `namespace` that has no one-off answer waiting gets `answer`.
    pub fn answer(&mut self, namespace: &str, answer: Answer) {
        self.answers.insert(namespace.to_owned(), answer);
    }

    /// The next intent of `namespace` gets `answer`, once; several queue up in order.
    pub fn answer_next(&mut self, namespace: &str, answer: Answer) {
        let queue = self.next_answers.entry(namespace.to_owned()).or_default();
        queue.push_back(answer);
    }

    /// Runs the script for an intent; one of a namespace nobody scripted is unknown.
    pub fn verdict(&mut self, intent: &Intent, now: DateTime<Utc>) -> Verdict {
        self.answered.push(intent.clone());
        let namespace = namespace_of(&intent.kind).to_owned();
        let once = self
            .next_answers
            .get_mut(&namespace)
            .and_then(VecDeque::pop_front);
        if let Some(mut answer) = once {
            return answer(self, intent, now);
        }
        let Some(mut answer) = self.answers.remove(&namespace) else {
            return Verdict::Rejected(ErrorCode::UnknownIntent);
        };
        let verdict = answer(self, intent, now);
        self.answers.insert(namespace, answer);
        verdict
    }

    /// The intents answered so far whose type is `kind`.
    pub fn answered_of(&self, kind: &str) -> Vec<Intent> {
        self.answered
            .iter()
            .filter(|intent| intent.kind == kind)
            .cloned()
            .collect()
    }

    /// Ends every session, as a remote sign-out does.
    pub fn end_sessions(&mut self) {
        self.access.clear();
        self.refresh.clear();
        self.push_token = None;
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
