"""The deployment's settings, read from HOTLINE_* environment variables."""

from __future__ import annotations

from datetime import timedelta, timezone

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from infrastructure.stores import DEFAULT_DATABASE_URL, Store, store_for


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HOTLINE_", extra="ignore")

    database_url: str = Field(
        default=DEFAULT_DATABASE_URL,
        description="sqlite:///path/to/file.db (default), postgresql://user:pw@host:port/db or memory://",
    )
    utc_offset_hours: float = Field(
        default=8, ge=-12, le=14, description="The zone responses are given in; +08:00 for China."
    )

    @property
    def store(self) -> Store:
        return store_for(self.database_url)

    @property
    def zone(self) -> timezone:
        return timezone(timedelta(hours=self.utc_offset_hours))
