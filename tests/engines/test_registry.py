"""Adding an output format is one engine module plus one line in `builder.engines.ENGINES`."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest

from builder import engines
from builder.config import BuildConfig
from builder.model.document import Document, Heading, Paragraph
from builder.pipeline import build
from tests.helpers import REPORT


def render(document: Document, theme: object) -> bytes:
    """A plain-text engine: every heading and paragraph, one per line."""
    lines = []
    for block in document.blocks:
        if isinstance(block, Heading | Paragraph):
            lines.append("".join(span.text for span in block.text))
    return ("\n".join(lines) + "\n").encode("utf-8")


@pytest.fixture
def text_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    module = types.ModuleType("throwaway_text_engine")
    module.render = render  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, module.__name__, module)
    monkeypatch.setitem(engines.ENGINES, "txt", engines.Engine(module.__name__))


def test_a_registered_engine_builds_its_format(text_engine: None, tmp_path: Path):
    result = build(BuildConfig(report_dir=REPORT, out_dir=tmp_path, editions=("en", "zh"),
                               formats=("txt", "docx")))
    written = sorted(p.name for p in result.written)
    assert written == ["gpu-market.en.docx", "gpu-market.en.txt", "gpu-market.zh.docx",
                       "gpu-market.zh.txt"]
    text = (tmp_path / "gpu-market" / "gpu-market.en.txt").read_text(encoding="utf-8")
    assert "Executive summary" in text
    assert "执行摘要" in (tmp_path / "gpu-market" / "gpu-market.zh.txt").read_text("utf-8")
    # Incremental like the others: nothing changed, nothing rebuilt.
    again = build(BuildConfig(report_dir=REPORT, out_dir=tmp_path, editions=("en",),
                              formats=("txt",)))
    assert again.written == []


def test_the_formats_everywhere_come_from_the_registry():
    from builder import config

    assert config.FORMATS == tuple(engines.ENGINES) == ("pdf", "docx")
