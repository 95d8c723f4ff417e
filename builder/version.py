"""The version of report-builder (a leaf: the root package re-exports it)."""

__version__ = "0.1.0"
