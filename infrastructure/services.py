"""Everything the API serves from, opened on one store: the application, the keys, idempotency records."""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import timezone

from application.handling import CaseHandling, Clock, utc_now
from application.idempotency import IdempotencyStore
from application.keys import KeyRing
from infrastructure.idempotency_stores import SqlIdempotencyStore
from infrastructure.key_stores import MemoryKeyStore, SqlKeyStore
from infrastructure.memory_store import FencedPOPOApplicationRecorder, MemoryIdempotencyStore
from infrastructure.projections.keeper import keeping_the_views
from infrastructure.projections.read_side import ProjectedReadSide, open_read_side
from infrastructure.settings import Settings
from infrastructure.sql import database_of
from infrastructure.stores import Store
from infrastructure.wiring import open_case_handling


@dataclass
class Services:
    """What one running API uses; keep it referenced while serving (the store's pool closes with it)."""

    store: Store
    app: CaseHandling
    keys: KeyRing
    idempotency: IdempotencyStore
    zone: timezone
    clock: Clock = utc_now
    read_side: ProjectedReadSide | None = None
    _keeper: ExitStack = field(default_factory=ExitStack, init=False, repr=False)
    _started: bool = field(default=False, init=False, repr=False)

    def start(self) -> None:
        """Keep the views current in the background where no `hotline worker` does (SQLite, memory),
        holding them (ViewsBusyError if another process does). Once: started again, nothing changes."""
        if self._started:
            return
        if self.read_side is not None and self.read_side.follower is not None:
            self._keeper.enter_context(keeping_the_views(self.store))
            self.read_side.start()
        self._started = True

    def stop(self) -> None:
        if self.read_side is not None:
            self.read_side.stop()
        self._keeper.close()
        self._started = False

    def close(self) -> None:
        """Release every connection: the views' pools, then the application's."""
        if self.read_side is not None:
            self.read_side.close()
        self.app.close()


def open_services(settings: Settings, *, clock: Clock = utc_now) -> Services:
    """The application and its side tables, all in the store `settings` names."""
    store = settings.store
    app = open_case_handling(store, clock=clock)
    views = open_read_side(store, app)
    db = database_of(app)
    if db is None:
        assert isinstance(app.recorder, FencedPOPOApplicationRecorder)  # the in-memory store's
        idempotency = MemoryIdempotencyStore(app.recorder)
        return Services(store, app, KeyRing(MemoryKeyStore()), idempotency, settings.zone, clock, views)
    return Services(
        store, app, KeyRing(SqlKeyStore(db)), SqlIdempotencyStore(db), settings.zone, clock, views
    )
