//! The device's push token: kept in the store's meta and registered with the server for the
//! signed-in device session (`PUT /api/v1/devices/current/push-token`).
//!
//! The token the app gives is stored at once; the server learns it now or, when it cannot be
//! reached, at the next sync. The store remembers the registration the server acknowledged
//! for this session, so the same token given again sends nothing and a newer one always goes.
//! Sign-out asks the server to drop the token (it does so with the session anyway) and the wipe
//! forgets it.

mod api;

use serde::{Deserialize, Serialize};
use xodim_domain::{DomainError, ErrorCode};

pub use api::PushTokenView;

use crate::context::Context;
use crate::error::{Error, Result};
use crate::store::meta::{self, Key};
use crate::transport::{json_request, server_error};
use crate::{auth, transport::HttpResponse};

const PATH: &str = "/api/v1/devices/current/push-token";
/// The server's limit on a token's length, in characters.
const MAX_TOKEN_CHARS: usize = 4096;

/// A token with the platform whose push service issued it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Registration {
    pub token: String,
    pub platform: String,
}

impl Registration {
    /// Checks what the app gave by the server's rules, so that a token the server would refuse
    /// is refused here at once rather than retried at every sync.
    pub fn parse(token: &str, platform: &str) -> Result<Registration> {
        let invalid =
            |detail: &str| Error::Domain(DomainError::new(ErrorCode::InvalidField, detail));
        if token.trim().is_empty() || token.chars().count() > MAX_TOKEN_CHARS {
            return Err(invalid("token: expected 1 to 4096 characters"));
        }
        if !matches!(platform, "android" | "ios") {
            return Err(invalid("platform: expected android or ios"));
        }
        Ok(Registration {
            token: token.to_owned(),
            platform: platform.to_owned(),
        })
    }
}

fn stored(conn: &rusqlite::Connection, key: Key) -> Result<Option<Registration>> {
    meta::get(conn, key)?
        .map(|text| serde_json::from_str(&text).map_err(Error::from))
        .transpose()
}

/// Stores the token; true when the server does not hold it yet for this session.
pub(crate) fn remember(ctx: &Context, registration: &Registration) -> Result<bool> {
    ctx.store.write(|tx| {
        meta::set(tx, Key::PushToken, &serde_json::to_string(registration)?)?;
        Ok(stored(tx, Key::PushTokenSent)?.as_ref() != Some(registration))
    })
}

/// The stored token and whether the server acknowledged it for this session.
pub(crate) fn current(ctx: &Context) -> Result<Option<(Registration, bool)>> {
    ctx.store.read(|conn| {
        let sent = stored(conn, Key::PushTokenSent)?;
        Ok(stored(conn, Key::PushToken)?.map(|wanted| {
            let registered = sent.as_ref() == Some(&wanted);
            (wanted, registered)
        }))
    })
}

/// Registers the stored token if the server does not hold it yet; nothing when signed out.
pub(crate) fn flush(ctx: &Context) -> Result<()> {
    let wanted = match current(ctx)? {
        Some((wanted, false)) => wanted,
        _ => return Ok(()),
    };
    if ctx.store.read(meta::session)?.is_none() {
        return Ok(());
    }
    let (url, locale) = (ctx.url(PATH), ctx.locale());
    let response = auth::send_authorized(ctx, &|token| {
        json_request("PUT", url.clone(), Some(&wanted), locale.tag(), Some(token))
    })?;
    succeeded(&response)?;
    ctx.store.write(|tx| {
        // A newer token given meanwhile stays unsent; it goes next time.
        if stored(tx, Key::PushToken)?.as_ref() == Some(&wanted) {
            meta::set(tx, Key::PushTokenSent, &serde_json::to_string(&wanted)?)?;
        }
        Ok(())
    })
}

/// Asks the server to drop this session's token, before a sign-out ends the session.
pub(crate) fn unregister(ctx: &Context) -> Result<()> {
    if current(ctx)?.is_none() || ctx.store.read(meta::session)?.is_none() {
        return Ok(());
    }
    let (url, locale) = (ctx.url(PATH), ctx.locale());
    let response = auth::send_authorized(ctx, &|token| {
        json_request(
            "DELETE",
            url.clone(),
            None::<&()>,
            locale.tag(),
            Some(token),
        )
    })?;
    succeeded(&response)
}

fn succeeded(response: &HttpResponse) -> Result<()> {
    if (200..300).contains(&response.status) {
        Ok(())
    } else {
        Err(Error::Server(server_error(response)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_of_one_to_4096_characters_from_android_or_ios_is_accepted() {
        assert!(Registration::parse("fcm-token", "android").is_ok());
        assert!(Registration::parse(&"t".repeat(4096), "ios").is_ok());
    }

    #[test]
    fn a_blank_or_overlong_token_or_another_platform_is_refused_as_invalid() {
        for (token, platform) in [
            ("", "android"),
            ("  ", "ios"),
            (&*"t".repeat(4097), "android"),
            ("fcm-token", "web"),
        ] {
            let err = Registration::parse(token, platform).unwrap_err();
            assert!(
                matches!(&err, Error::Domain(e) if e.code == ErrorCode::InvalidField),
                "{err:?}"
            );
        }
    }
}
