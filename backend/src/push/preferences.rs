//! `GET`/`PUT /api/v1/me/notifications`: quiet hours, their time zone, and which kinds the
//! caller hears about. A turned-off kind sends no alert; its inbox entries still sync.

use actix_web::{HttpResponse, web};
use chrono::Utc;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ConnectionTrait, DbErr, EntityTrait, TransactionTrait};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use xodim_domain::AccountId;
use xodim_domain::notify::{NotificationKind, Preferences, QuietHours, TimeZone};

use crate::auth::Actor;
use crate::db::entities::notification_preference as row;
use crate::error::ApiResult;
use crate::state::AppState;

fn corrupt(err: impl std::fmt::Display) -> DbErr {
    DbErr::Custom(format!(
        "stored notification preferences are unreadable: {err}"
    ))
}

/// The account's preferences; the defaults when it never chose.
pub async fn load(db: &impl ConnectionTrait, account: AccountId) -> Result<Preferences, DbErr> {
    let Some(found) = row::Entity::find_by_id(account.as_uuid()).one(db).await? else {
        return Ok(Preferences::default());
    };
    let quiet_hours = match (&found.quiet_start, &found.quiet_end) {
        (Some(start), Some(end)) => Some(QuietHours {
            start: start.parse().map_err(corrupt)?,
            end: end.parse().map_err(corrupt)?,
        }),
        _ => None,
    };
    let names: Vec<String> = serde_json::from_str(&found.disabled_kinds).map_err(corrupt)?;
    // A kind a later version no longer knows is simply not among today's.
    let disabled = names.iter().filter_map(|n| n.parse().ok()).collect();
    Ok(Preferences {
        quiet_hours,
        time_zone: found.time_zone.parse().map_err(corrupt)?,
        disabled,
    })
}

/// One kind and whether the caller hears about it.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct KindSetting {
    /// The kind's wire name (`correction_decided`, `correction_waiting`, …).
    #[schema(value_type = String)]
    pub kind: NotificationKind,
    /// Whether an alert is sent for it.
    pub enabled: bool,
}

/// Quiet hours, `HH:MM` each.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct QuietHoursView {
    #[schema(value_type = String, example = "22:00")]
    pub start: xodim_domain::notify::TimeOfDay,
    #[schema(value_type = String, example = "07:00")]
    pub end: xodim_domain::notify::TimeOfDay,
}

/// The caller's notification settings.
#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationSettings {
    /// `null`: alerts go at any hour.
    pub quiet_hours: Option<QuietHoursView>,
    /// The IANA zone the quiet hours are read in (`Asia/Tashkent`).
    #[schema(value_type = String)]
    pub time_zone: TimeZone,
    /// Every kind that exists, on or off.
    pub kinds: Vec<KindSetting>,
}

impl From<&Preferences> for NotificationSettings {
    fn from(prefs: &Preferences) -> Self {
        Self {
            quiet_hours: prefs.quiet_hours.map(|q| QuietHoursView {
                start: q.start,
                end: q.end,
            }),
            time_zone: prefs.time_zone,
            kinds: NotificationKind::ALL
                .iter()
                .map(|&kind| KindSetting {
                    kind,
                    enabled: prefs.enabled(kind),
                })
                .collect(),
        }
    }
}

/// A change to the settings: every field optional; `quiet_hours: null` turns them off.
#[derive(Debug, Deserialize, ToSchema)]
pub struct UpdateNotifications {
    #[serde(default, deserialize_with = "present")]
    pub quiet_hours: Option<Option<QuietHoursView>>,
    #[schema(value_type = Option<String>)]
    pub time_zone: Option<TimeZone>,
    pub kinds: Option<Vec<KindSetting>>,
}

/// Tells an explicit `null` (`Some(None)`) from an absent field (`None`).
fn present<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

impl UpdateNotifications {
    fn apply(self, prefs: &mut Preferences) {
        if let Some(quiet) = self.quiet_hours {
            prefs.quiet_hours = quiet.map(|q| QuietHours {
                start: q.start,
                end: q.end,
            });
        }
        if let Some(zone) = self.time_zone {
            prefs.time_zone = zone;
        }
        for setting in self.kinds.into_iter().flatten() {
            prefs.disabled.retain(|&k| k != setting.kind);
            if !setting.enabled {
                prefs.disabled.push(setting.kind);
            }
        }
        prefs.disabled.sort();
    }
}

#[utoipa::path(get, path = "/api/v1/me/notifications", tag = "profile",
    responses((status = 200, body = NotificationSettings)), security(("bearer" = [])))]
pub(crate) async fn get_settings(
    state: web::Data<AppState>,
    actor: Actor,
) -> ApiResult<HttpResponse> {
    let prefs = load(&state.db, actor.account).await?;
    Ok(HttpResponse::Ok().json(NotificationSettings::from(&prefs)))
}

#[utoipa::path(put, path = "/api/v1/me/notifications", tag = "profile",
    request_body = UpdateNotifications,
    responses((status = 200, body = NotificationSettings), (status = 400, description = "invalid field")),
    security(("bearer" = [])))]
pub(crate) async fn put_settings(
    state: web::Data<AppState>,
    actor: Actor,
    body: web::Json<UpdateNotifications>,
) -> ApiResult<HttpResponse> {
    let _turn = state.write_turn().await;
    let txn = state.db.begin().await?;
    let mut prefs = load(&txn, actor.account).await?;
    body.into_inner().apply(&mut prefs);
    save(&txn, actor.account, &prefs).await?;
    txn.commit().await?;
    Ok(HttpResponse::Ok().json(NotificationSettings::from(&prefs)))
}

async fn save(db: &impl ConnectionTrait, account: AccountId, prefs: &Preferences) -> ApiResult<()> {
    let names: Vec<&str> = prefs.disabled.iter().map(|k| k.as_str()).collect();
    let model = row::ActiveModel {
        account_id: Set(account.as_uuid()),
        quiet_start: Set(prefs.quiet_hours.map(|q| q.start.to_string())),
        quiet_end: Set(prefs.quiet_hours.map(|q| q.end.to_string())),
        time_zone: Set(prefs.time_zone.as_str().to_owned()),
        disabled_kinds: Set(
            serde_json::to_string(&names).map_err(crate::error::ApiError::internal)?
        ),
        updated_at: Set(Utc::now()),
    };
    row::Entity::insert(model)
        .on_conflict(
            OnConflict::column(row::Column::AccountId)
                .update_columns([
                    row::Column::QuietStart,
                    row::Column::QuietEnd,
                    row::Column::TimeZone,
                    row::Column::DisabledKinds,
                    row::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec(db)
        .await?;
    Ok(())
}
