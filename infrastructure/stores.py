"""Which event store to use, chosen by one URL (HOTLINE_DATABASE_URL), as eventsourcing's environment."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from psycopg.conninfo import make_conninfo

DEFAULT_DATABASE_URL = "sqlite:///var/hotline.db"
# The durable stores append a hash-chain link with every event (tamper evidence, see README "Audit").
CHAINED_RECORDERS = {
    "sqlite": "infrastructure.audit.sqlite_chain:ChainedSQLiteApplicationRecorder",
    "postgres": "infrastructure.audit.postgres_chain:ChainedPostgresApplicationRecorder",
}


class UnsupportedStoreError(ValueError):
    def __init__(self, url: str, problem: str | None = None) -> None:
        super().__init__(
            f"Unsupported HOTLINE_DATABASE_URL {_without_password(url)!r}: "
            + (
                problem
                or "use sqlite:///path/to/file.db, postgresql://user:password@host:port/dbname or memory://"
            )
        )


def _without_password(url: str) -> str:
    """The URL as it may be shown (in an error, a log): its password replaced by ***, whether it came as
    `user:password@` or as libpq's `?password=` (read as text: the URL may not even parse)."""
    shown = re.sub(r"(://[^:/@]*:)[^@/]*@", r"\1***@", url, count=1)
    return re.sub(r"([?&]password=)[^&]*", r"\1***", shown)


POSTGRES_OPTIONS = {  # the URL's query → the library's setting; all but these two are whole numbers
    "schema": "POSTGRES_SCHEMA",
    "password": "POSTGRES_PASSWORD",  # libpq's way, for a password a URL's user part cannot hold
    "pool_size": "POSTGRES_POOL_SIZE",
    "max_overflow": "POSTGRES_MAX_OVERFLOW",
    "connect_timeout": "POSTGRES_CONNECT_TIMEOUT",  # also how long to wait for a free connection
}


@dataclass(frozen=True)
class Store:
    """A parsed database URL: what kind of store, and the library settings that open it."""

    kind: str  # "memory", "sqlite" or "postgres"
    env: dict[str, str]

    @property
    def place(self) -> str:
        """Where the store is, as a person names it (never with its password)."""
        env = self.env
        if self.kind == "sqlite":
            return str(Path(env["SQLITE_DBNAME"]).resolve())
        if self.kind == "postgres":
            where = f"{env['POSTGRES_HOST']}:{env['POSTGRES_PORT']}/{env['POSTGRES_DBNAME']}"
            return f"schema {env.get('POSTGRES_SCHEMA') or 'public'!r} of {where}"
        return "memory"

    @property
    def has_subscriptions(self) -> bool:
        """Only PostgreSQL can push new events to a projection runner (LISTEN/NOTIFY)."""
        return self.kind == "postgres"


def store_for(url: str) -> Store:
    try:
        parts = urlsplit(url)
    except ValueError as error:  # e.g. an unclosed [ of an IPv6 address
        raise UnsupportedStoreError(url, str(error)) from None
    if parts.scheme == "memory":
        return Store("memory", {"PERSISTENCE_MODULE": "infrastructure.memory_store:FencedPOPOFactory"})
    if parts.scheme == "sqlite":
        return Store("sqlite", _sqlite_env(unquote(parts.path), parts.netloc))
    if parts.scheme in ("postgresql", "postgres"):
        return Store("postgres", _postgres_env(url))
    raise UnsupportedStoreError(url)


def _sqlite_env(path: str, netloc: str) -> dict[str, str]:
    # sqlite:///var/x.db is relative to the working directory; sqlite:////abs/x.db is absolute.
    db_path = path[1:] if path.startswith("/") else path
    if netloc:
        db_path = f"{netloc}/{db_path}"
    return {
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "SQLITE_DBNAME": db_path or ":memory:",
        "SQLITE_LOCK_TIMEOUT": "30",
        "APPLICATION_RECORDER_TOPIC": CHAINED_RECORDERS["sqlite"],
    }


def _postgres_env(url: str) -> dict[str, str]:
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    try:
        port = parts.port or 5432
    except ValueError as error:
        raise UnsupportedStoreError(url, f"{error}") from None
    env = {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": unquote(parts.path.lstrip("/")) or "postgres",
        "POSTGRES_HOST": parts.hostname or "127.0.0.1",
        "POSTGRES_PORT": str(port),
        "POSTGRES_USER": unquote(parts.username or "postgres"),
        "POSTGRES_PASSWORD": unquote(parts.password or ""),
        "APPLICATION_RECORDER_TOPIC": CHAINED_RECORDERS["postgres"],
    }
    unknown = sorted(set(query) - set(POSTGRES_OPTIONS))
    if unknown:
        raise UnsupportedStoreError(
            url, f"unknown option {', '.join(unknown)}; known: {', '.join(POSTGRES_OPTIONS)}"
        )
    for key, value in ((key, values[-1]) for key, values in query.items()):
        if key not in ("schema", "password") and not value.isdigit():
            raise UnsupportedStoreError(url, f"{key} must be a whole number, not {value!r}")
        env[POSTGRES_OPTIONS[key]] = value
    return env


def postgres_conninfo(env: Mapping[str, str]) -> str:
    """How to connect to the PostgreSQL store `env` names, for a connection of one's own outside the pools
    (the views' lock, or finding out why the pools got no connection)."""
    return make_conninfo(
        host=env["POSTGRES_HOST"],
        port=env["POSTGRES_PORT"],
        dbname=env["POSTGRES_DBNAME"],
        user=env["POSTGRES_USER"],
        password=env["POSTGRES_PASSWORD"],
        connect_timeout=env.get("POSTGRES_CONNECT_TIMEOUT"),
    )
