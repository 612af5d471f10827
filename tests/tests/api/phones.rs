//! Phones (xodim-core clients) for the device specifications: a network that can fail and a
//! clock moved by hand.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};
use xodim_core::{
    Clock, CoreError, HttpRequest, HttpResponse, ReqwestTransport, SystemIds, Transport,
    TransportError, XodimCore,
};
use xodim_tests::TestApp;
use xodim_tests::fixtures::PASSWORD;

/// A network that can fail: drop requests before they reach the server, or drop the answer
/// after the server has acted on it.
#[derive(Default)]
pub struct Flaky {
    pub offline: AtomicBool,
    pub lose_next_answer: AtomicBool,
    http: Mutex<Option<ReqwestTransport>>,
}

impl Transport for Flaky {
    fn execute(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        if self.offline.load(Ordering::SeqCst) {
            return Err(TransportError::Network {
                reason: "offline".into(),
            });
        }
        let mut http = self.http.lock().unwrap();
        let http = http.get_or_insert_with(|| ReqwestTransport::new().unwrap());
        let response = http.execute(request)?;
        if self.lose_next_answer.swap(false, Ordering::SeqCst) {
            return Err(TransportError::Network {
                reason: "answer lost".into(),
            });
        }
        Ok(response)
    }
}

/// A clock the test moves by hand, so back-off waits need no sleeping.
pub struct HandClock(AtomicI64);

impl HandClock {
    fn new() -> Self {
        Self(AtomicI64::new(Utc::now().timestamp_millis()))
    }
    pub fn advance(&self, by: Duration) {
        self.0.fetch_add(by.num_milliseconds(), Ordering::SeqCst);
    }
}

impl Clock for HandClock {
    fn now(&self) -> DateTime<Utc> {
        DateTime::from_timestamp_millis(self.0.load(Ordering::SeqCst)).unwrap()
    }
}

pub struct Phone {
    pub core: Arc<XodimCore>,
    pub net: Arc<Flaky>,
    pub clock: Arc<HandClock>,
}

pub fn phone_file(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!(
        "xodim-phone-{name}-{}.db",
        uuid::Uuid::new_v4().simple()
    ))
}

/// Opens a phone; the blocking core runs on a blocking thread, as apps run it off the UI thread.
pub async fn phone(app: &TestApp, login: &str) -> Phone {
    let (url, login) = (app.address.clone(), login.to_owned());
    tokio::task::spawn_blocking(move || {
        let (net, clock) = (Arc::new(Flaky::default()), Arc::new(HandClock::new()));
        let path = phone_file(&login);
        let core = XodimCore::open_with(
            &path.to_string_lossy(),
            &url,
            "en",
            net.clone(),
            clock.clone(),
            Arc::new(SystemIds),
        )
        .unwrap();
        core.login(login, PASSWORD.into()).unwrap();
        Phone { core, net, clock }
    })
    .await
    .unwrap()
}

pub async fn on<T: Send + 'static>(
    core: &Arc<XodimCore>,
    f: impl FnOnce(&XodimCore) -> T + Send + 'static,
) -> T {
    let core = core.clone();
    tokio::task::spawn_blocking(move || f(&core)).await.unwrap()
}

pub async fn sync(core: &Arc<XodimCore>) -> Result<xodim_core::SyncReport, CoreError> {
    on(core, |c| c.sync(None)).await
}
