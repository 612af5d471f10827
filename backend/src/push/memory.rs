//! A sender that keeps what it is given in memory and answers as scripted: for tests, and for
//! an instance with nowhere to send.

use std::collections::VecDeque;
use std::sync::Mutex;

use async_trait::async_trait;

use super::{PushMessage, PushSender, SendOutcome};

/// Records every message; answers the scripted outcomes in order, then `Sent`.
#[derive(Default)]
pub struct MemorySender {
    received: Mutex<Vec<PushMessage>>,
    script: Mutex<VecDeque<SendOutcome>>,
}

impl MemorySender {
    /// A sender that accepts everything.
    pub fn new() -> Self {
        Self::default()
    }

    /// The next attempts are answered with these outcomes, in order.
    pub fn answer(&self, outcomes: impl IntoIterator<Item = SendOutcome>) {
        if let Ok(mut script) = self.script.lock() {
            script.extend(outcomes);
        }
    }

    /// Every message received so far, in order.
    pub fn received(&self) -> Vec<PushMessage> {
        self.received.lock().map(|r| r.clone()).unwrap_or_default()
    }
}

#[async_trait]
impl PushSender for MemorySender {
    fn name(&self) -> &'static str {
        "memory"
    }

    async fn send(&self, message: &PushMessage) -> SendOutcome {
        if let Ok(mut received) = self.received.lock() {
            received.push(message.clone());
        }
        self.script
            .lock()
            .ok()
            .and_then(|mut s| s.pop_front())
            .unwrap_or(SendOutcome::Sent)
    }
}
