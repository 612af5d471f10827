### xodim texts in Russian (ru).
### How to edit this file: see ../README.md.

## Error messages, one per error code: error-<wire code>.

error-invalid_json = Тело запроса не является корректным JSON.
error-invalid_field = Одно из полей содержит недопустимое значение.
error-missing_field = Не заполнено обязательное поле.
error-body_too_large = Слишком большой запрос.
error-unsupported_media_type = Этот тип содержимого не поддерживается.
error-invalid_pinfl = Неверный ПИНФЛ. Он должен состоять из 14 цифр.
error-pinfl_birth_date_mismatch = ПИНФЛ не соответствует дате рождения.
error-invalid_id = Неверный идентификатор.
error-invalid_date = Неверная дата.
error-invalid_name = Имя содержит недопустимые символы или имеет неверную длину.
error-invalid_login = Логин должен содержать от 3 до 64 латинских букв, цифр, точек, дефисов или подчёркиваний и начинаться с буквы.
error-invalid_locale = Этот язык не поддерживается.
error-invalid_paging = Неверные параметры постраничного вывода.
error-invalid_region_code = Неверный код территории.
error-invalid_csv = Не удалось прочитать CSV-файл.
error-import_rejected = Импорт отклонён: файл содержит ошибки. Ничего не сохранено.
error-weak_password = Пароль слишком простой. Используйте не менее 10 символов, не только цифры.
error-not_found = Запрошенный объект не найден.
error-route_not_found = Такого адреса не существует.
error-method_not_allowed = Этот метод не разрешён для данного адреса.
error-unauthenticated = Необходимо войти в систему.
error-token_invalid = Сеанс недействителен. Войдите снова.
error-token_expired = Срок действия сеанса истёк. Войдите снова.
error-token_revoked = Сеанс был завершён. Войдите снова.
error-invalid_credentials = Неверный логин или пароль.
error-account_disabled = Ваша учётная запись заблокирована. Обратитесь в отдел кадров.
error-account_not_activated = Ваша учётная запись ещё не активирована.
error-activation_code_invalid = Неверный или просроченный код активации.
error-refresh_token_invalid = Не удалось продлить сеанс. Войдите снова.
error-refresh_token_reused = В целях безопасности все сеансы завершены. Войдите снова.
error-rate_limited = Слишком много попыток. Повторите позже.
error-forbidden = Ваша роль не позволяет выполнить это действие.
error-out_of_scope = Этот объект находится вне подразделений, за которые вы отвечаете.
error-login_taken = Этот логин уже занят.
error-pinfl_taken = Человек с таким ПИНФЛ уже зарегистрирован.
error-position_code_taken = Должность с таким кодом уже существует.
error-unit_code_taken = Подразделение с таким кодом уже существует.
error-position_occupied = Эта должность уже занята.
error-unit_has_children = У подразделения есть подчинённые подразделения, его нельзя удалить.
error-cannot_move_unit_into_itself = Подразделение нельзя переместить в само себя или в подчинённое ему подразделение.
error-internal = На сервере произошла ошибка. Повторите попытку позже.
error-invalid_phone = Неверный номер телефона. Введите 12-значный номер, начинающийся с +998.
error-invalid_email = Неверный адрес электронной почты.
error-invalid_cursor = Состояние синхронизации недействительно. Данные будут загружены заново.
error-unknown_intent = Сервер не знает этого действия. Обновите приложение.
error-invalid_intent = Данные действия некорректны.
error-too_many_intents = Слишком много действий в одном запросе.
error-version_conflict = Данные изменились после того, как вы их видели. Проверьте новые значения.
error-request_decided = По этому запросу решение уже принято.
error-request_state = В текущем состоянии запроса это действие невозможно.
error-request_claimed = Этот запрос рассматривает другой сотрудник кадровой службы.
error-own_request = Нельзя рассматривать собственный запрос.
error-evidence_too_large = Приложенный файл слишком большой.
error-evidence_type = Можно приложить только фото (JPEG, PNG) или PDF.
error-evidence_missing = Приложенный файл ещё не загружен на сервер.
error-evidence_hash_mismatch = Файл повреждён при загрузке. Отправьте его снова.
error-intent_id_reused = Идентификатор действия уже использован для другого действия.
error-unavailable = Сервис временно недоступен. Повторите попытку позже.
error-intent_too_large = Этот запрос слишком велик для отправки на сервер. Сократите текст.
error-own_account = Нельзя отключить собственную учётную запись.
error-last_org_admin = Это последний активный администратор организации. Сначала назначьте другого.
error-url_too_long = Адрес запроса слишком длинный.

## Sections of a personal record: section-<wire name>.

section-education = Образование
section-certificate = Сертификаты
section-work_history = Трудовая деятельность
section-knowledge_test = Тестирование знаний
section-relative = Близкие родственники

## States of a correction request: request-state-<wire name>.

request-state-submitted = Отправлена
request-state-in_review = На рассмотрении
request-state-needs_info = Нужны сведения
request-state-conflict = Данные изменились, пересматривается
request-state-applied = Одобрена и внесена
request-state-rejected = Отклонена
request-state-withdrawn = Отозвана

## Inbox lines.

# The servant's correction request reached a new state.
# $section: the record section's name (a section-… text above)
# $state: the request's new state (a request-state-… text above)
correction-notice = Ваш запрос на исправление ({ $section }): { $state }

## Push alerts: a fixed text per notification kind, with no personal data.

notify-correction_decided-title = Запрос на исправление
notify-correction_decided-body = По вашему запросу есть решение
notify-correction_waiting-title = Запрос на исправление
notify-correction_waiting-body = Запрос на исправление ждёт вас
