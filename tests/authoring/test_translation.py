"""Translation status through edit cycles, the untranslated marker, and the PO round trip."""

from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import read_po, write_po

from builder.authoring.po import load_record
from builder.config import BuildConfig
from builder.i18n.status import translation_status
from builder.pipeline import check
from tests.authoring.support import build_report, docx_text, pdf_text, run
from tests.helpers import edit, line_of


def new_report(tmp_path: Path) -> Path:
    assert run("new", "demo", "--dir", str(tmp_path)).exit_code == 0
    return tmp_path / "demo"


def counts(folder: Path) -> tuple[int, int, int]:
    total = translation_status(load_record(folder), "en").total()
    return total.translated, total.missing, total.stale


def messages(folder: Path) -> list[str]:
    return [d.format() for d in check(BuildConfig(report_dir=folder, render_charts=False))]


def test_status_through_an_edit_cycle(tmp_path: Path):
    folder = new_report(tmp_path)
    section = folder / "sections" / "01-overview.yaml"
    assert counts(folder) == (9, 0, 0)
    assert messages(folder) == []
    # The source changes: the translation is now stale, located at its `en:` line.
    edit(section, "zh: 每个文本同时写中文和英文", "zh: 每个文本都同时写中文和英文")
    assert counts(folder) == (8, 0, 1)
    en_line = line_of(section, "en: Every text holds Chinese")
    stale = [m for m in messages(folder) if "stale" in m]
    assert stale[0].startswith(f"{section}:{en_line}: warning: stale en translation of "
                               f"list entry 'point-languages': the zh text changed")
    id_line = line_of(section, "id: overview")
    assert f"{section}:{id_line}: warning: en translation of section 'overview': " \
           f"5 translated, 0 missing, 1 stale" in messages(folder)
    assert run("check", str(folder)).exit_code == 0
    assert run("check", str(folder), "--strict").exit_code == 1
    # Re-translated and stamped: clean again.
    edit(section, "en: Every text holds Chinese", "en: Each text holds Chinese")
    stamped = run("i18n", "stamp", str(folder), "overview/how-it-works/point-languages")
    assert stamped.exit_code == 0 and "stamped 1 en translation" in stamped.output
    assert counts(folder) == (9, 0, 0)
    assert messages(folder) == []
    # A deleted translation is missing: an error in check, counted per section.
    heading_line = line_of(section, "- heading: market-size")
    edit(section, "    en: Market size\n", "")
    assert counts(folder) == (8, 1, 0)
    found = messages(folder)
    assert f"{section}:{heading_line}: error: missing en translation of heading 'market-size' " \
           f"(hint: add `en:` next to `zh:`)" in found
    status = run("i18n", "status", str(folder), "--list", "--strict")
    assert status.exit_code == 1
    assert "overview" in status.output and f"{section}:{heading_line + 1}: missing: overview/market-size" \
        in status.output


def test_an_incomplete_edition_builds_with_a_marker_and_a_word_comment(tmp_path: Path):
    folder = new_report(tmp_path)
    section = folder / "sections" / "01-overview.yaml"
    edit(section, "    en: Market size\n", "")
    out = build_report(folder, tmp_path / "dist", ("en",))
    text = pdf_text(out / "demo.en.pdf")
    assert "[untranslated] 市场规模" in text
    assert "Market size, 2024–2026" in text  # the rest stays English
    assert "[untranslated] 市场规模" in docx_text(out / "demo.en.docx")
    from docx import Document

    comments = [c.text for c in Document(str(out / "demo.en.docx")).comments]
    assert any("Untranslated: no en translation yet" in c for c in comments)


def test_po_export_edit_import_build(tmp_path: Path):
    folder = new_report(tmp_path)
    section = folder / "sections" / "01-overview.yaml"
    before = section.read_text(encoding="utf-8")
    edit(section, "    en: Market size\n", "")
    edit(section, "zh: 每个文本同时写中文和英文", "zh: 每个文本都同时写中文和英文")
    po = tmp_path / "demo.en.po"
    result = run("i18n", "export", str(folder), "--lang", "en", "--out", str(po))
    assert result.exit_code == 0, result.output
    assert "7 translated, 1 missing, 1 stale" in result.output
    with po.open("rb") as handle:
        catalog = read_po(handle)
    heading = catalog.get("市场规模", context="overview/market-size")
    assert heading is not None and heading.string == ""
    assert heading.locations[0][1] == line_of(section, "zh: 市场规模")
    stale = catalog.get("每个文本都同时写中文和英文", context="overview/how-it-works/point-languages")
    assert stale is not None and stale.fuzzy
    # The translator fills the missing one and confirms the stale one.
    heading.string = "Market size"
    stale.string = "Every text holds both Chinese and English"
    stale.flags.discard("fuzzy")
    with po.open("wb") as handle:
        write_po(handle, catalog)
    result = run("i18n", "import", str(folder), str(po))
    assert result.exit_code == 0, result.output
    assert "2 translation(s) written" in result.output
    after = section.read_text(encoding="utf-8")
    # Comments, key order and untouched lines survive; only the two translations changed.
    assert after == before.replace("zh: 每个文本同时写中文和英文", "zh: 每个文本都同时写中文和英文") \
        .replace("en: Every text holds Chinese and English side by side",
                 "en: Every text holds both Chinese and English")
    assert counts(folder) == (9, 0, 0)
    out = build_report(folder, tmp_path / "dist", ("en",), ("pdf",))
    text = pdf_text(out / "demo.en.pdf")
    assert "Every text holds both Chinese and English" in text and "[untranslated]" not in text


def test_an_import_that_drops_a_data_expression_is_refused(tmp_path: Path):
    folder = new_report(tmp_path)
    po = tmp_path / "demo.en.po"
    assert run("i18n", "export", str(folder), "--out", str(po)).exit_code == 0
    with po.open("rb") as handle:
        catalog = read_po(handle)
    intro = next(m for m in catalog if m.context == "overview/intro")
    intro.string = "The market grows."
    with po.open("wb") as handle:
        write_po(handle, catalog)
    before = (folder / "sections" / "01-overview.yaml").read_text(encoding="utf-8")
    result = run("i18n", "import", str(folder), str(po))
    assert result.exit_code == 1
    assert f"{po}:" in result.output and "drops {{ sales[2024]" in result.output
    assert (folder / "sections" / "01-overview.yaml").read_text(encoding="utf-8") == before


def test_the_bundled_report_is_fully_translated_and_stamped(tmp_path: Path):
    from tests.helpers import REPORT

    assert counts(REPORT)[1:] == (0, 0)
    po = tmp_path / "gpu.po"
    assert run("i18n", "export", str(REPORT), "--out", str(po)).exit_code == 0
    assert "fuzzy" not in po.read_text(encoding="utf-8").split("\n\n", 1)[1]
