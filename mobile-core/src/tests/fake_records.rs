//! The personnel-file feature's part of the fake server: records in the account's own scope,
//! an HR scope with a colleague's requests, and answers that publish what the server would.
//!
//! A submission is applied and published as sent; every other step is answered as the test
//! scripts it ([`publishes`], [`State::answer_next`]), and what other people do is published
//! directly ([`State::approved_elsewhere`], [`State::decided_elsewhere`]).

use chrono::{DateTime, TimeDelta, Utc};
use serde_json::json;
use uuid::Uuid;
use xodim_domain::UnitId;
use xodim_domain::records::intents::NAMESPACE;
use xodim_domain::records::*;
use xodim_domain::sync::*;

use super::fake_server::{Answer, State, Verdict};

/// The signed-in account's employee.
pub const EMPLOYEE: Uuid = Uuid::from_u128(0xE0A);
/// A colleague whose requests the account reviews.
pub const COLLEAGUE: Uuid = Uuid::from_u128(0x201);
/// Another HR officer.
pub const OTHER_OFFICER: Uuid = Uuid::from_u128(0x0FF);
/// The account's education items and its relative.
pub const SCHOOL: Uuid = Uuid::from_u128(0x5C01);
pub const UNIVERSITY: Uuid = Uuid::from_u128(0x5C02);
pub const MOTHER: Uuid = Uuid::from_u128(0x5C03);
/// A training certificate: id-wise before the education items, section-wise after them.
pub const CERTIFICATE: Uuid = Uuid::from_u128(0x5B01);
/// The colleague's requests in the HR scope: the older one waits, the newer one is in review.
pub const WAITING: Uuid = Uuid::from_u128(0xC0DE1);
pub const IN_REVIEW: Uuid = Uuid::from_u128(0xC0DE2);

pub fn education(institution: &str, start: &str, end: &str) -> RecordData {
    let fields = [
        ("institution", institution),
        ("level", "bachelor"),
        ("start_year", start),
        ("end_year", end),
    ];
    RecordData::from_text(Section::Education, fields).unwrap()
}

fn item(id: Uuid, data: RecordData) -> RecordItem {
    RecordItem {
        id,
        employee_id: EMPLOYEE,
        version: 1,
        source: RecordSource::Hr,
        verified_by: None,
        verified_at: None,
        data,
    }
}

/// A new request with nothing but its identity.
fn request(id: Uuid, employee: Uuid, section: Section, op: CorrectionOp) -> CorrectionRequest {
    CorrectionRequest {
        id,
        employee_id: employee,
        employee_name: format!("Xodim {}", employee.as_u128() & 0xF),
        section,
        op,
        record_id: None,
        base_version: None,
        base: None,
        current: None,
        proposed: None,
        conflicts: Vec::new(),
        reason: String::new(),
        evidence: vec![],
        state: RequestState::Submitted,
        reviewer: None,
        note: None,
        answer: None,
        version: 1,
        submitted_at: DateTime::default(),
        decided_at: None,
    }
}

impl State {
    fn hr_scope(&self) -> Scope {
        Scope::Hr(UnitId::from_uuid(self.unit))
    }

    /// Gives the account a personnel file and makes it an HR officer over a colleague who
    /// filed two requests; submissions are applied as sent from now on.
    pub fn seed_records(&mut self, now: DateTime<Utc>) {
        let relative = [
            ("relation", "mother"),
            ("full_name", "Karimova Dilnoza"),
            ("birth_year", "1960"),
        ];
        let course = [
            ("provider", "Akademiya"),
            ("course_title", "Kommunikatsiya"),
            ("issued_at", "2024-05-01"),
        ];
        let items = [
            item(UNIVERSITY, education("TDIU", "2008", "2012")),
            item(
                CERTIFICATE,
                RecordData::from_text(Section::Certificate, course).unwrap(),
            ),
            item(SCHOOL, education("Litsey 1", "2005", "2008")),
            item(
                MOTHER,
                RecordData::from_text(Section::Relative, relative).unwrap(),
            ),
        ];
        for record in items {
            self.put_record(record);
        }
        let hr = self.hr_scope();
        self.held.push(hr);
        for (id, age, state) in [
            (WAITING, 2, RequestState::Submitted),
            (IN_REVIEW, 1, RequestState::InReview),
        ] {
            let mut request = request(id, COLLEAGUE, Section::Education, CorrectionOp::Add);
            request.proposed = Some(education("TATU", "2015", "2019"));
            request.reason = "diplom bor".to_owned();
            request.state = state;
            request.reviewer = (state == RequestState::InReview).then_some(OTHER_OFFICER);
            request.submitted_at = now - TimeDelta::days(age);
            self.publish(request);
        }
        self.answer(NAMESPACE, Box::new(answer_submission));
    }

