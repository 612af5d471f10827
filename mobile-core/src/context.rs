//! What every layer of the core needs: the store, the transport, time, ids, the server and the
//! user's language.

use std::sync::{Arc, PoisonError, RwLock};

use xodim_domain::Locale;

use crate::clock::{Clock, IdSource};
use crate::feature::Registry;
use crate::store::Store;
use crate::transport::Transport;

/// The core's environment.
pub(crate) struct Context {
    /// The local database.
    pub store: Store,
    /// The features, by the intent namespace each owns.
    pub features: Registry,
    /// HTTP.
    pub transport: Arc<dyn Transport>,
    /// Time.
    pub clock: Arc<dyn Clock>,
    /// Fresh ids.
    pub ids: Arc<dyn IdSource>,
    base_url: String,
    locale: RwLock<Locale>,
}

impl Context {
    /// Bundles the environment; `base_url` is the server root, e.g. `https://xodim.example.uz`.
    pub fn new(
        store: Store,
        features: Registry,
        base_url: &str,
        locale: Locale,
        transport: Arc<dyn Transport>,
        clock: Arc<dyn Clock>,
        ids: Arc<dyn IdSource>,
    ) -> Self {
        Self {
            store,
            features,
            transport,
            clock,
            ids,
            base_url: base_url.trim_end_matches('/').to_owned(),
            locale: RwLock::new(locale),
        }
    }

    /// The absolute URL of an API path.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// The user's language.
    pub fn locale(&self) -> Locale {
        // A poisoned lock still holds a valid locale: a `Copy` value cannot be half-written.
        *self.locale.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// Changes the user's language.
    pub fn set_locale(&self, locale: Locale) {
        *self.locale.write().unwrap_or_else(PoisonError::into_inner) = locale;
    }
}
