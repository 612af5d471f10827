//! Time and identifiers come from outside, so that a deterministic simulation can drive the core:
//! nothing in the core sleeps or reads the system clock directly.

use chrono::{DateTime, Utc};
use uuid::Uuid;

/// The current time.
pub trait Clock: Send + Sync {
    /// Now, in UTC.
    fn now(&self) -> DateTime<Utc>;
}

/// The device's clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// Fresh identifiers.
pub trait IdSource: Send + Sync {
    /// The id of a new intent: unique, and a UUID v7 so ids sort by creation.
    fn next_intent_id(&self) -> Uuid;

    /// The id of this app installation, asked for once per sign-in on a clean device.
    fn next_installation_id(&self) -> Uuid {
        self.next_intent_id()
    }

    /// The id of a new object the device names itself, such as a correction request, so that
    /// later steps can name it before the server has it. A UUID v7 like intent ids.
    fn next_object_id(&self) -> Uuid {
        self.next_intent_id()
    }
}

/// Random UUID v7 from the system.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemIds;

impl IdSource for SystemIds {
    fn next_intent_id(&self) -> Uuid {
        Uuid::now_v7()
    }
}
