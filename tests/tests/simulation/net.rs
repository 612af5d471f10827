//! The simulated network, clock and id source of a phone: all decided by the run's seed.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use actix_web::dev::ServerHandle;
use tokio::runtime::Handle;

use chrono::{DateTime, Utc};
use rand::RngCore;
use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::SeedableRng;
use uuid::Uuid;
use xodim_core::{
    Clock, HttpRequest, HttpResponse, IdSource, ReqwestTransport, Transport, TransportError,
};

/// What the network does to one request of a sync.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Delivered, answered.
    None,
    /// Lost before it reaches the server.
    DropRequest,
    /// The server acts on it; the answer is lost.
    DropAnswer,
    /// Delivered twice; the second answer arrives.
    Duplicate,
    /// No network at all.
    Offline,
    /// The next push reaches the server, which decides it; the app is killed before it stores
    /// the answer.
    KillMidPush,
    /// The next push reaches the server, which decides it; the server stops before the answer
    /// reaches the phone, and starts again after the sync.
    RestartMidPush,
}

impl Fault {
    /// Whether the fault waits for a push rather than for the nth request.
    fn mid_push(self) -> bool {
        matches!(self, Fault::KillMidPush | Fault::RestartMidPush)
    }
}

/// Every fault the run injected, by what it did, so a run that injected none of one kind
/// fails rather than passing without having tried it.
#[derive(Default)]
pub struct FaultCounts(Mutex<BTreeMap<&'static str, u64>>);

impl FaultCounts {
    pub fn count(&self, what: &'static str) {
        *self.0.lock().unwrap().entry(what).or_default() += 1;
    }

    pub fn get(&self, what: &str) -> u64 {
        self.0.lock().unwrap().get(what).copied().unwrap_or(0)
    }

    pub fn all(&self) -> BTreeMap<&'static str, u64> {
        self.0.lock().unwrap().clone()
    }
}

/// What a transport unwinds with when the app is killed in the middle of a request.
pub struct Killed;

const PUSH_PATH: &str = "/api/v1/sync/intents";

/// Where the server is now (it moves when restarted) and what happens to the next requests.
pub struct Network {
    pub address: Mutex<String>,
    pub original: String,
    http: ReqwestTransport,
    /// The running server, so that a push can stop it halfway.
    pub server: Mutex<ServerHandle>,
    /// Set when a push stopped the server; the run starts it again.
    pub stopped: AtomicBool,
    pub faults: FaultCounts,
    runtime: Handle,
}

impl Network {
    pub fn new(address: &str, server: ServerHandle, runtime: Handle) -> Arc<Self> {
        Arc::new(Self {
            address: Mutex::new(address.into()),
            original: address.into(),
            http: ReqwestTransport::new().unwrap(),
            server: Mutex::new(server),
            stopped: AtomicBool::new(false),
            faults: FaultCounts::default(),
            runtime,
        })
    }

    /// Where the server is after a restart.
    pub fn moved(&self, address: &str, server: ServerHandle) {
        *self.address.lock().unwrap() = address.into();
        *self.server.lock().unwrap() = server;
        self.stopped.store(false, Ordering::SeqCst);
    }

    fn stop_server(&self) {
        let server = self.server.lock().unwrap().clone();
        self.runtime.block_on(server.stop(false));
        self.stopped.store(true, Ordering::SeqCst);
    }
}

/// One phone's link: the shared network plus its own fault plan.
pub struct Link {
    pub network: Arc<Network>,
    /// The fault and the index of the request (within the next sync) it hits.
    pub plan: Mutex<(Fault, u32)>,
    pub sent: AtomicU32,
}

impl Link {
    pub fn new(network: Arc<Network>) -> Arc<Self> {
        Arc::new(Self {
            network,
            plan: Mutex::new((Fault::None, 0)),
            sent: AtomicU32::new(0),
        })
    }

    /// Arms a fault for the `nth` request from now.
    pub fn arm(&self, fault: Fault, nth: u32) {
        *self.plan.lock().unwrap() = (fault, nth);
        self.sent.store(0, Ordering::SeqCst);
    }
}

impl Link {
    /// The fault that hits this request; a mid-push fault hits once, on the first push.
    fn fault_for(&self, request: &HttpRequest) -> Fault {
        let index = self.sent.fetch_add(1, Ordering::SeqCst);
        let mut plan = self.plan.lock().unwrap();
        let (fault, nth) = *plan;
        if fault.mid_push() {
            if request.method == "POST" && request.url.ends_with(PUSH_PATH) {
                *plan = (Fault::None, 0);
                return fault;
            }
            return Fault::None;
        }
        if fault == Fault::Offline || index == nth {
            fault
        } else {
            Fault::None
        }
    }
}

impl Transport for Link {
    fn execute(&self, mut request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let fault = self.fault_for(&request);
        let lost = || {
            Err(TransportError::Network {
                reason: format!("simulated {fault:?}"),
            })
        };
        let current = self.network.address.lock().unwrap().clone();
        request.url = request.url.replacen(&self.network.original, &current, 1);
        let faults = &self.network.faults;
        match fault {
            Fault::None => self.network.http.execute(request),
            Fault::Offline => {
                faults.count("offline request");
                lost()
            }
            Fault::DropRequest => {
                faults.count("lost request");
                lost()
            }
            Fault::DropAnswer => {
                faults.count("lost answer");
                let _ = self.network.http.execute(request);
                lost()
            }
            Fault::Duplicate => {
                faults.count("duplicate");
                let _ = self.network.http.execute(request.clone());
                self.network.http.execute(request)
            }
            Fault::KillMidPush => {
                if self.network.http.execute(request).is_ok() {
                    faults.count("kill mid-push");
                }
                // No hook runs: this is the app's process ending, not a failure of the test.
                std::panic::resume_unwind(Box::new(Killed))
            }
            Fault::RestartMidPush => {
                if self.network.http.execute(request).is_ok() {
                    faults.count("restart mid-push");
                }
                self.network.stop_server();
                lost()
            }
        }
    }
}

/// Model time: moves only when the simulation says so.
pub struct SimClock(pub AtomicI64);

impl SimClock {
    pub fn advance_secs(&self, secs: i64) {
        self.0.fetch_add(secs * 1000, Ordering::SeqCst);
    }
}

impl Clock for SimClock {
    fn now(&self) -> DateTime<Utc> {
        DateTime::from_timestamp_millis(self.0.load(Ordering::SeqCst)).unwrap_or_default()
    }
}

/// Intent and installation ids from the seed, shaped as UUID v7 of the model time.
pub struct SimIds {
    rng: Mutex<ChaCha8Rng>,
    clock: Arc<SimClock>,
}

impl SimIds {
    pub fn new(seed: u64, clock: Arc<SimClock>) -> Self {
        Self {
            rng: Mutex::new(ChaCha8Rng::seed_from_u64(seed)),
            clock,
        }
    }
}

impl IdSource for SimIds {
    fn next_intent_id(&self) -> Uuid {
        let mut random = [0u8; 10];
        self.rng.lock().unwrap().fill_bytes(&mut random);
        let millis = u64::try_from(self.clock.now().timestamp_millis()).unwrap_or(0);
        uuid::Builder::from_unix_timestamp_millis(millis, &random).into_uuid()
    }
}
