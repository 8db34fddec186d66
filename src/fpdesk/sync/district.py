"""The township's side of the exchange with the district hub (docs/hub.md).

The township sends the hub every change the hub has not acknowledged
(`bundle export --to-district`, bundles._export_changes); the hub answers each import
with a small acknowledgement bundle (kind 'ack', no payload: the manifest's `ack` is
how far the hub has applied this register's changes, contiguously).  Importing it
here moves the district peer's `acked_by_peer`, so the next export starts after it.
"""

from __future__ import annotations

from fpdesk.store.db import Register
from fpdesk.sync.envelope import Opened
from fpdesk.sync.ledger import ACCEPTED, DUPLICATE, FileResult
from fpdesk.sync.township import DUPLICATE_REASON


def import_ack(register: Register, opened: Opened, result: FileResult) -> FileResult:
    """Take a verified acknowledgement from the hub.  Runs inside the caller's
    transaction; an older acknowledgement than one taken already changes nothing."""
    device = opened.sender["device_id"]
    ack = int(opened.manifest["ack"])
    if ack <= int(opened.sender["acked_by_peer"]):
        result.outcome, result.reason = DUPLICATE, DUPLICATE_REASON
        return result
    register.conn.execute(
        "UPDATE sync_device SET acked_by_peer = ? WHERE device_id = ?", (ack, device)
    )
    result.outcome = ACCEPTED
    return result
