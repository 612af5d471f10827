"""A servant changes their contact details offline, from Python through the generated bindings.

Runs against a real server (XODIM_URL) as XODIM_LOGIN / XODIM_PASSWORD: sign in, first sync,
lose the network, change the details offline, close and reopen the core from the same file, get
the network back, sync, and see the change on a second device of the same servant.
"""

import gc
import os
import random
import tempfile
import time

from xodim_core import CoreError, IntentState, SyncListener, XodimCore

URL = os.environ["XODIM_URL"]
LOGIN = os.environ["XODIM_LOGIN"]
PASSWORD = os.environ["XODIM_PASSWORD"]
UNREACHABLE = "http://127.0.0.1:9"


class Recorder(SyncListener):
    def __init__(self):
        self.progress = []
        self.kinds = set()

    def on_progress(self, received):
        self.progress.append(received)

    def on_changed(self, kinds):
        self.kinds.update(kinds)


def sync_until_settled(core):
    """Syncs as an app does: when intents wait for their back-off, again at the time it names."""
    for _ in range(10):
        report = core.sync(None)
        if report.pending == 0 or report.retry_at_ms is None:
            return
        time.sleep(max(0.0, report.retry_at_ms / 1000 - time.time()) + 0.05)
    raise AssertionError("intents never settled")


def main():
    folder = tempfile.mkdtemp()
    phone_file = os.path.join(folder, "phone.db")
    number = "+99890" + "".join(random.choice("0123456789") for _ in range(7))

    phone = XodimCore.open(phone_file, URL, "uz-Latn")
    phone.login(LOGIN, PASSWORD)
    recorder = Recorder()
    phone.sync(recorder)
    assert recorder.progress, "a first sync reports its progress"
    assert phone.units(), "the organisation catalogue arrived"
    del phone
    gc.collect()

    offline = XodimCore.open(phone_file, UNREACHABLE, "ru")
    try:
        offline.update_contact("12345", None, None)
        raise AssertionError("a bad phone must be refused on the device")
    except CoreError.Validation as error:
        assert error.code == "invalid_phone", error.code
    offline.update_contact(number, "servant@adliya.uz", "Toshkent, Yunusobod 4")
    try:
        offline.sync(None)
        raise AssertionError("a sync without network must fail")
    except CoreError.Network:
        pass
    shown = offline.contact()
    assert shown.phone == number and shown.pending, shown
    del offline
    gc.collect()

    online = XodimCore.open(phone_file, URL, "uz-Latn")
    assert [i.state for i in online.intents()] == [IntentState.QUEUED], online.intents()
    sync_until_settled(online)
    assert [i.state for i in online.intents()] == [IntentState.APPLIED], online.intents()
    synced = online.contact()
    assert synced.phone == number and not synced.pending, synced

    tablet = XodimCore.open(os.path.join(folder, "tablet.db"), URL, "en")
    tablet.login(LOGIN, PASSWORD)
    tablet.sync(None)
    seen = tablet.contact()
    assert seen.phone == number and seen.version == synced.version, seen
    print("python: offline contact change reached the server and the second device")


if __name__ == "__main__":
    main()
