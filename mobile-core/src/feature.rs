//! Features plug into the sync engine through [`Feature`]; the engine asks the [`Registry`] and
//! never names a feature.
//!
//! A feature is a folder of the core (its intents, overlay and views) that owns one intent
//! namespace (`contact` for `contact.update`). The composition root in `api.rs` lists the
//! features once; everything the engine needs to know about an intent it learns from the
//! feature owning the intent's namespace.
//!
//! Adding a feature (`contact/` is the smallest one to copy):
//! 1. a folder with its intent builders (queued through `store::outbox::insert`, aggregates
//!    written with the domain's address type), its overlay (replaying the rows
//!    `sync::overlay::shows` keeps) and its views, with an `api.rs` exporting its calls on
//!    `XodimCore`;
//! 2. a unit struct implementing [`Feature`] with the domain's namespace constant;
//! 3. one entry in `features()` in `api.rs`, and the `mod` line in `lib.rs`;
//! 4. in the tests, a `fake_<feature>.rs` that seeds what the server publishes and scripts its
//!    answers through `State::answer`.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;
use xodim_domain::sync::namespace_of;

use crate::error::{Error, Result};

/// What the sync engine asks of a feature about the intents of its namespace.
pub(crate) trait Feature: Send + Sync {
    /// The intent namespace it owns: every intent type it makes is `<namespace>.<verb>`.
    fn namespace(&self) -> &'static str;

    /// The entity kinds whose screens show the state of this feature's intents; the app's
    /// listener is told them whenever one of its intents is sent or decided.
    fn shown_in(&self) -> &'static [&'static str];

    /// The content hashes of the evidence files an intent of this namespace names, given its
    /// arguments: the sync uploads them before the intent. None by default.
    fn files_named(&self, _args: &Value) -> Vec<String> {
        Vec::new()
    }
}

/// The features of the core by namespace, built once when the core opens.
pub(crate) struct Registry {
    features: BTreeMap<&'static str, &'static dyn Feature>,
}

impl Registry {
    /// The registry of `features`; two features claiming one namespace are refused, since
    /// intents could then not be routed.
    pub fn new(features: impl IntoIterator<Item = &'static dyn Feature>) -> Result<Registry> {
        let mut by_namespace = BTreeMap::new();
        for feature in features {
            let namespace = feature.namespace();
            if by_namespace.insert(namespace, feature).is_some() {
                return Err(Error::Composition(format!(
                    "two features own the intent namespace {namespace:?}"
                )));
            }
        }
        Ok(Registry {
            features: by_namespace,
        })
    }

    /// The feature owning an intent type, if one does: an intent left by an older version of
    /// the app may belong to none.
    pub fn owner(&self, kind: &str) -> Option<&'static dyn Feature> {
        self.features.get(namespace_of(kind)).copied()
    }

    /// The kinds whose screens show the state of intents of these types, with `intent` (the
    /// list of queued intents) always among them.
    pub fn shown_in<'a>(&self, kinds: impl IntoIterator<Item = &'a str>) -> BTreeSet<&'static str> {
        let mut shown = BTreeSet::from(["intent"]);
        for feature in kinds.into_iter().filter_map(|kind| self.owner(kind)) {
            shown.extend(feature.shown_in());
        }
        shown
    }

    /// The evidence files an intent names.
    pub fn files_named(&self, kind: &str, args: &Value) -> Vec<String> {
        self.owner(kind)
            .map(|feature| feature.files_named(args))
            .unwrap_or_default()
    }
}

/// Features made up for the engine's own tests.
#[cfg(test)]
pub(crate) mod testing {
    use super::*;

    /// A feature of namespace `note` shown on `note` screens whose intents name the files in
    /// their `files` argument.
    pub(crate) struct Notes;

    impl Feature for Notes {
        fn namespace(&self) -> &'static str {
            "note"
        }

        fn shown_in(&self) -> &'static [&'static str] {
            &["note"]
        }

        fn files_named(&self, args: &Value) -> Vec<String> {
            args["files"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        }
    }

    /// A registry of [`Notes`] alone.
    pub(crate) fn notes() -> Registry {
        Registry::new([&Notes as &dyn Feature]).unwrap()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::testing::{Notes, notes};
    use super::*;

    struct Tasks;

    impl Feature for Tasks {
        fn namespace(&self) -> &'static str {
            "task"
        }

        fn shown_in(&self) -> &'static [&'static str] {
            &["task", "calendar"]
        }
    }

    #[test]
    fn two_features_owning_one_namespace_are_refused() {
        let err = Registry::new([&Notes as &dyn Feature, &Tasks, &Notes]).err();
        assert!(
            matches!(&err, Some(Error::Composition(reason)) if reason.contains("\"note\"")),
            "{err:?}"
        );
    }

    #[test]
    fn an_intent_is_routed_to_the_feature_owning_its_namespace() {
        let registry = Registry::new([&Notes as &dyn Feature, &Tasks]).unwrap();
        assert_eq!(
            registry.owner("task.close").map(|f| f.namespace()),
            Some("task")
        );
        assert!(registry.owner("tasks.close").is_none());
        assert!(registry.owner("stray").is_none());
    }

    #[test]
    fn the_screens_of_every_owning_feature_and_the_intent_list_are_told() {
        let registry = Registry::new([&Notes as &dyn Feature, &Tasks]).unwrap();
        let shown = registry.shown_in(["task.close", "task.open", "unknown.verb"]);
        assert_eq!(
            shown.into_iter().collect::<Vec<_>>(),
            ["calendar", "intent", "task"]
        );
        assert_eq!(
            registry.shown_in([]).into_iter().collect::<Vec<_>>(),
            ["intent"]
        );
    }

    #[test]
    fn only_the_owning_feature_says_which_files_an_intent_names() {
        let registry = notes();
        let args = json!({ "files": ["a", "b"] });
        assert_eq!(registry.files_named("note.add", &args), ["a", "b"]);
        assert!(registry.files_named("task.add", &args).is_empty());
    }
}
