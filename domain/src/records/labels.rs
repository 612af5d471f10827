//! Names of sections and request states in the four languages, so the phone shows them offline.

use super::{RequestState, Section};
use crate::locale::Locale;

fn pick(locale: Locale, texts: [&'static str; 4]) -> &'static str {
    let [uz_latn, uz_cyrl, ru, en] = texts;
    match locale {
        Locale::UzLatn => uz_latn,
        Locale::UzCyrl => uz_cyrl,
        Locale::Ru => ru,
        Locale::En => en,
    }
}

impl Section {
    /// The section's name in `locale`.
    pub fn label(self, locale: Locale) -> &'static str {
        pick(
            locale,
            match self {
                Self::Education => ["Maʼlumoti", "Маълумоти", "Образование", "Education"],
                Self::Certificate => [
                    "Sertifikatlar",
                    "Сертификатлар",
                    "Сертификаты",
                    "Certificates",
                ],
                Self::WorkHistory => [
                    "Mehnat faoliyati",
                    "Меҳнат фаолияти",
                    "Трудовая деятельность",
                    "Work history",
                ],
                Self::KnowledgeTest => [
                    "Bilim testlari",
                    "Билим тестлари",
                    "Тестирование знаний",
                    "Knowledge tests",
                ],
                Self::Relative => [
                    "Yaqin qarindoshlari",
                    "Яқин қариндошлари",
                    "Близкие родственники",
                    "Relatives",
                ],
            },
        )
    }
}

impl RequestState {
    /// The state's name in `locale`.
    pub fn label(self, locale: Locale) -> &'static str {
        pick(
            locale,
            match self {
                Self::Submitted => ["Yuborilgan", "Юборилган", "Отправлена", "Submitted"],
                Self::InReview => [
                    "Koʻrib chiqilmoqda",
                    "Кўриб чиқилмоқда",
                    "На рассмотрении",
                    "In review",
                ],
                Self::NeedsInfo => [
                    "Qoʻshimcha maʼlumot kerak",
                    "Қўшимча маълумот керак",
                    "Нужны сведения",
                    "More information needed",
                ],
                Self::Conflict => [
                    "Maʼlumot oʻzgargan, qayta koʻriladi",
                    "Маълумот ўзгарган, қайта кўрилади",
                    "Данные изменились, пересматривается",
                    "Record changed, under review again",
                ],
                Self::Applied => [
                    "Tasdiqlandi va kiritildi",
                    "Тасдиқланди ва киритилди",
                    "Одобрена и внесена",
                    "Approved and applied",
                ],
                Self::Rejected => ["Rad etildi", "Рад этилди", "Отклонена", "Rejected"],
                Self::Withdrawn => [
                    "Qaytarib olindi",
                    "Қайтариб олинди",
                    "Отозвана",
                    "Withdrawn",
                ],
            },
        )
    }

    /// The inbox line telling the servant their request about `section` reached this state.
    pub fn notice(self, section: Section, locale: Locale) -> String {
        let lead = pick(
            locale,
            [
                "Tuzatish soʻrovingiz",
                "Тузатиш сўровингиз",
                "Ваш запрос на исправление",
                "Your correction request",
            ],
        );
        format!("{lead} ({}): {}", section.label(locale), self.label(locale))
    }
}
