//! The demo Ministry of Justice: its organisations, unit tree, staff posts and the posts whose
//! occupants get the ready-made demo sign-ins.
//!
//! Tables are listed parents first, because the builder places each unit under one it has already
//! placed and the database checks the parent links as rows arrive.

use xodim_domain::{OrgKind, OrgLevel, PositionCategory as C, Role};

/// A name or title in the four languages the system speaks.
pub(super) struct Text4 {
    pub uz_latn: &'static str,
    pub uz_cyrl: &'static str,
    pub ru: &'static str,
    pub en: &'static str,
}

const fn text(
    uz_latn: &'static str,
    uz_cyrl: &'static str,
    ru: &'static str,
    en: &'static str,
) -> Text4 {
    Text4 {
        uz_latn,
        uz_cyrl,
        ru,
        en,
    }
}

/// An organisation; its root unit is the first unit listed for it in [`UNITS`].
pub(super) struct OrgSpec {
    pub key: &'static str,
    pub parent: Option<&'static str>,
    pub name: Text4,
    pub kind: OrgKind,
    pub level: OrgLevel,
    pub region_code: &'static str,
}

/// A unit; `parent` is a unit code, in another organisation for a branch's root unit.
pub(super) struct UnitSpec {
    pub code: &'static str,
    pub org: &'static str,
    pub parent: Option<&'static str>,
    pub name: Text4,
    /// The first post is the head of the unit.
    pub posts: &'static [PostSpec],
}

/// A staff post; its code is the unit code and its 1-based place in the unit, e.g. `ADL-AT-02`.
pub(super) struct PostSpec {
    pub title: &'static Text4,
    pub category: C,
    pub civil_service: bool,
    /// Left empty so that the demo shows vacancies to fill.
    pub vacant: bool,
    /// A deputy head, given an older occupant like the heads themselves.
    pub deputy: bool,
}

const fn post(title: &'static Text4, category: C) -> PostSpec {
    PostSpec {
        title,
        category,
        civil_service: true,
        vacant: false,
        deputy: false,
    }
}

const fn deputy(title: &'static Text4, category: C) -> PostSpec {
    PostSpec {
        deputy: true,
        ..post(title, category)
    }
}

/// IT and technical staff are hired under labour law, not as civil servants.
const fn technical(title: &'static Text4) -> PostSpec {
    PostSpec {
        civil_service: false,
        ..post(title, C::DeputyOrCentralStaff)
    }
}

const fn vacant(title: &'static Text4, category: C) -> PostSpec {
    PostSpec {
        vacant: true,
        ..post(title, category)
    }
}

