"""The control plane under /_mockvoso: health, offices, reset, faults, limits, journal, snapshot."""
