//! The steps after submission: withdraw and answer by the servant; claim, ask, approve,
//! reject and rebase by an HR officer whose grant covers the servant's unit.

use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};
use serde::Deserialize;
use uuid::Uuid;
use xodim_domain::records::intents::{Party, step_of};
use xodim_domain::records::{
    CorrectionRequest, InboxItem, Note, RequestAddress, RequestState, Step, Transition, Who, decide,
};
use xodim_domain::sync::Intent;
use xodim_domain::{Access, AccountId, DomainError, ErrorCode, Permission, UnitPath, check_access};

use super::effect::{self, Effect};
use super::submit::{attach, evidence_ready};
use super::{addressed, view};
use crate::audit::{self, AuditEvent};
use crate::auth::Actor;
use crate::auth::actor::load_grants;
use crate::db::entities::{account, correction_request, inbox};
use crate::error::ApiResult;
use crate::org::queries::unit_of_employee;
use crate::records::{notices, publish};
use crate::state::AppState;
use crate::sync::engine::{Decision, Publication};

#[derive(Deserialize, Default)]
struct Args {
    note: Option<String>,
    #[serde(default)]
    evidence: Vec<String>,
}

fn refuse(code: ErrorCode, detail: &str) -> Decision {
    Decision::rejected(DomainError::new(code, detail))
}

/// The party and step an intent type names, refused when the step needs a note and has none.
fn step_named(kind: &str, note: Option<&Note>) -> Result<(Party, Step), Decision> {
    // Whether an approval's base is still current is read from the request when deciding.
    let Some((party, step)) = step_of(kind, true) else {
        return Err(refuse(ErrorCode::UnknownIntent, kind));
    };
    if step.needs_note() && note.is_none() {
        return Err(refuse(ErrorCode::MissingField, "a note is required"));
    }
    Ok((party, step))
}

/// Who the actor is to this request; a refusal when they may not act on it at all.
async fn who(
    state: &AppState,
    db: &impl ConnectionTrait,
    actor: &Actor,
    row: &correction_request::Model,
    party: Party,
) -> ApiResult<Result<Who, Decision>> {
    let me = actor.account.as_uuid();
    let unknown = || Ok(Err(refuse(ErrorCode::NotFound, "no such request")));
    let reviews = match unit_of_employee(db, row.employee_id).await? {
        Some(unit) => check_access(
            &load_grants(state, actor.account).await?,
            Permission::ReviewCorrections,
            &UnitPath::parse(&unit.path)?,
        ),
        None => Access::OutOfScope,
    };
    // A request the caller may not see answers like one that does not exist.
    let own = me == row.requester_account_id;
    if party == Party::Requester {
        return match (own, reviews) {
            (true, _) => Ok(Ok(Who::Requester)),
            (false, Access::Allowed) => Ok(Err(refuse(ErrorCode::Forbidden, "only the requester"))),
            (false, _) => unknown(),
        };
    }
    match (own, reviews) {
        (_, Access::Allowed) => {}
        (true, Access::Forbidden) => {
            return Ok(Err(refuse(
                ErrorCode::Forbidden,
                "reviewing needs an HR grant over the unit",
            )));
        }
        _ => return unknown(),
    }
    let mine = account::Entity::find_by_id(me).one(db).await?;
    Ok(Ok(Who::Reviewer {
        account: me,
        subject: mine.is_some_and(|a| a.employee_id == row.employee_id),
    }))
}

/// Decides and writes one step; the effects on the record go in the same transaction.
pub async fn apply_step(
    state: &AppState,
    txn: &impl ConnectionTrait,
    actor: &Actor,
    intent: &Intent,
) -> ApiResult<Decision> {
    let (RequestAddress(id), args): (RequestAddress, Args) = match addressed(intent) {
        Ok(addressed) => addressed,
        Err(decision) => return Ok(decision),
    };
    let note = match args.note.as_deref().map(Note::parse).transpose() {
        Ok(note) => note,
        Err(err) => return Ok(Decision::rejected(err)),
    };
    let (party, step) = match step_named(&intent.kind, note.as_ref()) {
        Ok(named) => named,
        Err(decision) => return Ok(decision),
    };
    let Some(row) = correction_request::Entity::find_by_id(id).one(txn).await? else {
        return Ok(refuse(ErrorCode::NotFound, "no such request"));
    };
    let who = match who(state, txn, actor, &row, party).await? {
        Ok(who) => who,
        Err(decision) => return Ok(decision),
    };
    if step == Step::Answer
        && let Some(refusal) = evidence_ready(txn, row.requester_account_id, &args.evidence).await?
    {
        return Ok(refusal);
    }
    let ctx = StepContext {
        actor,
        requester: row.requester_account_id,
        intent,
        note: note.as_ref(),
        evidence: &args.evidence,
    };
    decide_and_write(txn, &ctx, row, who, step).await
}

struct StepContext<'a> {
    actor: &'a Actor,
    requester: Uuid,
    intent: &'a Intent,
    note: Option<&'a Note>,
    evidence: &'a [String],
}

/// Runs the state machine on the request as stored; when a concurrent step got there first,
/// reads it again and decides on what it became.
async fn decide_and_write(
    txn: &impl ConnectionTrait,
    ctx: &StepContext<'_>,
    mut row: correction_request::Model,
    who: Who,
    step: Step,
) -> ApiResult<Decision> {
    for _ in 0..3 {
        let current: RequestState = row.state.parse()?;
        let step = match step {
            Step::Approve { .. } => Step::Approve {
                base_current: effect::base_is_current(txn, &row).await?,
            },
            other => other,
        };
        let transition = match decide(current, row.reviewer_account_id, who, step) {
            Ok(transition) => transition,
            Err(err) => return Ok(Decision::rejected(err)),
        };
        if let Some(decision) = write(txn, ctx, &row, step, transition).await? {
            return Ok(decision);
        }
        match correction_request::Entity::find_by_id(row.id)
            .one(txn)
            .await?
        {
            Some(again) => row = again,
            None => break,
        }
    }
    Ok(refuse(
        ErrorCode::RequestState,
        "the request keeps changing",
    ))
}

