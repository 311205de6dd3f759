"""Seeding: office YAML files (loader) and the deterministic Faker data generator."""

from mockvoso.seed.generator import generate_office, stable_hash
from mockvoso.seed.loader import SeedError, bundled_data_dir, load_offices

__all__ = ["SeedError", "bundled_data_dir", "generate_office", "load_offices", "stable_hash"]
