//! Walking the chain and naming the first broken link.

use std::fmt;

use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::HEAD_ID;
use super::chain::{GENESIS_HASH, event_hash};
use crate::db::entities::{audit_event, audit_head};

/// Events read per query: memory stays constant however long the chain is.
const PAGE: u64 = 500;

/// The outcome of [`verify`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verification {
    /// Every event links to the one before it, matches its own hash, and the head names the last.
    Intact {
        /// How many events the chain holds.
        events: u64,
        /// The hash of the last event (the genesis hash when there is none).
        head: String,
    },
    /// The chain does not hold at `seq`, the first such event.
    Broken {
        /// The event that is missing, altered or out of place.
        seq: i64,
        /// What is wrong with it.
        reason: String,
    },
}

impl fmt::Display for Verification {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Intact { events, head } => {
                write!(f, "audit chain intact: {events} events, head {head}")
            }
            Self::Broken { seq, reason } => {
                write!(f, "audit chain broken at event {seq}: {reason}")
            }
        }
    }
}

fn broken(seq: i64, reason: impl Into<String>) -> Verification {
    Verification::Broken {
        seq,
        reason: reason.into(),
    }
}

/// Walks the chain in seq order (in pages, constant memory) and reports the first broken link.
///
/// Safe while others append: it checks the events up to the head it read first, whose events
/// were committed with it, and ignores those appended later.
pub async fn verify(db: &impl ConnectionTrait) -> Result<Verification, DbErr> {
    let Some(head) = audit_head::Entity::find_by_id(HEAD_ID).one(db).await? else {
        return Ok(broken(0, "the audit head row is missing"));
    };
    let mut walk = Walk::default();
    loop {
        let page = audit_event::Entity::find()
            .filter(audit_event::Column::Seq.gt(walk.seq))
            .filter(audit_event::Column::Seq.lte(head.seq))
            .order_by_asc(audit_event::Column::Seq)
            .limit(PAGE)
            .all(db)
            .await?;
        for event in &page {
            if let Some(broken) = walk.step(event) {
                return Ok(broken);
            }
        }
        if (page.len() as u64) < PAGE {
            break;
        }
    }
    if let Some(broken) = walk.finish(&head).or(outside_the_chain(db).await?) {
        return Ok(broken);
    }
    Ok(Verification::Intact {
        events: u64::try_from(walk.seq).unwrap_or_default(),
        head: walk.hash,
    })
}

/// The last event checked.
struct Walk {
    seq: i64,
    hash: String,
}

impl Default for Walk {
    fn default() -> Self {
        Self {
            seq: 0,
            hash: GENESIS_HASH.to_owned(),
        }
    }
}

impl Walk {
    fn step(&mut self, event: &audit_event::Model) -> Option<Verification> {
        let expected = self.seq + 1;
        if event.seq != expected {
            let reason = format!("the event is missing (the next one is {})", event.seq);
            return Some(broken(expected, reason));
        }
        if event.prev_hash != self.hash {
            let reason = "its prev_hash is not the hash of the event before it";
            return Some(broken(event.seq, reason));
        }
        if event_hash(event) != event.hash {
            return Some(broken(event.seq, "its fields do not match its hash"));
        }
        self.seq = event.seq;
        self.hash.clone_from(&event.hash);
        None
    }

    fn finish(&self, head: &audit_head::Model) -> Option<Verification> {
        if self.seq != head.seq {
            let reason = format!("the event is missing (the head is at {})", head.seq);
            return Some(broken(self.seq + 1, reason));
        }
        (self.hash != head.hash)
            .then(|| broken(head.seq, "the head's hash is not the hash of this event"))
    }
}

/// An event with a seq below 1 or beyond the head is not part of the chain: it was written
/// around `append`. The highest seq is read before the head, so an event appended meanwhile is
/// covered by the head read after it and is not mistaken for one.
async fn outside_the_chain(db: &impl ConnectionTrait) -> Result<Option<Verification>, DbErr> {
    let bounds: Option<(Option<i64>, Option<i64>)> = audit_event::Entity::find()
        .select_only()
        .column_as(audit_event::Column::Seq.min(), "lowest")
        .column_as(audit_event::Column::Seq.max(), "highest")
        .into_tuple()
        .one(db)
        .await?;
    let (Some(lowest), Some(highest)) = bounds.unwrap_or_default() else {
        return Ok(None);
    };
    if lowest < 1 {
        return Ok(Some(broken(
            lowest,
            "the event lies before the first event",
        )));
    }
    let head = audit_head::Entity::find_by_id(HEAD_ID).one(db).await?;
    let head_seq = head.map_or(0, |head| head.seq);
    Ok((highest > head_seq).then(|| {
        broken(
            head_seq + 1,
            format!("the event lies beyond the head (at {head_seq})"),
        )
    }))
}
