"""A verifier for exported JSON Lines that needs nothing but the standard library (see README, "Audit").

A third party can reimplement it in a few lines. For every line, SHA-256 over the previous hash (`prev`,
32 raw bytes), then the UTF-8 header "position\\nticket_hex\\nversion\\ntopic\\npayload_length\\n", then the
32 raw bytes of `payload_sha256`, must equal the line's `hash`. A full export (with personal data) also
carries the payload: SHA-256 over `payload_salt` then the payload bytes must equal `payload_sha256`, and
their count `payload_length`. A line whose `prev` equals another line's `hash` directly follows it.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable, Mapping


def bad_export_lines(lines: Iterable[str]) -> list[int]:
    """The positions of exported events whose payload or fields no longer match their chain hash;
    ValueError naming the line for one that is not an exported event at all."""
    bad = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except ValueError:
            raise ValueError(f"line {number} is not JSON") from None
        if not isinstance(entry, dict) or type(entry.get("position")) is not int:
            raise ValueError(f"line {number} is not an exported event (no whole-number position)")
        if not _holds(entry):
            bad.append(entry["position"])
    return bad


def _holds(entry: Mapping[str, object]) -> bool:
    try:
        return _link_holds(entry) and _payload_holds(entry)
    except (KeyError, ValueError):  # a missing field, a link never written, hex or base64 mangled
        return False


def _link_holds(entry: Mapping[str, object]) -> bool:
    fields = ("position", "ticket_hex", "version", "topic", "payload_length")
    header = "".join(f"{entry[field]}\n" for field in fields).encode()
    bound = bytes.fromhex(str(entry["prev"])) + header + bytes.fromhex(str(entry["payload_sha256"]))
    return hashlib.sha256(bound).hexdigest() == entry["hash"]


def _payload_holds(entry: Mapping[str, object]) -> bool:
    """True for a masked line (no payload to check); for a full line, the payload matches its digest."""
    if "payload_b64" not in entry:
        return True
    payload = base64.b64decode(str(entry["payload_b64"]), validate=True)
    digest = hashlib.sha256(bytes.fromhex(str(entry["payload_salt"])) + payload).hexdigest()
    return digest == entry["payload_sha256"] and len(payload) == entry["payload_length"]
