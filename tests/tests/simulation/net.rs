//! The simulated network, clock and id source of a phone: all decided by the run's seed.

use std::sync::atomic::{AtomicI64, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

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
}

/// Where the server is now (it moves when restarted) and what happens to the next requests.
pub struct Network {
    pub address: Mutex<String>,
    pub original: String,
    http: ReqwestTransport,
}

impl Network {
    pub fn new(address: &str) -> Arc<Self> {
        Arc::new(Self {
            address: Mutex::new(address.into()),
            original: address.into(),
            http: ReqwestTransport::new().unwrap(),
        })
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

impl Transport for Link {
    fn execute(&self, mut request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let index = self.sent.fetch_add(1, Ordering::SeqCst);
        let (fault, nth) = *self.plan.lock().unwrap();
        let fault = if fault == Fault::Offline || index == nth {
            fault
        } else {
            Fault::None
        };
        let lost = || {
            Err(TransportError::Network {
                reason: format!("simulated {fault:?}"),
            })
        };
        let current = self.network.address.lock().unwrap().clone();
        request.url = request.url.replacen(&self.network.original, &current, 1);
        match fault {
            Fault::Offline | Fault::DropRequest => lost(),
            Fault::None => self.network.http.execute(request),
            Fault::DropAnswer => {
                let _ = self.network.http.execute(request);
                lost()
            }
            Fault::Duplicate => {
                let _ = self.network.http.execute(request.clone());
                self.network.http.execute(request)
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
