//! Dates and numbers as each language writes them. Texts receive these already formatted, so
//! every screen and every server reply spells "5 March" and "1,250" the same way.
//!
//! The patterns follow the Unicode CLDR data for each language: grouping separators
//! (a no-break space in Uzbek and Russian), month names (the genitive in Russian) and the
//! Uzbek hyphen that makes the day an ordinal ("5-mart").

use chrono::{Datelike, NaiveDate};

use crate::locale::Locale;

const UZ_LATN_MONTHS: [&str; 12] = [
    "yanvar", "fevral", "mart", "aprel", "may", "iyun", "iyul", "avgust", "sentabr", "oktabr",
    "noyabr", "dekabr",
];
const UZ_CYRL_MONTHS: [&str; 12] = [
    "январ",
    "феврал",
    "март",
    "апрел",
    "май",
    "июн",
    "июл",
    "август",
    "сентябр",
    "октябр",
    "ноябр",
    "декабр",
];
/// Russian names a month after a day in the genitive case: "5 марта", not "5 март".
const RU_MONTHS: [&str; 12] = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
];
const EN_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn month_name(locale: Locale, date: NaiveDate) -> &'static str {
    let names = match locale {
        Locale::UzLatn => &UZ_LATN_MONTHS,
        Locale::UzCyrl => &UZ_CYRL_MONTHS,
        Locale::Ru => &RU_MONTHS,
        Locale::En => &EN_MONTHS,
    };
    // `month0` is 0..=11 for every valid date, so the lookup cannot miss.
    names
        .get(date.month0() as usize)
        .copied()
        .unwrap_or_default()
}

/// A day of the year without the year, as in "confirm by 5 March": `5-mart`, `5 март`,
/// `5 марта`, `5 March`.
pub fn day_month(locale: Locale, date: NaiveDate) -> String {
    let (day, month) = (date.day(), month_name(locale, date));
    match locale {
        Locale::UzLatn => format!("{day}-{month}"),
        Locale::UzCyrl | Locale::Ru | Locale::En => format!("{day} {month}"),
    }
}

/// A full date: `5-mart, 2026`, `5 март, 2026`, `5 марта 2026 г.`, `5 March 2026`.
pub fn date(locale: Locale, date: NaiveDate) -> String {
    let (day_month, year) = (day_month(locale, date), date.year());
    match locale {
        Locale::UzLatn | Locale::UzCyrl => format!("{day_month}, {year}"),
        Locale::Ru => format!("{day_month} {year} г."),
        Locale::En => format!("{day_month} {year}"),
    }
}

/// The separator between groups of three digits.
fn group_separator(locale: Locale) -> char {
    match locale {
        // A no-break space, so that a number is never split across lines.
        Locale::UzLatn | Locale::UzCyrl | Locale::Ru => '\u{a0}',
        Locale::En => ',',
    }
}

/// A whole number with the language's digit grouping: `1 250 000` (with no-break spaces) in
/// Uzbek and Russian, `1,250,000` in English.
pub fn number(locale: Locale, n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let separator = group_separator(locale);
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn march_5() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 5).unwrap()
    }

    #[test]
    fn a_day_and_month_read_as_each_language_writes_them() {
        let texts: Vec<_> = Locale::ALL.map(|l| day_month(l, march_5())).into();
        assert_eq!(texts, ["5-mart", "5 март", "5 марта", "5 March"]);
    }

    #[test]
    fn a_full_date_carries_the_year_in_each_languages_pattern() {
        let texts: Vec<_> = Locale::ALL.map(|l| date(l, march_5())).into();
        assert_eq!(
            texts,
            [
                "5-mart, 2026",
                "5 март, 2026",
                "5 марта 2026 г.",
                "5 March 2026"
            ]
        );
    }

    #[test]
    fn every_month_has_a_name_in_every_language() {
        for month in 1..=12 {
            let day = NaiveDate::from_ymd_opt(2026, month, 1).unwrap();
            for locale in Locale::ALL {
                assert!(
                    day_month(locale, day).len() > "1 ".len(),
                    "{month} {locale}"
                );
            }
        }
        let december = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
        assert_eq!(day_month(Locale::Ru, december), "31 декабря");
    }

    #[test]
    fn numbers_are_grouped_by_thousands_with_the_languages_separator() {
        assert_eq!(number(Locale::En, 1_250_000), "1,250,000");
        assert_eq!(number(Locale::Ru, 1_250_000), "1\u{a0}250\u{a0}000");
        assert_eq!(number(Locale::UzLatn, 12_345), "12\u{a0}345");
        assert_eq!(number(Locale::UzCyrl, 1_000), "1\u{a0}000");
    }

    #[test]
    fn small_and_negative_numbers_keep_their_digits() {
        assert_eq!(number(Locale::En, 0), "0");
        assert_eq!(number(Locale::En, 999), "999");
        assert_eq!(number(Locale::En, -1_000), "-1,000");
        assert_eq!(
            number(Locale::Ru, i64::MIN),
            "-9\u{a0}223\u{a0}372\u{a0}036\u{a0}854\u{a0}775\u{a0}808"
        );
    }
}
