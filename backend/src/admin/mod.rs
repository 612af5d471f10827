//! The administration API under `/api/v1/admin`: units, posts, employees, accounts and role
//! grants, each checked against the caller's roles and the units those roles cover.

pub mod accounts;
pub mod employees;
pub mod grants;
pub mod import;
pub mod keepers;
pub mod positions;
pub mod units;

use actix_web::web;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use xodim_domain::{LocalizedText, Page};

use crate::error::ApiResult;

/// Registers every admin route.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/api/v1/admin")
            .configure(units::configure)
            .configure(positions::configure)
            .configure(employees::configure)
            .configure(accounts::configure)
            .configure(grants::configure),
    );
}

/// Query of a list: an optional unit and keyset paging.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ListQuery {
    /// Restrict to this unit (its direct children for units, its posts or staff otherwise).
    pub unit: Option<Uuid>,
    /// Page size, 1 to 200 (default 50).
    pub limit: Option<String>,
    /// The `next_after` of the previous page.
    pub after: Option<String>,
}

impl ListQuery {
    /// The validated page.
    pub fn page(&self) -> ApiResult<Page> {
        Ok(Page::parse(self.limit.as_deref(), self.after.as_deref())?)
    }
}

/// A name in up to four languages, as clients send it.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NamesInput {
    /// Uzbek in Latin script; required.
    pub uz_latn: String,
    pub uz_cyrl: Option<String>,
    pub ru: Option<String>,
    pub en: Option<String>,
}

impl NamesInput {
    /// Validates every language given.
    pub fn parse(&self) -> ApiResult<LocalizedText> {
        let optional = |text: &Option<String>| -> ApiResult<Option<String>> {
            match text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
                Some(text) => Ok(Some(LocalizedText::new(text)?.uz_latn)),
                None => Ok(None),
            }
        };
        let mut text = LocalizedText::new(&self.uz_latn)?;
        text.uz_cyrl = optional(&self.uz_cyrl)?;
        text.ru = optional(&self.ru)?;
        text.en = optional(&self.en)?;
        Ok(text)
    }
}

/// Tells a field sent as `null` (clear it) from a field not sent (keep it): with
/// `#[serde(default)]`, absent is `None` and `null` is `Some(None)`.
pub fn present<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}
