### xodim texts in Uzbek, Cyrillic script (uz-Cyrl).
### How to edit this file: see ../README.md.

## Error messages, one per error code: error-<wire code>.

error-invalid_json = Сўров танаси тўғри JSON эмас.
error-invalid_field = Майдонлардан бирининг қиймати нотўғри.
error-missing_field = Мажбурий майдон тўлдирилмаган.
error-body_too_large = Сўров ҳажми жуда катта.
error-unsupported_media_type = Бу турдаги маълумот қўллаб-қувватланмайди.
error-invalid_pinfl = ЖШШИР нотўғри. У 14 та рақамдан иборат бўлиши керак.
error-pinfl_birth_date_mismatch = ЖШШИР туғилган санага мос келмайди.
error-invalid_id = Идентификатор нотўғри.
error-invalid_date = Сана нотўғри.
error-invalid_name = Исм-шарифда рухсат этилмаган белгилар бор ёки узунлиги нотўғри.
error-invalid_login = Логин 3 тадан 64 тагача лотин ҳарфи, рақам, нуқта, дефис ёки пастки чизиқдан иборат бўлиши ва ҳарф билан бошланиши керак.
error-invalid_locale = Бу тил қўллаб-қувватланмайди.
error-invalid_paging = Саҳифалаш параметрлари нотўғри.
error-invalid_region_code = Ҳудуд коди нотўғри.
error-invalid_csv = CSV файлни ўқиб бўлмади.
error-import_rejected = Импорт рад этилди: файлда хатолар бор. Ҳеч нарса сақланмади.
error-weak_password = Парол жуда оддий. Камида 10 та белгидан фойдаланинг, фақат рақамлардан эмас.
error-not_found = Сўралган объект топилмади.
error-route_not_found = Бундай манзил мавжуд эмас.
error-method_not_allowed = Бу манзил учун ушбу усулга рухсат берилмаган.
error-unauthenticated = Илтимос, тизимга киринг.
error-token_invalid = Сеанс яроқсиз. Қайтадан киринг.
error-token_expired = Сеанс муддати тугади. Қайтадан киринг.
error-token_revoked = Сеанс якунланган. Қайтадан киринг.
error-invalid_credentials = Логин ёки парол нотўғри.
error-account_disabled = Ҳисобингиз блокланган. Кадрлар бўлимига мурожаат қилинг.
error-account_not_activated = Ҳисобингиз ҳали фаоллаштирилмаган.
error-activation_code_invalid = Фаоллаштириш коди нотўғри ёки муддати ўтган.
error-refresh_token_invalid = Сеансни узайтириб бўлмади. Қайтадан киринг.
error-refresh_token_reused = Хавфсизлик мақсадида барча сеанслар якунланди. Қайтадан киринг.
error-rate_limited = Уринишлар сони жуда кўп. Кейинроқ қайта уриниб кўринг.
error-forbidden = Ролингиз бу амални бажаришга рухсат бермайди.
error-out_of_scope = Бу объект сиз масъул бўлган бўлинмаларга кирмайди.
error-login_taken = Бу логин аллақачон банд.
error-pinfl_taken = Бу ЖШШИР билан шахс аллақачон рўйхатдан ўтган.
error-position_code_taken = Бу кодли лавозим аллақачон мавжуд.
error-unit_code_taken = Бу кодли бўлинма аллақачон мавжуд.
error-position_occupied = Бу лавозим банд.
error-unit_has_children = Бўлинмада қуйи бўлинмалар бор, уни ўчириб бўлмайди.
error-cannot_move_unit_into_itself = Бўлинмани ўзининг ичига ёки ўзига бўйсунувчи бўлинмага кўчириб бўлмайди.
error-internal = Серверда хатолик юз берди. Кейинроқ қайта уриниб кўринг.
error-invalid_phone = Телефон рақами нотўғри. +998 билан бошланадиган 12 хонали рақамни киритинг.
error-invalid_email = Электрон почта манзили нотўғри.
error-invalid_cursor = Синхронлаш ҳолати яроқсиз. Маълумотлар қайтадан юкланади.
error-unknown_intent = Бу амални сервер билмайди. Иловани янгиланг.
error-invalid_intent = Амал маълумотлари нотўғри.
error-too_many_intents = Бир вақтда жуда кўп амал юборилди.
error-version_conflict = Маълумот сиз кўрганингиздан кейин ўзгарган. Янги қийматларни кўриб чиқинг.
error-request_decided = Бу сўров бўйича қарор аллақачон қабул қилинган.
error-request_state = Сўровнинг ҳозирги ҳолатида бу амални бажариб бўлмайди.
error-request_claimed = Бу сўровни бошқа кадрлар ходими кўриб чиқмоқда.
error-own_request = Ўз сўровингизни ўзингиз кўриб чиқа олмайсиз.
error-evidence_too_large = Илова қилинган файл жуда катта.
error-evidence_type = Фақат расм (JPEG, PNG) ёки PDF илова қилиш мумкин.
error-evidence_missing = Илова қилинган файл серверга ҳали юкланмаган.
error-evidence_hash_mismatch = Файл юкланаётганда бузилган. Қайтадан юборинг.
error-intent_id_reused = Бу амал идентификатори бошқа амал учун ишлатилган.
error-unavailable = Хизмат вақтинча ишламаяпти. Кейинроқ қайта уриниб кўринг.
error-intent_too_large = Бу сўров серверга юбориш учун жуда катта. Матнни қисқартиринг.
error-own_account = Ўз ҳисобингизни блоклай олмайсиз.
error-last_org_admin = Бу ташкилотнинг охирги фаол администратори. Аввал бошқасини тайинланг.
error-url_too_long = Сўров манзили жуда узун.

## Sections of a personal record: section-<wire name>.

section-education = Маълумоти
section-certificate = Сертификатлар
section-work_history = Меҳнат фаолияти
section-knowledge_test = Билим тестлари
section-relative = Яқин қариндошлари

## States of a correction request: request-state-<wire name>.

request-state-submitted = Юборилган
request-state-in_review = Кўриб чиқилмоқда
request-state-needs_info = Қўшимча маълумот керак
request-state-conflict = Маълумот ўзгарган, қайта кўрилади
request-state-applied = Тасдиқланди ва киритилди
request-state-rejected = Рад этилди
request-state-withdrawn = Қайтариб олинди

## Inbox lines.

# The servant's correction request reached a new state.
# $section: the record section's name (a section-… text above)
# $state: the request's new state (a request-state-… text above)
correction-notice = Тузатиш сўровингиз ({ $section }): { $state }

## Push alerts: a fixed text per notification kind, with no personal data.

notify-correction_decided-title = Тузатиш сўрови
notify-correction_decided-body = Сўровингиз бўйича қарор бор
notify-correction_waiting-title = Тузатиш сўрови
notify-correction_waiting-body = Тузатиш сўрови сизни кутмоқда
