"""Every DOCX edition passes openxml-audit (the Open XML SDK's schema and semantic rules)."""

from __future__ import annotations

from pathlib import Path

import pytest
from openxml_audit import OpenXmlValidator

from builder.engines.docx import render
from builder.themes import load_theme
from tests.sample_document import sample_document


@pytest.mark.parametrize("theme", ["default", "classic"])
@pytest.mark.parametrize("edition", ["zh", "en", "bilingual"])
def test_the_docx_has_no_schema_or_semantic_errors(edition: str, theme: str, chart,
                                                    tmp_path: Path):
    path = tmp_path / f"{edition}.docx"
    path.write_bytes(render(sample_document(edition, chart), load_theme(theme)))
    result = OpenXmlValidator().validate(str(path))
    assert result.error_count == 0, [str(e) for e in result.errors]


def test_the_bundled_reports_docx_files_have_no_errors(tmp_path: Path):
    from builder.config import BuildConfig
    from builder.pipeline import build
    from tests.helpers import REPORT

    written = build(BuildConfig(report_dir=REPORT, out_dir=tmp_path, formats=("docx",))).written
    assert len(written) == 3
    for path in written:
        result = OpenXmlValidator().validate(str(path))
        assert result.error_count == 0, (path.name, [str(e) for e in result.errors])
