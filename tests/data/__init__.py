"""Measurement corpora copied from ../shared (README.md); a package so tests import refresh."""