    fn put_record(&mut self, record: RecordItem) {
        let own = self.own();
        self.write(own, EntityKind::Record, record.id, Some(json!(record)));
    }

    fn record(&self, id: Uuid) -> Option<RecordItem> {
        let data = self.entity(self.own(), EntityKind::Record, id)?;
        Some(serde_json::from_value(data).unwrap())
    }

    /// A request as the server publishes it now: in the account's own scope or the HR scope.
    pub fn request(&self, id: Uuid) -> Option<CorrectionRequest> {
        [self.own(), self.hr_scope()]
            .into_iter()
            .find_map(|scope| self.entity(scope, EntityKind::CorrectionRequest, id))
            .map(|data| serde_json::from_value(data).unwrap())
    }

    /// Writes a request into the logs that carry it: the requester's own scope, or the HR scope
    /// while undecided (a decided one leaves it).
    fn publish(&mut self, request: CorrectionRequest) {
        let data = Some(json!(request));
        if request.employee_id == EMPLOYEE {
            let own = self.own();
            self.write(own, EntityKind::CorrectionRequest, request.id, data);
        } else {
            let hr = self.hr_scope();
            let data = data.filter(|_| !request.state.is_final());
            self.write(hr, EntityKind::CorrectionRequest, request.id, data);
        }
    }

    /// Another officer decided a request, as if on their own device: it is published in `to`.
    pub fn decided_elsewhere(&mut self, id: Uuid, to: RequestState, now: DateTime<Utc>) {
        let mut request = self.request(id).unwrap();
        request.state = to;
        request.reviewer = Some(OTHER_OFFICER);
        request.version += 1;
        request.decided_at = to.is_final().then_some(now);
        self.publish(request);
    }

    /// Another officer approved one of the account's requests: the item changes as proposed,
    /// the request is published as applied and the decision reaches the inbox.
    pub fn approved_elsewhere(&mut self, id: Uuid, now: DateTime<Utc>) {
        let request = self.request(id).unwrap();
        let record = request.record_id.unwrap();
        let mut changed = self.record(record).unwrap();
        changed.data = request.proposed.clone().unwrap();
        changed.version += 1;
        changed.source = RecordSource::SelfRequest;
        self.put_record(changed);
        self.decided_elsewhere(id, RequestState::Applied, now);
        self.notify(&self.request(id).unwrap(), now);
    }

    fn notify(&mut self, request: &CorrectionRequest, now: DateTime<Utc>) {
        let entry = InboxItem {
            id: Uuid::from_u128(request.id.as_u128() ^ 0x1B0),
            kind: "correction_decided".to_owned(),
            request_id: request.id,
            section: request.section,
            state: request.state,
            note: request.note.clone(),
            created_at: now,
            read_at: None,
        };
        let own = self.own();
        self.write(own, EntityKind::Inbox, entry.id, Some(json!(entry)));
    }
}

/// The standing answer: a submission is applied and the request published as sent; any other
/// step must have been scripted by the test.
fn answer_submission(state: &mut State, intent: &Intent, now: DateTime<Utc>) -> Verdict {
    assert_eq!(
        intent.kind, CORRECTION_SUBMIT,
        "no answer scripted for this step"
    );
    let RequestAddress(id) = intent.aggregate.parse().unwrap();
    let args = &intent.args;
    let section: Section = serde_json::from_value(args["section"].clone()).unwrap();
    let op: CorrectionOp = serde_json::from_value(args["op"].clone()).unwrap();
    let record_id: Option<Uuid> = serde_json::from_value(args["record_id"].clone()).unwrap();
    let mut request = request(id, EMPLOYEE, section, op);
    request.record_id = record_id;
    request.base_version = args["base_version"].as_i64();
    request.base = record_id
        .and_then(|id| state.record(id))
        .map(|item| item.data);
    request.proposed = args
        .get("proposed")
        .map(|fields| RecordData::parse(section, fields).unwrap());
    request.reason = args["reason"].as_str().unwrap().to_owned();
    request.evidence = serde_json::from_value(args["evidence"].clone()).unwrap();
    request.submitted_at = now;
    state.publish(request);
    Verdict::Applied
}

/// A one-off answer to a step: applied, and the request it names published in state `to`,
/// reviewed by the account, with the step's note.
pub fn publishes(to: RequestState) -> Answer {
    Box::new(move |state, intent, now| {
        let RequestAddress(id) = intent.aggregate.parse().unwrap();
        let mut request = state.request(id).unwrap();
        request.state = to;
        if to == RequestState::InReview {
            request.reviewer = Some(state.account);
        }
        if let Some(note) = intent.args["note"].as_str() {
            request.note = Some(note.to_owned());
        }
        request.version += 1;
        request.decided_at = to.is_final().then_some(now);
        state.publish(request);
        Verdict::Applied
    })
}
