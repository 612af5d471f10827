"""A servant asks HR to correct their file offline and an HR officer approves it, from Python.

Runs against a real server (XODIM_URL) seeded by `xodim-server demo`: the servant
(XODIM_LOGIN, default demo-servant) signs in, syncs and reads their file, loses the network,
proposes an edit of an education item with a PDF as evidence, closes and reopens the core, gets
the network back and syncs. A second device signed in as the HR officer (XODIM_HR_LOGIN, default
demo-hr) finds the request in its review queue and approves it. The servant's next sync shows
the changed item, the request applied and an unread inbox entry; reading it lowers the badge at
once, and a second phone of the servant shows it read after its sync. The servant's phone keeps
the push token it was given until sign-out forgets it.
"""

import gc
import os
import random
import tempfile
import time

from xodim_core import CoreError, IntentState, XodimCore

URL = os.environ["XODIM_URL"]
LOGIN = os.environ.get("XODIM_LOGIN", "demo-servant")
HR_LOGIN = os.environ.get("XODIM_HR_LOGIN", "demo-hr")
PASSWORD = os.environ.get("XODIM_PASSWORD") or os.environ.get(
    "XODIM_DEMO_PASSWORD", "xodim-demo-2026"
)
UNREACHABLE = "http://127.0.0.1:9"
PUSH_TOKEN = "scenario-fcm-token-" + os.urandom(4).hex()
SECTIONS = ["education", "certificate", "work_history", "knowledge_test", "relative"]


def sync_until_settled(core):
    """Syncs as an app does: when intents wait for their back-off, again at the time it names."""
    for _ in range(10):
        report = core.sync(None)
        if report.pending == 0 or report.retry_at_ms is None:
            return
        time.sleep(max(0.0, report.retry_at_ms / 1000 - time.time()) + 0.05)
    raise AssertionError("intents never settled")


def find(items, id):
    return next((item for item in items if item.id == id), None)


def read_file_and_pick_education(phone_file):
    servant = XodimCore.open(phone_file, URL, "uz-Latn")
    servant.login(LOGIN, PASSWORD)
    # Online, the server takes the token at once; offline the next sync would send it.
    servant.set_push_token(PUSH_TOKEN, "android")
    stored = servant.push_token()
    assert (stored.token, stored.platform) == (PUSH_TOKEN, "android"), stored
    assert stored.registered, "the server holds the token for this device"
    servant.sync(None)
    records = servant.records()
    assert set(SECTIONS) <= {r.section for r in records}, sorted({r.section for r in records})
    keys = [(SECTIONS.index(r.section), r.id) for r in records]
    assert keys == sorted(keys), "by section in the order of the file, then id"
    education = next(r for r in records if r.section == "education")
    assert education.section_label and education.fields["institution"], education
    return education


def propose_offline(phone_file, education, diploma_no):
    offline = XodimCore.open(phone_file, UNREACHABLE, "uz-Latn")
    bad = dict(education.fields, end_year="1800")
    try:
        offline.propose_correction("education", "edit", education.id, bad, "Xato", [])
        raise AssertionError("a bad year must be refused on the device")
    except CoreError.Validation as error:
        assert error.code in ("invalid_field", "invalid_date"), error.code
    pdf = b"%PDF-1.4\n% diploma scan " + os.urandom(8).hex().encode() + b"\n%%EOF\n"
    evidence = offline.attach_evidence(pdf, "application/pdf")
    fields = dict(education.fields, diploma_no=diploma_no)
    reason = "Diplom raqami notoʻgʻri kiritilgan"
    queued = offline.propose_correction("education", "edit", education.id, fields, reason, [evidence])
    request = find(offline.correction_requests(), queued.aggregate.removeprefix("request:"))
    assert request.state == "submitted" and request.pending, request
    assert request.proposed["diploma_no"] == diploma_no, request
    assert find(offline.records(), education.id).pending_request == request.id
    try:
        offline.sync(None)
        raise AssertionError("a sync without network must fail")
    except CoreError.Network:
        pass
    return request.id


def send_when_online(phone_file, request_id):
    online = XodimCore.open(phone_file, URL, "uz-Latn")
    assert [i.state for i in online.intents()] == [IntentState.QUEUED], online.intents()
    sync_until_settled(online)
    assert [i.state for i in online.intents()] == [IntentState.APPLIED], online.intents()
    request = find(online.correction_requests(), request_id)
    assert request.state == "submitted" and not request.pending and request.version > 0, request
    return online


def approve_as_hr(hr_file, request_id, diploma_no):
    hr = XodimCore.open(hr_file, URL, "ru")
    hr.login(HR_LOGIN, PASSWORD)
    hr.sync(None)
    waiting = find(hr.review_queue(), request_id)
    assert waiting is not None, "the request reached the HR officer's queue"
    assert waiting.proposed["diploma_no"] == diploma_no and waiting.employee_name, waiting
    hr.approve_request(request_id, "Diplom nusxasi tekshirildi")
    assert find(hr.review_queue(), request_id).pending
    sync_until_settled(hr)
    assert hr.intents()[-1].state == IntentState.APPLIED, hr.intents()
    assert find(hr.review_queue(), request_id) is None, "a decided request leaves the queue"


def read_on_one_phone_shows_on_the_other(online, entry, second_file):
    assert not entry.read, entry
    badge = online.unread_count()
    assert badge >= 1, badge
    online.mark_read(entry.id)
    assert find(online.inbox(), entry.id).read, "read at once"
    assert online.unread_count() == badge - 1
    online.mark_read(entry.id)
    assert len([i for i in online.intents() if i.kind == "inbox.read"]) == 1, "read once"
    sync_until_settled(online)
    second = XodimCore.open(second_file, URL, "en")
    second.login(LOGIN, PASSWORD)
    second.sync(None)
    assert find(second.inbox(), entry.id).read, "read on the other phone"
    assert second.unread_count() == online.unread_count()


def main():
    folder = tempfile.mkdtemp()
    phone_file = os.path.join(folder, "servant.db")
    diploma_no = "".join(random.choice("0123456789") for _ in range(7))

    education = read_file_and_pick_education(phone_file)
    gc.collect()
    request_id = propose_offline(phone_file, education, diploma_no)
    gc.collect()
    online = send_when_online(phone_file, request_id)
    approve_as_hr(os.path.join(folder, "hr.db"), request_id, diploma_no)

    online.sync(None)
    record = find(online.records(), education.id)
    assert record.fields["diploma_no"] == diploma_no, record
    assert record.version > education.version and record.pending_request is None, record
    request = find(online.correction_requests(), request_id)
    assert request.state == "applied" and not request.pending, request
    entry = next(e for e in online.inbox() if e.request_id == request_id)
    assert education.section_label in entry.text and request.state_label in entry.text, entry
    read_on_one_phone_shows_on_the_other(online, entry, os.path.join(folder, "second.db"))
    assert online.push_token().token == PUSH_TOKEN, "kept across restarts"
    online.logout()
    assert online.push_token() is None, "sign-out forgets the token"
    print("python: a correction proposed offline was approved by HR and reached the file")


if __name__ == "__main__":
    main()
