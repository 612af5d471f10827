//! Phones (xodim-core clients) against a test server: a network that can fail, a clock moved by
//! hand, and a database file that goes when the phone does.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};
use xodim_core::{
    Clock, CoreError, HttpRequest, HttpResponse, IdSource, ReqwestTransport, SyncReport, SystemIds,
    Transport, TransportError, XodimCore,
};

use crate::TestApp;
use crate::fixtures::PASSWORD;

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

/// The SQLite file of a phone's store, in the temporary directory; removed with its WAL when
/// dropped, so a phone must be closed before its file goes.
pub struct PhoneFile(PathBuf);

impl PhoneFile {
    /// A new, unique file whose name carries `name` for whoever reads the temporary directory.
    pub fn new(name: &str) -> Self {
        Self(std::env::temp_dir().join(format!(
            "xodim-phone-{name}-{}.db",
            uuid::Uuid::new_v4().simple()
        )))
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    /// The core of an English-speaking phone on this file, talking to `server` through
    /// `transport`, with its own clock and source of ids.
    pub fn open(
        &self,
        server: &str,
        transport: Arc<dyn Transport>,
        clock: Arc<dyn Clock>,
        ids: Arc<dyn IdSource>,
    ) -> Arc<XodimCore> {
        XodimCore::open_with(
            &self.0.to_string_lossy(),
            server,
            "en",
            transport,
            clock,
            ids,
        )
        .unwrap()
    }
}

impl Drop for PhoneFile {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", self.0.display()));
        }
    }
}

/// A signed-in phone with its network and clock in the test's hands.
pub struct Phone {
    pub core: Arc<XodimCore>,
    pub net: Arc<Flaky>,
    pub clock: Arc<HandClock>,
    // Last, so that the store is closed before its file is removed.
    _file: PhoneFile,
}

impl TestApp {
    /// A phone signed in as `login` (password [`PASSWORD`]). The blocking core runs on a
    /// blocking thread, as apps run it off the UI thread.
    pub async fn phone(&self, login: &str) -> Phone {
        let (url, login) = (self.address.clone(), login.to_owned());
        tokio::task::spawn_blocking(move || {
            let (net, clock) = (Arc::new(Flaky::default()), Arc::new(HandClock::new()));
            let file = PhoneFile::new(&login);
            let core = file.open(&url, net.clone(), clock.clone(), Arc::new(SystemIds));
            core.login(login, PASSWORD.into()).unwrap();
            Phone {
                core,
                net,
                clock,
                _file: file,
            }
        })
        .await
        .unwrap()
    }
}

/// Runs `f` on the core on a blocking thread and returns what it returns.
pub async fn on<T: Send + 'static>(
    core: &Arc<XodimCore>,
    f: impl FnOnce(&XodimCore) -> T + Send + 'static,
) -> T {
    let core = core.clone();
    tokio::task::spawn_blocking(move || f(&core)).await.unwrap()
}

/// One sync of the core: push the queue, then pull until nothing is left.
pub async fn sync(core: &Arc<XodimCore>) -> Result<SyncReport, CoreError> {
    on(core, |c| c.sync(None)).await
}
