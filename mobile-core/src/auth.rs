//! Signing in and out, and authorised requests with token refresh.

use chrono::{DateTime, TimeDelta, Utc};
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;
use xodim_domain::LoginIdentifier;

use crate::context::Context;
use crate::error::{Error, Result};
use crate::store::meta::{self, Key, Session};
use crate::store::{self};
use crate::transport::{HttpRequest, HttpResponse, json_request, read_json, server_error};

const PLATFORM: &str = if cfg!(target_os = "android") {
    "android"
} else if cfg!(target_os = "ios") {
    "ios"
} else {
    "other"
};

/// The token answer of login and refresh.
#[derive(Debug, Deserialize)]
struct Tokens {
    access_token: String,
    expires_in: u64,
    refresh_token: String,
    session_id: Uuid,
    account_id: Uuid,
}

impl Tokens {
    fn into_session(self, now: DateTime<Utc>) -> Session {
        let lifetime = i64::try_from(self.expires_in).unwrap_or(i64::MAX);
        Session {
            account_id: self.account_id.to_string(),
            session_id: self.session_id.to_string(),
            access_token: self.access_token,
            access_expires_at: now + TimeDelta::try_seconds(lifetime).unwrap_or(TimeDelta::MAX),
            refresh_token: self.refresh_token,
        }
    }
}

/// Signs in. A different account than the last one starts from an empty device, so no one sees
/// another person's data or sends their queued intents.
pub(crate) fn login(ctx: &Context, login: &str, password: &str) -> Result<Session> {
    LoginIdentifier::parse(login)?;
    let installation_id = installation_id(ctx)?;
    let body = json!({
        "login": login.trim(),
        "password": password,
        "device": {
            "installation_id": installation_id,
            "platform": PLATFORM,
            "app_version": env!("CARGO_PKG_VERSION"),
        },
    });
    let url = ctx.url("/api/v1/auth/login");
    let request = json_request("POST", url, Some(&body), ctx.locale().tag(), None)?;
    let response = ctx.transport.execute(request)?;
    let session = read_json::<Tokens>(&response)?.into_session(ctx.clock.now());
    let wiped = ctx.store.write(|tx| {
        let previous = meta::get(tx, Key::AccountId)?;
        let other = previous.is_some_and(|account| account != session.account_id);
        if other {
            store::wipe(tx)?;
            meta::set(tx, Key::InstallationId, &installation_id)?;
        }
        meta::save_session(tx, &session)?;
        // A new session holds no push token on the server, whatever the last one held.
        meta::delete(tx, Key::PushTokenSent)?;
        Ok(other)
    })?;
    if wiped {
        ctx.store.scrub()?;
    }
    Ok(session)
}

/// This installation's id, made on first use and kept until the device is wiped.
fn installation_id(ctx: &Context) -> Result<String> {
    ctx.store.write(|tx| {
        if let Some(id) = meta::get(tx, Key::InstallationId)? {
            return Ok(id);
        }
        let id = ctx.ids.next_installation_id().to_string();
        meta::set(tx, Key::InstallationId, &id)?;
        Ok(id)
    })
}

/// Signs out: tells the server if it can be reached, and wipes the device either way.
pub(crate) fn logout(ctx: &Context) -> Result<()> {
    if ctx.store.read(meta::session)?.is_some() {
        let url = ctx.url("/api/v1/auth/logout");
        let locale = ctx.locale();
        // Unreachable server or dead session: the device forgets the session all the same.
        let _ = send_authorized(ctx, &|token| {
            json_request("POST", url.clone(), None::<&()>, locale.tag(), Some(token))
        });
    }
    ctx.store.wipe()
}

/// Sends a request with the access token. An expired token (by the clock, or a 401 answer) is
/// refreshed once and the request sent again; a refused refresh signs the device out.
pub(crate) fn send_authorized(
    ctx: &Context,
    build: &dyn Fn(&str) -> Result<HttpRequest>,
) -> Result<HttpResponse> {
    let mut session = ctx.store.read(meta::session)?.ok_or(Error::SignedOut)?;
    if ctx.clock.now() >= session.access_expires_at {
        // Saves a round trip that would only end in `token_expired`.
        session = refresh(ctx, &session)?;
    }
    let response = ctx.transport.execute(build(&session.access_token)?)?;
    if response.status != 401 {
        return Ok(response);
    }
    let session = refresh(ctx, &session)?;
    Ok(ctx.transport.execute(build(&session.access_token)?)?)
}

/// Exchanges the refresh token for a new pair. A 401 (`refresh_token_invalid`,
/// `refresh_token_reused`) means the session is over: the device keeps nothing.
fn refresh(ctx: &Context, session: &Session) -> Result<Session> {
    let body = json!({ "refresh_token": session.refresh_token });
    let url = ctx.url("/api/v1/auth/refresh");
    let request = json_request("POST", url, Some(&body), ctx.locale().tag(), None)?;
    let response = ctx.transport.execute(request)?;
    if response.status == 401 {
        ctx.store.wipe()?;
        return Err(Error::Server(server_error(&response)));
    }
    let renewed = read_json::<Tokens>(&response)?.into_session(ctx.clock.now());
    ctx.store.write(|tx| meta::save_session(tx, &renewed))?;
    Ok(renewed)
}
