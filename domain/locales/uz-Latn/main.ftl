### xodim texts in Uzbek, Latin script (uz-Latn).
### How to edit this file: see ../README.md.

## Error messages, one per error code: error-<wire code>.

error-invalid_json = Soʻrov tanasi toʻgʻri JSON emas.
error-invalid_field = Maydonlardan birining qiymati notoʻgʻri.
error-missing_field = Majburiy maydon toʻldirilmagan.
error-body_too_large = Soʻrov hajmi juda katta.
error-unsupported_media_type = Bu turdagi maʼlumot qoʻllab-quvvatlanmaydi.
error-invalid_pinfl = JShShIR notoʻgʻri. U 14 ta raqamdan iborat boʻlishi kerak.
error-pinfl_birth_date_mismatch = JShShIR tugʻilgan sanaga mos kelmaydi.
error-invalid_id = Identifikator notoʻgʻri.
error-invalid_date = Sana notoʻgʻri.
error-invalid_name = Ism-sharifda ruxsat etilmagan belgilar bor yoki uzunligi notoʻgʻri.
error-invalid_login = Login 3 tadan 64 tagacha lotin harfi, raqam, nuqta, defis yoki pastki chiziqdan iborat boʻlishi va harf bilan boshlanishi kerak.
error-invalid_locale = Bu til qoʻllab-quvvatlanmaydi.
error-invalid_paging = Sahifalash parametrlari notoʻgʻri.
error-invalid_region_code = Hudud kodi notoʻgʻri.
error-invalid_csv = CSV faylni oʻqib boʻlmadi.
error-import_rejected = Import rad etildi: faylda xatolar bor. Hech narsa saqlanmadi.
error-weak_password = Parol juda oddiy. Kamida 10 ta belgidan foydalaning, faqat raqamlardan emas.
error-not_found = Soʻralgan obyekt topilmadi.
error-route_not_found = Bunday manzil mavjud emas.
error-method_not_allowed = Bu manzil uchun ushbu usulga ruxsat berilmagan.
error-unauthenticated = Iltimos, tizimga kiring.
error-token_invalid = Seans yaroqsiz. Qaytadan kiring.
error-token_expired = Seans muddati tugadi. Qaytadan kiring.
error-token_revoked = Seans yakunlangan. Qaytadan kiring.
error-invalid_credentials = Login yoki parol notoʻgʻri.
error-account_disabled = Hisobingiz bloklangan. Kadrlar boʻlimiga murojaat qiling.
error-account_not_activated = Hisobingiz hali faollashtirilmagan.
error-activation_code_invalid = Faollashtirish kodi notoʻgʻri yoki muddati oʻtgan.
error-refresh_token_invalid = Seansni uzaytirib boʻlmadi. Qaytadan kiring.
error-refresh_token_reused = Xavfsizlik maqsadida barcha seanslar yakunlandi. Qaytadan kiring.
error-rate_limited = Urinishlar soni juda koʻp. Keyinroq qayta urinib koʻring.
error-forbidden = Rolingiz bu amalni bajarishga ruxsat bermaydi.
error-out_of_scope = Bu obyekt siz masʼul boʻlgan boʻlinmalarga kirmaydi.
error-login_taken = Bu login allaqachon band.
error-pinfl_taken = Bu JShShIR bilan shaxs allaqachon roʻyxatdan oʻtgan.
error-position_code_taken = Bu kodli lavozim allaqachon mavjud.
error-unit_code_taken = Bu kodli boʻlinma allaqachon mavjud.
error-position_occupied = Bu lavozim band.
error-unit_has_children = Boʻlinmada quyi boʻlinmalar bor, uni oʻchirib boʻlmaydi.
error-cannot_move_unit_into_itself = Boʻlinmani oʻzining ichiga yoki oʻziga boʻysunuvchi boʻlinmaga koʻchirib boʻlmaydi.
error-internal = Serverda xatolik yuz berdi. Keyinroq qayta urinib koʻring.
error-invalid_phone = Telefon raqami notoʻgʻri. +998 bilan boshlanadigan 12 xonali raqamni kiriting.
error-invalid_email = Elektron pochta manzili notoʻgʻri.
error-invalid_cursor = Sinxronlash holati yaroqsiz. Maʼlumotlar qaytadan yuklanadi.
error-unknown_intent = Bu amalni server bilmaydi. Ilovani yangilang.
error-invalid_intent = Amal maʼlumotlari notoʻgʻri.
error-too_many_intents = Bir vaqtda juda koʻp amal yuborildi.
error-version_conflict = Maʼlumot siz koʻrganingizdan keyin oʻzgargan. Yangi qiymatlarni koʻrib chiqing.
error-request_decided = Bu soʻrov boʻyicha qaror allaqachon qabul qilingan.
error-request_state = Soʻrovning hozirgi holatida bu amalni bajarib boʻlmaydi.
error-request_claimed = Bu soʻrovni boshqa kadrlar xodimi koʻrib chiqmoqda.
error-own_request = Oʻz soʻrovingizni oʻzingiz koʻrib chiqa olmaysiz.
error-evidence_too_large = Ilova qilingan fayl juda katta.
error-evidence_type = Faqat rasm (JPEG, PNG) yoki PDF ilova qilish mumkin.
error-evidence_missing = Ilova qilingan fayl serverga hali yuklanmagan.
error-evidence_hash_mismatch = Fayl yuklanayotganda buzilgan. Qaytadan yuboring.
error-intent_id_reused = Bu amal identifikatori boshqa amal uchun ishlatilgan.
error-unavailable = Xizmat vaqtincha ishlamayapti. Keyinroq qayta urinib koʻring.
error-intent_too_large = Bu soʻrov serverga yuborish uchun juda katta. Matnni qisqartiring.
error-own_account = Oʻz hisobingizni bloklay olmaysiz.
error-last_org_admin = Bu tashkilotning oxirgi faol administratori. Avval boshqasini tayinlang.
error-url_too_long = Soʻrov manzili juda uzun.

## Sections of a personal record: section-<wire name>.

section-education = Maʼlumoti
section-certificate = Sertifikatlar
section-work_history = Mehnat faoliyati
section-knowledge_test = Bilim testlari
section-relative = Yaqin qarindoshlari

## States of a correction request: request-state-<wire name>.

request-state-submitted = Yuborilgan
request-state-in_review = Koʻrib chiqilmoqda
request-state-needs_info = Qoʻshimcha maʼlumot kerak
request-state-conflict = Maʼlumot oʻzgargan, qayta koʻriladi
request-state-applied = Tasdiqlandi va kiritildi
request-state-rejected = Rad etildi
request-state-withdrawn = Qaytarib olindi

## Inbox lines.

# The servant's correction request reached a new state.
# $section: the record section's name (a section-… text above)
# $state: the request's new state (a request-state-… text above)
correction-notice = Tuzatish soʻrovingiz ({ $section }): { $state }

## Push alerts: a fixed text per notification kind, with no personal data.

notify-correction_decided-title = Tuzatish soʻrovi
notify-correction_decided-body = Soʻrovingiz boʻyicha qaror bor
notify-correction_waiting-title = Tuzatish soʻrovi
notify-correction_waiting-body = Tuzatish soʻrovi sizni kutmoqda
