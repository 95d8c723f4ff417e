"""Repeatable DOCX packaging: the last step of the DOCX engine, after python-docx has saved.

python-docx writes zip entries with the current time and in insertion order, and comments carry
the clock time. This module rewrites the package with fixed timestamps, a fixed entry order and
without revision ids, so the same Document always gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

# Revision-session ids and Word 2010 paragraph ids are random in Word; we never need them.
_VOLATILE_ATTRS = re.compile(rb'\s(?:w:rsid\w*|w14:paraId|w14:textId)="[^"]*"')
_RSIDS_BLOCK = re.compile(rb"<w:rsids>.*?</w:rsids>", re.S)

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def fixed_datetime(iso_date: str) -> dt.datetime:
    """Return midnight UTC of `iso_date` (`YYYY-MM-DD`), or 1980-01-01 when it is not a date."""
    try:
        day = dt.date.fromisoformat(iso_date[:10])
    except ValueError:
        day = dt.date(1980, 1, 1)
    day = max(day, dt.date(1980, 1, 1))
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def _entry_order(name: str) -> tuple[int, str]:
    # [Content_Types].xml first, as Word itself writes it and some readers expect.
    return (0 if name == "[Content_Types].xml" else 1, name)


def normalize_package(data: bytes, when: dt.datetime) -> bytes:
    """Return `data` (a .docx) rewritten with fixed entry times and order, minus rsids."""
    stamp = (when.year, when.month, when.day, 0, 0, 0) if when.year >= 1980 else ZIP_EPOCH
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in sorted(src.namelist(), key=_entry_order):
            payload = src.read(name)
            if name.endswith(".xml"):
                payload = _RSIDS_BLOCK.sub(b"", _VOLATILE_ATTRS.sub(b"", payload))
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            dst.writestr(info, payload, compresslevel=9)
    return out.getvalue()
