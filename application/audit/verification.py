"""Re-walking the chain in position order to find the first place the record was altered."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from application.audit.chain import GENESIS, ChainSource, Link, StoredRecord, link_hash
from application.audit.checkpoints import Checkpoint

BATCH_SIZE = 10_000


@dataclass(frozen=True)
class VerifyResult:
    """What a walk over the chain found: intact up to its head, or the first bad position and why."""

    ok: bool
    events_checked: int
    head_position: int | None
    head_hash: str | None
    first_bad_position: int | None = None
    problem: str | None = None


class ChainBrokenError(Exception):
    def __init__(self, position: int, problem: str) -> None:
        super().__init__(f"position {position}: {problem}")
        self.position = position
        self.problem = problem


@dataclass
class _Walk:
    """The running state of one walk: the last good link, and the checkpoint still to be reached."""

    prev: bytes = GENESIS
    head: int | None = None
    checked: int = 0
    expect: Checkpoint | None = None

    def step(self, record: StoredRecord, link: Link) -> None:
        if link.prev != self.prev:
            raise ChainBrokenError(
                record.position,
                "the link does not follow the one before it: an event was deleted or inserted",
            )
        current = link_hash(self.prev, record, link.salt)
        if current != link.hash:
            raise ChainBrokenError(
                record.position, "the event was modified or moved: it no longer matches its hash"
            )
        self._pass_checkpoint(record.position, current)
        self.prev, self.head = current, record.position
        self.checked += 1

    def _pass_checkpoint(self, position: int, current: bytes) -> None:
        expect = self.expect
        if expect is None or position < expect.position:
            return
        if position > expect.position or current != expect.hash:
            raise ChainBrokenError(
                expect.position, "the store does not extend the signed checkpoint: the chain was rewritten"
            )
        self.expect = None

    def walk(self, records: Sequence[StoredRecord], links: Sequence[Link]) -> None:
        index, count = 0, len(links)
        for record in records:
            while index < count and links[index].position < record.position:
                _missing(links[index].position)
            if index == count or links[index].position != record.position:
                raise ChainBrokenError(record.position, "the event has no chain link: it was inserted")
            self.step(record, links[index])
            index += 1
        if index < count:
            _missing(links[index].position)


def _missing(position: int) -> None:
    raise ChainBrokenError(position, "the event is missing but its chain link remains: it was deleted")


def verify_chain(
    source: ChainSource,
    *,
    expect: Checkpoint | None = None,
    resume: Checkpoint | None = None,
    batch_size: int = BATCH_SIZE,
) -> VerifyResult:
    """Walk the whole chain (or from a trusted checkpoint on) and report the first bad position."""
    walk = _Walk(expect=expect)
    try:
        after = _resume(source, walk, resume) if resume else 0
        while True:
            batch = source.chain_batch(after, batch_size)
            walk.walk(batch.records, batch.links)
            if batch.last:
                break
            after = batch.records[-1].position
        if walk.expect is not None:
            raise ChainBrokenError(walk.expect.position, "the store no longer reaches the signed checkpoint")
    except ChainBrokenError as broken:
        return _result(walk, broken)
    return _result(walk, None)


def _resume(source: ChainSource, walk: _Walk, resume: Checkpoint) -> int:
    """Start after a trusted checkpoint, once its own event still hashes to the signed link."""
    batch = source.chain_batch(resume.position - 1, 1)
    link = source.chain_link(resume.position)
    record = batch.records[0] if batch.records else None
    if record is None or link is None or record.position != resume.position or link.hash != resume.hash:
        raise ChainBrokenError(resume.position, "the checkpointed event or its link was changed or removed")
    walk.prev = link.prev
    walk.step(record, link)
    return resume.position


def _result(walk: _Walk, broken: ChainBrokenError | None) -> VerifyResult:
    return VerifyResult(
        ok=broken is None,
        events_checked=walk.checked,
        head_position=walk.head,
        head_hash=walk.prev.hex() if walk.head is not None else None,
        first_bad_position=broken.position if broken else None,
        problem=broken.problem if broken else None,
    )
