//! Texts shown to people, in the four languages, from the Project Fluent resources in
//! `domain/locales/<tag>/main.ftl`. The server and the phone render them with this same code.
//!
//! A text is named by a [`Message`]: its id and the arguments the code passes. Rendering never
//! fails: a text missing in the user's language is shown in English, and one missing in
//! English too shows its id. Dates and numbers are formatted by [`format`] before Fluent sees
//! them, so a translator only places them in the sentence.

mod catalogue;
pub mod format;
#[cfg(test)]
mod tests;

use std::borrow::Cow;

use chrono::NaiveDate;
use fluent_bundle::{FluentArgs, FluentValue};

use crate::locale::Locale;
use catalogue::Catalogue;

/// The language a text falls back to when the user's language lacks it.
const FALLBACK: Locale = Locale::En;

/// A text of the catalogue with the arguments it needs, not yet in any language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    id: Cow<'static, str>,
    args: Vec<(&'static str, Arg)>,
}

/// A value a text places in its sentence, formatted for the text's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    /// Shown as given: a name, a code, a number that is not a quantity.
    Verbatim(String),
    /// A quantity: grouped by thousands, and it chooses the plural form.
    Number(i64),
    /// A full date, year included ([`format::date`]).
    Date(NaiveDate),
    /// A day and month without the year ([`format::day_month`]).
    DayMonth(NaiveDate),
    /// Another text of the catalogue, rendered in the same language.
    Text(Box<Message>),
}

impl From<Message> for Arg {
    fn from(message: Message) -> Self {
        Arg::Text(Box::new(message))
    }
}

impl Message {
    /// The text with this id, taking no arguments so far.
    pub fn new(id: impl Into<Cow<'static, str>>) -> Self {
        Self {
            id: id.into(),
            args: Vec::new(),
        }
    }

    /// Adds the argument the text calls `$name`.
    #[must_use]
    pub fn with(mut self, name: &'static str, value: impl Into<Arg>) -> Self {
        self.args.push((name, value.into()));
        self
    }

    /// The id of the text in the `.ftl` files.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The text in `locale`, in English if `locale` lacks it, or its id if English does too.
    pub fn render(&self, locale: Locale) -> String {
        self.render_in(&[catalogue::of(locale), catalogue::of(FALLBACK)])
    }

    /// Renders with the first catalogue of `chain` that has the text.
    fn render_in(&self, chain: &[&Catalogue]) -> String {
        let Some(at) = chain.iter().position(|c| c.has(&self.id)) else {
            return self.id.clone().into_owned();
        };
        match self.format(&chain[at..]) {
            Ok(text) | Err((text, _)) => text,
        }
    }

    /// Renders with the first catalogue of `chain`, reporting every problem Fluent met.
    fn format(&self, chain: &[&Catalogue]) -> Result<String, (String, Vec<String>)> {
        let Some(catalogue) = chain.first() else {
            return Err((self.id.clone().into_owned(), vec!["no catalogue".into()]));
        };
        let locale = catalogue.locale();
        let mut args = FluentArgs::with_capacity(self.args.len());
        for (name, arg) in &self.args {
            args.set(*name, arg.value(locale, chain));
        }
        catalogue.format(&self.id, Some(&args))
    }
}

impl Arg {
    fn value(&self, locale: Locale, chain: &[&Catalogue]) -> FluentValue<'_> {
        match self {
            Arg::Verbatim(text) => FluentValue::from(text.as_str()),
            Arg::Number(n) => FluentValue::from(*n),
            Arg::Date(date) => FluentValue::from(format::date(locale, *date)),
            Arg::DayMonth(date) => FluentValue::from(format::day_month(locale, *date)),
            Arg::Text(message) => FluentValue::from(message.render_in(chain)),
        }
    }
}

/// The text under `id` that takes no arguments, in `locale` or else in English. It is
/// rendered once per run, so it can be lent out as `&'static str`.
pub fn plain(locale: Locale, id: &str) -> Option<&'static str> {
    catalogue::of(locale)
        .plain(id)
        .or_else(|| catalogue::of(FALLBACK).plain(id))
}
