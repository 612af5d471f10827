//! Carrying a servant's proposal onto an item that HR changed since the servant saw it.
//!
//! A proposal is the servant's whole copy of the item; only the fields in which it differs
//! from the version the servant saw (the base) are what they ask for. A rebase takes the item
//! as it is now and sets those fields alone, so HR's own changes to other fields stay. A field
//! that both the servant and HR changed, to different values, is a conflict: the proposal keeps
//! the servant's value, and the field is named so that the reviewer decides it knowingly.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::RecordData;

/// A proposal carried onto the current version of its item.
#[derive(Debug, Clone, PartialEq)]
pub struct Rebased {
    /// What the request now proposes: the current item with the servant's changes.
    pub proposed: RecordData,
    /// Fields where the proposal overrides a change HR made since the base, by name.
    pub conflicts: Vec<String>,
}

fn fields_of(data: &RecordData) -> Map<String, Value> {
    match data.fields_json() {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// Field names of all three versions, in order.
fn names(all: [&Map<String, Value>; 3]) -> BTreeSet<&String> {
    all.into_iter().flat_map(Map::keys).collect()
}

/// Fields that HR changed since `base` and in which `proposed` says something else than the
/// item as it is now (`current`): what approving `proposed` would undo of HR's work.
pub fn conflicting_fields(
    base: &RecordData,
    proposed: &RecordData,
    current: &RecordData,
) -> Vec<String> {
    let (base, proposed, current) = (fields_of(base), fields_of(proposed), fields_of(current));
    names([&base, &proposed, &current])
        .into_iter()
        .filter(|name| {
            let hr_changed = current.get(*name) != base.get(*name);
            hr_changed && proposed.get(*name) != current.get(*name)
        })
        .cloned()
        .collect()
}

/// Carries the servant's changes (from `base` to `proposed`) onto `current`.
///
/// When the merged item breaks a rule between fields (say HR moved the start year past the
/// servant's new end year), the servant's copy is kept whole and every field in which it would
/// undo HR's change is named a conflict: nothing is reverted silently either way.
pub fn rebase(base: &RecordData, proposed: &RecordData, current: &RecordData) -> Rebased {
    let (b, p, c) = (fields_of(base), fields_of(proposed), fields_of(current));
    let mut merged = Map::new();
    for name in names([&b, &p, &c]) {
        let servant_changed = p.get(name) != b.get(name);
        let value = if servant_changed {
            p.get(name)
        } else {
            c.get(name)
        };
        if let Some(value) = value {
            merged.insert(name.clone(), value.clone());
        }
    }
    match RecordData::parse(current.section(), &Value::Object(merged)) {
        Ok(merged) if current.section() == proposed.section() => Rebased {
            conflicts: conflicting_fields(base, &merged, current),
            proposed: merged,
        },
        _ => Rebased {
            conflicts: conflicting_fields(base, proposed, current),
            proposed: proposed.clone(),
        },
    }
}

#[cfg(test)]
#[path = "merge_tests.rs"]
mod tests;
