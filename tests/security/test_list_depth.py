"""Lists nest up to the limit the reader enforces, and every level reaches both outputs."""

from __future__ import annotations

import subprocess
from pathlib import Path

import docx

from builder.authoring.scaffold import scaffold
from builder.config import BuildConfig
from builder.pipeline import build
from builder.readers.content import MAX_LIST_DEPTH
from tests.security.test_malformed_corpus import deep_list


def test_a_list_at_the_depth_limit_prints_every_level(tmp_path: Path):
    report = tmp_path / "demo"
    scaffold(report, "demo", "zh")
    section = report / "sections" / "01-overview.yaml"
    section.write_text(section.read_text(encoding="utf-8") + "\n" + deep_list(MAX_LIST_DEPTH),
                       encoding="utf-8")
    build(BuildConfig(report_dir=report, out_dir=tmp_path / "dist", editions=("en",)))
    folder = tmp_path / "dist" / "demo"
    text = subprocess.run(["pdftotext", str(folder / "demo.en.pdf"), "-"], check=True,
                          capture_output=True, text=True).stdout
    levels = [f"level {n}" for n in range(MAX_LIST_DEPTH)]
    assert all(level in text for level in levels)
    paragraphs = [p.text for p in docx.Document(str(folder / "demo.en.docx")).paragraphs]
    assert all(level in paragraphs for level in levels)
