//! The Fluent resources compiled into the binary, parsed once per language on first use.

use std::collections::HashMap;
use std::sync::LazyLock;

use fluent_bundle::bundle::FluentBundle as Bundle;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::types::FluentNumber;
use fluent_bundle::{FluentArgs, FluentError, FluentResource, FluentValue};
use fluent_syntax::ast;
use unic_langid::LanguageIdentifier;

use super::format;
use crate::locale::Locale;

/// The `.ftl` source of each language, as shipped in `domain/locales/`.
pub(super) fn source(locale: Locale) -> &'static str {
    match locale {
        Locale::UzLatn => include_str!("../../locales/uz-Latn/main.ftl"),
        Locale::UzCyrl => include_str!("../../locales/uz-Cyrl/main.ftl"),
        Locale::Ru => include_str!("../../locales/ru/main.ftl"),
        Locale::En => include_str!("../../locales/en/main.ftl"),
    }
}

static UZ_LATN: LazyLock<Catalogue> = LazyLock::new(|| Catalogue::shipped(Locale::UzLatn));
static UZ_CYRL: LazyLock<Catalogue> = LazyLock::new(|| Catalogue::shipped(Locale::UzCyrl));
static RU: LazyLock<Catalogue> = LazyLock::new(|| Catalogue::shipped(Locale::Ru));
static EN: LazyLock<Catalogue> = LazyLock::new(|| Catalogue::shipped(Locale::En));

/// The shipped catalogue of `locale`.
pub(super) fn of(locale: Locale) -> &'static Catalogue {
    match locale {
        Locale::UzLatn => &UZ_LATN,
        Locale::UzCyrl => &UZ_CYRL,
        Locale::Ru => &RU,
        Locale::En => &EN,
    }
}

/// The texts of one language: the Fluent bundle, and the texts that take no arguments,
/// rendered once so that they can be lent out for the life of the program.
pub(super) struct Catalogue {
    locale: Locale,
    bundle: FluentBundle<FluentResource>,
    ids: Vec<String>,
    plain: HashMap<String, String>,
}

impl Catalogue {
    /// The catalogue built from the shipped resource. Problems in it are ignored here: the
    /// catalogue tests refuse any, and a broken entry must cost the user one text, not the app.
    fn shipped(locale: Locale) -> Self {
        Self::build(locale, source(locale)).0
    }

    /// Builds a catalogue from Fluent source, with the problems found on the way (syntax
    /// errors, repeated ids). The entries that parse are kept whatever else is wrong.
    pub(super) fn build(locale: Locale, source: &str) -> (Self, Vec<String>) {
        let (resource, mut problems) = match FluentResource::try_new(source.to_owned()) {
            Ok(resource) => (resource, Vec::new()),
            Err((resource, errors)) => {
                let problems = errors.iter().map(|e| format!("{locale}: {e}")).collect();
                (resource, problems)
            }
        };
        let ids = message_ids(&resource);
        let mut bundle = FluentBundle::new_concurrent(vec![language_id(locale)]);
        // Isolation marks (U+2068, U+2069) would end up in JSON bodies and logs.
        bundle.set_use_isolating(false);
        install_number_format(&mut bundle, locale);
        if let Err(errors) = bundle.add_resource(resource) {
            problems.extend(errors.iter().map(|e| describe(locale, e)));
        }
        let mut catalogue = Self {
            locale,
            bundle,
            ids,
            plain: HashMap::new(),
        };
        catalogue.plain = catalogue
            .ids()
            .filter_map(|id| Some((id.to_owned(), catalogue.format(id, None).ok()?)))
            .collect();
        (catalogue, problems)
    }

    /// The language of the catalogue.
    pub(super) fn locale(&self) -> Locale {
        self.locale
    }

    /// Whether the catalogue has a text under `id`.
    pub(super) fn has(&self, id: &str) -> bool {
        self.bundle
            .get_message(id)
            .is_some_and(|m| m.value().is_some())
    }

    /// The text under `id`, if it takes no arguments.
    pub(super) fn plain(&self, id: &str) -> Option<&str> {
        self.plain.get(id).map(String::as_str)
    }

    /// Renders the text under `id`. On errors (an argument the text names is missing, say)
    /// Fluent still renders the rest, and the errors come back with that best effort; a missing
    /// text comes back as its id.
    pub(super) fn format(
        &self,
        id: &str,
        args: Option<&FluentArgs<'_>>,
    ) -> Result<String, (String, Vec<String>)> {
        let Some(pattern) = self.bundle.get_message(id).and_then(|m| m.value()) else {
            return Err((
                id.to_owned(),
                vec![format!("{}: no text {id}", self.locale)],
            ));
        };
        let mut errors = Vec::new();
        let text = self.bundle.format_pattern(pattern, args, &mut errors);
        if errors.is_empty() {
            Ok(text.into_owned())
        } else {
            let problems = errors.iter().map(|e| describe(self.locale, e)).collect();
            Err((text.into_owned(), problems))
        }
    }

    /// The ids of every text in the catalogue, in the order of its source.
    pub(super) fn ids(&self) -> impl Iterator<Item = &str> {
        self.ids.iter().map(String::as_str)
    }
}

/// The ids of the messages (not the terms) of a resource.
fn message_ids(resource: &FluentResource) -> Vec<String> {
    resource
        .entries()
        .filter_map(|entry| match entry {
            ast::Entry::Message(message) => Some(message.id.name.to_owned()),
            _ => None,
        })
        .collect()
}

/// The language identifier Fluent chooses plural rules by. Every tag of [`Locale`] is
/// well-formed (a test checks it), so the fallback to the root language is never taken.
pub(super) fn language_id(locale: Locale) -> LanguageIdentifier {
    locale.tag().parse().unwrap_or_default()
}

fn describe(locale: Locale, error: &FluentError) -> String {
    format!("{locale}: {error}")
}

/// Makes Fluent print numbers through [`format::number`]. Fluent's formatter hook is a plain
/// function that is not told the language, hence one function per language.
fn install_number_format<M>(bundle: &mut Bundle<FluentResource, M>, locale: Locale) {
    let formatter: fn(&FluentValue<'_>, &M) -> Option<String> = match locale {
        Locale::UzLatn => |value, _| number(Locale::UzLatn, value),
        Locale::UzCyrl => |value, _| number(Locale::UzCyrl, value),
        Locale::Ru => |value, _| number(Locale::Ru, value),
        Locale::En => |value, _| number(Locale::En, value),
    };
    bundle.set_formatter(Some(formatter));
}

/// The text of a whole number argument; anything else is left to Fluent.
fn number(locale: Locale, value: &FluentValue<'_>) -> Option<String> {
    let FluentValue::Number(FluentNumber { value, options }) = value else {
        return None;
    };
    // Whole numbers within the exact range of f64 only; fractions keep Fluent's own form.
    let whole = value.fract() == 0.0 && value.abs() < 9_007_199_254_740_992.0;
    let plain = options.minimum_fraction_digits.unwrap_or(0) == 0 && options.use_grouping;
    (whole && plain).then(|| format::number(locale, *value as i64))
}
