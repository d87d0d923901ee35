"""The category list (content codes with their Chinese names), kept as data in categories.json."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from importlib import resources

from domain.deadlines import STANDARD_POLICY, DeadlinePolicy
from domain.errors import InvalidInputError


@dataclass(frozen=True)
class Category:
    code: str
    name: str
    resolution: timedelta | None  # a longer span than the kind's, for multi-department matters


@dataclass(frozen=True)
class CategoryCatalog:
    categories: dict[str, Category]

    @classmethod
    def load(cls, text: str | None = None) -> CategoryCatalog:
        """The catalogue from JSON text, by default the packaged categories.json."""
        if text is None:
            text = resources.files("application").joinpath("categories.json").read_text("utf-8")
        entries = json.loads(text)
        return cls(
            {
                code: Category(code, entry["name"], _days(entry.get("resolution_days")))
                for code, entry in entries.items()
            }
        )

    def require(self, code: str) -> Category:
        try:
            return self.categories[code]
        except KeyError:
            known = ", ".join(sorted(self.categories))
            raise InvalidInputError(
                "category", f"unknown category {code!r}; the categories: {known}"
            ) from None

    def deadline_policy(self, base: DeadlinePolicy = STANDARD_POLICY) -> DeadlinePolicy:
        """The base policy with this catalogue's per-category resolution spans."""
        overrides = {c.code: c.resolution for c in self.categories.values() if c.resolution}
        return DeadlinePolicy(
            name=base.name,
            response=base.response,
            resolution_by_urgency=base.resolution_by_urgency,
            resolution_by_kind=base.resolution_by_kind,
            resolution_by_category={**base.resolution_by_category, **overrides},
            calendar=base.calendar,
        )


def _days(value: float | None) -> timedelta | None:
    return None if value is None else timedelta(days=value)
