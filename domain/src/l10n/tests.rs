use std::collections::BTreeSet;

use chrono::NaiveDate;
use intl_pluralrules::{PluralRuleType, PluralRules};
use unic_langid::LanguageIdentifier;

use super::catalogue::{self, Catalogue};
use super::*;
use crate::error::ErrorCode;
use crate::notify::NotificationKind;
use crate::records::{RequestState, Section};

/// Every text the code shows, each with the arguments the code passes to it.
fn every_message_the_code_shows() -> Vec<Message> {
    let mut messages: Vec<Message> = ErrorCode::ALL.iter().map(|c| c.text()).collect();
    messages.extend(Section::ALL.iter().map(|s| s.label_text()));
    messages.extend(RequestState::ALL.iter().map(|s| s.label_text()));
    for &state in RequestState::ALL {
        messages.extend(Section::ALL.iter().map(|&s| state.notice_text(s)));
    }
    for &kind in NotificationKind::ALL {
        messages.extend([kind.alert_title(), kind.alert_body()]);
    }
    messages
}

/// A catalogue built from test-only Fluent source, which must be free of problems.
fn test_catalogue(locale: Locale, source: &str) -> Catalogue {
    let (catalogue, problems) = Catalogue::build(locale, source);
    assert_eq!(problems, Vec::<String>::new());
    catalogue
}

fn render(catalogue: &Catalogue, message: &Message) -> String {
    match message.format(&[catalogue]) {
        Ok(text) => text,
        Err((text, problems)) => panic!("{text:?}: {problems:?}"),
    }
}

#[test]
fn every_shipped_resource_parses_without_problems() {
    for locale in Locale::ALL {
        let (_, problems) = Catalogue::build(locale, catalogue::source(locale));
        assert_eq!(problems, Vec::<String>::new(), "{locale}");
    }
}

#[test]
fn a_syntax_error_or_a_repeated_id_in_a_resource_is_reported() {
    let (_, broken) = Catalogue::build(Locale::En, "good = Fine\nbroken = { $count\n");
    assert_eq!(broken.len(), 1, "{broken:?}");
    let (_, repeated) = Catalogue::build(Locale::En, "twice = One\ntwice = Two\n");
    assert_eq!(repeated.len(), 1, "{repeated:?}");
}

#[test]
fn the_entries_that_parse_survive_a_syntax_error_elsewhere_in_the_file() {
    let (catalogue, _) = Catalogue::build(Locale::En, "good = Fine\nbroken = { $count\n");
    assert_eq!(catalogue.plain("good"), Some("Fine"));
}

#[test]
fn every_message_the_code_shows_exists_in_all_four_languages() {
    for message in every_message_the_code_shows() {
        for locale in Locale::ALL {
            assert!(
                catalogue::of(locale).has(message.id()),
                "{locale} lacks {}",
                message.id()
            );
        }
    }
}

#[test]
fn every_language_holds_only_the_messages_the_code_shows() {
    let shown: BTreeSet<String> = every_message_the_code_shows()
        .iter()
        .map(|m| m.id().to_owned())
        .collect();
    for locale in Locale::ALL {
        let held: BTreeSet<String> = catalogue::of(locale).ids().map(str::to_owned).collect();
        let unused: Vec<_> = held.difference(&shown).collect();
        assert_eq!(
            unused,
            Vec::<&String>::new(),
            "{locale} has texts nothing shows"
        );
    }
}

#[test]
fn every_message_renders_without_errors_with_the_arguments_the_code_passes() {
    for message in every_message_the_code_shows() {
        for locale in Locale::ALL {
            let result = message.format(&[catalogue::of(locale)]);
            assert!(result.is_ok(), "{locale} {}: {result:?}", message.id());
        }
    }
}

#[test]
fn a_text_naming_an_argument_the_code_does_not_pass_is_reported() {
    let catalogue = test_catalogue(Locale::En, "greeting = Hello, { $name }!\n");
    let message = Message::new("greeting").with("nmae", Arg::Verbatim("Aziz".into()));
    let Err((shown, problems)) = message.format(&[&catalogue]) else {
        panic!("a missing argument went unnoticed");
    };
    assert_eq!(shown, "Hello, {$name}!");
    assert_eq!(problems.len(), 1, "{problems:?}");
}

#[test]
fn every_error_code_renders_its_own_text_in_every_language() {
    for locale in Locale::ALL {
        let texts: BTreeSet<_> = ErrorCode::ALL.iter().map(|c| c.message(locale)).collect();
        assert_eq!(texts.len(), ErrorCode::ALL.len(), "{locale}");
    }
}

#[test]
fn a_text_missing_in_the_users_language_is_shown_in_english() {
    let russian = test_catalogue(Locale::Ru, "other = Другое\n");
    let english = test_catalogue(Locale::En, "notice = Your leave starts on { $day }\n");
    let march_5 = NaiveDate::from_ymd_opt(2026, 3, 5).unwrap();
    let message = Message::new("notice").with("day", Arg::DayMonth(march_5));
    assert_eq!(
        message.render_in(&[&russian, &english]),
        "Your leave starts on 5 March"
    );
}

#[test]
fn a_text_missing_in_every_language_shows_its_id() {
    let english = test_catalogue(Locale::En, "other = Other\n");
    let message = Message::new("error-something_new");
    assert_eq!(message.render_in(&[&english]), "error-something_new");
}

