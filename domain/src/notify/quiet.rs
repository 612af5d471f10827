//! Quiet hours: the part of each day in which normal alerts wait for the morning.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Duration, NaiveTime, Timelike, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{DomainError, ErrorCode};

/// A time of day to the minute, written `HH:MM` (24-hour clock).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TimeOfDay(NaiveTime);

impl TimeOfDay {
    /// The time `hour:minute`; `None` when either is out of range.
    pub fn new(hour: u32, minute: u32) -> Option<Self> {
        NaiveTime::from_hms_opt(hour, minute, 0).map(Self)
    }

    fn time(self) -> NaiveTime {
        self.0
    }
}

impl FromStr for TimeOfDay {
    type Err = DomainError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || {
            DomainError::new(
                ErrorCode::InvalidField,
                format!("time of day {s:?} is not HH:MM"),
            )
        };
        let (hour, minute) = s.split_once(':').ok_or_else(bad)?;
        if hour.len() != 2 || minute.len() != 2 {
            return Err(bad());
        }
        let hour: u32 = hour.parse().map_err(|_| bad())?;
        let minute: u32 = minute.parse().map_err(|_| bad())?;
        Self::new(hour, minute).ok_or_else(bad)
    }
}

impl fmt::Display for TimeOfDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.0.hour(), self.0.minute())
    }
}

impl Serialize for TimeOfDay {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for TimeOfDay {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// The hours from `start` until `end`; when `start` is later than `end` they run over
/// midnight. Equal ends mean no quiet hours at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuietHours {
    /// When the quiet begins.
    pub start: TimeOfDay,
    /// When alerts may go again.
    pub end: TimeOfDay,
}

impl Default for QuietHours {
    /// 22:00 to 07:00.
    fn default() -> Self {
        Self {
            start: TimeOfDay(NaiveTime::MIN + Duration::hours(22)),
            end: TimeOfDay(NaiveTime::MIN + Duration::hours(7)),
        }
    }
}

impl QuietHours {
    fn contains(self, time: NaiveTime) -> bool {
        let (start, end) = (self.start.time(), self.end.time());
        if start <= end {
            start <= time && time < end
        } else {
            time >= start || time < end
        }
    }
}

/// A zone quiet hours are read in. Only zones of fixed offset are known: Uzbekistan has kept
/// UTC+5 without daylight saving since 1992, so no time-zone database is needed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum TimeZone {
    /// Tashkent and the east of the country, UTC+5.
    #[default]
    AsiaTashkent,
    /// Samarkand and the west of the country, UTC+5.
    AsiaSamarkand,
}

impl TimeZone {
    /// Every known zone.
    pub const ALL: &'static [TimeZone] = &[TimeZone::AsiaTashkent, TimeZone::AsiaSamarkand];

    /// The IANA name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AsiaTashkent => "Asia/Tashkent",
            Self::AsiaSamarkand => "Asia/Samarkand",
        }
    }

    /// The zone's distance from UTC.
    fn offset(self) -> Duration {
        match self {
            Self::AsiaTashkent | Self::AsiaSamarkand => Duration::hours(5),
        }
    }
}

impl FromStr for TimeZone {
    type Err = DomainError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .iter()
            .copied()
            .find(|zone| zone.as_str() == s)
            .ok_or_else(|| {
                DomainError::new(ErrorCode::InvalidField, format!("unknown time zone {s:?}"))
            })
    }
}

impl fmt::Display for TimeZone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for TimeZone {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for TimeZone {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// When a normal alert created at `now` may go: `now` itself outside quiet hours, otherwise
/// the end of the quiet hours as they are read in `zone`.
pub fn release_at(quiet: Option<QuietHours>, zone: TimeZone, now: DateTime<Utc>) -> DateTime<Utc> {
    let Some(quiet) = quiet else {
        return now;
    };
    let local = now.naive_utc() + zone.offset();
    if !quiet.contains(local.time()) {
        return now;
    }
    let mut end = local.date().and_time(quiet.end.time());
    if end <= local {
        end += Duration::days(1);
    }
    (end - zone.offset()).and_utc()
}

#[cfg(test)]
#[path = "quiet_tests.rs"]
mod tests;
