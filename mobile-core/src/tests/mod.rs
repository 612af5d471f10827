//! The core driven end to end against an in-memory server, with a controlled clock.

mod batching;
mod engine;
mod evidence;
mod fake_contact;
mod fake_inbox;
mod fake_records;
mod fake_routes;
mod fake_server;
mod inbox;
mod push_token;
mod records;
mod review;
mod wipe;

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use uuid::Uuid;

use crate::{Clock, IdSource, SyncListener, XodimCore};
use fake_server::FakeServer;

pub const BASE_URL: &str = "https://xodim.test";

/// A clock that moves only when told.
pub struct TestClock(Mutex<DateTime<Utc>>);

impl TestClock {
    pub fn new() -> Arc<Self> {
        Arc::new(Self(Mutex::new(
            Utc.timestamp_opt(1_800_000_000, 0).unwrap(),
        )))
    }

    pub fn advance(&self, secs: i64) {
        *self.0.lock().unwrap() += TimeDelta::seconds(secs);
    }
}

impl Clock for TestClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap()
    }
}

/// Ids counted up from 1.
#[derive(Default)]
pub struct TestIds(AtomicU64);

impl IdSource for TestIds {
    fn next_intent_id(&self) -> Uuid {
        Uuid::from_u128(0x1D << 64 | u128::from(self.0.fetch_add(1, Ordering::SeqCst) + 1))
    }
}

/// A database file removed with its WAL files at the end of the test.
pub struct TempDb(PathBuf);

impl TempDb {
    pub fn new() -> Self {
        Self(std::env::temp_dir().join(format!("xodim-core-{}.db", Uuid::new_v4())))
    }

    pub fn path(&self) -> &str {
        self.0.to_str().unwrap()
    }
}

impl Drop for TempDb {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", self.path()));
        }
    }
}

/// One phone and the server it talks to, which applies every change of contact details.
pub struct World {
    pub server: Arc<FakeServer>,
    pub clock: Arc<TestClock>,
    pub ids: Arc<TestIds>,
    pub db: TempDb,
}

impl World {
    pub fn new() -> Self {
        let clock = TestClock::new();
        let server = FakeServer::new(clock.clone());
        server.with(fake_contact::install);
        Self {
            server,
            clock,
            ids: Arc::new(TestIds::default()),
            db: TempDb::new(),
        }
    }

    /// Opens the core on the world's file (again, after a restart of the app).
    pub fn open(&self, locale: &str) -> Arc<XodimCore> {
        XodimCore::open_with(
            self.db.path(),
            BASE_URL,
            locale,
            self.server.clone(),
            self.clock.clone(),
            self.ids.clone(),
        )
        .unwrap()
    }

    /// A core that has signed in and synced once.
    pub fn synced(&self) -> Arc<XodimCore> {
        let core = self.open("en");
        core.login(
            fake_server::LOGIN.to_owned(),
            fake_server::PASSWORD.to_owned(),
        )
        .unwrap();
        core.sync(None).unwrap();
        core
    }
}

/// Records what a sync reports.
#[derive(Default)]
pub struct Recorder {
    pub progress: Mutex<Vec<u64>>,
    pub changed: Mutex<Vec<Vec<String>>>,
}

impl SyncListener for Recorder {
    fn on_progress(&self, received: u64) {
        self.progress.lock().unwrap().push(received);
    }

    fn on_changed(&self, kinds: Vec<String>) {
        self.changed.lock().unwrap().push(kinds);
    }
}

impl Recorder {
    pub fn changed_kinds(&self) -> Vec<String> {
        let mut kinds: Vec<String> = self.changed.lock().unwrap().concat();
        kinds.sort();
        kinds.dedup();
        kinds
    }
}