/// A post whose occupant signs in with a fixed demo login.
pub(super) struct DemoLogin {
    pub login: &'static str,
    /// The post code, e.g. `ADL-AT-02`.
    pub post: &'static str,
    /// A role granted over a unit (by code) and everything below it.
    pub grant: Option<(Role, &'static str)>,
    /// What the account is for, in a few English words.
    pub what: &'static str,
}

const MINISTER: Text4 = text("Vazir", "Вазир", "Министр", "Minister");
const FIRST_DEPUTY_MINISTER: Text4 = text(
    "Vazirning birinchi oʻrinbosari",
    "Вазирнинг биринчи ўринбосари",
    "Первый заместитель министра",
    "First Deputy Minister",
);
const DEPUTY_MINISTER: Text4 = text(
    "Vazir oʻrinbosari",
    "Вазир ўринбосари",
    "Заместитель министра",
    "Deputy Minister",
);
const MINISTER_AIDE: Text4 = text(
    "Vazir yordamchisi",
    "Вазир ёрдамчиси",
    "Помощник министра",
    "Assistant to the Minister",
);
const HEAD_OF_DEPARTMENT: Text4 = text(
    "Boshqarma boshligʻi",
    "Бошқарма бошлиғи",
    "Начальник управления",
    "Head of Department",
);
const DEPUTY_HEAD_OF_DEPARTMENT: Text4 = text(
    "Boshqarma boshligʻining oʻrinbosari",
    "Бошқарма бошлиғининг ўринбосари",
    "Заместитель начальника управления",
    "Deputy Head of Department",
);
const DIRECTOR: Text4 = text(
    "Departament direktori",
    "Департамент директори",
    "Директор департамента",
    "Director of Department",
);
const DEPUTY_DIRECTOR: Text4 = text(
    "Departament direktorining oʻrinbosari",
    "Департамент директорининг ўринбосари",
    "Заместитель директора департамента",
    "Deputy Director of Department",
);
const HEAD_OF_DIVISION: Text4 = text(
    "Boʻlim boshligʻi",
    "Бўлим бошлиғи",
    "Начальник отдела",
    "Head of Division",
);
const CHIEF_SPECIALIST: Text4 = text(
    "Bosh mutaxassis",
    "Бош мутахассис",
    "Главный специалист",
    "Chief Specialist",
);
const LEADING_SPECIALIST: Text4 = text(
    "Yetakchi mutaxassis",
    "Етакчи мутахассис",
    "Ведущий специалист",
    "Leading Specialist",
);
const CHIEF_ACCOUNTANT: Text4 = text(
    "Bosh hisobchi",
    "Бош ҳисобчи",
    "Главный бухгалтер",
    "Chief Accountant",
);
const SYSTEM_ADMINISTRATOR: Text4 = text(
    "Tizim administratori",
    "Тизим администратори",
    "Системный администратор",
    "System Administrator",
);
const PROGRAMMER: Text4 = text("Dasturchi", "Дастурчи", "Программист", "Software Developer");
const SECURITY_SPECIALIST: Text4 = text(
    "Axborot xavfsizligi boʻyicha mutaxassis",
    "Ахборот хавфсизлиги бўйича мутахассис",
    "Специалист по информационной безопасности",
    "Information Security Specialist",
);
const CHIEF_AUDITOR: Text4 = text(
    "Bosh ichki auditor",
    "Бош ички аудитор",
    "Главный внутренний аудитор",
    "Chief Internal Auditor",
);

/// The ministry, its two regional departments and one district office under Samarqand.
pub(super) const ORGS: &[OrgSpec] = &[
    OrgSpec {
        key: "ADL",
        parent: None,
        name: text(
            "Oʻzbekiston Respublikasi Adliya vazirligi",
            "Ўзбекистон Республикаси Адлия вазирлиги",
            "Министерство юстиции Республики Узбекистан",
            "Ministry of Justice of the Republic of Uzbekistan",
        ),
        kind: OrgKind::Ministry,
        level: OrgLevel::Republic,
        region_code: "1726",
    },
    OrgSpec {
        key: "TSH",
        parent: Some("ADL"),
        name: TASHKENT,
        kind: OrgKind::Other,
        level: OrgLevel::Regional,
        region_code: "1726",
    },
    OrgSpec {
        key: "SAM",
        parent: Some("ADL"),
        name: SAMARQAND,
        kind: OrgKind::Other,
        level: OrgLevel::Regional,
        region_code: "1718",
    },
    OrgSpec {
        key: "SAMT",
        parent: Some("SAM"),
        name: SAMARQAND_DISTRICT,
        kind: OrgKind::Other,
        level: OrgLevel::District,
        region_code: "1718233",
    },
];

const TASHKENT: Text4 = text(
    "Toshkent shahar adliya boshqarmasi",
    "Тошкент шаҳар адлия бошқармаси",
    "Управление юстиции города Ташкента",
    "Tashkent City Department of Justice",
);
const SAMARQAND: Text4 = text(
    "Samarqand viloyati adliya boshqarmasi",
    "Самарқанд вилояти адлия бошқармаси",
    "Управление юстиции Самаркандской области",
    "Samarkand Regional Department of Justice",
);
const SAMARQAND_DISTRICT: Text4 = text(
    "Samarqand tumani adliya boʻlimi",
    "Самарқанд тумани адлия бўлими",
    "Отдел юстиции Самаркандского района",
    "Samarkand District Division of Justice",
);

/// One tree: each branch's root unit hangs under its parent organisation's root unit.
pub(super) const UNITS: &[UnitSpec] = &[
    UnitSpec {
        code: "ADL",
        org: "ADL",
        parent: None,
        name: text(
            "Adliya vazirligi",
            "Адлия вазирлиги",
            "Министерство юстиции",
            "Ministry of Justice",
        ),
        posts: &[
            post(&MINISTER, C::SeniorHead),
            deputy(&FIRST_DEPUTY_MINISTER, C::SeniorHead),
            deputy(&DEPUTY_MINISTER, C::SeniorHead),
            deputy(&DEPUTY_MINISTER, C::SeniorHead),
            post(&MINISTER_AIDE, C::DeputyOrCentralStaff),
        ],
    },
    UnitSpec {
        code: "ADL-KADR",
        org: "ADL",
        parent: Some("ADL"),
        name: text(
            "Kadrlar boshqarmasi",
            "Кадрлар бошқармаси",
            "Управление кадров",
            "Human Resources Department",
        ),
        posts: &[
            post(&HEAD_OF_DEPARTMENT, C::DeputyOrCentralStaff),
            deputy(&DEPUTY_HEAD_OF_DEPARTMENT, C::DeputyOrCentralStaff),
            post(&CHIEF_SPECIALIST, C::DeputyOrCentralStaff),
            post(&CHIEF_SPECIALIST, C::DeputyOrCentralStaff),
            post(&LEADING_SPECIALIST, C::DeputyOrCentralStaff),
        ],
    },
    UnitSpec {
        code: "ADL-MOL",
        org: "ADL",
        parent: Some("ADL"),
        name: text(
            "Moliya-iqtisod boshqarmasi",
            "Молия-иқтисод бошқармаси",
            "Финансово-экономическое управление",
            "Finance and Economics Department",
        ),
        posts: &[
            post(&HEAD_OF_DEPARTMENT, C::DeputyOrCentralStaff),
            post(&CHIEF_ACCOUNTANT, C::DeputyOrCentralStaff),
            post(&CHIEF_SPECIALIST, C::DeputyOrCentralStaff),
            vacant(&LEADING_SPECIALIST, C::DeputyOrCentralStaff),
        ],
    },
    UnitSpec {
        code: "ADL-HUQ",
        org: "ADL",
        parent: Some("ADL"),
        name: text(
            "Huquqiy ekspertiza departamenti",
            "Ҳуқуқий экспертиза департаменти",
            "Департамент правовой экспертизы",
            "Legal Expertise Department",
        ),
        posts: &[
            post(&DIRECTOR, C::DeputyOrCentralStaff),
            deputy(&DEPUTY_DIRECTOR, C::DeputyOrCentralStaff),
            post(&CHIEF_SPECIALIST, C::DeputyOrCentralStaff),
            post(&CHIEF_SPECIALIST, C::DeputyOrCentralStaff),
            post(&LEADING_SPECIALIST, C::DeputyOrCentralStaff),
        ],
    },
    UnitSpec {
        code: "ADL-HUQ-NH",
        org: "ADL",
        parent: Some("ADL-HUQ"),
        name: text(
            "Normativ-huquqiy hujjatlar ekspertizasi boʻlimi",
            "Норматив-ҳуқуқий ҳужжатлар экспертизаси бўлими",
            "Отдел экспертизы нормативно-правовых актов",
            "Regulatory Acts Review Division",
        ),
        posts: &[
            post(&HEAD_OF_DIVISION, C::DeputyOrCentralStaff),
            post(&CHIEF_SPECIALIST, C::DeputyOrCentralStaff),
            post(&CHIEF_SPECIALIST, C::DeputyOrCentralStaff),
            post(&LEADING_SPECIALIST, C::DeputyOrCentralStaff),
        ],
    },
    UnitSpec {
        code: "ADL-HUQ-XS",
        org: "ADL",
        parent: Some("ADL-HUQ"),
        name: text(
            "Xalqaro shartnomalar ekspertizasi boʻlimi",
            "Халқаро шартномалар экспертизаси бўлими",
            "Отдел экспертизы международных договоров",
            "International Treaties Review Division",
        ),
        posts: &[
            post(&HEAD_OF_DIVISION, C::DeputyOrCentralStaff),
            post(&CHIEF_SPECIALIST, C::DeputyOrCentralStaff),
            post(&LEADING_SPECIALIST, C::DeputyOrCentralStaff),
        ],
    },
    UnitSpec {
        code: "ADL-AT",
        org: "ADL",
        parent: Some("ADL"),
        name: text(
            "Axborot texnologiyalari boʻlimi",
            "Ахборот технологиялари бўлими",
            "Отдел информационных технологий",
            "Information Technology Division",
        ),
        posts: &[
            post(&HEAD_OF_DIVISION, C::DeputyOrCentralStaff),
            technical(&SYSTEM_ADMINISTRATOR),
            technical(&PROGRAMMER),
            technical(&SECURITY_SPECIALIST),
        ],
    },
    UnitSpec {
        code: "ADL-IA",
        org: "ADL",
        parent: Some("ADL"),
        name: text(
            "Ichki audit boʻlimi",
            "Ички аудит бўлими",
            "Отдел внутреннего аудита",
            "Internal Audit Division",
        ),
        posts: &[
            post(&HEAD_OF_DIVISION, C::DeputyOrCentralStaff),
            post(&CHIEF_AUDITOR, C::DeputyOrCentralStaff),
            post(&LEADING_SPECIALIST, C::DeputyOrCentralStaff),
        ],
    },
    UnitSpec {
        code: "ADL-TSH",
        org: "TSH",
        parent: Some("ADL"),
        name: TASHKENT,
        posts: &[
            post(&HEAD_OF_DEPARTMENT, C::DeputyOrCentralStaff),
            deputy(&DEPUTY_HEAD_OF_DEPARTMENT, C::Other),
            post(&CHIEF_SPECIALIST, C::Other),
        ],
    },
    UnitSpec {
        code: "ADL-TSH-NOT",
        org: "TSH",
        parent: Some("ADL-TSH"),
        name: text(
            "Notariat faoliyatini tashkil etish boʻlimi",
            "Нотариат фаолиятини ташкил этиш бўлими",
            "Отдел организации нотариальной деятельности",
            "Notary Affairs Division",
        ),
        posts: &[
            post(&HEAD_OF_DIVISION, C::Other),
            post(&CHIEF_SPECIALIST, C::Other),
            post(&LEADING_SPECIALIST, C::Other),
        ],
    },
    UnitSpec {
        code: "ADL-TSH-FHD",
        org: "TSH",
        parent: Some("ADL-TSH"),
        name: text(
            "FHDYO organlari faoliyatini tashkil etish boʻlimi",
            "ФҲДЁ органлари фаолиятини ташкил этиш бўлими",
            "Отдел организации деятельности органов ЗАГС",
            "Civil Registry Offices Division",
        ),
        posts: &[
            post(&HEAD_OF_DIVISION, C::Other),
            post(&CHIEF_SPECIALIST, C::Other),
            vacant(&LEADING_SPECIALIST, C::Other),
        ],
    },
    UnitSpec {
        code: "ADL-SAM",
        org: "SAM",
        parent: Some("ADL"),
        name: SAMARQAND,
        posts: &[
            post(&HEAD_OF_DEPARTMENT, C::DeputyOrCentralStaff),
            deputy(&DEPUTY_HEAD_OF_DEPARTMENT, C::Other),
            post(&CHIEF_SPECIALIST, C::Other),
        ],
    },
    UnitSpec {
        code: "ADL-SAM-KADR",
        org: "SAM",
        parent: Some("ADL-SAM"),
        name: text(
            "Kadrlar boʻlimi",
            "Кадрлар бўлими",
            "Отдел кадров",
            "Human Resources Division",
        ),
        posts: &[
            post(&HEAD_OF_DIVISION, C::Other),
            post(&CHIEF_SPECIALIST, C::Other),
            post(&LEADING_SPECIALIST, C::Other),
        ],
    },
    UnitSpec {
        code: "ADL-SAM-TAR",
        org: "SAM",
        parent: Some("ADL-SAM"),
        name: text(
            "Huquqiy targʻibot boʻlimi",
            "Ҳуқуқий тарғибот бўлими",
            "Отдел правовой пропаганды",
            "Legal Awareness Division",
        ),
        posts: &[
            post(&HEAD_OF_DIVISION, C::Other),
            post(&CHIEF_SPECIALIST, C::Other),
            post(&LEADING_SPECIALIST, C::Other),
        ],
    },
    UnitSpec {
        code: "ADL-SAM-TUM",
        org: "SAMT",
        parent: Some("ADL-SAM"),
        name: SAMARQAND_DISTRICT,
        posts: &[
            post(&HEAD_OF_DIVISION, C::DeputyOrCentralStaff),
            post(&CHIEF_SPECIALIST, C::Other),
            post(&LEADING_SPECIALIST, C::Other),
        ],
    },
];

/// The sign-ins printed for the person trying xodim, one per kind of user.
pub(super) const DEMO_LOGINS: &[DemoLogin] = &[
    DemoLogin {
        login: "demo-admin",
        post: "ADL-AT-02",
        grant: Some((Role::OrgAdmin, "ADL")),
        what: "organisation administrator of the whole ministry tree",
    },
    DemoLogin {
        login: "demo-hr",
        post: "ADL-KADR-03",
        grant: Some((Role::HrOfficer, "ADL")),
        what: "HR officer for the whole ministry tree",
    },
    DemoLogin {
        login: "demo-manager",
        post: "ADL-HUQ-01",
        grant: Some((Role::Manager, "ADL-HUQ")),
        what: "manager who heads the department and its two divisions",
    },
    DemoLogin {
        login: "demo-servant",
        post: "ADL-HUQ-05",
        grant: None,
        what: "ordinary civil servant reporting to demo-manager",
    },
    DemoLogin {
        login: "samarqand-hr",
        post: "ADL-SAM-KADR-02",
        grant: Some((Role::HrOfficer, "ADL-SAM")),
        what: "HR officer for the Samarkand regional department and its district office only",
    },
    DemoLogin {
        login: "auditor",
        post: "ADL-IA-02",
        grant: Some((Role::Auditor, "ADL")),
        what: "read-only auditor of the whole ministry tree",
    },
];
