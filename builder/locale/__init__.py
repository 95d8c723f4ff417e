"""Locale data, defined once: content languages, editions, language tags, and the build date.

A leaf of the package: it imports nothing of report-builder, and every layer may import it.
Number, currency and date formatting per language live in `builder.locale.numbers`.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Literal

#: The languages a text holds, side by side (`zh:` and `en:` in content files).
LANGS: tuple[str, ...] = ("zh", "en")
#: The editions a report can be built in.
EDITIONS: tuple[str, ...] = ("zh", "en", "bilingual")
#: The content languages each edition shows, main language first.
EDITION_LANGS: dict[str, tuple[str, ...]] = {
    "zh": ("zh",), "en": ("en",), "bilingual": ("zh", "en"),
}

Lang = Literal["zh-CN", "en"]
#: Content language key (`zh`, `en`) -> the BCP 47 tag the documents and charts carry.
LANG_TAGS: dict[str, Lang] = {"zh": "zh-CN", "en": "en"}

#: The chart language of a bilingual figure: texts in Chinese over English, numbers in both.
PAIRED = "zh+en"
Edition = Literal["zh", "en", "bilingual"]


def source_date_epoch() -> dt.datetime | None:
    """Return `SOURCE_DATE_EPOCH` as a UTC datetime, or None when it is unset or not a number.

    Every date a build prints or stores comes from the content or from here, never the clock,
    so repeated builds give the same bytes.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC) if epoch.isdigit() else None
