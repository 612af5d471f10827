### xodim texts in English (en). A text missing in another language is shown from here.
### How to edit this file: see ../README.md.

## Error messages, one per error code: error-<wire code>.

error-invalid_json = The request body is not valid JSON.
error-invalid_field = One of the fields has an invalid value.
error-missing_field = A required field is missing.
error-body_too_large = The request is too large.
error-unsupported_media_type = This content type is not supported.
error-invalid_pinfl = The PINFL is invalid. It must consist of 14 digits.
error-pinfl_birth_date_mismatch = The PINFL does not match the date of birth.
error-invalid_id = The identifier is invalid.
error-invalid_date = The date is invalid.
error-invalid_name = The name contains characters that are not allowed or has the wrong length.
error-invalid_login = The login must be 3 to 64 Latin letters, digits, dots, hyphens or underscores and start with a letter.
error-invalid_locale = This language is not supported.
error-invalid_paging = The paging parameters are invalid.
error-invalid_region_code = The region code is invalid.
error-invalid_csv = The CSV file could not be read.
error-import_rejected = The import was rejected because the file contains errors. Nothing was saved.
error-weak_password = The password is too weak. Use at least 10 characters, not only digits.
error-not_found = The requested object was not found.
error-route_not_found = This address does not exist.
error-method_not_allowed = This method is not allowed for this address.
error-unauthenticated = Please sign in.
error-token_invalid = Your session is invalid. Please sign in again.
error-token_expired = Your session has expired. Please sign in again.
error-token_revoked = Your session has been ended. Please sign in again.
error-invalid_credentials = The login or password is incorrect.
error-account_disabled = Your account has been disabled. Contact your HR department.
error-account_not_activated = Your account has not been activated yet.
error-activation_code_invalid = The activation code is incorrect or has expired.
error-refresh_token_invalid = Your session could not be renewed. Please sign in again.
error-refresh_token_reused = For your safety, all sessions have been ended. Please sign in again.
error-rate_limited = Too many attempts. Try again later.
error-forbidden = Your role does not allow this action.
error-out_of_scope = This object lies outside the units you are responsible for.
error-login_taken = This login is already taken.
error-pinfl_taken = A person with this PINFL is already registered.
error-position_code_taken = A position with this code already exists.
error-unit_code_taken = A unit with this code already exists.
error-position_occupied = This position is already occupied.
error-unit_has_children = The unit has subordinate units and cannot be removed.
error-cannot_move_unit_into_itself = A unit cannot be moved into itself or into one of its subordinate units.
error-internal = Something went wrong on the server. Try again later.
error-invalid_phone = The phone number is invalid. Enter a 12-digit number starting with +998.
error-invalid_email = The e-mail address is invalid.
error-invalid_cursor = The sync position is invalid. The data will be loaded again.
error-unknown_intent = The server does not know this action. Update the app.
error-invalid_intent = The action's data is invalid.
error-too_many_intents = Too many actions were sent at once.
error-version_conflict = The data changed after you saw it. Review the current values.
error-request_decided = This request has already been decided.
error-request_state = This action is not possible in the request's current state.
error-request_claimed = Another HR officer is reviewing this request.
error-own_request = You cannot review a request about your own file.
error-evidence_too_large = The attached file is too large.
error-evidence_type = Only a photo (JPEG, PNG) or a PDF can be attached.
error-evidence_missing = An attached file has not been uploaded yet.
error-evidence_hash_mismatch = The file was damaged in transit. Send it again.
error-intent_id_reused = This action id was already used for a different action.
error-unavailable = The service is temporarily unavailable. Try again later.
error-intent_too_large = This request is too large to send to the server. Shorten the text.
error-own_account = You cannot disable your own account.
error-last_org_admin = This is the organisation's last active administrator. Appoint another one first.
error-url_too_long = The request address is too long.

## Sections of a personal record: section-<wire name>.

section-education = Education
section-certificate = Certificates
section-work_history = Work history
section-knowledge_test = Knowledge tests
section-relative = Relatives

## States of a correction request: request-state-<wire name>.

request-state-submitted = Submitted
request-state-in_review = In review
request-state-needs_info = More information needed
request-state-conflict = Record changed, under review again
request-state-applied = Approved and applied
request-state-rejected = Rejected
request-state-withdrawn = Withdrawn

## Inbox lines.

# The servant's correction request reached a new state.
# $section: the record section's name (a section-… text above)
# $state: the request's new state (a request-state-… text above)
correction-notice = Your correction request ({ $section }): { $state }

## Push alerts: a fixed text per notification kind, with no personal data.

notify-correction_decided-title = Correction request
notify-correction_decided-body = Your request has a decision
notify-correction_waiting-title = Correction request
notify-correction_waiting-body = A correction request is waiting for you
