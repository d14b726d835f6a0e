"""Deterministic demo data for trying Samen out and for benchmarks."""
