//! The fake server's personnel files: records in the account's own scope, correction requests
//! decided by the domain's state machine, evidence uploads, and an HR scope with other people's
//! requests.

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, Utc};
use serde_json::{Value, json};
use uuid::Uuid;
use xodim_domain::records::*;
use xodim_domain::sync::*;
use xodim_domain::{ErrorCode, Locale, UnitId};

use super::fake_server::State;
use crate::HttpResponse;

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

#[derive(Default)]
pub struct Files {
    pub records: BTreeMap<Uuid, RecordItem>,
    pub requests: BTreeMap<Uuid, CorrectionRequest>,
    pub evidence: BTreeMap<String, Vec<u8>>,
    /// Uploads are refused with this status and code.
    pub refuse_uploads: Option<(u16, ErrorCode)>,
    inbox_seq: u128,
}

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
    /// filed two requests.
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
    }

    fn put_record(&mut self, record: RecordItem) {
        let own = self.own();
        self.write(own, EntityKind::Record, record.id, Some(json!(record)));
        self.files.records.insert(record.id, record);
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
        self.files.requests.insert(request.id, request);
    }

    /// Another officer decides a request, as if on their own device.
    pub fn decide_elsewhere(&mut self, id: Uuid, step: Step, now: DateTime<Utc>) {
        let who = Who::Reviewer {
            account: OTHER_OFFICER,
            subject: false,
        };
        self.take_step(id, who, step, None, now).unwrap();
    }

    fn take_step(
        &mut self,
        id: Uuid,
        who: Who,
        step: Step,
        note: Option<String>,
        now: DateTime<Utc>,
    ) -> Result<(), ErrorCode> {
        let mut request = self
            .files
            .requests
            .get(&id)
            .cloned()
            .ok_or(ErrorCode::NotFound)?;
        let step = match step {
            Step::Approve { .. } => Step::Approve {
                base_current: self.base_current(&request),
            },
            other => other,
        };
        let to = decide(request.state, request.reviewer, who, step).map_err(|e| e.code)?;
        request.state = to.state;
        request.reviewer = to.reviewer;
        request.version += 1;
        match step {
            Step::Answer => request.answer = note,
            _ if note.is_some() => request.note = note,
            _ => {}
        }
        if to.state == RequestState::Applied {
            self.apply(&mut request);
        }
        if to.state.is_final() || to.state == RequestState::NeedsInfo {
            request.decided_at = to.state.is_final().then_some(now);
            self.notify(&request, now);
        }
        self.publish(request);
        Ok(())
    }

    fn base_current(&self, request: &CorrectionRequest) -> bool {
        let Some(record) = request.record_id else {
            return true;
        };
        self.files.records.get(&record).map(|r| r.version) == request.base_version
    }

    fn apply(&mut self, request: &mut CorrectionRequest) {
        let added = Uuid::from_u128(0xADD0 + self.files.records.len() as u128);
        let id = request.record_id.unwrap_or(added);
        request.record_id = Some(id);
        match &request.proposed {
            None => {
                let own = self.own();
                self.files.records.remove(&id);
                self.write(own, EntityKind::Record, id, None);
            }
            Some(data) => {
                let version = self.files.records.get(&id).map_or(1, |r| r.version + 1);
                let mut record = item(id, data.clone());
                record.version = version;
                record.source = RecordSource::SelfRequest;
                self.put_record(record);
            }
        }
    }

    fn notify(&mut self, request: &CorrectionRequest, now: DateTime<Utc>) {
        if request.employee_id != EMPLOYEE {
            return;
        }
        self.files.inbox_seq += 1;
        let entry = InboxItem {
            id: Uuid::from_u128(0x1B0 + self.files.inbox_seq),
            kind: "correction_decided".to_owned(),
            request_id: request.id,
            section: request.section,
            state: request.state,
            note: request.note.clone(),
            created_at: now,
        };
        let own = self.own();
        self.write(own, EntityKind::Inbox, entry.id, Some(json!(entry)));
    }

    /// Files a request of the account from a `correction.submit`.
    fn submit(&mut self, id: Uuid, args: &Value, now: DateTime<Utc>) -> Result<(), ErrorCode> {
        let section: Section = serde_json::from_value(args["section"].clone())
            .map_err(|_| ErrorCode::InvalidIntent)?;
        let op: CorrectionOp =
            serde_json::from_value(args["op"].clone()).map_err(|_| ErrorCode::InvalidIntent)?;
        let proposed = match args.get("proposed") {
            Some(fields) if op != CorrectionOp::Delete => {
                Some(RecordData::parse(section, fields).map_err(|e| e.code)?)
            }
            _ => None,
        };
        let record_id: Option<Uuid> =
            serde_json::from_value(args["record_id"].clone()).unwrap_or(None);
        let base = match record_id.map(|id| self.files.records.get(&id)) {
            Some(None) => return Err(ErrorCode::NotFound),
            found => found.flatten().map(|record| record.data.clone()),
        };
        let evidence: Vec<String> =
            serde_json::from_value(args["evidence"].clone()).unwrap_or_default();
        if evidence
            .iter()
            .any(|hash| !self.files.evidence.contains_key(hash))
        {
            return Err(ErrorCode::EvidenceMissing);
        }
        let mut request = request(id, EMPLOYEE, section, op);
        request.record_id = record_id;
        request.base_version = args["base_version"].as_i64();
        request.base = base;
        request.proposed = proposed;
        request.reason = args["reason"].as_str().unwrap_or_default().to_owned();
        request.evidence = evidence;
        request.submitted_at = now;
        self.publish(request);
        Ok(())
    }
}

