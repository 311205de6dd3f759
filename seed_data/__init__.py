"""Bundled seed folder, installed as mockvoso.seed_data: one YAML file per office."""
