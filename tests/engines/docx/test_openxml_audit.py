"""Every DOCX edition passes openxml-audit (the Open XML SDK's schema and semantic rules).

Each file is also checked as Word 2010 and later read it, with every `mc:AlternateContent`
replaced by its Choice (the charts' drawing groups): openxml-audit takes a Choice only when
its `Requires` prefix is declared on it, and reads the fallback otherwise.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openxml_audit import OpenXmlValidator

from builder.engines.docx import render
from builder.themes import load_theme
from tests.sample_document import sample_document

_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _as_word_2010_reads_it(path: Path, target: Path) -> Path:
    """Write `path` with each `mc:AlternateContent` replaced by its Choice's content."""
    from lxml import etree

    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w") as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                root = etree.fromstring(data)
                for alternative in list(root.iter(f"{{{_MC}}}AlternateContent")):
                    parent, at = alternative.getparent(), alternative.getparent().index(alternative)
                    for child in reversed(list(alternative.find(f"{{{_MC}}}Choice"))):
                        parent.insert(at, child)
                    parent.remove(alternative)
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                      standalone=True)
            out.writestr(item, data)
    return target


def _requires_declared(path: Path) -> None:
    """Each Choice's `Requires` prefixes are declared where it stands (Markup Compatibility
    §10.2.1: a reader resolves them there, not in the content below)."""
    from lxml import etree

    root = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
    choices = list(root.iter(f"{{{_MC}}}Choice"))
    assert choices
    for choice in choices:
        for prefix in choice.get("Requires").split():
            assert prefix in choice.nsmap, prefix


def _errors(path: Path) -> list[str]:
    return [str(e) for e in OpenXmlValidator().validate(str(path)).errors]


@pytest.mark.parametrize("theme", ["default", "classic"])
@pytest.mark.parametrize("edition", ["zh", "en", "bilingual"])
def test_the_docx_has_no_schema_or_semantic_errors(edition: str, theme: str, chart,
                                                    tmp_path: Path):
    path = tmp_path / f"{edition}.docx"
    path.write_bytes(render(sample_document(edition, chart), load_theme(theme)))
    assert _errors(path) == []


def test_the_bundled_reports_docx_files_have_no_errors(tmp_path: Path):
    from builder.config import BuildConfig
    from builder.pipeline import build
    from tests.helpers import REPORT

    written = build(BuildConfig(report_dir=REPORT, out_dir=tmp_path, formats=("docx",))).written
    assert len(written) == 3
    for path in written:
        assert _errors(path) == [], path.name
        _requires_declared(path)
        chosen = _as_word_2010_reads_it(path, tmp_path / f"chosen.{path.name}")
        assert b"wpg:wgp" in zipfile.ZipFile(chosen).read("word/document.xml")
        assert _errors(chosen) == [], ("as Word 2010 reads it", path.name)


def test_the_word_2010_reading_is_checked(tmp_path: Path):
    """A fault inside a drawing group is found: openxml-audit reads the Choice (its Requires
    prefix is declared where it stands; it fell back to the PNG while only the group declared
    it), and so does the Word 2010 reading."""
    from builder.config import BuildConfig
    from builder.pipeline import build
    from tests.helpers import REPORT

    path = build(BuildConfig(report_dir=REPORT, out_dir=tmp_path, formats=("docx",),
                             editions=("en",))).written[0]
    broken = tmp_path / "broken.docx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(broken, "w") as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.replace(b"<wps:cNvSpPr/>", b"<wps:cNvSpPr/><wps:unknown/>", 1)
            out.writestr(item, data)
    assert _errors(broken) != []
    assert _errors(_as_word_2010_reads_it(broken, tmp_path / "chosen.docx")) != []
