//! The push token on [`XodimCore`]. Every method blocks: call it from a background thread.

use super::Registration;
use crate::api::XodimCore;
use crate::error::CoreError;

/// The push token the device holds.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PushTokenView {
    /// The token the OS gave.
    pub token: String,
    /// `android` or `ios`.
    pub platform: String,
    /// Whether the server holds it for this device's session; otherwise the next sync sends it.
    pub registered: bool,
}

#[uniffi::export]
impl XodimCore {
    /// Registers the device's push token (`platform`: `android` or `ios`), after a sign-in and
    /// whenever the OS issues a new one. It is stored at once and sent now if the server can be
    /// reached, otherwise by the next sync; the same token again sends nothing.
    pub fn set_push_token(&self, token: String, platform: String) -> Result<(), CoreError> {
        let registration = Registration::parse(&token, &platform).map_err(|e| self.fail(e))?;
        let _turn = self.turn();
        if super::remember(&self.ctx, &registration).map_err(|e| self.fail(e))? {
            // Best effort: what is not sent now goes with the next sync.
            let _ = super::flush(&self.ctx);
        }
        Ok(())
    }

    /// The stored push token, if the app gave one since the last sign-out.
    pub fn push_token(&self) -> Option<PushTokenView> {
        let (registration, registered) = super::current(&self.ctx).ok().flatten()?;
        Some(PushTokenView {
            token: registration.token,
            platform: registration.platform,
            registered,
        })
    }
}
