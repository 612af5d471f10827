//! Demo people: Uzbek names in both scripts, with birth dates, PINFLs and hire dates derived
//! from each person's place in the staff list, so that every run produces the same people.

use std::collections::HashSet;

use chrono::{Datelike, NaiveDate};
use sea_orm::DbErr;
use xodim_domain::Gender;

/// A name in Uzbek Latin and Cyrillic.
type Name = (&'static str, &'static str);

/// Surnames in their male form; the female form appends `a` / `а` (Karimov → Karimova).
const SURNAMES: &[Name] = &[
    ("Karimov", "Каримов"),
    ("Rahimov", "Раҳимов"),
    ("Yusupov", "Юсупов"),
    ("Tursunov", "Турсунов"),
    ("Abdullayev", "Абдуллаев"),
    ("Xolmatov", "Холматов"),
    ("Ergashev", "Эргашев"),
    ("Nazarov", "Назаров"),
    ("Sobirov", "Собиров"),
    ("Qodirov", "Қодиров"),
    ("Mirzayev", "Мирзаев"),
    ("Saidov", "Саидов"),
    ("Aliyev", "Алиев"),
    ("Umarov", "Умаров"),
    ("Islomov", "Исломов"),
    ("Hasanov", "Ҳасанов"),
    ("Hamroyev", "Ҳамроев"),
    ("Toshmatov", "Тошматов"),
    ("Rustamov", "Рустамов"),
    ("Joʻrayev", "Жўраев"),
    ("Gʻulomov", "Ғуломов"),
    ("Sultonov", "Султонов"),
    ("Normatov", "Норматов"),
    ("Bobojonov", "Бобожонов"),
    ("Qosimov", "Қосимов"),
    ("Ismoilov", "Исмоилов"),
    ("Yoʻldoshev", "Йўлдошев"),
    ("Oʻrinboyev", "Ўринбоев"),
    ("Mahmudov", "Маҳмудов"),
    ("Shukurov", "Шукуров"),
    ("Haydarov", "Ҳайдаров"),
];

pub(super) const MALE_NAMES: &[Name] = &[
    ("Aziz", "Азиз"),
    ("Bahodir", "Баҳодир"),
    ("Jamshid", "Жамшид"),
    ("Otabek", "Отабек"),
    ("Sardor", "Сардор"),
    ("Rustam", "Рустам"),
    ("Ulugʻbek", "Улуғбек"),
    ("Sherzod", "Шерзод"),
    ("Dilshod", "Дилшод"),
    ("Farrux", "Фаррух"),
    ("Akmal", "Акмал"),
    ("Nodir", "Нодир"),
    ("Javohir", "Жавоҳир"),
    ("Bekzod", "Бекзод"),
    ("Shuhrat", "Шуҳрат"),
    ("Ikrom", "Икром"),
    ("Zafar", "Зафар"),
    ("Jasur", "Жасур"),
    ("Davron", "Даврон"),
    ("Mansur", "Мансур"),
    ("Oybek", "Ойбек"),
    ("Temur", "Темур"),
    ("Xurshid", "Хуршид"),
    ("Ilhom", "Илҳом"),
    ("Sanjar", "Санжар"),
    ("Kamol", "Камол"),
    ("Anvar", "Анвар"),
    ("Eldor", "Элдор"),
    ("Behzod", "Беҳзод"),
    ("Gʻayrat", "Ғайрат"),
    ("Abror", "Аброр"),
    ("Murod", "Мурод"),
];

pub(super) const FEMALE_NAMES: &[Name] = &[
    ("Dilnoza", "Дилноза"),
    ("Nodira", "Нодира"),
    ("Gulnora", "Гулнора"),
    ("Malika", "Малика"),
    ("Shahnoza", "Шаҳноза"),
    ("Zarina", "Зарина"),
    ("Feruza", "Феруза"),
    ("Madina", "Мадина"),
    ("Nigora", "Нигора"),
    ("Sevara", "Севара"),
    ("Kamola", "Камола"),
    ("Dildora", "Дилдора"),
    ("Umida", "Умида"),
    ("Mohira", "Моҳира"),
    ("Gulchehra", "Гулчеҳра"),
    ("Barno", "Барно"),
    ("Lola", "Лола"),
    ("Nilufar", "Нилуфар"),
    ("Zilola", "Зилола"),
    ("Oydin", "Ойдин"),
    ("Hilola", "Ҳилола"),
    ("Muqaddas", "Муқаддас"),
];

