"""A verifier for exported JSON Lines that needs nothing but the standard library (see README, "Audit").

A third party can reimplement it in a few lines: for every line, SHA-256 over the previous hash (32 raw
bytes), then the UTF-8 header "position\\nticket_hex\\nversion\\ntopic\\npayload length\\n", then the payload
bytes, must equal the line's hash; and a line that follows the previous line's position directly in the
chain (its `prev` equals that line's `hash`) shows the two are consecutive links.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable


def bad_export_lines(lines: Iterable[str]) -> list[int]:
    """The positions of exported events whose payload or fields no longer match their chain hash."""
    bad = []
    for line in lines:
        if not line.strip():
            continue
        entry = json.loads(line)
        payload = base64.b64decode(entry["payload_b64"])
        fields = (entry["position"], entry["ticket_hex"], entry["version"], entry["topic"], len(payload))
        header = "".join(f"{field}\n" for field in fields)
        digest = hashlib.sha256(bytes.fromhex(entry["prev"]) + header.encode() + payload).hexdigest()
        if digest != entry["hash"]:
            bad.append(int(entry["position"]))
    return bad
