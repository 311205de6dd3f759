"""Seeding: office YAML files (loader) and the deterministic Faker data generator."""

from typing import Any

from mockvoso.seed.loader import SeedError, bundled_data_dir, load_offices

__all__ = ["SeedError", "bundled_data_dir", "generate_office", "load_offices", "stable_hash"]


def __getattr__(name: str) -> Any:
    # The generator imports Faker (~0.15 s): load it only when data is generated, so
    # `mockvoso serve` can check its settings before the server process starts.
    if name in ("generate_office", "stable_hash"):
        from mockvoso.seed import generator

        return getattr(generator, name)
    raise AttributeError(name)
