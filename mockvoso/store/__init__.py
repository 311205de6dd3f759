"""The in-memory data layer: one OfficeStore per office, no Flask."""

from mockvoso.store.office import OfficeStore

__all__ = ["OfficeStore"]