/// Fathers' names, all ending in a consonant so that `-ovich` / `-ovna` attach directly.
const FATHER_NAMES: &[Name] = &[
    ("Bahodir", "Баҳодир"),
    ("Rustam", "Рустам"),
    ("Anvar", "Анвар"),
    ("Shavkat", "Шавкат"),
    ("Akmal", "Акмал"),
    ("Farhod", "Фарҳод"),
    ("Alisher", "Алишер"),
    ("Karim", "Карим"),
    ("Rashid", "Рашид"),
    ("Ravshan", "Равшан"),
    ("Nodir", "Нодир"),
    ("Sobir", "Собир"),
    ("Hamid", "Ҳамид"),
    ("Erkin", "Эркин"),
    ("Zafar", "Зафар"),
    ("Botir", "Ботир"),
    ("Ilhom", "Илҳом"),
    ("Mahmud", "Маҳмуд"),
    ("Tohir", "Тоҳир"),
    ("Qahramon", "Қаҳрамон"),
    ("Baxtiyor", "Бахтиёр"),
    ("Ulugʻbek", "Улуғбек"),
    ("Abdurahmon", "Абдураҳмон"),
];

/// One demo person, with the dates and number their records need.
pub(super) struct Person {
    pub last_latn: String,
    pub first_latn: &'static str,
    pub patronymic_latn: String,
    pub last_cyrl: String,
    pub first_cyrl: &'static str,
    pub patronymic_cyrl: String,
    pub gender: Gender,
    pub birth_date: NaiveDate,
    pub pinfl: String,
    pub hire_date: NaiveDate,
}

impl Person {
    /// "First Last", as a colleague would say it.
    pub fn short_name(&self) -> String {
        format!("{} {}", self.first_latn, self.last_latn)
    }

    /// The login a new account would get: initial, dot, surname, in plain ASCII.
    pub fn login_base(&self) -> String {
        let ascii = |s: &str| -> String {
            s.chars()
                .filter(char::is_ascii_alphanumeric)
                .map(|c| c.to_ascii_lowercase())
                .collect()
        };
        let initial: String = ascii(self.first_latn).chars().take(1).collect();
        format!("{initial}.{}", ascii(&self.last_latn))
    }
}

/// Namesakes get a number: the second A. Karimov becomes `a.karimov2`.
pub(super) fn unique_login(base: String, taken: &mut HashSet<String>) -> String {
    let mut login = base.clone();
    let mut n = 2;
    while taken.contains(&login) {
        login = format!("{base}{n}");
        n += 1;
    }
    taken.insert(login.clone());
    login
}

/// Generates one person per staff place; `senior[i]` marks heads, who are born earlier.
/// Hire dates never lie after `today`.
pub(super) fn generate(senior: &[bool], today: NaiveDate) -> Result<Vec<Person>, DbErr> {
    let (mut men, mut women) = (0, 0);
    let mut people = Vec::with_capacity(senior.len());
    for (index, &is_senior) in senior.iter().enumerate() {
        // Two in five are women, spread evenly through the staff list.
        let gender = if matches!(index % 5, 1 | 3) {
            Gender::Female
        } else {
            Gender::Male
        };
        let first = match gender {
            Gender::Male => pick(MALE_NAMES, next(&mut men))?,
            Gender::Female => pick(FEMALE_NAMES, next(&mut women))?,
        };
        people.push(person(index, gender, first, is_senior, today)?);
    }
    Ok(people)
}

fn next(counter: &mut usize) -> usize {
    *counter += 1;
    *counter - 1
}