/// Writes the transition if the request is still as read; `None` if it changed meanwhile.
async fn write(
    txn: &impl ConnectionTrait,
    ctx: &StepContext<'_>,
    row: &correction_request::Model,
    step: Step,
    transition: Transition,
) -> ApiResult<Option<Decision>> {
    let before = view(txn, row).await?;
    let mut update = correction_request::Entity::update_many()
        .col_expr(
            correction_request::Column::State,
            Expr::value(transition.state.as_str()),
        )
        .col_expr(
            correction_request::Column::ReviewerAccountId,
            Expr::value(transition.reviewer),
        )
        .col_expr(
            correction_request::Column::Version,
            Expr::value(row.version + 1),
        );
    match step {
        Step::Answer => {
            update = update.col_expr(
                correction_request::Column::Answer,
                Expr::value(ctx.note.map(|n| n.as_str().to_owned())),
            );
        }
        // An approval's note belongs to an applied request; one that ends in conflict keeps
        // the note it had.
        Step::Ask | Step::Reject if ctx.note.is_some() => {
            update = update.col_expr(
                correction_request::Column::Note,
                Expr::value(ctx.note.map(|n| n.as_str().to_owned())),
            );
        }
        Step::Approve { .. } if ctx.note.is_some() && transition.state == RequestState::Applied => {
            update = update.col_expr(
                correction_request::Column::Note,
                Expr::value(ctx.note.map(|n| n.as_str().to_owned())),
            );
        }
        _ => {}
    }
    if transition.state.is_final() {
        update = update.col_expr(
            correction_request::Column::DecidedAt,
            Expr::value(Utc::now()),
        );
    }
    let done = update
        .filter(correction_request::Column::Id.eq(row.id))
        .filter(correction_request::Column::Version.eq(row.version))
        .exec(txn)
        .await?;
    if done.rows_affected != 1 {
        return Ok(None);
    }
    attach(txn, row.id, ctx.evidence).await?;
    let mut entries = match step {
        Step::Approve { .. } | Step::Rebase => {
            effect::carry_out(txn, row, transition.state, ctx.actor, ctx.intent).await?
        }
        _ => Effect::none(),
    }
    .entries;
    let Some(after) = correction_request::Entity::find_by_id(row.id)
        .one(txn)
        .await?
    else {
        return Ok(None);
    };
    let request = view(txn, &after).await?;
    record_step(txn, ctx, &before, &request).await?;
    entries.extend(publish::request_entries(txn, &request, row.requester_account_id).await?);
    let mut publication = Publication::from(entries);
    publication.join(notify(txn, row.requester_account_id, &request).await?);
    if step == Step::Answer {
        publication.join(notices::waiting(txn, &request, row.requester_account_id).await?);
    }
    if matches!(step, Step::Approve { .. }) && request.state == RequestState::Conflict {
        // Not applied: the item moved past the servant's base. The request now says so.
        let current = serde_json::to_value(&request).map_err(crate::error::ApiError::internal)?;
        return Ok(Some(Decision::conflict_recorded(publication, current)));
    }
    Ok(Some(Decision::applied(publication)))
}

async fn record_step(
    txn: &impl ConnectionTrait,
    ctx: &StepContext<'_>,
    before: &CorrectionRequest,
    after: &CorrectionRequest,
) -> ApiResult<()> {
    let action = ctx.intent.kind.as_str();
    let requester = ctx.requester;
    audit::append(
        txn,
        AuditEvent {
            actor: Some(ctx.actor.account.as_uuid()),
            on_behalf_of: Some(requester).filter(|r| *r != ctx.actor.account.as_uuid()),
            device: Some(ctx.actor.session.as_uuid()),
            action,
            entity: "correction_request",
            entity_id: before.id,
            before: serde_json::to_value(before).ok(),
            after: serde_json::to_value(after).ok(),
            intent_id: Some(ctx.intent.id),
            client_time: ctx.intent.client_time,
        },
    )
    .await?;
    Ok(())
}

/// Tells the servant, through their synced inbox and an alert, that HR decided or asked
/// something.
async fn notify(
    txn: &impl ConnectionTrait,
    requester: Uuid,
    request: &CorrectionRequest,
) -> ApiResult<Publication> {
    if !matches!(
        request.state,
        RequestState::Applied | RequestState::Rejected | RequestState::NeedsInfo
    ) {
        return Ok(Publication::default());
    }
    let kind = if request.state == RequestState::NeedsInfo {
        "correction_needs_info"
    } else {
        "correction_decided"
    };
    let item = InboxItem {
        id: Uuid::now_v7(),
        kind: kind.into(),
        request_id: request.id,
        section: request.section,
        state: request.state,
        note: request.note.clone(),
        created_at: Utc::now(),
        read_at: None,
    };
    inbox::ActiveModel {
        id: Set(item.id),
        account_id: Set(requester),
        kind: Set(item.kind.clone()),
        data: Set(serde_json::to_string(&item).map_err(crate::error::ApiError::internal)?),
        created_at: Set(item.created_at),
        read_at: Set(None),
    }
    .insert(txn)
    .await?;
    let mut publication = Publication::from(vec![crate::inbox::entry(
        AccountId::from_uuid(requester),
        &item,
    )?]);
    publication.join(notices::decided(requester, &item));
    Ok(publication)
}
