"""Which parts of a view's table (its rows, its position, its indexes) a database holds."""

from __future__ import annotations

from abc import ABC, abstractmethod

from infrastructure.projections.tables import Table


class StoredTable(ABC):
    """A view kept in a table of a database that can say which of the table's parts it holds (first among a
    view's bases, so that these answers take the place of the contract's defaults)."""

    table: Table

    @abstractmethod
    def _present(self, names: list[str]) -> set[str]:
        """Which of these tables and indexes the database holds."""

    def is_created(self) -> bool:
        parts = [self.table.name, self.table.tracking_name]
        return self._present(parts) == set(parts)

    def missing_indexes(self) -> list[str]:
        present = self._present(self.table.index_names)
        return [name for name in self.table.index_names if name not in present]
