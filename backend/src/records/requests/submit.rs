//! `correction.submit`: a servant asks for an item of their own file to be added, changed or
//! deleted.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, EntityTrait};
use serde::Deserialize;
use serde_json::Value;
use uuid::Uuid;
use xodim_domain::records::{
    CORRECTION_SUBMIT, CorrectionOp, MAX_EVIDENCE_FILES, Note, RecordData, RequestAddress,
    RequestState, Section, is_content_hash,
};
use xodim_domain::sync::Intent;
use xodim_domain::{DomainError, ErrorCode};

use super::{addressed, view};
use crate::audit::{self, AuditEvent};
use crate::auth::Actor;
use crate::db::entities::{account, correction_request, request_evidence};
use crate::error::ApiResult;
use crate::records::evidence::uploaded_by;
use crate::records::{items, notices, publish};
use crate::sync::engine::{Decision, Publication};

#[derive(Deserialize)]
struct Args {
    section: Section,
    op: CorrectionOp,
    record_id: Option<Uuid>,
    base_version: Option<i64>,
    proposed: Option<Value>,
    reason: Note,
    #[serde(default)]
    evidence: Vec<String>,
}

fn refuse(code: ErrorCode, detail: &str) -> Decision {
    Decision::rejected(DomainError::new(code, detail))
}

/// What the request asks for, checked against the servant's file.
struct Checked {
    proposed: Option<RecordData>,
    base_version: Option<i64>,
}

async fn check(
    db: &impl ConnectionTrait,
    employee: Uuid,
    args: &Args,
) -> ApiResult<Result<Checked, Decision>> {
    let proposed = match (&args.op, &args.proposed) {
        (CorrectionOp::Delete, _) => None,
        (_, None) => return Ok(Err(refuse(ErrorCode::MissingField, "proposed is required"))),
        (_, Some(fields)) => match RecordData::parse(args.section, fields) {
            Ok(data) => Some(data),
            Err(err) => return Ok(Err(Decision::rejected(err))),
        },
    };
    if args.op == CorrectionOp::Add {
        return Ok(Ok(Checked {
            proposed,
            base_version: None,
        }));
    }
    let (Some(record_id), Some(base_version)) = (args.record_id, args.base_version) else {
        return Ok(Err(refuse(
            ErrorCode::MissingField,
            "record_id and base_version are required",
        )));
    };
    match items::find(db, record_id).await? {
        Some(row) if row.employee_id == employee && row.section == args.section.as_str() => {
            Ok(Ok(Checked {
                proposed,
                base_version: Some(base_version),
            }))
        }
        _ => Ok(Err(refuse(
            ErrorCode::NotFound,
            "no such item in your file",
        ))),
    }
}

/// Every evidence file must be uploaded already, by the requester.
pub(super) async fn evidence_ready(
    db: &impl ConnectionTrait,
    account: Uuid,
    hashes: &[String],
) -> ApiResult<Option<Decision>> {
    if hashes.len() > MAX_EVIDENCE_FILES {
        return Ok(Some(refuse(ErrorCode::InvalidField, "too many files")));
    }
    for hash in hashes {
        if !is_content_hash(hash) {
            return Ok(Some(refuse(
                ErrorCode::InvalidField,
                "evidence is a sha256",
            )));
        }
        if !uploaded_by(db, hash, account).await? {
            return Ok(Some(refuse(ErrorCode::EvidenceMissing, "not uploaded")));
        }
    }
    Ok(None)
}

/// Files the request and writes it to the requester's and the HR officers' logs.
pub async fn submit(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    intent: &Intent,
) -> ApiResult<Decision> {
    let (RequestAddress(id), args): (RequestAddress, Args) = match addressed(intent) {
        Ok(addressed) => addressed,
        Err(decision) => return Ok(decision),
    };
    let account_id = actor.account.as_uuid();
    let Some(account) = account::Entity::find_by_id(account_id).one(txn).await? else {
        return Ok(refuse(ErrorCode::NotFound, "no account"));
    };
    if correction_request::Entity::find_by_id(id)
        .one(txn)
        .await?
        .is_some()
    {
        return Ok(refuse(
            ErrorCode::InvalidIntent,
            "the request already exists",
        ));
    }
    let checked = match check(txn, account.employee_id, &args).await? {
        Ok(checked) => checked,
        Err(decision) => return Ok(decision),
    };
    if let Some(refusal) = evidence_ready(txn, account_id, &args.evidence).await? {
        return Ok(refusal);
    }
    let row = correction_request::ActiveModel {
        id: Set(id),
        employee_id: Set(account.employee_id),
        requester_account_id: Set(account_id),
        section: Set(args.section.as_str().to_owned()),
        op: Set(args.op.as_str().to_owned()),
        record_id: Set(args.record_id.filter(|_| args.op != CorrectionOp::Add)),
        base_version: Set(checked.base_version),
        proposed: Set(checked.proposed.map(|d| d.fields_json().to_string())),
        reason: Set(args.reason.as_str().to_owned()),
        state: Set(RequestState::Submitted.as_str().to_owned()),
        reviewer_account_id: Set(None),
        note: Set(None),
        answer: Set(None),
        version: Set(1),
        client_time: Set(intent.client_time),
        submitted_at: Set(Utc::now()),
        decided_at: Set(None),
        conflicts: Set(None),
    }
    .insert(txn)
    .await?;
    attach(txn, id, &args.evidence).await?;
    let request = view(txn, &row).await?;
    audit::append(
        txn,
        AuditEvent {
            actor: Some(account_id),
            on_behalf_of: None,
            device: Some(actor.session.as_uuid()),
            action: CORRECTION_SUBMIT,
            entity: "correction_request",
            entity_id: id,
            before: None,
            after: serde_json::to_value(&request).ok(),
            intent_id: Some(intent.id),
            client_time: intent.client_time,
        },
    )
    .await?;
    let mut publication =
        Publication::from(publish::request_entries(txn, &request, account_id).await?);
    publication.join(notices::waiting(txn, &request, account_id).await?);
    Ok(Decision::applied(publication))
}

/// Links evidence files to a request.
pub(super) async fn attach(
    txn: &impl ConnectionTrait,
    request: Uuid,
    hashes: &[String],
) -> ApiResult<()> {
    for hash in hashes {
        let link = request_evidence::ActiveModel {
            request_id: Set(request),
            hash: Set(hash.clone()),
        };
        request_evidence::Entity::insert(link)
            .on_conflict(
                sea_orm::sea_query::OnConflict::columns([
                    request_evidence::Column::RequestId,
                    request_evidence::Column::Hash,
                ])
                .do_nothing()
                .to_owned(),
            )
            .exec_without_returning(txn)
            .await?;
    }
    Ok(())
}
