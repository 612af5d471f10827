//! Materialised paths of org units, which turn "is this unit inside that
//! subtree?" into a string prefix test that a database index can answer.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::{DomainError, ErrorCode};
use crate::ids::UnitId;

/// The chain of units from the root of an organisation down to one unit,
/// written `/<root-uuid>/…/<unit-uuid>/` with lower-case hyphenated UUIDs.
/// The trailing slash makes a prefix match stop at whole segments.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct UnitPath(String);

impl UnitPath {
    /// The path of a top-level unit.
    pub fn root(unit: UnitId) -> UnitPath {
        UnitPath(format!("/{}/", unit.as_uuid().hyphenated()))
    }

    /// The path of a unit placed directly under this one.
    pub fn child(&self, unit: UnitId) -> UnitPath {
        UnitPath(format!("{}{}/", self.0, unit.as_uuid().hyphenated()))
    }

    /// Reads a stored or transmitted path, refusing anything that is not a
    /// non-empty chain of distinct UUIDs; the result is in canonical form.
    pub fn parse(s: &str) -> Result<UnitPath, DomainError> {
        let fail =
            |why: &str| DomainError::new(ErrorCode::InvalidField, format!("unit path {s:?} {why}"));
        let inner = s
            .strip_prefix('/')
            .and_then(|rest| rest.strip_suffix('/'))
            .filter(|inner| !inner.is_empty())
            .ok_or_else(|| fail("must have the form /<uuid>/…/<uuid>/"))?;
        let mut ids: Vec<Uuid> = Vec::new();
        for segment in inner.split('/') {
            let id = parse_segment(segment)
                .ok_or_else(|| fail("has a segment that is not a hyphenated UUID"))?;
            if ids.contains(&id) {
                return Err(fail("repeats a unit, which would be a cycle"));
            }
            ids.push(id);
        }
        let canonical: String = ids
            .iter()
            .map(|id| format!("/{}", id.hyphenated()))
            .collect();
        Ok(UnitPath(canonical + "/"))
    }

    /// The path text, suitable for storage and `LIKE 'prefix%'` queries.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The unit this path leads to (its last segment).
    pub fn unit_id(&self) -> UnitId {
        self.units()
            .last()
            .copied()
            .unwrap_or(UnitId::from_uuid(Uuid::nil()))
    }

    /// Whether `other` is this unit or lies anywhere below it.
    pub fn contains(&self, other: &UnitPath) -> bool {
        other.0.starts_with(&self.0)
    }

    /// The number of units on the path; a top-level unit has depth 1.
    pub fn depth(&self) -> usize {
        self.0.matches('/').count().saturating_sub(1)
    }

    /// The units above this one, from the root down, excluding the unit itself.
    pub fn ancestors(&self) -> Vec<UnitId> {
        let mut units = self.units();
        units.pop();
        units
    }

    /// Every unit on the path, from the root down to and including this one.
    pub fn units(&self) -> Vec<UnitId> {
        self.0
            .split('/')
            .filter_map(parse_segment)
            .map(UnitId::from_uuid)
            .collect()
    }

    /// The path of the unit directly above, or `None` for a top-level unit.
    pub fn parent(&self) -> Option<UnitPath> {
        let trimmed = self.0.strip_suffix('/')?;
        let cut = trimmed.rfind('/')?;
        (cut > 0).then(|| UnitPath(self.0[..=cut].to_owned()))
    }
}

fn parse_segment(segment: &str) -> Option<Uuid> {
    (segment.len() == 36)
        .then(|| Uuid::parse_str(segment).ok())
        .flatten()
}

impl fmt::Display for UnitPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for UnitPath {
    type Err = DomainError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        UnitPath::parse(s)
    }
}

impl TryFrom<String> for UnitPath {
    type Error = DomainError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        UnitPath::parse(&s)
    }
}

impl From<UnitPath> for String {
    fn from(path: UnitPath) -> String {
        path.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(n: u128) -> UnitId {
        UnitId::from_uuid(Uuid::from_u128(n))
    }

    #[test]
    fn a_child_path_extends_its_parent_by_one_segment() {
        let root = UnitPath::root(unit(1));
        let child = root.child(unit(2));
        assert_eq!(
            child.as_str(),
            "/00000000-0000-0000-0000-000000000001/00000000-0000-0000-0000-000000000002/"
        );
        assert_eq!(child.unit_id(), unit(2));
        assert_eq!(child.depth(), 2);
        assert_eq!(root.depth(), 1);
        assert_eq!(child.parent(), Some(root.clone()));
        assert_eq!(root.parent(), None);
    }

    #[test]
    fn a_path_contains_itself_and_its_descendants_only() {
        let root = UnitPath::root(unit(1));
        let a = root.child(unit(2));
        let a_deep = a.child(unit(3));
        let b = root.child(unit(4));
        assert!(a.contains(&a));
        assert!(a.contains(&a_deep));
        assert!(root.contains(&b));
        assert!(!a.contains(&b));
        assert!(!a_deep.contains(&a));
    }

    #[test]
    fn ancestors_run_from_the_root_and_exclude_the_unit() {
        let path = UnitPath::root(unit(1)).child(unit(2)).child(unit(3));
        assert_eq!(path.ancestors(), vec![unit(1), unit(2)]);
        assert_eq!(path.units(), vec![unit(1), unit(2), unit(3)]);
        assert!(UnitPath::root(unit(1)).ancestors().is_empty());
    }

    #[test]
    fn parsing_canonicalises_upper_case_uuids() {
        let text = "/00000000-0000-0000-0000-00000000000A/";
        assert_eq!(UnitPath::parse(text).unwrap(), UnitPath::root(unit(10)));
    }

    #[test]
    fn a_path_round_trips_through_its_text() {
        let path = UnitPath::root(unit(1)).child(unit(2));
        assert_eq!(path.to_string().parse::<UnitPath>(), Ok(path));
    }

    #[test]
    fn malformed_paths_are_refused() {
        let id = "00000000-0000-0000-0000-000000000001";
        for bad in [
            "",
            "/",
            "//",
            id,
            &format!("/{id}"),
            &format!("/{id}//"),
            "/not-a-uuid/",
        ] {
            assert_eq!(
                UnitPath::parse(bad).unwrap_err().code,
                ErrorCode::InvalidField,
                "{bad}"
            );
        }
    }

    #[test]
    fn a_path_visiting_a_unit_twice_is_refused() {
        let id = "00000000-0000-0000-0000-000000000001";
        assert_eq!(
            UnitPath::parse(&format!("/{id}/{id}/")).unwrap_err().code,
            ErrorCode::InvalidField
        );
    }
}
