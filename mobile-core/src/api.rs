//! The object the apps hold. Every method blocks: call it from a background thread.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use xodim_domain::Locale;

use crate::auth;
use crate::clock::{Clock, IdSource, SystemClock, SystemIds};
use crate::context::Context;
use crate::error::{CoreError, Error};
use crate::feature::{Feature, Registry};
use crate::store::Store;
use crate::store::meta::{self, Key};
use crate::sync::{self, SyncListener, SyncReport};
use crate::transport::{ReqwestTransport, Transport};
use crate::views::{self, EmployeeCardView, QueuedIntent, SessionInfo, UnitView};
use crate::{contact, inbox, push, records};

/// The xodim core: a local store of the user's data, kept in step with the server.
#[derive(uniffi::Object)]
pub struct XodimCore {
    pub(crate) ctx: Context,
    // Sign-in, sign-out and sync run one at a time; reads and queuing intents do not wait.
    exclusive: Mutex<()>,
}

#[uniffi::export]
impl XodimCore {
    /// Opens (or creates) the store at `db_path`, talking to `base_url` over HTTPS, with texts in
    /// `locale` (a BCP-47 tag; unsupported ones fall back to Uzbek Latin).
    #[uniffi::constructor]
    pub fn open(db_path: String, base_url: String, locale: String) -> Result<Arc<Self>, CoreError> {
        let transport = ReqwestTransport::new().map_err(|err| CoreError::Internal {
            reason: err.to_string(),
        })?;
        Self::open_with_transport(db_path, base_url, locale, Arc::new(transport))
    }

    /// Like [`XodimCore::open`], with the app's own HTTP stack.
    #[uniffi::constructor]
    pub fn open_with_transport(
        db_path: String,
        base_url: String,
        locale: String,
        transport: Arc<dyn Transport>,
    ) -> Result<Arc<Self>, CoreError> {
        Self::open_with(
            &db_path,
            &base_url,
            &locale,
            transport,
            Arc::new(SystemClock),
            Arc::new(SystemIds),
        )
    }

    /// Signs in with a login name or PINFL. Signing in as another account than the last one
    /// clears the device first.
    pub fn login(&self, login: String, password: String) -> Result<SessionInfo, CoreError> {
        let _turn = self.turn();
        let session = auth::login(&self.ctx, &login, &password).map_err(|e| self.fail(e))?;
        // The new session holds no push token yet; if this sends nothing, the next sync will.
        let _ = push::flush(&self.ctx);
        Ok(SessionInfo {
            account_id: session.account_id,
            session_id: session.session_id,
        })
    }

    /// Whether a session is stored.
    pub fn is_signed_in(&self) -> bool {
        matches!(self.ctx.store.read(meta::session), Ok(Some(_)))
    }

    /// The signed-in account.
    pub fn account_id(&self) -> Option<String> {
        self.ctx
            .store
            .read(|conn| meta::get(conn, Key::AccountId))
            .ok()
            .flatten()
    }

    /// Signs out: the server ends the session if reachable, and the device forgets everything
    /// (data, queued intents, tokens).
    pub fn logout(&self) -> Result<(), CoreError> {
        let _turn = self.turn();
        // Best effort: the server drops the token with the session in any case.
        let _ = push::unregister(&self.ctx);
        auth::logout(&self.ctx).map_err(|e| self.fail(e))
    }

    /// Sends queued intents and pulls changes until the device holds the server's view.
    pub fn sync(&self, listener: Option<Arc<dyn SyncListener>>) -> Result<SyncReport, CoreError> {
        let _turn = self.turn();
        // A token the server has not acknowledged goes first; failing, it waits for the next.
        let _ = push::flush(&self.ctx);
        sync::run(&self.ctx, &sync::Notifier::new(listener)).map_err(|e| self.fail(e))
    }

    /// Every intent made on this device with its state, oldest first.
    pub fn intents(&self) -> Vec<QueuedIntent> {
        // The list screens have no error state; an unreadable store shows as empty.
        views::intents(&self.ctx).unwrap_or_default()
    }

    /// The staff of the units the user manages.
    pub fn team(&self) -> Vec<EmployeeCardView> {
        views::team(&self.ctx).unwrap_or_default()
    }

    /// The organisation's units.
    pub fn units(&self) -> Vec<UnitView> {
        views::units(&self.ctx).unwrap_or_default()
    }

    /// Changes the language of texts and of the server's messages.
    pub fn set_locale(&self, tag: String) {
        let locale = Locale::negotiate([tag.as_str()]);
        self.ctx.set_locale(locale);
        // Only a convenience for the next start; the app passes its locale to `open` anyway.
        let _ = self
            .ctx
            .store
            .write(|tx| meta::set(tx, Key::Locale, locale.tag()));
    }
}

impl XodimCore {
    /// Opens the core with every dependency supplied: for a deterministic simulation.
    pub fn open_with(
        db_path: &str,
        base_url: &str,
        locale: &str,
        transport: Arc<dyn Transport>,
        clock: Arc<dyn Clock>,
        ids: Arc<dyn IdSource>,
    ) -> Result<Arc<Self>, CoreError> {
        let locale = Locale::negotiate([locale]);
        let store = Store::open(db_path).map_err(|e| e.into_core(locale))?;
        store
            .write(|tx| meta::set(tx, Key::Locale, locale.tag()))
            .map_err(|e| e.into_core(locale))?;
        let features = features().map_err(|e| e.into_core(locale))?;
        let ctx = Context::new(store, features, base_url, locale, transport, clock, ids);
        Ok(Arc::new(Self {
            ctx,
            exclusive: Mutex::new(()),
        }))
    }

    pub(crate) fn turn(&self) -> MutexGuard<'_, ()> {
        // The guard protects no data, only ordering; a panic elsewhere does not spoil it.
        self.exclusive
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn fail(&self, err: Error) -> CoreError {
        err.into_core(self.ctx.locale())
    }
}

/// The composition root: every feature of the core, each owning its intent namespace. A new
/// feature is one more entry here; the sync engine learns of it through the registry alone.
fn features() -> Result<Registry, Error> {
    Registry::new([
        &contact::Contact as &dyn Feature,
        &records::Records,
        &inbox::Inbox,
    ])
}