fn step_of(kind: &str) -> Option<Step> {
    Some(match kind {
        CORRECTION_WITHDRAW => Step::Withdraw,
        CORRECTION_ANSWER => Step::Answer,
        CORRECTION_CLAIM => Step::Claim,
        CORRECTION_ASK => Step::Ask,
        CORRECTION_APPROVE => Step::Approve { base_current: true },
        CORRECTION_REJECT => Step::Reject,
        CORRECTION_REBASE => Step::Rebase,
        _ => return None,
    })
}

/// Decides a `correction.*` intent as the real server does.
pub fn decide_correction(
    state: &mut State,
    intent: &Intent,
    locale: Locale,
    now: DateTime<Utc>,
) -> IntentOutcome {
    let decided = act(state, intent, now);
    let (status, code, visible_at) = match decided {
        Ok(()) => {
            state.applications += 1;
            let mut visible = Cursor::default();
            for (scope, head) in &state.heads {
                visible.set(*scope, *head);
            }
            (IntentStatus::Applied, None, Some(visible.encode()))
        }
        Err(code) => (IntentStatus::Rejected, Some(code), None),
    };
    IntentOutcome {
        id: intent.id,
        status,
        code,
        message: code.map(|code| code.message(locale).to_owned()),
        current: None,
        visible_at,
    }
}

fn act(state: &mut State, intent: &Intent, now: DateTime<Utc>) -> Result<(), ErrorCode> {
    let id: Uuid = intent.aggregate["request:".len()..].parse().unwrap();
    if intent.kind == CORRECTION_SUBMIT {
        return state.submit(id, &intent.args, now);
    }
    let step = step_of(&intent.kind).unwrap();
    let requests = &state.files.requests;
    let subject = requests.get(&id).is_some_and(|r| r.employee_id == EMPLOYEE);
    let who = match step {
        Step::Withdraw | Step::Answer => Who::Requester,
        _ => Who::Reviewer {
            account: state.account,
            subject,
        },
    };
    let note = intent.args["note"].as_str().map(str::to_owned);
    state.take_step(id, who, step, note, now)
}

/// `PUT /api/v1/evidence/{hash}`.
pub fn upload(
    state: &mut State,
    hash: &str,
    content_type: &str,
    body: &[u8],
    locale: Locale,
) -> HttpResponse {
    let error = |status, code: ErrorCode| super::fake_routes::error(status, code, locale);
    if let Some((status, code)) = state.files.refuse_uploads {
        return error(status, code);
    }
    if let Err(err) = EvidenceType::check(content_type, body) {
        let status = if err.code == ErrorCode::EvidenceTooLarge {
            413
        } else {
            415
        };
        return error(status, err.code);
    }
    if crate::records::evidence::content_hash(body) != hash {
        return error(400, ErrorCode::EvidenceHashMismatch);
    }
    let status = if state
        .files
        .evidence
        .insert(hash.to_owned(), body.to_vec())
        .is_some()
    {
        200
    } else {
        201
    };
    let answer = json!({ "hash": hash, "size": body.len(), "content_type": content_type });
    super::fake_routes::respond(status, &answer)
}