#[test]
fn a_text_that_needs_arguments_is_never_lent_out_as_plain() {
    let catalogue = test_catalogue(Locale::En, "bye = Goodbye\ngreet = Hello, { $name }\n");
    assert_eq!(catalogue.plain("bye"), Some("Goodbye"));
    assert_eq!(catalogue.plain("greet"), None);
}

const LESSONS_RU: &str = "\
lessons-left = { $count ->
        [one] Остался { $count } урок
        [few] Осталось { $count } урока
        [many] Осталось { $count } уроков
       *[other] Осталось { $count } урока
    }
";

fn lessons_left(catalogue: &Catalogue, count: i64) -> String {
    render(
        catalogue,
        &Message::new("lessons-left").with("count", Arg::Number(count)),
    )
}

#[test]
fn russian_chooses_among_one_few_and_many_by_the_last_digits() {
    let ru = test_catalogue(Locale::Ru, LESSONS_RU);
    assert_eq!(lessons_left(&ru, 1), "Остался 1 урок");
    assert_eq!(lessons_left(&ru, 3), "Осталось 3 урока");
    assert_eq!(lessons_left(&ru, 5), "Осталось 5 уроков");
    assert_eq!(lessons_left(&ru, 11), "Осталось 11 уроков");
    assert_eq!(lessons_left(&ru, 21), "Остался 21 урок");
    assert_eq!(lessons_left(&ru, 22), "Осталось 22 урока");
}

#[test]
fn uzbek_and_english_choose_between_one_and_other() {
    let source =
        "lessons-left = { $count ->\n  [one] one:{ $count }\n *[other] other:{ $count }\n}\n";
    for locale in [Locale::UzLatn, Locale::UzCyrl, Locale::En] {
        let catalogue = test_catalogue(locale, source);
        assert_eq!(lessons_left(&catalogue, 1), "one:1", "{locale}");
        assert_eq!(lessons_left(&catalogue, 2), "other:2", "{locale}");
        assert_eq!(lessons_left(&catalogue, 21), "other:21", "{locale}");
    }
}

#[test]
fn fluent_has_plural_rules_of_its_own_for_uzbek_russian_and_english() {
    // Fluent silently uses the English rules for a language it has none for.
    let known = PluralRules::get_locales(PluralRuleType::CARDINAL);
    for locale in Locale::ALL {
        // Fluent looks the rules up by language alone: `uz-Cyrl` reads the rules of `uz`.
        let language = catalogue::language_id(locale).language;
        let bare = LanguageIdentifier::from_parts(language, None, None, &[]);
        assert!(known.contains(&bare), "{locale}");
        assert!(PluralRules::create(bare, PluralRuleType::CARDINAL).is_ok());
    }
}

#[test]
fn every_locale_tag_is_a_well_formed_language_identifier() {
    for locale in Locale::ALL {
        assert_eq!(catalogue::language_id(locale).to_string(), locale.tag());
    }
}

#[test]
fn a_quantity_in_a_text_is_grouped_as_the_language_writes_it() {
    let ru = test_catalogue(Locale::Ru, LESSONS_RU);
    assert_eq!(lessons_left(&ru, 1_000), "Осталось 1\u{a0}000 уроков");
    let en = test_catalogue(Locale::En, "lessons-left = { $count } lessons left\n");
    assert_eq!(lessons_left(&en, 12_500), "12,500 lessons left");
}

#[test]
fn a_date_in_a_text_is_written_as_the_language_writes_it() {
    let cases = [
        (
            Locale::UzLatn,
            "confirm-by = { $date } gacha tasdiqlang\n",
            "5-mart, 2026 gacha tasdiqlang",
        ),
        (
            Locale::Ru,
            "confirm-by = Подтвердите до { $date }\n",
            "Подтвердите до 5 марта 2026 г.",
        ),
        (
            Locale::En,
            "confirm-by = Confirm by { $date }\n",
            "Confirm by 5 March 2026",
        ),
    ];
    let march_5 = NaiveDate::from_ymd_opt(2026, 3, 5).unwrap();
    let message = Message::new("confirm-by").with("date", Arg::Date(march_5));
    for (locale, source, expected) in cases {
        assert_eq!(render(&test_catalogue(locale, source), &message), expected);
    }
}

#[test]
fn texts_carry_no_unicode_isolation_marks_around_arguments() {
    for message in every_message_the_code_shows() {
        for locale in Locale::ALL {
            let text = message.render(locale);
            assert!(
                !text.contains(['\u{2068}', '\u{2069}']),
                "{locale}: {text:?}"
            );
        }
    }
}

#[test]
fn an_argument_that_is_a_text_is_rendered_in_the_same_language() {
    let line = RequestState::InReview.notice(Section::Relative, Locale::UzCyrl);
    assert_eq!(
        line,
        "Тузатиш сўровингиз (Яқин қариндошлари): Кўриб чиқилмоқда"
    );
}

#[test]
fn uzbek_texts_use_the_letters_of_their_own_script_for_apostrophes() {
    for message in every_message_the_code_shows() {
        let latin = message.render(Locale::UzLatn);
        assert!(!latin.contains(['\'', '`', '‘', '’']), "{latin}");
        let cyrillic = message.render(Locale::UzCyrl);
        assert!(!cyrillic.contains(['ʻ', 'ʼ', '\'']), "{cyrillic}");
    }
}