fn pick(names: &[Name], index: usize) -> Result<Name, DbErr> {
    names
        .get(index % names.len().max(1))
        .copied()
        .ok_or_else(|| DbErr::Custom("demo name table is empty".into()))
}

fn person(
    index: usize,
    gender: Gender,
    first: Name,
    senior: bool,
    today: NaiveDate,
) -> Result<Person, DbErr> {
    // Strides coprime with the table lengths walk every entry before repeating.
    let surname = pick(SURNAMES, index * 7)?;
    let father = pick(FATHER_NAMES, index * 5 + 3)?;
    let birth_date = birth_date(index, senior)?;
    let (patronymic_latn, patronymic_cyrl) = patronymic(index, gender, father, birth_date);
    let female = gender == Gender::Female;
    Ok(Person {
        last_latn: format!("{}{}", surname.0, if female { "a" } else { "" }),
        first_latn: first.0,
        patronymic_latn,
        last_cyrl: format!("{}{}", surname.1, if female { "а" } else { "" }),
        first_cyrl: first.1,
        patronymic_cyrl,
        gender,
        pinfl: pinfl(index, gender, birth_date),
        hire_date: hire_date(index, birth_date, today)?,
        birth_date,
    })
}

/// Younger people often write the patronymic the Uzbek way ("Bahodir oʻgʻli"), older ones
/// the Russian way ("Bahodirovich").
fn patronymic(index: usize, gender: Gender, father: Name, born: NaiveDate) -> (String, String) {
    let (father_latn, father_cyrl) = father;
    let uzbek_style = born.year() >= 1988 && index.is_multiple_of(2);
    let (latn, cyrl) = match (uzbek_style, gender) {
        (true, Gender::Male) => (" oʻgʻli", " ўғли"),
        (true, Gender::Female) => (" qizi", " қизи"),
        (false, Gender::Male) => ("ovich", "ович"),
        (false, Gender::Female) => ("ovna", "овна"),
    };
    (
        format!("{father_latn}{latn}"),
        format!("{father_cyrl}{cyrl}"),
    )
}

/// Heads are born 1965–1980, everyone else 1972–2000.
fn birth_date(index: usize, senior: bool) -> Result<NaiveDate, DbErr> {
    let year = if senior {
        1965 + (index * 7) % 16
    } else {
        1972 + (index * 7) % 29
    };
    date(year, 1 + (index * 5) % 12, 1 + (index * 11) % 28)
}

/// Hired between 2005 and 2025, at 21 or older.
fn hire_date(index: usize, born: NaiveDate, today: NaiveDate) -> Result<NaiveDate, DbErr> {
    let earliest = usize::try_from(born.year()).unwrap_or(2005) + 21 + index % 4;
    let year = earliest.max(2005 + (index * 3) % 18).min(2025);
    let hired = date(year, 1 + (index * 7) % 12, 1 + (index * 3) % 28)?;
    Ok(hired.min(today))
}

fn date(year: usize, month: usize, day: usize) -> Result<NaiveDate, DbErr> {
    let (Ok(y), Ok(m), Ok(d)) = (
        i32::try_from(year),
        u32::try_from(month),
        u32::try_from(day),
    ) else {
        return Err(DbErr::Custom(format!(
            "demo date {year}-{month}-{day} overflows"
        )));
    };
    NaiveDate::from_ymd_opt(y, m, d)
        .ok_or_else(|| DbErr::Custom(format!("demo date {year}-{month}-{day} does not exist")))
}

/// Century-and-gender digit, DDMMYY, district, serial, check digit. The serial is the person's
/// index, which keeps every number unique; the check digit is arbitrary, as the domain does not
/// verify it.
fn pinfl(index: usize, gender: Gender, born: NaiveDate) -> String {
    let century = if born.year() >= 2000 { 5 } else { 3 };
    let first = century + usize::from(gender == Gender::Female);
    let district = 200 + (index * 17) % 100;
    let serial = 100 + index % 900;
    let check = (index * 7 + 3) % 10;
    format!(
        "{first}{}{district:03}{serial:03}{check}",
        born.format("%d%m%y")
    )
}
