"""A long offline queue reaches the server whole, and signing out leaves nothing readable, from
Python.

Runs against a real server (XODIM_URL) seeded by `xodim-server demo`: the servant (XODIM_LOGIN)
signs in and syncs their file, loses the network and proposes 80 relatives with reasons of 2,000
characters (more than the server takes in one request), gets the network back and syncs: every
one is applied. Then the servant signs out, and the bytes of the database file and its -wal and
-shm files are scanned: no relative's name, no queued reason, no education item is left.
"""

import gc
import os
import tempfile
import time

from xodim_core import CoreError, IntentState, XodimCore

URL = os.environ["XODIM_URL"]
LOGIN = os.environ.get("XODIM_LOGIN", "demo-servant")
PASSWORD = os.environ.get("XODIM_PASSWORD") or os.environ.get(
    "XODIM_DEMO_PASSWORD", "xodim-demo-2026"
)
UNREACHABLE = "http://127.0.0.1:9"
QUEUED = 80


def sync_until_settled(core):
    """Syncs as an app does: when intents wait for their back-off, again at the time it names."""
    for _ in range(10):
        report = core.sync(None)
        if report.pending == 0 or report.retry_at_ms is None:
            return
        time.sleep(max(0.0, report.retry_at_ms / 1000 - time.time()) + 0.05)
    raise AssertionError("intents never settled")


def reason(n):
    head = f"{n} Ukam roʻyxatda yoʻq: "
    return head + "ж" * (2000 - len(head))


def files_holding(phone_file, text):
    needle = text.encode("utf-8")
    found = []
    for suffix in ("", "-wal", "-shm", "-journal"):
        try:
            with open(phone_file + suffix, "rb") as f:
                if needle in f.read():
                    found.append(suffix or "db")
        except FileNotFoundError:
            pass
    return found


def queue_offline(phone_file, tag):
    offline = XodimCore.open(phone_file, UNREACHABLE, "uz-Cyrl")
    for n in range(QUEUED):
        fields = {"relation": "brother", "full_name": f"{tag} Aka{n}", "birth_year": "1990"}
        offline.propose_correction("relative", "add", None, fields, reason(n), [])
    try:
        offline.sync(None)
        raise AssertionError("a sync without network must fail")
    except CoreError.Network:
        pass


def main():
    phone_file = os.path.join(tempfile.mkdtemp(), "servant.db")
    tag = "Pyqueue" + os.urandom(3).hex()
    core = XodimCore.open(phone_file, URL, "uz-Latn")
    core.login(LOGIN, PASSWORD)
    core.sync(None)
    secrets = [r.fields["full_name"] for r in core.records() if r.section == "relative"]
    secrets += [r.fields["institution"] for r in core.records() if r.section == "education"]
    assert secrets, "the demo servant has relatives and education"
    assert files_holding(phone_file, secrets[0]), "the file holds the data before sign-out"
    del core
    gc.collect()

    queue_offline(phone_file, tag)
    gc.collect()
    online = XodimCore.open(phone_file, URL, "uz-Latn")
    sync_until_settled(online)
    states = [i.state for i in online.intents()]
    assert states == [IntentState.APPLIED] * QUEUED, [(i.state, i.code) for i in online.intents()]
    mine = [r for r in online.correction_requests() if (r.proposed or {}).get("full_name", "").startswith(tag)]
    assert len(mine) == QUEUED and all(not r.pending for r in mine), len(mine)
    assert all(len(r.reason) == 2000 for r in mine)

    online.logout()
    secrets += [f"{tag} Aka0", f"{tag} Aka{QUEUED - 1}", reason(7)[:40]]
    left = {s: files_holding(phone_file, s) for s in secrets if files_holding(phone_file, s)}
    assert not left, f"readable after sign-out: {left}"
    assert not online.is_signed_in() and online.records() == [] and online.intents() == []
    print(f"python: {QUEUED} long intents queued offline were applied; sign-out left nothing readable")


if __name__ == "__main__":
    main()
