//! Small named values: the installation id, the session, the pull cursor, the locale.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use crate::error::{Error, Result};

/// The names of the stored values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Key {
    /// This installation's id, sent with every sign-in.
    InstallationId,
    /// The signed-in account.
    AccountId,
    /// The server's session id.
    SessionId,
    /// The bearer token.
    AccessToken,
    /// When the bearer token expires (Unix milliseconds).
    AccessExpiresAt,
    /// The one-time token for the next refresh.
    RefreshToken,
    /// The pull cursor, exactly as the server sent it.
    Cursor,
    /// The interface language tag.
    Locale,
    /// The largest request body the server accepts, in bytes, as it last said.
    MaxBody,
    /// The device's push token and platform, as JSON.
    PushToken,
    /// The push token the server acknowledged for the current session, as JSON.
    PushTokenSent,
}

impl Key {
    fn as_str(self) -> &'static str {
        match self {
            Key::InstallationId => "installation_id",
            Key::AccountId => "account_id",
            Key::SessionId => "session_id",
            Key::AccessToken => "access_token",
            Key::AccessExpiresAt => "access_expires_at",
            Key::RefreshToken => "refresh_token",
            Key::Cursor => "cursor",
            Key::Locale => "locale",
            Key::MaxBody => "max_body",
            Key::PushToken => "push_token",
            Key::PushTokenSent => "push_token_sent",
        }
    }
}

/// Reads a value.
pub(crate) fn get(conn: &Connection, key: Key) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT value FROM meta WHERE key = ?1",
            [key.as_str()],
            |row| row.get(0),
        )
        .optional()?)
}

/// Writes a value.
pub(crate) fn set(tx: &Transaction<'_>, key: Key, value: &str) -> Result<()> {
    tx.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![key.as_str(), value],
    )?;
    Ok(())
}

/// Removes a value.
pub(crate) fn delete(tx: &Transaction<'_>, key: Key) -> Result<()> {
    tx.execute("DELETE FROM meta WHERE key = ?1", [key.as_str()])?;
    Ok(())
}

/// Removes every value except the locale.
pub(crate) fn clear_all_but_locale(tx: &Transaction<'_>) -> Result<()> {
    tx.execute("DELETE FROM meta WHERE key <> ?1", [Key::Locale.as_str()])?;
    Ok(())
}

/// The tokens of a signed-in device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Session {
    /// The account.
    pub account_id: String,
    /// The server's session.
    pub session_id: String,
    /// The bearer token.
    pub access_token: String,
    /// When the bearer token stops working.
    pub access_expires_at: DateTime<Utc>,
    /// The refresh token.
    pub refresh_token: String,
}

/// The stored session, if signed in.
pub(crate) fn session(conn: &Connection) -> Result<Option<Session>> {
    let (Some(account_id), Some(refresh_token)) =
        (get(conn, Key::AccountId)?, get(conn, Key::RefreshToken)?)
    else {
        return Ok(None);
    };
    let expires_ms: i64 = get(conn, Key::AccessExpiresAt)?
        .and_then(|text| text.parse().ok())
        .unwrap_or(0);
    Ok(Some(Session {
        account_id,
        session_id: get(conn, Key::SessionId)?.unwrap_or_default(),
        access_token: get(conn, Key::AccessToken)?.unwrap_or_default(),
        access_expires_at: DateTime::from_timestamp_millis(expires_ms)
            .ok_or_else(|| Error::Corrupt("token expiry".to_owned()))?,
        refresh_token,
    }))
}

/// Stores a session, replacing the previous one.
pub(crate) fn save_session(tx: &Transaction<'_>, session: &Session) -> Result<()> {
    set(tx, Key::AccountId, &session.account_id)?;
    set(tx, Key::SessionId, &session.session_id)?;
    set(tx, Key::AccessToken, &session.access_token)?;
    let expires = session.access_expires_at.timestamp_millis().to_string();
    set(tx, Key::AccessExpiresAt, &expires)?;
    set(tx, Key::RefreshToken, &session.refresh_token)
}
