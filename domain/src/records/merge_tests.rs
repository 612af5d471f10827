use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use super::*;
use crate::records::Section;

/// A small seeded generator (SplitMix64): every case replays from its seed.
struct Seeded(u64);

impl Seeded {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n as u64).unwrap()
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// The values each education field may take; `None` is an absent optional field.
fn choices(field: &str) -> Vec<Option<Value>> {
    let texts = |words: &[&str], optional: bool| {
        let mut all: Vec<Option<Value>> = words.iter().map(|w| Some(json!(w))).collect();
        if optional {
            all.push(None);
        }
        all
    };
    match field {
        "institution" => texts(&["TDIU", "TDYU", "Oʻzbekiston milliy universiteti"], false),
        "level" => texts(&["bachelor", "master", "phd"], false),
        "country" => texts(&["Rossiya", "Qozogʻiston"], true),
        "specialty" => texts(&["Iqtisodiyot", "Huquq", "Moliya"], true),
        "diploma_series" => texts(&["B", "M", "K"], true),
        "diploma_no" => texts(&["1234567", "7654321"], true),
        "start_year" => vec![
            Some(json!(2004)),
            Some(json!(2008)),
            Some(json!(2011)),
            None,
        ],
        "end_year" => vec![
            Some(json!(2009)),
            Some(json!(2012)),
            Some(json!(2015)),
            None,
        ],
        _ => vec![Some(json!(false)), Some(json!(true))],
    }
}

const FIELDS: &[&str] = &[
    "institution",
    "level",
    "country",
    "specialty",
    "diploma_series",
    "diploma_no",
    "start_year",
    "end_year",
    "honours",
];

fn data_of(map: &Map<String, Value>) -> Option<RecordData> {
    RecordData::parse(Section::Education, &Value::Object(map.clone())).ok()
}

fn random_item(rng: &mut Seeded) -> (Map<String, Value>, RecordData) {
    loop {
        let mut map = Map::new();
        for field in FIELDS {
            let options = choices(field);
            if let Some(value) = options[rng.below(options.len())].clone() {
                map.insert((*field).to_owned(), value);
            }
        }
        if let Some(data) = data_of(&map) {
            return (map, data);
        }
    }
}

/// `base` with a random set of fields given new values, still a valid item.
fn changed(rng: &mut Seeded, base: &Map<String, Value>) -> (Map<String, Value>, RecordData) {
    loop {
        let mut map = base.clone();
        for field in FIELDS {
            if rng.chance(30) {
                let options = choices(field);
                match options[rng.below(options.len())].clone() {
                    Some(value) => map.insert((*field).to_owned(), value),
                    None => map.remove(*field),
                };
            }
        }
        if let Some(data) = data_of(&map) {
            return (map, data);
        }
    }
}

fn fields(data: &RecordData) -> Map<String, Value> {
    match data.fields_json() {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

fn differing(a: &Map<String, Value>, b: &Map<String, Value>) -> BTreeSet<String> {
    FIELDS
        .iter()
        .filter(|f| a.get(**f) != b.get(**f))
        .map(|f| (*f).to_owned())
        .collect()
}

#[test]
fn a_rebase_carries_exactly_the_servants_changes_and_names_every_field_both_changed() {
    let mut merged_cleanly = 0;
    let mut with_conflicts = 0;
    for seed in 0..5_000u64 {
        let mut rng = Seeded(seed);
        let (_, base) = random_item(&mut rng);
        let base_map = fields(&base);
        let (_, proposed) = changed(&mut rng, &base_map);
        let (_, current) = changed(&mut rng, &base_map);
        let (b, p, c) = (base_map, fields(&proposed), fields(&current));
        let by_servant = differing(&b, &p);
        let by_hr = differing(&b, &c);
        let rebased = rebase(&base, &proposed, &current);
        let out = fields(&rebased.proposed);
        let conflicts: BTreeSet<String> = rebased.conflicts.iter().cloned().collect();

        for field in &by_servant {
            assert_eq!(out.get(field), p.get(field), "seed {seed}: {field}");
        }
        for field in by_hr.difference(&by_servant) {
            assert!(
                out.get(field) == c.get(field) || conflicts.contains(field),
                "seed {seed}: HR's {field} reverted without a conflict"
            );
        }
        for field in FIELDS.iter().filter(|f| !by_servant.contains(**f)) {
            if !by_hr.contains(*field) {
                assert_eq!(out.get(*field), b.get(*field), "seed {seed}: {field}");
            }
        }
        let both: BTreeSet<String> = by_servant
            .intersection(&by_hr)
            .filter(|f| p.get(*f) != c.get(*f))
            .cloned()
            .collect();
        assert!(
            both.is_subset(&conflicts),
            "seed {seed}: {both:?} {conflicts:?}"
        );
        let merged: Map<String, Value> = FIELDS
            .iter()
            .filter_map(|f| {
                let from = if by_servant.contains(*f) { &p } else { &c };
                from.get(*f).map(|v| ((*f).to_owned(), v.clone()))
            })
            .collect();
        if data_of(&merged).is_some() {
            merged_cleanly += 1;
            assert_eq!(out, merged, "seed {seed}");
            assert_eq!(conflicts, both, "seed {seed}: only fields both changed");
        } else {
            assert_eq!(rebased.proposed, proposed, "seed {seed}: kept whole");
        }
        if !conflicts.is_empty() {
            with_conflicts += 1;
        }
    }
    assert!(merged_cleanly > 3_000, "{merged_cleanly}");
    assert!(with_conflicts > 500, "{with_conflicts}");
}

#[test]
fn a_rebase_onto_an_unchanged_item_is_the_proposal_itself() {
    for seed in 0..1_000u64 {
        let mut rng = Seeded(seed);
        let (base_map, base) = random_item(&mut rng);
        let (_, proposed) = changed(&mut rng, &base_map);
        let rebased = rebase(&base, &proposed, &base);
        assert_eq!(rebased.proposed, proposed, "seed {seed}");
        assert!(rebased.conflicts.is_empty(), "seed {seed}");
        let again = rebase(&base, &rebased.proposed, &base);
        assert_eq!(
            again, rebased,
            "seed {seed}: a second rebase changes nothing"
        );
    }
}

#[test]
fn hr_changes_one_field_the_servant_another_and_both_survive() {
    let base = RecordData::parse(
        Section::Education,
        &json!({"institution": "TDIU", "level": "bachelor", "start_year": 2008, "end_year": 2012}),
    )
    .unwrap();
    let by_hr = RecordData::parse(
        Section::Education,
        &json!({"institution": "TDIU", "level": "master", "start_year": 2008, "end_year": 2012}),
    )
    .unwrap();
    let by_servant = RecordData::parse(
        Section::Education,
        &json!({"institution": "TDIU (kechki)", "level": "bachelor", "start_year": 2008, "end_year": 2012}),
    )
    .unwrap();
    let rebased = rebase(&base, &by_servant, &by_hr);
    let out = fields(&rebased.proposed);
    assert_eq!(
        (out["institution"].as_str(), out["level"].as_str()),
        (Some("TDIU (kechki)"), Some("master"))
    );
    assert!(rebased.conflicts.is_empty());
    assert!(conflicting_fields(&base, &by_servant, &by_hr) == vec!["level".to_owned()]);
}
